"""Validation: the one place every answer is checked, whatever its source.

Unknown keys, values, defaults, answers that contradict each other and what each
framework's template can honour are all checked in one pass, and every problem of
a run is reported together.  Pure: the templates' limits come in as data.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

from ..errors import AnswerErrors
from ..framework import FRAMEWORKS, Framework, as_framework, other
from .declared import decision_maps, decision_value, first_defaults, replaced_keys
from .questions import BY_KEY, STACKPICK_SCHEMA, Schema, Type, Value
from .sources import Given
from .values import (
    default_for,
    path_problem,
    slug_problem,
    unknown_key_message,
    validate_value,
)


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
