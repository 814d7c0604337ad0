"""The interview: decision questions, recommendation, framework, project questions, summary."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from stackpick.answers.questions import CHOICE_HELP, QUESTIONS, Kind
from stackpick.answers.sources import Given, Source, merge
from stackpick.app import Inputs, Session, open_session, resolve
from stackpick.decision.rules import load_rules
from stackpick.errors import AnswerErrors, Cancelled, Declined
from stackpick.new import new_project
from stackpick.template_source import templates_root
from stackpick.ui import defaults as interview_defaults
from stackpick.ui.prompts import INTRO, Console, interview
from terminal_support import ANSI, TerminalSession

DECISION_PROMPTS = [q.prompt for q in QUESTIONS if q.kind is Kind.DECISION and q.key != "framework"]


class Script:
    """A terminal that answers each prompt in turn, checking that it is the one expected."""

    def __init__(self, *steps: tuple[str, str]) -> None:
        self.steps = list(steps)
        self.lines: list[str] = []
        self.prompts: list[str] = []

    def say(self, text: str = "") -> None:
        self.lines.append(ANSI.sub("", text))

    def read(self, prompt: str) -> str:
        shown = ANSI.sub("", prompt)
        self.prompts.append(shown)
        self.lines.append(shown)
        assert self.steps, f"unexpected question: {shown}"
        expected, reply = self.steps.pop(0)
        assert shown.startswith(expected), (shown, expected)
        return reply

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def defaults(*prompts: str) -> list[tuple[str, str]]:
    return [(p, "") for p in prompts]


PROJECT = ["Project name", "Package name", "Description", "Author name", "Author email"]
PROJECT_TAIL = ["Python version", "Continuous integration", "Docker files"]


@pytest.fixture(autouse=True)
def _own_git_identity(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """git config is read from a file of the test's, never the real home's."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path_factory.mktemp("git") / "config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    interview_defaults.git_identity.cache_clear()


@pytest.fixture
def session() -> Iterator[Session]:
    with open_session(Inputs()) as opened:
        yield opened


def run(session: Session, script: Script, **given: object) -> dict[str, object]:
    source = interview(session, {k: Given(v, "--set") for k, v in given.items()}, script)
    assert not script.steps, f"not asked: {script.steps}"
    return {k: v.value for k, v in source.values.items()}


def test_decision_questions_first_then_recommendation_then_project(session: Session) -> None:
    script = Script(
        ("What are you building", "?"),
        ("What are you building", "api"),
        *defaults(*DECISION_PROMPTS[1:]),
        ("Framework (flask, django) [flask]", ""),
        *defaults(*PROJECT, *PROJECT_TAIL),
        ("Create it?", "yes"),
    )
    asked = run(session, script)
    assert asked["app_type"] == "api" and "framework" not in asked  # accepted: stays auto
    text = script.text
    assert "The kind of application." in text  # the ? help
    assert "  api: A JSON service for other programs" in text  # and what each choice means
    assert "REST API (yes/no) [yes]" in text  # the default follows app_type = api
    recommendation = text.index("Recommendation: Flask")
    assert text.index("Several languages") < recommendation < text.index("Project name")
    assert "Flask   15 points" in text and "Django  0 points" in text and "[small-project]" in text
    assert "Margin: close (Flask leads by 15 points; one changed answer turns it: " in text
    flips = text[text.index("What would change it:") : text.index("Framework (")]
    assert "scale: large → Django" in flips  # in the interview's words, not as flags
    assert "[website]" in script.prompts[0]  # the default is shown
    assert text.index("Flask project:") > text.index("Docker files")


def test_switching_to_django_reasks_what_it_cannot_build_and_skips_admin(
    session: Session,
) -> None:
    script = Script(
        ("What are you building", "cms"),
        *defaults("Expected size", "Team experience", "Stack preference"),
        ("Database [sqlite]", "none"),
        *defaults("Data model"),
        *defaults("Sensitive data", "REST API", "Several languages"),  # admin, auth need a db
        ("Framework (flask, django) [flask]", "django"),
        ("Database [sqlite]", "nonsense"),
        ("Database [sqlite]", "none"),
        ("Database [sqlite]", "postgresql"),
        ("User accounts", "yes"),  # now possible; admin is not a Django question
        *defaults(*PROJECT, *PROJECT_TAIL),
        ("Create it?", "y"),
    )
    asked = run(session, script)
    assert asked["framework"] == "django" and asked["database"] == "postgresql"
    assert asked["auth"] is True and "admin" not in asked
    assert "Django cannot build database = none" in script.text
    assert "'nonsense' is not valid; use one of: none, sqlite, postgresql" in script.text
    assert "'none' is not offered here; use one of: sqlite, postgresql" in script.text
    assert "  1 none  2 sqlite  3 postgresql" in script.text  # numbered as they are typed
    assert "  1 sqlite  2 postgresql" in script.text  # Django's own list, renumbered
    assert "Admin interface" not in "\n".join(script.prompts)
    summary = script.text[script.text.index("Django project:") :]
    assert "admin" not in summary and "postgresql" in summary


