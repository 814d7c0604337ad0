"""A team template's own declaration of variables stackpick also asks (``answers/declared.py``),
through every source, ``questions --template``, ``new``, the record and ``update``."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import team_template_support as team
from stackpick.answers.decision_table import read_mapping
from stackpick.answers.declared import decision_value, declared_question
from stackpick.answers.questions import BY_KEY, Kind, Type
from stackpick.cli import cli


@pytest.fixture(autouse=True)
def _identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Team")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "team@example.com")


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_a_choice_declared_for_a_yes_no_question_is_the_templates() -> None:
    question = declared_question("rest_api", ["None", "DRF", "Django Ninja"], None, "t", {})
    assert question is not None and question.type is Type.CHOICE
    assert question.choices == ("None", "DRF", "Django Ninja") and question.default == "None"
    assert question.kind is Kind.DECISION  # still asked with the decision questions
    text = declared_question("python_version", "", None, "t", {})
    assert text is not None and text.type is Type.TEXT and text.default == ""


def test_a_declaration_like_stackpicks_keeps_stackpicks_question() -> None:
    assert declared_question("rest_api", True, None, "t", {}) is None
    assert declared_question("database", ["postgresql", "sqlite"], None, "t", {}) is None
    assert declared_question("project_name", "Shop", None, "t", {}) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("None", False), ("n", False), ("", False), ("false", False), ("DRF", True), (True, True)],
)
def test_default_mapping_for_a_yes_no_decision_question(value: object, expected: bool) -> None:
    assert decision_value(BY_KEY["rest_api"], value, {}) is expected


def test_a_declared_mapping_wins_and_a_choice_falls_back_to_the_default() -> None:
    assert decision_value(BY_KEY["rest_api"], "Graph", {"Graph": False}) is False
    assert decision_value(BY_KEY["database"], "Postgres", {"Postgres": "postgresql"}) == (
        "postgresql"
    )
    assert decision_value(BY_KEY["database"], "mysql", {}) == "sqlite"


def test_a_bad_mapping_names_the_entry() -> None:
    found, problems = read_mapping({"decision": {"rest_api": {"DRF": "maybe"}}}, "t")
    assert found == {} and problems[0].startswith("t: __stackpick.decision.rest_api.DRF: ")
    _, problems = read_mapping({"decision": {"project_name": {"a": "b"}}}, "t")
    assert "not a decision question" in problems[0]


def test_questions_lists_the_templates_declarations_and_real_defaults(tmp_path: Path) -> None:
    source = team.write(tmp_path / "tpl")
    result = invoke("questions", "--json", "--template", f"django={source}")
    assert result.exit_code == 0, result.output
    listed = {q["key"]: q for q in json.loads(result.output)}
    assert listed["rest_api"]["choices"] == ["None", "DRF", "Django Ninja"]
    assert listed["rest_api"]["default"] == "None"
    assert listed["python_version"]["type"] == "text" and listed["python_version"]["default"] == ""
    assert listed["settings"]["type"] == "dict"
    assert json.loads(listed["settings"]["default"]) == VARIABLES_SETTINGS
    assert listed["project_slug"]["default"] == "my_awesome_project"


VARIABLES_SETTINGS = team.VARIABLES["settings"]


def new(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Path:
    source = team.write(tmp_path / "tpl")
    result = invoke(
        "new", "--no-input", "--json", "--template", f"django={source}",
        "--set", "framework=django", "-o", str(tmp_path / "out"), *args, env=env,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return Path(json.loads(result.output)["path"])


def test_template_values_from_set_env_and_answers_file_reach_the_files(tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text("[settings]\ndebug = false\n")
    project = new(
        tmp_path, "--set", "python_version=3.14", "--answers", str(answers),
        env={"STACKPICK_REST_API": "Django Ninja"},
    )  # fmt: skip
    readme = (project / "README.md").read_text()
    assert "API: Django Ninja; Python 3.14" in readme
    assert json.loads((project / "settings.json").read_text()) == {
        "debug": False,
        "origins": ["http://localhost"],
    }
    recorded = tomllib.loads((project / ".stackpick.toml").read_text())["answers"]
    assert recorded["rest_api"] == "Django Ninja" and recorded["python_version"] == "3.14"
    assert recorded["settings"] == {"debug": False, "origins": ["http://localhost"]}


def test_the_decision_reads_the_mapped_value(tmp_path: Path) -> None:
    source = team.write(tmp_path / "tpl")
    args = ["recommend", "--no-input", "--json", "--template", f"django={source}"]
    with_api = json.loads(invoke(*args, "--set", "rest_api=DRF").output)
    without = json.loads(invoke(*args, "--set", "rest_api=None").output)
    fired = {r["rule"] for r in with_api["reasons"]}
    assert "small-rest-service" in fired
    assert "small-rest-service" not in {r["rule"] for r in without["reasons"]}
    assert with_api["answers"]["rest_api"] == "DRF"


def test_a_value_outside_the_templates_declaration_is_refused(tmp_path: Path) -> None:
    source = team.write(tmp_path / "tpl")
    result = invoke(
        "new", "--no-input", "--template", f"django={source}", "--set", "rest_api=yes",
        "-o", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "rest_api: 'yes' is not valid; use one of: None, DRF, Django Ninja" in result.output


def test_record_uses_the_projects_own_name_and_the_defaults_replay(tmp_path: Path) -> None:
    project = new(tmp_path)
    record = (project / "docs/decisions/0001-web-framework.md").read_text()
    assert "My Awesome Project" in record and "My Project " not in record
    recorded = tomllib.loads((project / ".stackpick.toml").read_text())["answers"]
    assert recorded["rest_api"] == "None" and recorded["python_version"] == ""
    head = team.git(project, "rev-parse", "HEAD")
    result = invoke("update", "--no-input", "--project", str(project))
    assert result.exit_code == 0, result.output
    assert team.git(project, "rev-parse", "HEAD") == head  # nothing changed, nothing committed
    result = invoke("update", "--no-input", "--project", str(project), "--set", "rest_api=DRF")
    assert result.exit_code == 0, result.output
    assert "API: DRF" in (project / "README.md").read_text()


def test_the_interview_asks_the_templates_choices_and_text(tmp_path: Path) -> None:
    from stackpick.answers.questions import QUESTIONS
    from stackpick.answers.sources import Given, Source
    from stackpick.app import Inputs, open_session, resolve
    from stackpick.new import new_project
    from stackpick.ui.prompts import interview
    from test_prompts import Script

    source = team.write(tmp_path / "tpl")
    given = {
        q.key: q.default
        for q in QUESTIONS
        if q.kind is Kind.DECISION and q.key not in ("framework", "rest_api")
    }
    given["framework"] = "django"
    script = Script(
        ("REST API [None]", "yes"),
        ("REST API [None]", "dj"),
        ("Project name [My Awesome Project]", ""),
        ("Package name", ""),
        ("Description [Behold My Awesome Project!]", ""),
        ("Python version: ", "3.14"),  # free text, as the template declares it
        ("Settings [the template's default]", '{"debug": false}'),
        ("Use docker [n]", ""),
        ("Create", ""),
    )
    inputs = Inputs(
        template_options=(f"django={source}",),
        extra_sources=(Source("--set", {k: Given(v, "--set") for k, v in given.items()}),),
    )
    with open_session(inputs) as opened:
        resolved = resolve(opened, lambda session, known: interview(session, known, script))
        created = new_project(resolved, tmp_path / "out", use_git=False)
    assert "'yes' is not valid" in script.text
    assert "  1 None  2 DRF  3 Django Ninja" in script.text  # the template's choices, numbered
    assert "API: Django Ninja; Python 3.14" in (created.path / "README.md").read_text()
    assert json.loads((created.path / "settings.json").read_text())["debug"] is False


def test_a_templates_decision_table_says_what_its_values_mean(tmp_path: Path) -> None:
    table = {"decision": {"rest_api": {"Django Ninja": "no"}}}
    source = team.write(tmp_path / "tpl", {"__stackpick": table})
    args = ["recommend", "--no-input", "--json", "--template", f"django={source}"]
    ninja = json.loads(invoke(*args, "--set", "rest_api=Django Ninja").output)
    drf = json.loads(invoke(*args, "--set", "rest_api=DRF").output)
    assert "small-rest-service" not in {r["rule"] for r in ninja["reasons"]}
    assert "small-rest-service" in {r["rule"] for r in drf["reasons"]}
    bad = team.write(tmp_path / "bad", {"__stackpick": {"decision": {"rest_api": {"DRF": "?"}}}})
    result = invoke("recommend", "--no-input", "--template", f"django={bad}")
    assert result.exit_code == 1
    assert "__stackpick.decision.rest_api.DRF: '?' is not a yes/no value" in result.output


def test_a_templates_own_text_need_not_meet_stackpicks_rules_and_replays(tmp_path: Path) -> None:
    source = team.write(tmp_path / "tpl", {"author_email": "Your email"})
    result = invoke(
        "new", "--no-input", "--json", "--template", f"django={source}",
        "--set", "framework=django", "-o", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    project = Path(json.loads(result.output)["path"])
    recorded = tomllib.loads((project / ".stackpick.toml").read_text())["answers"]
    assert recorded["author_email"] == "Your email"
    update = invoke("update", "--no-input", "--project", str(project))
    assert update.exit_code == 0, update.output
    bundled = invoke("recommend", "--no-input", "--set", "author_email=Your email")
    assert bundled.exit_code == 2  # stackpick's own question keeps its rule


@pytest.mark.parametrize(
    "shape",
    [["None", "Other value"], "", "n", "y", True],
    ids=["choice", "empty-text", "n", "y", "bool"],
)
def test_every_stackpick_name_declared_any_way_is_recorded_and_replayed(
    tmp_path: Path, shape: object
) -> None:
    keys = [q.key for q in BY_KEY.values() if q.key not in ("framework", "project_slug")]
    variables = {key: shape for key in keys} | {"project_name": "Demo", "project_slug": "demo"}
    body = "".join(f"{key}={{{{ cookiecutter.{key} }}}}\n" for key in keys)
    source = team.write(
        tmp_path / "tpl", variables, **{"{{cookiecutter.project_slug}}/values.txt": body}
    )
    result = invoke(
        "new", "--no-input", "--json", "--template", f"flask={source}",
        "--set", "framework=flask", "-o", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    project = Path(json.loads(result.output)["path"])
    head = team.git(project, "rev-parse", "HEAD")
    update = invoke("update", "--no-input", "--project", str(project))
    assert update.exit_code == 0, update.output
    assert team.git(project, "rev-parse", "HEAD") == head
