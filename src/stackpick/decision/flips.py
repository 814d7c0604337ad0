"""What would change the decision: the smallest changes of answers that turn the guidance.

A *flip* is a change of one or two decision answers (never ``framework``, never a project
or template answer) after which the guidance settles on the other framework.  Every
candidate is checked by the same validation as the user's own answers (contradictions,
derived defaults, what each template can honour) and decided by the same engine, so a
listed flip, applied, always gives the framework it names.

The guidance *settles on* the framework it leans to, or the other one when the answers
rule the leaning one out (its template cannot honour them).  With an explicit
``framework`` the flips are about the guidance, not about the explicit choice; the choice
stays part of the answers, so no flip suggests answers that framework cannot honour.

Order, strongest first: by the margin the change leaves the new framework (its score
minus the other's, largest first), then by question and choice order.  Every
single-answer flip is listed; only when there is none, at most ``MAX_PAIRS``
two-answer flips; when neither exists, none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple

from ..answers.questions import STACKPICK_SCHEMA, Kind, Question, Schema, Type, Value
from ..answers.sources import Given
from ..answers.validate import Answers, Limits, validate
from ..errors import AnswerErrors
from ..framework import Framework, other
from .decide import Decision, decide
from .rules import RuleBook

#: The most two-answer flips listed (single-answer flips are all listed).
MAX_PAIRS = 5

_Result = tuple[Decision, Framework, Answers] | None

Change = Literal["starts", "stops"]


class Flip(NamedTuple):
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
        #: Every decision made so far, by the answer keys given and then their values
        #: (``None`` for a key not given), with the framework the guidance settled on;
        #: ``None`` for invalid answers.
        self._decided: dict[tuple[str, ...], dict[tuple[Value | None, ...], _Result]] = {}

    def _decide(self, keys: tuple[str, ...], values: tuple[Value | None, ...]) -> _Result:
        known = self._decided.setdefault(keys, {})
        if values in known:
            return known[values]
        merged = {
            key: Given(value, "answer")
            for key, value in zip(keys, values, strict=True)
            if value is not None
        }
        try:
            answers = validate(merged, (), self.schema, self.limits)
        except AnswerErrors:
            result = None
        else:
            decision = decide(answers.values, self.book, answers.ruled_out)
            result = (decision, settled(decision), answers)
        known[values] = result
        return result

    def decided(self, values: Mapping[str, Value]) -> tuple[Answers, Decision] | None:
        """``values`` (all given) validated and decided, remembered; ``None``: invalid."""
        keys = tuple(sorted(values))
        result = self._decide(keys, tuple(values[key] for key in keys))
        return None if result is None else (result[2], result[0])

    def _start(self, answers: Answers) -> _Start:
        # A team template's own value where it declares the key (answers.declared).
        current = {**answers.values, **answers.declared}
        options = [(key, value) for key, value in self.options if current.get(key) != value]
        # What the user gave (validated) stays; every other answer takes its default again.
        keys = tuple(sorted({*answers.given, *(key for key, _ in options)}))
        given = [current.get(key) if key in answers.given else None for key in keys]
        known = self._decide(keys, tuple(given))  # the same answers, validated the same way
        base = decide(answers.values, self.book, answers.ruled_out) if known is None else known[0]
        fired = frozenset(rule.id for rule in base.fired)
        return _Start(options, keys, given, {key: i for i, key in enumerate(keys)}, base, fired)

    def singles(self, answers: Answers) -> list[Flip]:
        """Every change of one answer that turns the guidance, strongest first."""
        start = self._start(answers)
        return _strongest_first(self._singles(start))

    def _singles(self, start: _Start) -> list[Flip]:
        target = other(settled(start.base))
        found: list[Flip] = []
        for key, value in start.options:
            changed = start.given.copy()
            changed[start.where[key]] = value
            result = self._decide(start.keys, tuple(changed))
            if result is not None and result[1] == target:
                found.append(_flip({key: value}, target, start, result[0], self.book))
        return found

    def find(self, answers: Answers, max_pairs: int = MAX_PAIRS) -> list[Flip]:
        """The smallest changes of ``answers`` that turn the guidance, strongest first."""
        start = self._start(answers)
        found = self._singles(start)
        if found:
            return _strongest_first(found)
        target = other(settled(start.base))
        keys, where, options = start.keys, start.where, start.options
        known = self._decided.setdefault(keys, {})
        for first, (key1, value1) in enumerate(options):
            changed = start.given.copy()
            changed[where[key1]] = value1
            for key2, value2 in options[first + 1 :]:
                if key1 == key2:
                    continue
                at = where[key2]
                changed[at] = value2
                values = tuple(changed)
                changed[at] = start.given[at]
                # every pair is looked up, most of them decided before: skip the call then
                result = known[values] if values in known else self._decide(keys, values)
                if result is not None and result[1] == target:
                    changes = {key1: value1, key2: value2}
                    found.append(_flip(changes, target, start, result[0], self.book))
        return _strongest_first(found)[:max_pairs]


class _Start(NamedTuple):
    """What one search starts from: the candidate changes, the answers kept, the decision."""

    options: list[tuple[str, Value]]
    keys: tuple[str, ...]
    given: list[Value | None]
    where: dict[str, int]
    base: Decision
    #: The ids of the rules that fired for ``base``.
    fired: frozenset[str]


def _flip(
    changes: dict[str, Value], target: Framework, start: _Start, new: Decision, book: RuleBook
) -> Flip:
    before = start.fired
    after = {rule.id for rule in new.fired}
    moved: list[tuple[str, Change]] = []
    if after != before:
        for rule in book.rules:
            if rule.id in after and rule.id not in before:
                moved.append((rule.id, "starts"))
            elif rule.id in before and rule.id not in after:
                moved.append((rule.id, "stops"))
    margin = new.scores[target] - new.scores[other(target)]
    return Flip(changes, target, tuple(moved), margin)


def _strongest_first(found: list[Flip]) -> list[Flip]:
    # sorted() is stable: equal margins keep question and choice order.
    return sorted(found, key=lambda flip: -flip.margin)


def find_flips(
    answers: Answers,
    book: RuleBook,
    limits: Mapping[Framework, Limits],
    max_pairs: int = MAX_PAIRS,
) -> list[Flip]:
    """The smallest changes of ``answers`` that turn the guidance, strongest first.

    ``limits`` are what each framework's template can honour, as validation was given
    them (``Session.limits()``), so that no flip suggests answers ``new`` would refuse.
    """
    return FlipFinder(book, limits, answers.schema).find(answers, max_pairs)