def test_a_chosen_framework_is_not_asked_again_nor_its_foreign_questions(
    session: Session,
) -> None:
    script = Script(
        *defaults("What are you building", "Expected size", "Team experience"),
        *defaults("Stack preference"),
        ("Database [sqlite]", ""),
        *defaults("Data model", "User accounts", "Sensitive data", "REST API", "Several languages"),
        *defaults(*PROJECT, *PROJECT_TAIL),
        ("Create it?", ""),
    )
    run(session, script, framework="django")
    assert "Django, as you chose" in script.text


def test_given_answers_are_not_asked(session: Session) -> None:
    given = {q.key: q.default for q in QUESTIONS if q.kind is Kind.DECISION}
    script = Script(*defaults(*PROJECT[1:], *PROJECT_TAIL), ("Create", ""))
    asked = run(session, script, project_name="Shop", **{**given, "framework": "auto"})
    assert "project_name" not in asked and asked["project_slug"] == "shop"
    assert "framework" not in asked and "Recommendation: Flask" in script.text


def test_invalid_given_answers_stop_before_any_question(session: Session) -> None:
    with pytest.raises(AnswerErrors, match="scale"):
        run(session, Script(), scale="huge")


def test_restart_keeps_the_last_answers_as_defaults_and_no_stops(session: Session) -> None:
    first = [("What are you building", "social"), *defaults(*DECISION_PROMPTS[1:])]
    script = Script(
        *first,
        ("Framework (flask, django) [flask]", ""),
        *defaults(*PROJECT, *PROJECT_TAIL),
        ("Create it?", "maybe"),
        ("Create it?", "restart"),
        ("What are you building [social]", ""),  # its default is now social
        *defaults(*DECISION_PROMPTS[1:]),
        ("Framework", ""),
        *defaults(*PROJECT, *PROJECT_TAIL),
        ("Create it?", "no"),
    )
    with pytest.raises(Declined, match="nothing was written") as declined:
        run(session, script)
    assert declined.value.exit_code == 0
    assert "[social]" in script.prompts[len(first) + 1 + 8 + 2]
    assert "answer yes, no or restart" in script.text


def test_a_choice_by_number_or_by_the_start_of_its_name(session: Session) -> None:
    script = Script(
        ("What are you building", "s"),  # static_site, social: ambiguous
        ("What are you building", "int"),
        ("Expected size", "3"),
        ("Team experience", "4"),  # there are three
        ("Team experience", "exp"),
        *defaults(*DECISION_PROMPTS[3:]),
        ("Framework (django, flask) [django]", "f"),
        *defaults(*PROJECT, *PROJECT_TAIL),
        ("Create it?", ""),
    )
    asked = run(session, script)
    assert asked["app_type"] == "internal_tool" and asked["scale"] == "large"
    assert asked["team_experience"] == "experienced" and asked["framework"] == "flask"
    assert "'s' is not valid" in script.text and "'4' is not valid" in script.text


def test_a_mistyped_choice_gets_a_did_you_mean(session: Session) -> None:
    script = Script(
        ("What are you building", "apii"),
        ("What are you building", "2"),
        *defaults(*DECISION_PROMPTS[1:]),
        ("Framework", ""),
        *defaults(*PROJECT, *PROJECT_TAIL),
        ("Create it?", ""),
    )
    assert run(session, script)["app_type"] == "static_site"
    assert "'apii' is not a choice; did you mean api? (or type its number)" in script.text
    assert "  1 website  2 static_site  3 api  4 microservice" in script.text


def test_author_defaults_come_from_git_config_and_rest_api_follows_app_type(
    session: Session, tmp_path: Path
) -> None:
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Ada Lovelace\n\temail = ada@example.org\n")
    os.environ["GIT_CONFIG_GLOBAL"] = str(config)  # the fixture restores it
    script = Script(
        ("What are you building", "microservice"),
        *defaults(*DECISION_PROMPTS[1:]),
        ("Framework", ""),
        *defaults(*PROJECT, *PROJECT_TAIL),
        ("Create it?", ""),
    )
    asked = run(session, script)
    assert asked["author_name"] == "Ada Lovelace" and asked["author_email"] == "ada@example.org"
    assert asked["rest_api"] is True
    assert "Author name [Ada Lovelace]" in script.text


