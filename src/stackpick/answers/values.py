"""One answer's value, checked and normalised whatever its source.

The per-value checks every source shares (a terminal's answer, a flag, a file, the environment):
yes/no words, choices, text that must stay data, names that become a package or a folder, and
the defaults that follow answers already known.  Pure.  ``validate.py`` joins them into one pass.
"""

from __future__ import annotations

import keyword
import re
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from .declared import check_dict
from .questions import BY_KEY, Question, Type, Value

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


def did_you_mean(key: str, keys: Sequence[str]) -> str:
    """A hint naming the closest known key, if any."""
    import difflib

    if len(key) > 64:  # no question is named that long, and difflib's time grows with it
        return ""
    match = difflib.get_close_matches(key.lower(), keys, n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def unknown_key_message(key: str, where: str, keys: Sequence[str]) -> str:
    """Say that ``key`` is unknown, the closest known one, and how to list them."""
    hint = did_you_mean(key, keys)
    key = key if len(key) <= 40 else key[:39] + "…"  # a message never echoes a file's text
    if where.startswith("environment variable "):
        return (
            f"{where}: unknown key '{key}'{hint}; "
            "unset it or use STACKPICK_<KEY> with a key from 'stackpick questions'"
        )
    return f"{where}: unknown key '{key}'{hint}; run 'stackpick questions' for the valid keys"


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
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:59] + "…"  # bounded, whatever was given
    return shown if isinstance(value, str) else f"{shown} ({type(value).__name__})"


class Checked(NamedTuple):
    """The result of checking one value: either ``value`` or ``error``."""

    value: Value | None = None
    error: str | None = None


def _check_choice(question: Question, value: object) -> Checked:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value)
        if text in question.choices:
            return Checked(value=text)
    if question.kind.value == "template" and isinstance(value, bool):
        text = str(value)
        if text in question.choices:
            return Checked(value=text)
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
        return path_problem(value)
    own = question == BY_KEY.get(question.key)  # not a team template's own declaration
    if question.key == "author_email" and own and value and not EMAIL_PATTERN.match(value):
        return f"{value!r} is not an email address; use a form like you@example.com"
    return None


def _check_text(question: Question, value: object) -> Checked:
    if (
        question.kind.value == "template"
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ):
        value = str(value)
    if not isinstance(value, str):
        return Checked(error=f"{_describe(value)} is not text; quote it")
    problem = _text_problem(question, value)
    return Checked(error=problem) if problem else Checked(value=value)


def slug_problem(value: str) -> str | None:
    """What stops ``value`` from being a project package name, or ``None``."""
    if keyword.iskeyword(value):
        return (
            f"{value!r} is a Python keyword, so it cannot name a package; choose another name, "
            f"for example {value}_app"
        )
    if not SLUG_PATTERN.match(value):
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


def path_problem(value: str) -> str | None:
    """What stops ``value`` from being one file or folder name, or ``None``."""
    if not value.strip():
        return "is empty; give a name for the project folder"
    if "/" in value or "\\" in value or value in (".", "..") or value.startswith("~"):
        return f"{value!r} cannot be a folder name; leave out '/', '\\', '~' and '..'"
    found = next((start for start in ("{{", "{%", "{#") if start in value), None)
    if found:
        return (
            f"{value!r} cannot be a folder name: cookiecutter reads {found!r} in a folder's "
            "path as template code; leave out '{{', '{%' and '{#'"
        )
    return None


def validate_value(question: Question, value: object) -> Checked:
    """Check one value of ``question``, whatever its source."""
    if question.type is Type.DICT:
        text, error = check_dict(value)
        return Checked(value=text, error=error)
    if isinstance(value, Mapping | list):
        return Checked(error="expected a single value, not a table or list")
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


def default_for(key: str, partial: Mapping[str, Value]) -> Value | None:
    """The default of ``key``, which may follow answers already known (``None``: the template's)."""
    if key == "project_slug":
        return derive_slug(str(partial.get("project_name", BY_KEY["project_name"].default)))
    if key == "auth" and partial.get("admin") is True:
        return True
    question = BY_KEY.get(key)
    return question.default if question else None
