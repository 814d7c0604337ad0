"""Answers: gathered from their sources, merged in a stated priority, validated once.

Priority, lowest first: defaults < answers file < environment (``STACKPICK_<KEY>``)
< ``--set key=value`` < interactive prompts.  Whatever the source, every value
goes through the same validation; all problems of one run are reported together.
"""

from __future__ import annotations

import keyword
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

from ..errors import AnswerErrors
from .questions import BY_KEY, KEYS, QUESTIONS, Question, Type, Value

ENV_PREFIX = "STACKPICK_"
#: Variables under this prefix belong to stackpick's own test suite, not to the answers.
ENV_RESERVED_PREFIX = "STACKPICK_TEST_"

TRUE_WORDS = frozenset({"yes", "y", "true", "1", "on"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", "off"})

#: Names a project package must not take: it would shadow a module the project imports.
SHADOWED_MODULES = frozenset(
    {
        # what the generated projects import or install (runtime and dev dependencies)
        "flask", "django", "werkzeug", "jinja2", "markupsafe", "itsdangerous", "click", "blinker",
        "sqlalchemy", "alembic", "flask_sqlalchemy", "flask_migrate", "flask_admin", "flask_login",
        "flask_wtf", "wtforms", "flask_limiter", "limits", "flask_babel", "babel", "redis",
        "rest_framework", "drf_spectacular", "environ", "whitenoise", "gunicorn", "asgiref",
        "sqlparse", "psycopg", "psycopg2", "dotenv", "pytest", "pytest_django", "ruff", "yaml",
        "pip", "setuptools", "packaging", "typing_extensions",
        # names the tooling itself resolves on the path
        "test", "tests", "conftest", "site", "manage",
    }
    | set(sys.stdlib_module_names)
)  # fmt: skip

SLUG_PATTERN = re.compile(r"[a-z][a-z0-9_]*\Z")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")
MAX_TEXT_LENGTH = 500


class Given(NamedTuple):
    """One raw value from one source, and where it came from (for messages)."""

    value: object
    where: str


class Source(NamedTuple):
    """The raw values one source gave, before validation."""

    name: str
    values: Mapping[str, Given]
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answers:
    """Validated answers: one value per question, with notes on derived defaults."""

    values: Mapping[str, Value]
    given: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()

    def text(self, key: str) -> str:
        """A choice or text answer."""
        value = self.values[key]
        assert isinstance(value, str)
        return value

    def flag(self, key: str) -> bool:
        """A yes/no answer."""
        value = self.values[key]
        assert isinstance(value, bool)
        return value

    def to_json(self) -> dict[str, Value]:
        """The answers in question order."""
        return {key: self.values[key] for key in KEYS}


# --- sources -----------------------------------------------------------------


def did_you_mean(key: str) -> str:
    """A hint naming the closest known key, if any."""
    import difflib

    match = difflib.get_close_matches(key.lower(), KEYS, n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def unknown_key_message(key: str, where: str) -> str:
    return (
        f"{where}: unknown key '{key}'{did_you_mean(key)}; "
        "run 'stackpick questions' for the valid keys"
    )


def from_environment(environ: Mapping[str, str]) -> Source:
    """``STACKPICK_<KEY>`` variables; any other ``STACKPICK_`` variable is an error."""
    values: dict[str, Given] = {}
    problems: list[str] = []
    for name in sorted(environ):
        if not name.startswith(ENV_PREFIX) or name.startswith(ENV_RESERVED_PREFIX):
            continue
        key = name[len(ENV_PREFIX) :].lower()
        if key in BY_KEY:
            values[key] = Given(environ[name], f"environment variable {name}")
        else:
            problems.append(
                f"environment variable {name}: unknown key '{key}'{did_you_mean(key)}; "
                "unset it or use STACKPICK_<KEY> with a key from 'stackpick questions'"
            )
    return Source("environment", values, tuple(problems))


def from_set_options(pairs: Sequence[str]) -> Source:
    """``--set key=value`` options, later ones winning."""
    values: dict[str, Given] = {}
    problems: list[str] = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        where = f"--set {pair}"
        if not sep or not key:
            problems.append(f"{where}: expected KEY=VALUE, for example --set app_type=api")
        elif key not in BY_KEY:
            problems.append(unknown_key_message(key, "--set"))
        else:
            values[key] = Given(value, "--set")
    return Source("--set", values, tuple(problems))


def from_mapping(name: str, data: Mapping[str, object], where: Mapping[str, str]) -> Source:
    """Values read from an answers file (``where`` maps each key to its file and line)."""
    values: dict[str, Given] = {}
    problems: list[str] = []
    for key, value in data.items():
        location = where.get(key, name)
        if key not in BY_KEY:
            problems.append(unknown_key_message(key, location))
        else:
            values[key] = Given(value, location)
    return Source(name, values, tuple(problems))


def merge(sources: Iterable[Source]) -> dict[str, Given]:
    """One raw value per key: a later source wins over an earlier one."""
    merged: dict[str, Given] = {}
    for source in sources:
        merged.update(source.values)
    return merged


# --- validation ----------------------------------------------------------------


def parse_bool(value: object) -> bool | None:
    """``True``/``False`` for a yes/no value, ``None`` when it is not one."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return None


def _describe(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    return f"{value!r} ({type(value).__name__})"


class Checked(NamedTuple):
    """The result of checking one value: either ``value`` or ``error``."""

    value: Value | None = None
    error: str | None = None


def _check_choice(question: Question, value: object) -> Checked:
    if isinstance(value, str) and value.strip().lower() in question.choices:
        return Checked(value=value.strip().lower())
    hint = ""
    if isinstance(value, float):
        hint = ' (a number was read: quote it, for example "3.10")'
    valid = ", ".join(question.choices)
    return Checked(error=f"{_describe(value)} is not valid{hint}; use one of: {valid}")


def _check_bool(value: object) -> Checked:
    parsed = parse_bool(value)
    if parsed is None:
        return Checked(
            error=f"{_describe(value)} is not a yes/no value; "
            "use one of: yes, no, true, false, y, n, 1, 0"
        )
    return Checked(value=parsed)


def _text_problem(question: Question, value: str) -> str | None:
    if "\x00" in value:
        return "contains a NUL character; remove it"
    if any("\ud800" <= char <= "\udfff" for char in value):
        return "is not valid UTF-8 text; check the terminal's or the file's encoding"
    if len(value) > MAX_TEXT_LENGTH:
        return f"is {len(value)} characters long; keep it under {MAX_TEXT_LENGTH}"
    if question.key == "project_name" and not value.strip():
        return "is empty; give the project a name, for example --set project_name='My Project'"
    if question.key == "project_slug":
        return slug_problem(value)
    if question.key == "author_email" and value and not EMAIL_PATTERN.match(value):
        return f"{value!r} is not an email address; use a form like you@example.com"
    return None


def _check_text(question: Question, value: object) -> Checked:
    if not isinstance(value, str):
        return Checked(error=f"{_describe(value)} is not text; quote it")
    problem = _text_problem(question, value)
    return Checked(error=problem) if problem else Checked(value=value)


def slug_problem(value: str) -> str | None:
    """What stops ``value`` from being a project package name, or ``None``."""
    if not SLUG_PATTERN.match(value) or keyword.iskeyword(value):
        return (
            f"{value!r} is not a valid package name; use lower-case letters, digits and "
            "underscores, starting with a letter (for example my_project)"
        )
    if value in SHADOWED_MODULES:
        return (
            f"{value!r} would shadow the module '{value}' that the project imports; "
            f"choose another name, for example {value}_app"
        )
    return None


def validate_value(question: Question, value: object) -> Checked:
    """Check one value of ``question``, whatever its source."""
    if question.type is Type.CHOICE:
        return _check_choice(question, value)
    if question.type is Type.BOOL:
        return _check_bool(value)
    return _check_text(question, value)


def derive_slug(name: str) -> str:
    """A package name from a project name: ASCII, lower case, words joined by ``_``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")
    if slug and slug[0].isdigit():
        slug = f"project_{slug}"
    return slug


def default_for(key: str, partial: Mapping[str, Value]) -> Value:
    """The default of ``key``, which may follow answers already known."""
    if key == "project_slug":
        return derive_slug(str(partial.get("project_name", BY_KEY["project_name"].default)))
    if key == "auth" and partial.get("admin") is True:
        return True
    default = BY_KEY[key].default
    assert default is not None
    return default


class _Validation:
    """What validation has found so far."""

    def __init__(self, errors: list[str]) -> None:
        self.values: dict[str, Value] = {}
        self.errors = errors
        self.notes: list[str] = []


def validate(merged: Mapping[str, Given], problems: Sequence[str] = ()) -> Answers:
    """Validate the merged raw values, fill defaults and check answers against each other.

    Raises ``AnswerErrors`` listing every problem (``problems`` from the sources first).
    """
    state = _Validation(errors=list(problems))
    for question in QUESTIONS:
        given = merged.get(question.key)
        if given is None:
            continue
        checked = validate_value(question, given.value)
        if checked.error is not None:
            state.errors.append(f"{given.where}: {question.key}: {checked.error}")
        else:
            assert checked.value is not None
            state.values[question.key] = checked.value
    _fill_defaults(state, merged)
    _check_combinations(state, merged)
    if state.errors:
        raise AnswerErrors(state.errors)
    return Answers(
        values=MappingProxyType(dict(state.values)),
        given=frozenset(merged),
        notes=tuple(state.notes),
    )


def _fill_defaults(state: _Validation, merged: Mapping[str, Given]) -> None:
    for question in QUESTIONS:
        key = question.key
        if key in merged:
            continue
        value = default_for(key, state.values)
        if key == "project_slug":
            problem = slug_problem(str(value))
            if problem:
                name = state.values.get("project_name", "")
                state.errors.append(
                    f"project_slug: cannot derive a package name from project_name {name!r} "
                    f"({problem.split(';')[0]}); give one with --set project_slug=NAME"
                )
                continue
        if key == "auth" and value is True:
            state.notes.append("auth = true because admin = true (an administrator must log in)")
        state.values[key] = value


def _check_combinations(state: _Validation, merged: Mapping[str, Given]) -> None:
    values = state.values

    def where(key: str) -> str:
        given = merged.get(key)
        return f"{given.where}: " if given else ""

    if values.get("database") == "none":
        for key in ("admin", "auth"):
            if values.get(key) is True and key in merged:
                state.errors.append(
                    f"{where(key)}{key} = true needs a database, but database = none; "
                    f"set database=sqlite (or postgresql), or {key}=false"
                )
    if values.get("admin") is True and values.get("auth") is False and "auth" in merged:
        state.errors.append(
            f"{where('auth')}admin = true needs auth, but auth = false "
            "(an administrator must log in); "
            "set auth=true, or admin=false"
        )