def test_without_git_identity_the_author_defaults_stay(session: Session) -> None:
    script = Script(
        *defaults(*DECISION_PROMPTS),
        ("Framework", ""),
        *defaults(*PROJECT, *PROJECT_TAIL),
        ("Create it?", ""),
    )
    asked = run(session, script)
    assert asked["author_name"] == "Your Name" and asked["rest_api"] is False


def test_ctrl_d_stops_cleanly(monkeypatch: pytest.MonkeyPatch) -> None:
    def end_of_input() -> str:
        raise EOFError

    monkeypatch.setattr("builtins.input", end_of_input)
    with pytest.raises(Cancelled, match="end of input"):
        Console().read("Project name: ")


def test_recommend_asks_only_the_decision_questions(session: Session) -> None:
    script = Script(*defaults(*DECISION_PROMPTS))
    source = interview(session, {}, script, decision_only=True)
    assert set(source.values) == {q.key for q in QUESTIONS if q.kind is Kind.DECISION} - {
        "framework"
    }
    assert "Recommendation" not in script.text


def test_bad_text_is_asked_again_with_the_one_rule(session: Session) -> None:
    given = {
        q.key: q.default for q in QUESTIONS if q.kind is Kind.DECISION and q.key != "framework"
    }
    script = Script(
        ("Framework", ""),
        ("Project name", ""),
        ("Package name [my_project]", "Bad-Slug"),
        ("Package name", "json"),
        ("Package name", "shop"),
        ("Description", ""),
        ("Author name", ""),
        ("Author email", "nobody"),
        ("Author email", "a@b.cd"),
        *defaults(*PROJECT_TAIL),
        ("Create", ""),
    )
    asked = run(session, script, **given)
    assert asked["project_slug"] == "shop" and asked["author_email"] == "a@b.cd"
    assert "not a valid package name" in script.text
    assert "would shadow the module 'json'" in script.text
    assert "is not an email address" in script.text


def test_template_only_variables_are_asked_with_their_prompt(tmp_path: Path) -> None:
    template = tmp_path / "flask"
    shutil.copytree(templates_root() / "flask", template)
    declaration = json.loads((template / "cookiecutter.json").read_text())
    declaration = {
        **declaration,
        "licence": ["MIT", "BSD-3-Clause"],
        "team": "Platform",
        "docs_folder": "docs",
        "python_version": ["3.12", "3.11"],
        "__prompts__": {"licence": "Which licence"},
    }
    (template / "cookiecutter.json").write_text(json.dumps(declaration))
    docs = template / "{{cookiecutter.project_slug}}" / "{{cookiecutter.docs_folder}}"
    docs.mkdir()
    (docs / "index.md").write_text("# {{ cookiecutter.team }}\n")
    given = {
        q.key: q.default for q in QUESTIONS if q.kind is Kind.DECISION and q.key != "framework"
    }
    script = Script(
        ("Framework", ""),
        *defaults(*PROJECT),
        ("Python version [3.12]", "3.10"),  # the template's default
        ("Python version [3.12]", "3.11"),
        *defaults("Continuous integration", "Docker files"),
        ("Which licence [MIT]", "BSD-3-Clause"),
        ("Team [Platform]", ""),
        ("Docs folder [docs]", "../elsewhere"),
        ("Docs folder [docs]", "handbook"),
        ("Create", ""),
    )
    inputs = Inputs(
        template_options=(f"flask={template}",),
        extra_sources=(Source("--set", {k: Given(v, "--set") for k, v in given.items()}),),
    )
    with open_session(inputs) as opened:
        resolved = resolve(opened, lambda session, known: interview(session, known, script))
        created = new_project(resolved, tmp_path / "out")
        merged = merge(opened.sources[:-1])
        asked = {k: v.value for k, v in opened.sources[-1].values.items()}
    assert asked["licence"] == "BSD-3-Clause" and asked["python_version"] == "3.11"
    assert "Package name [the template's default]" in script.text
    assert "project_slug" not in asked and asked["description"] == "A Flask application."
    assert "licence" not in merged and asked["docs_folder"] == "handbook"
    assert re.search(r"project_slug +\(the template.s default\)", script.text)
    assert created.path == tmp_path / "out" / "my_project"
    assert (created.path / "handbook" / "index.md").read_text() == "# Platform\n"
    recorded = (created.path / ".stackpick.toml").read_text()
    assert 'licence = "BSD-3-Clause"' in recorded and 'python_version = "3.11"' in recorded
    assert "'../elsewhere' cannot be a folder name" in script.text


# --- in a pseudo-terminal ------------------------------------------------------


