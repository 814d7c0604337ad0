"""The question schema: typed, frozen descriptions of every answer stackpick takes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TypeAlias

Value: TypeAlias = str | bool


class Kind(str, Enum):
    """What an answer is for."""

    DECISION = "decision"
    PROJECT = "project"


class Type(str, Enum):
    """How an answer is written and checked."""

    CHOICE = "choice"
    BOOL = "bool"
    TEXT = "text"


@dataclass(frozen=True)
class Question:
    """One question: its key, how it is asked and what it accepts."""

    key: str
    kind: Kind
    type: Type
    prompt: str
    help: str
    default: Value | None
    choices: tuple[str, ...] = ()

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
    key: str, prompt: str, help: str, default: bool = False, *, kind: Kind = Kind.DECISION
) -> Question:
    return Question(key, kind, Type.BOOL, prompt, help, default)


def _text(key: str, prompt: str, help: str, default: str | None) -> Question:
    return Question(key, Kind.PROJECT, Type.TEXT, prompt, help, default)


D, P = Kind.DECISION, Kind.PROJECT

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
        "The kind of application; it weighs most in the decision.",
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
    _flag(
        "admin",
        "Admin interface",
        "A web interface to manage the data (needs auth and a database).",
    ),
    _flag("auth", "User accounts", "Sign-up, login and logout (needs a database)."),
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
