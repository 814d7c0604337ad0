"""Validation: the one place every answer is checked, whatever its source.

Unknown keys, values, defaults, answers that contradict each other and what each
framework's template can honour are all checked in one pass, and every problem of
a run is reported together.  Pure: the templates' limits come in as data.
"""

from __future__ import annotations

import keyword
import re
import sys
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

from ..errors import AnswerErrors
from ..framework import FRAMEWORKS, Framework, as_framework, other
from .declared import check_dict, decision_maps, decision_value, first_defaults, replaced_keys
from .questions import BY_KEY, STACKPICK_SCHEMA, Question, Schema, Type, Value
from .sources import Given

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


class Limits(NamedTuple):
    """What one framework's template can honour, read from its declaration."""

    template: str
    #: Choice answers the template restricts to the values it offers.
    choices: Mapping[str, tuple[str, ...]] = MappingProxyType({})
    #: The bundled templates import ``project_slug`` as a package: it must be an identifier.
    identifier_slug: bool = True
    #: Variables that land in file or folder names.
    path_keys: frozenset[str] = frozenset({"project_slug"})
    #: Check only the answers a source gave (a team's template fills the rest itself).
    given_only: bool = False
    #: The template's own values of stackpick's decision questions, and what each means to
    #: the decision (its ``__stackpick`` ``decision`` table, see ``declared.py``).
    decision_map: Mapping[str, Mapping[str, Value]] = MappingProxyType({})
    #: A team template's own defaults for stackpick's questions it declares as stackpick
    #: does: what the decision reads when no source gave the answer.
    defaults: Mapping[str, Value] = MappingProxyType({})


class Answers(NamedTuple):
    """Validated answers, with notes on derived defaults and the frameworks they rule out."""

    values: Mapping[str, Value]
    given: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()
    ruled_out: Mapping[Framework, tuple[str, ...]] = MappingProxyType({})
    schema: Schema = STACKPICK_SCHEMA
    #: A team template's own values of the keys it declares otherwise than stackpick
    #: (``values`` holds what the decision reads from them).
    declared: Mapping[str, Value] = MappingProxyType({})

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

    def to_json(self) -> dict[str, object]:
        """The answers in question order, each as its template declares it."""
        import json

        shown: dict[str, object] = {}
        replaced = replaced_keys(self.schema)
        for question in self.schema.questions:
            key = question.key
            if key in self.declared:
                shown[key] = self.declared[key]
            elif key in self.values and key not in replaced:
                value = self.values[key]
                dictionary = question.type is Type.DICT and isinstance(value, str)
                shown[key] = json.loads(str(value)) if dictionary else value
        return shown


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


class _Validation:
    """What validation has found so far."""

    def __init__(self, merged: Mapping[str, Given], errors: list[str]) -> None:
        self.merged = merged
        self.values: dict[str, Value] = {}
        self.declared: dict[str, Value] = {}
        self.errors = errors
        self.notes: list[str] = []

    def where(self, key: str) -> str:
        given = self.merged.get(key)
        return f"{given.where}: " if given else ""


def validate(
    merged: Mapping[str, Given],
    problems: Sequence[str] = (),
    schema: Schema = STACKPICK_SCHEMA,
    limits: Mapping[Framework, Limits] | None = None,
) -> Answers:
    """Validate the merged raw values in one pass and fill the defaults.

    Checks, in order: unknown keys, each value, defaults, answers against each other,
    and what each framework's template can honour (``limits``).  A framework whose
    template cannot honour the answers is ruled out when ``framework = auto``, and an
    error when it was chosen.  Raises ``AnswerErrors`` listing every problem.
    """
    state = _Validation(merged, errors=list(problems))
    by_key = schema.by_key
    replaced = replaced_keys(schema)
    ordered = [limits[n] for n in FRAMEWORKS if n in limits] if limits else []
    maps = decision_maps(limit.decision_map for limit in ordered)
    for key, given in merged.items():
        if key not in by_key:
            state.errors.append(unknown_key_message(key, given.where, schema.keys))
    for question in schema.questions:
        raw = merged.get(question.key)
        if raw is None:
            continue
        checked = validate_value(question, raw.value)
        if checked.error is not None:
            state.errors.append(f"{raw.where}: {question.key}: {checked.error}")
        elif question.key in replaced:
            assert checked.value is not None
            state.declared[question.key] = checked.value
            own = BY_KEY[question.key]
            state.values[question.key] = decision_value(own, checked.value, maps[question.key])
        else:
            assert checked.value is not None
            state.values[question.key] = checked.value
    _fill_defaults(
        state, schema, replaced, maps, first_defaults(limit.defaults for limit in ordered)
    )
    _check_requirements(state, schema, replaced)
    _check_paths(state, limits or {})
    ruled_out = _check_limits(state, limits or {})
    if state.errors:
        raise AnswerErrors(list(dict.fromkeys(state.errors)))
    return Answers(
        values=MappingProxyType(dict(state.values)),
        given=frozenset(merged),
        notes=tuple(state.notes),
        ruled_out=MappingProxyType(ruled_out),
        schema=schema,
        declared=MappingProxyType(dict(state.declared)),
    )