def start(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> TerminalSession:
    return TerminalSession(["new", "-o", str(tmp_path / "out"), *args], tmp_path, env)


def test_terminal_interview_order_switch_and_created_project(tmp_path: Path) -> None:
    term = start(tmp_path)
    seen = [term.answer("What are you building", "cms")]
    for prompt in DECISION_PROMPTS[1:]:
        if prompt not in ("Admin interface", "User accounts"):  # they need a database
            seen.append(term.answer(prompt, "none" if prompt == "Database" else ""))
    before = term.answer("Framework (flask, django) [flask]", "django")
    assert "Recommendation: Flask" in before
    assert "Margin: clear (Flask leads by 6 points; no single changed answer turns it)" in before
    assert re.search(r"Flask +█+ 10 points\n +Django +█+ 4 points", before)  # bars on a terminal
    assert "What would change it:\n  scale: large, database: sqlite → Django" in before
    assert "Django cannot be built" in before
    assert "Admin interface" not in "".join(seen)  # database = none: no admin, no accounts
    term.answer("Database [sqlite]", "")
    term.answer("User accounts", "no")
    term.answer("Project name", "Shop Floor")
    for prompt in PROJECT[1:] + PROJECT_TAIL:
        term.answer(prompt, "")
    summary = term.answer("Create it?", "")
    assert "Django project:" in summary and "admin" not in summary
    assert term.wait() == 0, term.text
    assert "Admin interface" not in term.text
    assert (tmp_path / "out" / "shop_floor" / "manage.py").is_file()
    assert "\x1b[" in term.raw  # colour on a terminal


@pytest.mark.parametrize("how", ["NO_COLOR", "--no-color"])
def test_no_colour_when_asked(tmp_path: Path, how: str) -> None:
    env = {"NO_COLOR": "1"} if how == "NO_COLOR" else None
    args = ["--no-color", "new"] if how == "--no-color" else ["new"]
    term = TerminalSession([*args, "-o", str(tmp_path / "out")], tmp_path, env)
    term.answer("What are you building", "")
    term.expect("Expected size")  # interrupt at a prompt, not while the answer is read
    term.interrupt()
    assert term.wait() == 130
    assert "\x1b[" not in term.raw and "error: interrupted" in term.text


def test_ctrl_c_exits_130_with_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    term = start(tmp_path)
    for prompt in DECISION_PROMPTS:
        term.answer(prompt, "")
    term.answer("Framework", "")
    term.answer("Project name", "")
    term.expect("Package name")
    term.interrupt()
    assert term.wait() == 130
    tail = term.text[term.text.index("Package name") :].strip().splitlines()
    assert tail[1:] == ["error: interrupted; nothing was written"], tail
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_no_at_the_summary_is_a_choice_exit_0_and_nothing_written(tmp_path: Path) -> None:
    term = start(tmp_path, "--set", "framework=flask", "--set", "project_name=X")
    for prompt in DECISION_PROMPTS:
        term.answer(prompt, "")
    for prompt in PROJECT[1:] + PROJECT_TAIL:
        term.answer(prompt, "")
    term.answer("Create it?", "no")
    assert term.wait() == 0  # a choice, not a failure
    assert re.search(r"\nNot created, as you chose; nothing was written.\s*$", term.text)
    assert "error" not in term.text
    assert list(tmp_path.iterdir()) == []


def test_at_80_columns_every_line_fits_and_no_word_is_broken() -> None:
    short = Path(tempfile.mkdtemp(prefix="sp"))  # its path printed whole fits in 80 columns
    term = start(short, env={"COLUMNS": "80"})
    for prompt in DECISION_PROMPTS:
        term.answer(prompt, "?")
        term.answer(prompt, "apii" if prompt == "What are you building" else "")
        if prompt == "What are you building":
            term.answer(prompt, "3")
    term.answer("Framework", "")
    for prompt in PROJECT + PROJECT_TAIL:
        term.answer(prompt, "?")
        term.answer(prompt, "")
    term.answer("Create it?", "")
    assert term.wait() == 0, term.text
    shutil.rmtree(short)
    text = term.text
    wide = [line for line in text.splitlines() if len(line) > 80]
    assert wide == []
    flowing = " ".join(text.split())  # wrapped only between words: every sentence whole
    sentences = [INTRO, *(q.help for q in QUESTIONS if q.key != "framework")]
    sentences += [
        s for key, helps in CHOICE_HELP.items() if key != "framework" for s in helps.values()
    ]
    fired = [rule for rule in load_rules().rules if f"[{rule.id}]" in flowing]
    assert fired
    sentences += [rule.reason for rule in fired]
    missing = [s for s in sentences if " ".join(s.split()) not in flowing]
    assert missing == []
    assert "'apii' is not a choice; did you mean api?" in flowing
    assert "1 website 2 static_site 3 api" in flowing
    assert "REST API (yes/no) [yes]" in flowing  # app_type = api: the API by default
    assert "--set" not in text[: text.index("Create it?")]
    assert re.search(r"What would change it:\n  \w+: \w+.* → Django", text)
