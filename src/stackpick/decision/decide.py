"""The decision engine: a pure function of answers, rules and what can be built."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from ..answers.questions import Value
from ..framework import FRAMEWORKS, NAMES, Framework, as_framework, other
from .rules import Rule, RuleBook


class Decision(NamedTuple):
    """The framework chosen, what the guidance pointed to, and why."""

    framework: Framework
    guidance: Framework
    overridden: bool
    explicit: bool
    tie: bool
    scores: Mapping[Framework, int]
    fired: tuple[Rule, ...]
    #: Frameworks the answers rule out, each with the reasons (its template cannot honour them).
    ruled_out: Mapping[Framework, tuple[str, ...]] = MappingProxyType({})
    #: The points each fired rule added: its weight, less passages a stronger fired rule
    #: for the same framework had counted already (evidence counts once).
    points: Mapping[str, int] = MappingProxyType({})

    def summary(self) -> str:
        """One sentence that says what was chosen and how the guidance leaned."""
        chosen, leaned = NAMES[self.framework], NAMES[self.guidance]
        score = f"{self.scores[self.guidance]} to {self.scores[other(self.guidance)]}"
        if self.tie:
            leaning = f"the guidance is evenly balanced ({score}), and a tie goes to {leaned}"
        else:
            leaning = f"the guidance leans to {leaned} ({score})"
        if self.guidance in self.ruled_out and not self.explicit:
            reasons = "; ".join(self.ruled_out[self.guidance])
            return (
                f"{chosen}: {leaning}, but {leaned} cannot be built for these answers ({reasons})."
            )
        if self.overridden:
            return f"{chosen}, as you chose; {leaning}."
        if self.explicit:
            return f"{chosen}, as you chose; {leaning} as well."
        return f"{chosen}: {leaning}."

    def to_json(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "guidance": self.guidance,
            "overridden": self.overridden,
            "tie": self.tie,
            "summary": self.summary(),
            "scores": dict(self.scores),
            "ruled_out": {name: list(why) for name, why in self.ruled_out.items()},
            "reasons": [
                {
                    "rule": rule.id,
                    "framework": rule.favours,
                    "weight": rule.weight,
                    "points": self.points.get(rule.id, rule.weight),
                    "reason": rule.reason,
                    "sources": list(rule.sources),
                }
                for rule in self.fired
            ],
        }


def decide(
    answers: Mapping[str, Value],
    book: RuleBook,
    ruled_out: Mapping[Framework, tuple[str, ...]] | None = None,
) -> Decision:
    """Score every framework by the rules that apply and choose among those that can be built.

    An explicit ``framework`` wins; with ``auto`` the guidance wins unless the answers
    rule its framework out (``ruled_out``, from validation), when the other one is chosen.
    Rules that fired are listed strongest first (ties kept in rule-file order).  A
    framework's score is the sum of the distinct passages its fired rules cite: a passage
    two rules share counts once, for the stronger rule (``Decision.points``).
    """
    ruled_out = dict(ruled_out or {})
    fired = sorted((rule for rule in book.rules if rule.applies(answers)), key=lambda r: -r.weight)
    counted: dict[Framework, set[str]] = {name: set() for name in FRAMEWORKS}
    points: dict[str, int] = {}
    for rule in fired:
        seen = counted[rule.favours]
        points[rule.id] = sum(p.points for p in rule.passages if p.id not in seen)
        seen.update(p.id for p in rule.passages)
    scores: dict[Framework, int] = {
        name: sum(points[r.id] for r in fired if r.favours == name) for name in FRAMEWORKS
    }
    tie = scores["flask"] == scores["django"]
    guidance: Framework = book.tie.favours if tie else max(FRAMEWORKS, key=scores.__getitem__)
    explicit = as_framework(answers.get("framework", "auto"))
    if explicit is not None:
        framework = explicit
    elif guidance in ruled_out and other(guidance) not in ruled_out:
        framework = other(guidance)
    else:
        framework = guidance
    return Decision(
        framework=framework,
        guidance=guidance,
        overridden=explicit is not None and framework != guidance,
        explicit=explicit is not None,
        tie=tie,
        scores=scores,
        fired=tuple(fired),
        ruled_out=ruled_out,
        points=points,
    )
