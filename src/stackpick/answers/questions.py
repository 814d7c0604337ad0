"""The question schema: typed, frozen descriptions of every answer stackpick takes."""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple, TypeAlias

Value: TypeAlias = str | bool


class Kind(str, Enum):
    """What an answer is for."""

    DECISION = "decision"
    PROJECT = "project"
    TEMPLATE = "template"


class Type(str, Enum):
    """How an answer is written and checked."""

    CHOICE = "choice"
    BOOL = "bool"
    TEXT = "text"
    #: A template's dictionary variable, written as a JSON object (a table in TOML/YAML).
    DICT = "dict"


class Question(NamedTuple):
    """One question: its key, how it is asked and what it accepts."""

    key: str
    kind: Kind
    type: Type
    prompt: str
    help: str
    default: Value | None
    choices: tuple[str, ...] = ()
    #: When this yes/no answer is true, these other answers must take one of these values.
    requires: tuple[tuple[str, tuple[Value, ...]], ...] = ()

    def to_json(self) -> dict[str, object]:
        """The question as ``stackpick questions --json`` prints it."""
        return {
            "key": self.key,
            "kind": self.kind.value,
            "type": self.type.value,
            "choices": list(self.choices),
            "default": self.default,
            "prompt": self.prompt,
            "help": self.help,
        }


def _choice(
    key: str, kind: Kind, prompt: str, help: str, choices: tuple[str, ...], default: str
) -> Question:
    return Question(key, kind, Type.CHOICE, prompt, help, default, choices)


def _flag(
    key: str,
    prompt: str,
    help: str,
    default: bool = False,
    *,
    kind: Kind = Kind.DECISION,
    requires: tuple[tuple[str, tuple[Value, ...]], ...] = (),
) -> Question:
    return Question(key, kind, Type.BOOL, prompt, help, default, requires=requires)


def _text(key: str, prompt: str, help: str, default: str | None) -> Question:
    return Question(key, Kind.PROJECT, Type.TEXT, prompt, help, default)


D, P = Kind.DECISION, Kind.PROJECT
WITH_DATABASE: tuple[Value, ...] = ("sqlite", "postgresql")

QUESTIONS: tuple[Question, ...] = (
    _choice(
        "framework",
        D,
        "Framework",
        "auto decides from the answers; flask or django is an explicit choice that always wins.",
        ("auto", "flask", "django"),
        "auto",
    ),
    _choice(
        "app_type",
        D,
        "What are you building",
        "The kind of application.",
        (
            "website",
            "static_site",
            "api",
            "microservice",
            "prototype",
            "cms",
            "social",
            "enterprise",
            "internal_tool",
        ),
        "website",
    ),
    _choice(
        "scale",
        D,
        "Expected size",
        "How large the application and its feature set will grow.",
        ("small", "medium", "large"),
        "small",
    ),
    _choice(
        "team_experience",
        D,
        "Team experience",
        "How much web-framework experience the team has.",
        ("beginner", "intermediate", "experienced"),
        "intermediate",
    ),
    _choice(
        "stack_preference",
        D,
        "Stack preference",
        "Built-in parts chosen for you, or your own pick of libraries.",
        ("batteries_included", "no_preference", "pick_my_own"),
        "no_preference",
    ),
    _choice(
        "database",
        D,
        "Database",
        "none, a SQLite file, or PostgreSQL through DATABASE_URL.",
        ("none", "sqlite", "postgresql"),
        "sqlite",
    ),
    _choice(
        "data_model",
        D,
        "Data model",
        "simple: a few tables; complex: many related tables, reports over them.",
        ("simple", "complex"),
        "simple",
    ),
    _flag(
        "admin",
        "Admin interface",
        "A web interface to manage the data (needs auth and a database); with the accounts "
        "it brings, the answer that weighs most in the decision.",
        requires=(("auth", (True,)), ("database", WITH_DATABASE)),
    ),
    _flag(
        "auth",
        "User accounts",
        "Sign-up, login and logout (needs a database).",
        requires=(("database", WITH_DATABASE),),
    ),
    _flag(
        "sensitive_data",
        "Sensitive data",
        "Payments, health records or other personal data that must be protected.",
    ),
    _flag("rest_api", "REST API", "A JSON API for an example resource."),
    _flag("i18n", "Several languages", "Translations and locale selection."),
    _text(
        "project_name",
        "Project name",
        "Free text; shown in the project's pages and README.",
        "My Project",
    ),
    _text(
        "project_slug",
        "Package name",
        "Lower-case Python identifier; derived from the project name when not given.",
        None,
    ),
    _text(
        "description",
        "Description",
        "One line about the project (free text).",
        "A new web application.",
    ),
    _text("author_name", "Author name", "Free text for the package metadata.", "Your Name"),
    _text("author_email", "Author email", "An address like you@example.com.", "you@example.com"),
    _choice(
        "python_version",
        P,
        "Python version",
        "The Python version the project targets (CI, Docker, requires-python).",
        ("3.10", "3.11", "3.12", "3.13"),
        "3.11",
    ),
    _choice(
        "ci",
        P,
        "Continuous integration",
        "The CI workflow to generate.",
        ("github", "gitlab", "none"),
        "github",
    ),
    _flag(
        "docker",
        "Docker files",
        "A Dockerfile (and a compose file with PostgreSQL when chosen).",
        True,
        kind=P,
    ),
)

BY_KEY: dict[str, Question] = {q.key: q for q in QUESTIONS}
KEYS: tuple[str, ...] = tuple(BY_KEY)


class Schema(NamedTuple):
    """Every question of one run: stackpick's own, then those the configured templates add."""

    questions: tuple[Question, ...] = QUESTIONS

    @property
    def by_key(self) -> dict[str, Question]:
        return {q.key: q for q in self.questions}

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(q.key for q in self.questions)

    def extended(self, extra: tuple[Question, ...]) -> Schema:
        """This schema plus the questions in ``extra`` whose keys it does not have yet."""
        known = set(self.keys)
        added = []
        for question in extra:
            if question.key not in known:
                known.add(question.key)
                added.append(question)
        return Schema((*self.questions, *added))


STACKPICK_SCHEMA = Schema()


def template_question(key: str, raw: object, prompt: object, template: str) -> Question | None:
    """A question for a variable a template declares, typed by its declaration.

    A list is a choice, a boolean a yes/no question, a dictionary a JSON object, anything
    else text (its default is the template's, rendered when the project is generated).
    """
    text = prompt if isinstance(prompt, str) else key.replace("_", " ").capitalize()
    if isinstance(prompt, dict) and isinstance(prompt.get("__prompt__"), str):
        text = prompt["__prompt__"]
    help = f"Declared by the {template}."
    if isinstance(raw, bool):
        return Question(key, Kind.TEMPLATE, Type.BOOL, text, help, raw)
    if isinstance(raw, list) and raw:
        choices = tuple(str(item) for item in raw)
        return Question(key, Kind.TEMPLATE, Type.CHOICE, text, help, choices[0], choices)
    if isinstance(raw, dict):
        return Question(key, Kind.TEMPLATE, Type.DICT, text, help, None)
    if isinstance(raw, list):
        return None
    static = raw if isinstance(raw, str) and "{" not in raw else None
    return Question(key, Kind.TEMPLATE, Type.TEXT, text, help, static)
