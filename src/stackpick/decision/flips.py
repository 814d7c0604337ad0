"""What would change the decision: the smallest changes of answers that turn the guidance.

A *flip* is a change of one or two decision answers (never ``framework``, never a project
or template answer) after which the guidance settles on the other framework.  Every
candidate is checked by the same validation as the user's own answers (contradictions,
derived defaults, what each template can honour) and decided by the same engine, so a
listed flip, applied, always gives the framework it names.

The guidance *settles on* the framework it leans to, or the other one when the answers
rule the leaning one out (its template cannot honour them).  With an explicit
``framework`` the flips are about the guidance, not about the explicit choice.

Order, strongest first: by the margin the change leaves the new framework (its score
minus the other's, largest first), then by question and choice order.  Every
single-answer flip is listed; only when there is none, at most ``MAX_PAIRS``
two-answer flips; when neither exists, none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal

from ..answers.questions import STACKPICK_SCHEMA, Kind, Question, Schema, Type, Value
from ..answers.sources import Given
from ..answers.validate import Answers, Limits, validate
from ..errors import AnswerErrors
from ..framework import Framework, other
from .decide import Decision, decide
from .rules import RuleBook

#: The most two-answer flips listed (single-answer flips are all listed).
MAX_PAIRS = 5

Change = Literal["starts", "stops"]


@dataclass(frozen=True)
class Flip:
    """Changed answers, the framework the guidance would then settle on, and the rules moved."""

    changes: Mapping[str, Value]
    framework: Framework
    rules: tuple[tuple[str, Change], ...]
    #: The new framework's lead in points after the change (what "strongest" sorts by).
    margin: int

    def to_json(self) -> dict[str, Any]:
        return {
            "changes": dict(self.changes),
            "framework": self.framework,
            "rules": [{"rule": rule, "change": change} for rule, change in self.rules],
        }


def settled(decision: Decision) -> Framework:
    """The framework the guidance settles on among those the answers let be built."""
    lean = decision.guidance
    if lean in decision.ruled_out and other(lean) not in decision.ruled_out:
        return other(lean)
    return lean


def candidates(questions: Sequence[Question]) -> list[tuple[str, Value]]:
    """Every (key, value) a flip may set: decision questions other than ``framework``."""
    found: list[tuple[str, Value]] = []
    for question in questions:
        if question.kind is not Kind.DECISION or question.key == "framework":
            continue
        values: tuple[Value, ...] = (
            (False, True) if question.type is Type.BOOL else question.choices
        )
        found += [(question.key, value) for value in values]
    return found


class FlipFinder:
    """Finds flips for many answers against one rule book, schema and set of templates.

    Remembers every decision it has made (a pure function of the answers), so that
    checking many neighbouring answers, as an interview or a test does, decides each once.
    """

    def __init__(
        self,
        book: RuleBook,
        limits: Mapping[Framework, Limits] | None = None,
        schema: Schema = STACKPICK_SCHEMA,
    ) -> None:
        self.book = book
        self.limits = limits
        self.schema = schema
        self.options = candidates(schema.questions)
        self._decided: dict[frozenset[tuple[str, Value]], Decision | None] = {}

    def decide(self, given: Mapping[str, Value]) -> Decision | None:
        """The decision for the answers ``given`` (defaults for the rest); ``None``: invalid."""
        key = frozenset(given.items())
        try:
            return self._decided[key]
        except KeyError:
            pass
        merged = {name: Given(value, "answer") for name, value in given.items()}
        try:
            answers = validate(merged, (), self.schema, self.limits)
        except AnswerErrors:
            decision = None
        else:
            decision = decide(answers.values, self.book, answers.ruled_out)
        self._decided[key] = decision
        return decision

    def find(self, answers: Answers, max_pairs: int = MAX_PAIRS) -> list[Flip]:
        """The smallest changes of ``answers`` that turn the guidance, strongest first."""
        given = {key: answers.values[key] for key in answers.given if key in answers.values}
        base = decide(answers.values, self.book, answers.ruled_out)
        target = other(settled(base))
        options = [(key, value) for key, value in self.options if answers.values.get(key) != value]

        def flip(changes: dict[str, Value]) -> Flip | None:
            decision = self.decide({**given, **changes})
            if decision is None or settled(decision) != target:
                return None
            return _flip(changes, target, base, decision, self.book)

        singles = [found for key, value in options if (found := flip({key: value}))]
        if singles:
            return _strongest_first(singles)
        pairs = [
            found
            for (key1, value1), (key2, value2) in combinations(options, 2)
            if key1 != key2 and (found := flip({key1: value1, key2: value2}))
        ]
        return _strongest_first(pairs)[:max_pairs]


def _flip(
    changes: dict[str, Value], target: Framework, base: Decision, new: Decision, book: RuleBook
) -> Flip:
    before = {rule.id for rule in base.fired}
    after = {rule.id for rule in new.fired}
    moved: list[tuple[str, Change]] = []
    for rule in book.rules:
        if rule.id in after - before:
            moved.append((rule.id, "starts"))
        elif rule.id in before - after:
            moved.append((rule.id, "stops"))
    margin = new.scores[target] - new.scores[other(target)]
    return Flip(changes, target, tuple(moved), margin)


def _strongest_first(found: list[Flip]) -> list[Flip]:
    # sorted() is stable: equal margins keep question and choice order.
    return sorted(found, key=lambda flip: -flip.margin)


def find_flips(
    answers: Answers,
    book: RuleBook,
    limits: Mapping[Framework, Limits] | None = None,
    max_pairs: int = MAX_PAIRS,
) -> list[Flip]:
    """The smallest changes of ``answers`` that turn the guidance, strongest first.

    ``limits`` are the templates' (as for validation); without them every framework is
    taken to honour every answer.
    """
    return FlipFinder(book, limits, answers.schema).find(answers, max_pairs)
