"""Every combination of the decision answers, from the question schema, validated and decided.

Built once per test process, in-process and without the app layer's sessions (the same
validation and engine ``recommend`` uses, with the bundled templates' limits), so that
tests can check properties over the whole space in seconds.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pytest

from stackpick.answers.questions import QUESTIONS, Kind, Type, Value
from stackpick.answers.validate import Answers, Limits
from stackpick.app import Inputs, open_session
from stackpick.decision.decide import Decision
from stackpick.decision.flips import Flip, FlipFinder
from stackpick.decision.rules import load_rules
from stackpick.framework import Framework

#: The ``shared`` folder beside the checkout (or beside a worktree's parent), if any.
SHARED = next(
    (
        p / "shared"
        for p in Path(__file__).resolve().parents
        if (p / "shared" / "guidance").is_dir()
    ),
    None,
)

#: The decision questions a user answers besides ``framework``.
DECISION_QUESTIONS = [q for q in QUESTIONS if q.kind is Kind.DECISION and q.key != "framework"]
DECISION_KEYS = tuple(q.key for q in DECISION_QUESTIONS)
VALUES: dict[str, tuple[Value, ...]] = {
    q.key: (False, True) if q.type is Type.BOOL else q.choices for q in DECISION_QUESTIONS
}


#: How much of the space a walk covers: all of it in the full run (``slow``), one answer set
#: in seven in the fast loop (``-m "not slow"``), always in the same order.
STRIDES = [
    pytest.param(1, marks=pytest.mark.slow, id="every"),
    pytest.param(7, id="one-in-seven"),
]


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


@cache
def finder() -> FlipFinder:
    """One flip finder for the whole test process: it remembers every decision it made,
    so the space and the flips of every answer set in it are each decided once."""
    return FlipFinder(load_rules(), bundled_limits())


def decided(values: Mapping[str, Value]) -> Decided | None:
    """``values`` validated as ``recommend`` validates them, and decided; ``None``: invalid."""
    result = finder().decided(values)
    return None if result is None else Decided(*result)


def key(values: Mapping[str, Value]) -> tuple[Value, ...]:
    return tuple(values[k] for k in DECISION_KEYS)


def walk(stride: int) -> Iterator[tuple[tuple[Value, ...], Decided]]:
    """Every ``stride``-th valid combination of the space, with its decision."""
    return itertools.islice(space().items(), 0, None, stride)


@cache
def flips_of(values_key: tuple[Value, ...]) -> list[Flip]:
    """The flips of one valid combination (``framework = auto``), found once a process."""
    return finder().find(space()[values_key].answers)


@cache
def space() -> dict[tuple[Value, ...], Decided]:
    """Every valid combination (all decision answers given, ``framework = auto``)."""
    table = {}
    for values in combinations():
        result = decided(values)
        if result is not None:
            table[key(values)] = result
    return table
