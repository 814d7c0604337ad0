"""Every combination of the decision answers, from the question schema, validated and decided.

Built once per test process, in-process and without the app layer's sessions (the same
validation and engine ``recommend`` uses, with the bundled templates' limits), so that
tests can check properties over the whole space in seconds.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from functools import cache
from typing import NamedTuple

from stackpick.answers.questions import QUESTIONS, STACKPICK_SCHEMA, Kind, Type, Value
from stackpick.answers.sources import Given
from stackpick.answers.validate import Answers, Limits, validate
from stackpick.app import Inputs, open_session
from stackpick.decision.decide import Decision, decide
from stackpick.decision.rules import load_rules
from stackpick.errors import AnswerErrors
from stackpick.framework import Framework

#: The decision questions a user answers besides ``framework``.
DECISION_QUESTIONS = [q for q in QUESTIONS if q.kind is Kind.DECISION and q.key != "framework"]
DECISION_KEYS = tuple(q.key for q in DECISION_QUESTIONS)
VALUES: dict[str, tuple[Value, ...]] = {
    q.key: (False, True) if q.type is Type.BOOL else q.choices for q in DECISION_QUESTIONS
}


class Decided(NamedTuple):
    answers: Answers
    decision: Decision


def combinations() -> Iterator[dict[str, Value]]:
    """Every combination of the decision answers, valid or not."""
    for values in itertools.product(*VALUES.values()):
        yield dict(zip(DECISION_KEYS, values, strict=True))


@cache
def bundled_limits() -> Mapping[Framework, Limits]:
    with open_session(Inputs()) as session:
        return session.limits()


def decided(values: Mapping[str, Value]) -> Decided | None:
    """``values`` validated as ``recommend`` validates them, and decided; ``None``: invalid."""
    merged = {key: Given(value, "test") for key, value in values.items()}
    try:
        answers = validate(merged, (), STACKPICK_SCHEMA, bundled_limits())
    except AnswerErrors:
        return None
    return Decided(answers, decide(answers.values, load_rules(), answers.ruled_out))


def key(values: Mapping[str, Value]) -> tuple[Value, ...]:
    return tuple(values[k] for k in DECISION_KEYS)


@cache
def space() -> dict[tuple[Value, ...], Decided]:
    """Every valid combination (all decision answers given, ``framework = auto``)."""
    table = {}
    for values in combinations():
        result = decided(values)
        if result is not None:
            table[key(values)] = result
    return table
