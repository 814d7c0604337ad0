"""The command line through click's CliRunner: commands, JSON shapes, errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from stackpick import __version__
from stackpick import cli as cli_module
from stackpick.cli import cli


def invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), env=env, input=input)


def test_version_and_help() -> None:
    assert invoke("--version").output == f"stackpick {__version__}\n"
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("new", "recommend", "questions", "rules"):
        assert command in result.output
    assert "Exit codes" in result.output


def test_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "stackpick", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"stackpick {__version__}"


def test_questions_text_and_json() -> None:
    text = invoke("questions")
    assert text.exit_code == 0 and "app_type" in text.output
    data = json.loads(invoke("questions", "--json").output)
    assert isinstance(data, list)
    assert {"key", "type", "choices", "default", "help"} <= set(data[0])
    assert [q["key"] for q in data][:2] == ["framework", "app_type"]


def test_rules_text_and_json() -> None:
    assert "small-project" in invoke("rules").output
    data = json.loads(invoke("rules", "--json").output)
    assert data["rules"] and data["tie"]["favours"] in ("flask", "django")
    assert {"id", "favours", "weight", "when", "reason", "sources"} <= set(data["rules"][0])


def test_recommend_text_lists_reasons_strongest_first() -> None:
    result = invoke("recommend", "--no-input", "--set", "app_type=cms", "--set", "admin=yes")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("Django: the guidance leans to Django")
    weights = [int(line.split()[0]) for line in lines if line.startswith("  +")]
    assert weights == sorted(weights, reverse=True)
    assert "note: auth = true because admin = true" in result.output


def test_recommend_json_shape() -> None:
    result = invoke("recommend", "--no-input", "--json", "--set", "app_type=microservice")
    data = json.loads(result.output)
    assert {"framework", "overridden", "scores", "reasons", "answers"} <= set(data)
    assert data["framework"] == "flask" and data["overridden"] is False
    assert set(data["scores"]) == {"flask", "django"}
    assert {"rule", "framework", "weight", "points", "reason", "sources"} == set(data["reasons"][0])
    assert data["answers"]["app_type"] == "microservice"


def test_recommend_override_in_json() -> None:
    data = json.loads(
        invoke(
            "recommend", "--json", "--set", "framework=django", "--set", "app_type=microservice"
        ).output
    )
    assert data["framework"] == "django" and data["overridden"] is True
    assert data["guidance"] == "flask"
    assert "leans to Flask" in data["summary"]


def test_answers_file_environment_and_set_priority(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("app_type: cms\nscale: large\nci: gitlab\n")
    result = invoke(
        "recommend", "--json", "--answers", str(path), "--set", "scale=small",
        env={"STACKPICK_APP_TYPE": "api", "STACKPICK_SCALE": "medium"},
    )  # fmt: skip
    answers = json.loads(result.output)["answers"]
    assert (answers["app_type"], answers["scale"], answers["ci"]) == ("api", "small", "gitlab")


def test_all_errors_reported_one_line_each_exit_2(tmp_path: Path) -> None:
    result = invoke(
        "recommend", "--set", "scale=huge", "--set", "colour=red", env={"STACKPICK_ADMN": "1"}
    )
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 3
    assert "Traceback" not in result.output


def test_malformed_answers_file_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text('scale = "large"\nadmin = \n')
    result = invoke("recommend", "--answers", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}:2: malformed TOML")


def test_click_usage_errors_exit_2() -> None:
    assert invoke("recommend", "--bogus").exit_code == 2
    assert invoke("nonsense").exit_code == 2


def test_unexpected_errors_are_one_line_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("kaput")

    # flips binds ``decide`` when first imported: imported now, it keeps the real one.
    import stackpick.decision.flips  # noqa: F401

    monkeypatch.setattr("stackpick.decision.decide.decide", boom)
    result = invoke("recommend", "--no-input")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "error: unexpected RuntimeError: kaput (run with --debug for a traceback)\n"
    )
    debug = invoke("--debug", "recommend", "--no-input")
    assert "Traceback" in debug.stderr and debug.exit_code == 1


def test_no_prompt_without_a_terminal() -> None:
    # CliRunner's stdin is not a terminal: defaults are used, nothing waits for input.
    result = invoke("recommend", "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)["answers"]["app_type"] == "website"


def test_prompts_ask_only_for_missing_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_module, "stdin_is_interactive", lambda: True)
    given = [f"--set={k}={v}" for k, v in {
        "framework": "auto", "scale": "small", "team_experience": "beginner",
        "stack_preference": "no_preference", "database": "sqlite", "admin": "no", "auth": "no",
        "rest_api": "no", "i18n": "no", "sensitive_data": "no", "data_model": "simple",
        "project_name": "X", "project_slug": "x_app",
        "description": "d", "author_name": "a", "author_email": "a@b.cd", "python_version": "3.12",
        "ci": "none", "docker": "no",
    }.items()]  # fmt: skip
    result = invoke("recommend", "--json", *given, input="cms\n")
    assert result.exit_code == 0, result.output
    assert "What are you building" in result.output
    data = json.loads(result.output[result.output.index("{") :])
    assert data["answers"]["app_type"] == "cms"


def test_no_input_never_prompts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_module, "stdin_is_interactive", lambda: True)
    result = invoke("recommend", "--no-input", "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)["answers"]["project_name"] == "My Project"


@pytest.mark.parametrize(
    "args",
    [["--help"], ["--version"], ["questions"], ["rules", "--json"], ["recommend", "--no-input"]],
)
def test_light_commands_import_no_rendering_machinery(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from stackpick.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'jinja2', 'cookiecutter', 'yaml',\n"
        "         'stackpick.generate.render', 'stackpick.generate.scaffold'}\n"
        "print(sorted(heavy & set(sys.modules)), file=sys.stderr)\n"
    )
    command = [sys.executable, "-c", code]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_name_argument_wins_over_set(tmp_path: Path) -> None:
    args = ["new", "Named", "--set", "project_name=Other", "--dry-run", "--json"]
    result = invoke(*args, "--output-dir", str(tmp_path))
    assert json.loads(result.output)["answers"]["project_name"] == "Named"


def test_output_dir_short_form(tmp_path: Path) -> None:
    result = invoke("new", "--no-input", "-q", "-o", str(tmp_path / "out"), "Short O")
    assert result.exit_code == 0, result.output
    assert result.output == f"{tmp_path / 'out' / 'short_o'}\n"
    assert (tmp_path / "out" / "short_o" / "pyproject.toml").is_file()


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ([], {}, True),  # a terminal (CliRunner's color=True)
        (["--no-color"], {}, False),
        ([], {"NO_COLOR": "1"}, False),
        ([], {"NO_COLOR": ""}, True),  # no-color.org: an empty value does not count
    ],
)
def test_colour_rules(args: list[str], env: dict[str, str], coloured: bool) -> None:
    for command in (["recommend", "--no-input"], ["recommend", "--set", "scale=huge"]):
        result = CliRunner().invoke(cli, [*args, *command], env=env, color=True)
        assert ("\x1b[" in result.output) is coloured, result.output


def test_no_colour_off_a_terminal() -> None:
    for command in (["recommend", "--no-input"], ["recommend", "--set", "scale=huge"]):
        result = invoke(*command)
        assert result.output and "\x1b[" not in result.output


# --- recommend: how close it was, what would change it, the decision record ----------


def test_recommend_shows_scores_margin_and_what_would_change_it() -> None:
    result = invoke("recommend", "--no-input", "--set", "app_type=cms", "--set", "scale=medium")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[2:5] == [
        "  Django  9 points",
        "  Flask   0 points",
        "  Margin: close (Django leads by 9 points; one changed answer turns it: scale, "
        "stack_preference, app_type, team_experience or database)",
    ]
    changes = result.output.split("What would change it:\n")[1]
    assert changes.startswith(
        "  --set scale=small: Flask (starts small-project; stops growing-project)"
    )
    assert (
        "  --set app_type=static_site: Flask (starts static-content-site; stops content-management)"
        in changes
    )
    assert "\x1b[" not in result.output  # not a terminal: plain text


def test_recommend_draws_bars_on_a_terminal_unless_no_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli_module, "stdout_is_terminal", lambda: True)
    args = ["recommend", "--no-input", "--set", "app_type=cms", "--set", "scale=medium"]
    styled = CliRunner().invoke(cli, args, env={"NO_COLOR": ""}, color=True)
    plain = CliRunner().invoke(cli, args, env={"NO_COLOR": "1"}, color=True)
    flag = CliRunner().invoke(cli, ["--no-color", *args], env={"NO_COLOR": ""}, color=True)
    assert "\u2588" in styled.output and "\x1b[" in styled.output
    for result in (plain, flag):
        assert "\u2588" not in result.output and "\x1b[" not in result.output
        assert "  Django  9 points\n" in result.output


def test_recommend_says_when_nothing_short_of_three_changes_turns_it() -> None:
    given = ["app_type=cms", "scale=large", "stack_preference=batteries_included", "admin=yes",
             "auth=yes", "i18n=yes", "rest_api=yes"]  # fmt: skip
    result = invoke("recommend", "--no-input", *[a for g in given for a in ("--set", g)])
    assert "What would change it:\n  nothing short of changing three or more answers\n" in (
        result.output
    )


def test_recommend_json_adds_flips_and_margin() -> None:
    args = ("--set", "app_type=cms", "--set", "scale=medium")
    data = json.loads(invoke("recommend", "--no-input", "--json", *args).output)
    assert data["margin"] == {"leader": "django", "points": 9, "word": "close", "depends_on": [
        "scale", "stack_preference", "app_type", "team_experience", "database"]}  # fmt: skip
    assert {"changes": {"app_type": "static_site"}, "framework": "flask", "rules": [
        {"rule": "static-content-site", "change": "starts"},
        {"rule": "content-management", "change": "stops"},
    ]} in data["flips"]  # fmt: skip
    assert data["flips"][0] == {
        "changes": {"scale": "small"},
        "framework": "flask",
        "rules": [
            {"rule": "small-project", "change": "starts"},
            {"rule": "growing-project", "change": "stops"},
        ],
    }
    assert all(flip["framework"] == "flask" for flip in data["flips"])


def test_recommend_markdown_prints_the_decision_record() -> None:
    result = invoke(
        "recommend", "--no-input", "--format", "markdown", "--set", "project_name=Shop <b>",
        "--set", "app_type=cms", "--set", "scale=medium", env={"SOURCE_DATE_EPOCH": "1700000000"},
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.output.startswith("---\nstatus: accepted\ndate: 2023-11-14\n---\n")
    assert "# Use Django as the web framework of Shop \\<b\\>\n" in result.output
    assert "### What would change it" in result.output


def test_recommend_json_and_markdown_exclude_each_other() -> None:
    result = invoke("recommend", "--no-input", "--json", "--format", "markdown")
    assert result.exit_code == 2
    assert "error: --json and --format markdown exclude each other" in result.output


def test_recommend_loads_neither_json_nor_jinja() -> None:
    code = (
        "import sys\n"
        "from stackpick.cli import main\n"
        "try:\n"
        "    main(['recommend', '--no-input'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'json', 'jinja2', 'stackpick.decision.record'}\n"
        "print(sorted(heavy & set(sys.modules)), file=sys.stderr)\n"
    )
    # The first run in a cold cache parses the templates' cookiecutter.json; then it is kept.
    subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_a_closed_pipe_ends_quietly_with_141() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "stackpick", "questions"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before anything is written (| head -0)
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == cli_module.EXIT_CLOSED_PIPE
    assert stderr == b""


def test_at_most_twenty_error_lines_then_a_count(tmp_path: Path) -> None:
    answers = tmp_path / "a.toml"
    answers.write_text("".join(f"unknown_{i} = 1\n" for i in range(45)))
    result = invoke("recommend", "--no-input", "--answers", str(answers))
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == cli_module.MAX_ERROR_LINES + 1
    assert lines[-1] == "error: and 25 more; fix these first"


def test_sigterm_is_an_interrupt_before_click_is_imported(tmp_path: Path) -> None:
    """The handler is the program's first act: a SIGTERM while click loads ends as 130."""
    script = (
        "import importlib.abc, os, signal, sys\n"
        "class Stop(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == 'click':\n"
        "            os.kill(os.getpid(), signal.SIGTERM)\n"
        "        return None\n"
        "sys.meta_path.insert(0, Stop())\n"
        "sys.argv = ['stackpick', 'questions']\n"
        "from stackpick.__main__ import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == 130, done.stderr
    assert done.stdout == b""
    assert done.stderr == b"error: interrupted; nothing was written\n"


def test_sigterm_while_the_options_are_read_is_130() -> None:
    script = (
        "import os, signal, sys\n"
        "import click\n"
        "parse = click.Group.parse_args\n"
        "def parse_args(self, ctx, args):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    return parse(self, ctx, args)\n"
        "click.Group.parse_args = parse_args\n"
        "sys.argv = ['stackpick', 'questions']\n"
        "from stackpick.__main__ import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == 130, done.stderr
    assert done.stderr.decode().endswith("interrupted; nothing was written\n")


def test_guidance_lists_the_five_articles_with_titles_and_the_rules_drawing_on_each() -> None:
    from stackpick.decision.rules import load_rules

    book = load_rules()
    result = CliRunner().invoke(cli, ["guidance"])
    assert result.exit_code == 0, result.output
    assert all(len(line) <= 80 for line in result.output.splitlines())
    for article in book.articles:
        assert f"{article.id}: {article.title}"[:60] in result.output
    data = json.loads(CliRunner().invoke(cli, ["guidance", "--json"]).output)
    assert [a["id"] for a in data] == ["000", "001", "002", "003", "004"]
    for entry in data:
        assert entry["rules"] == [r.id for r in book.rules if entry["id"] in r.sources]
        assert entry["rules"], f"article {entry['id']} backs no rule"
