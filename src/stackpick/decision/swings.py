"""How far one answer can move the guidance: the largest swing of each decision question.

A *swing* is the change in Django's lead (its score minus Flask's) when one answer of a
complete, valid set of decision answers changes and every other answer stays; an answer
that validation would derive from the change follows it, as in the interview (``admin =
true`` brings ``auth = true``).  Computed over every valid answer set, so the figures, the
README and the questions' help can say truthfully which answer weighs most.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import NamedTuple

from ..answers.questions import Kind, Question, Type, Value
from .decide import Decision

#: Answers validation derives from a change (``validate.default_for``): admin needs accounts.
FOLLOWS: dict[tuple[str, Value], dict[str, Value]] = {("admin", True): {"auth": True}}


class Swing(NamedTuple):
    """The largest move of Django's lead one question's answer makes, and where."""

    key: str
    points: int
    before: Mapping[str, Value]
    changes: Mapping[str, Value]


def decision_values(questions: Sequence[Question]) -> dict[str, tuple[Value, ...]]:
    """Each decision question (``framework`` aside) with every value it takes."""
    return {
        q.key: (False, True) if q.type is Type.BOOL else q.choices
        for q in questions
        if q.kind is Kind.DECISION and q.key != "framework"
    }


def answer_sets(values: Mapping[str, tuple[Value, ...]]) -> Iterator[dict[str, Value]]:
    """Every combination of ``values``, valid or not."""
    for combination in itertools.product(*values.values()):
        yield dict(zip(values, combination, strict=True))


def lead(decision: Decision) -> int:
    return decision.scores["django"] - decision.scores["flask"]


def largest_swings(
    values: Mapping[str, tuple[Value, ...]],
    decided: Callable[[Mapping[str, Value]], Decision | None],
) -> dict[str, Swing]:
    """The largest swing of each key of ``values`` over every valid answer set.

    ``decided`` validates and decides a complete answer set (``None``: invalid).
    """
    keys = tuple(values)
    table: dict[tuple[Value, ...], int] = {}
    for answers in answer_sets(values):
        decision = decided(answers)
        if decision is not None:
            table[tuple(answers[k] for k in keys)] = lead(decision)
    best: dict[str, Swing] = {}
    for combination, before in table.items():
        answers = dict(zip(keys, combination, strict=True))
        for key in keys:
            for value in values[key]:
                if value == answers[key]:
                    continue
                changes = {key: value, **FOLLOWS.get((key, value), {})}
                after = table.get(tuple({**answers, **changes}[k] for k in keys))
                if after is None:
                    continue
                swing = abs(after - before)
                if key not in best or swing > best[key].points:
                    best[key] = Swing(key, swing, answers, changes)
    return best