def _fill_defaults(
    state: _Validation,
    schema: Schema,
    replaced: frozenset[str] = frozenset(),
    maps: Mapping[str, Mapping[str, Value]] = MappingProxyType({}),
    template_defaults: Mapping[str, Value] = MappingProxyType({}),
) -> None:
    for question in schema.questions:
        key = question.key
        if key in state.merged:
            continue
        if key in template_defaults and key not in replaced:
            checked = validate_value(question, template_defaults[key])
            if checked.value is not None:
                state.values[key] = checked.value
                continue
        if key in replaced and question.default is not None:
            # The template's own default, as the decision reads it.
            state.declared[key] = question.default
            state.values[key] = decision_value(BY_KEY[key], question.default, maps[key])
            continue
        value = default_for(key, state.values)
        if value is None:
            continue  # a template variable: the template's own default applies
        if key == "auth" and value is True:
            state.notes.append("auth = true because admin = true (an administrator must log in)")
        state.values[key] = value


def _check_requirements(
    state: _Validation, schema: Schema, replaced: frozenset[str] = frozenset()
) -> None:
    """Answers that need others (``Question.requires``): a given answer is never changed.

    A team template that declares either answer its own way decides what it needs itself.
    """
    values = state.values
    for question in schema.questions:
        if values.get(question.key) is not True or question.key not in state.merged:
            continue
        if question.key in replaced:
            continue
        for other_key, allowed in question.requires:
            if other_key in replaced:
                continue
            if other_key in values and values[other_key] not in allowed:
                fix = allowed[0] if not isinstance(allowed[0], bool) else "true"
                shown = _show(values[other_key])
                state.errors.append(
                    f"{state.where(question.key)}{question.key} = true needs {other_key} "
                    f"{'= true' if allowed == (True,) else 'in ' + ', '.join(map(str, allowed))}"
                    f", but {other_key} = {shown}; set {other_key}={fix}, or {question.key}=false"
                )


def _show(value: Value) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else value


def _check_paths(state: _Validation, limits: Mapping[Framework, Limits]) -> None:
    """Values that land in file or folder names must stay one name (every template)."""
    keys = {"project_slug"}.union(*(limit.path_keys for limit in limits.values()))
    for key in sorted(keys - {"project_slug"}):
        value = state.values.get(key)
        if isinstance(value, str):
            problem = path_problem(value)
            if problem:
                state.errors.append(f"{state.where(key)}{key}: {problem}")


class LimitProblem(NamedTuple):
    """Why a template cannot honour one answer: the answer, the reason, and the fix."""

    key: str
    reason: str
    fix: str


def limit_problems(
    values: Mapping[str, Value], limit: Limits, given: Collection[str]
) -> list[LimitProblem]:
    """Why ``limit``'s template cannot be generated with ``values`` (empty: it can)."""
    problems = []
    for key, offered in limit.choices.items():
        if limit.given_only and key not in given:
            continue
        value = values.get(key)
        if isinstance(value, str) and value not in offered:
            reason = (
                f"{key} = {value} is not possible with the {limit.template} "
                f"(it offers: {', '.join(offered)})"
            )
            problems.append(LimitProblem(key, reason, f"set {key}={offered[0]}"))
    slug = values.get("project_slug")
    problem = slug_problem(slug) if limit.identifier_slug and isinstance(slug, str) else None
    if problem:
        reason, _, fix = problem.partition("; ")
        problems.append(LimitProblem("project_slug", f"project_slug: {reason}", fix))
    return problems


def _check_limits(
    state: _Validation, limits: Mapping[Framework, Limits]
) -> dict[Framework, tuple[str, ...]]:
    """Rule out the frameworks whose templates cannot honour the answers."""
    found = {
        name: limit_problems(state.values, limit, state.merged) for name, limit in limits.items()
    }
    ruled_out = {name: tuple(p.reason for p in found[name]) for name in found if found[name]}
    chosen = as_framework(state.values.get("framework"))
    if chosen is not None:
        state.errors += [_limit_error(state, p, other(chosen)) for p in found.get(chosen, [])]
    elif ruled_out and all(name in ruled_out for name in FRAMEWORKS):
        state.errors += [_limit_error(state, p, None) for name in FRAMEWORKS for p in found[name]]
    return ruled_out


def _limit_error(state: _Validation, problem: LimitProblem, alternative: Framework | None) -> str:
    """One line: where the answer came from, why it cannot be honoured, how to fix it."""
    if problem.key == "project_slug" and "project_slug" not in state.merged:
        name = state.values.get("project_name", "")
        return (
            f"project_slug: cannot derive a package name from project_name {name!r} "
            f"({problem.reason.removeprefix('project_slug: ')}); "
            "give one with --set project_slug=NAME"
        )
    other_way = (
        f", or framework={alternative}" if alternative and problem.key != "project_slug" else ""
    )
    return f"{state.where(problem.key)}{problem.reason}; {problem.fix}{other_way}"
