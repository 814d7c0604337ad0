"""The decision engine: a pure function of answers and rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..answers.questions import Value
from .rules import FRAMEWORKS, Rule, RuleBook

NAMES = {"flask": "Flask", "django": "Django"}


@dataclass(frozen=True)
class Decision:
    """The framework chosen, what the guidance pointed to, and why."""

    framework: str
    guidance: str
    overridden: bool
    explicit: bool
    tie: bool
    scores: Mapping[str, int]
    fired: tuple[Rule, ...]

    def summary(self) -> str:
        """One sentence that says what was chosen and how the guidance leaned."""
        chosen, leaned = NAMES[self.framework], NAMES[self.guidance]
        score = f"{self.scores[self.guidance]} to {self.scores[_other(self.guidance)]}"
        if self.tie:
            leaning = f"the guidance is evenly balanced ({score}), and a tie goes to {leaned}"
        else:
            leaning = f"the guidance leans to {leaned} ({score})"
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
            "reasons": [
                {
                    "rule": rule.id,
                    "framework": rule.favours,
                    "weight": rule.weight,
                    "reason": rule.reason,
                    "sources": list(rule.sources),
                }
                for rule in self.fired
            ],
        }


def _other(framework: str) -> str:
    return "django" if framework == "flask" else "flask"


def decide(answers: Mapping[str, Value], book: RuleBook) -> Decision:
    """Score every framework by the rules that apply; an explicit ``framework`` wins.

    Rules that fired are listed strongest first (ties kept in rule-file order).
    """
    fired = tuple(rule for rule in book.rules if rule.applies(answers))
    scores = {name: sum(r.weight for r in fired if r.favours == name) for name in FRAMEWORKS}
    tie = scores["flask"] == scores["django"]
    guidance = book.tie.favours if tie else max(FRAMEWORKS, key=scores.__getitem__)
    choice = answers.get("framework", "auto")
    explicit = choice in FRAMEWORKS
    framework = str(choice) if explicit else guidance
    return Decision(
        framework=framework,
        guidance=guidance,
        overridden=explicit and framework != guidance,
        explicit=explicit,
        tie=tie,
        scores=scores,
        fired=tuple(sorted(fired, key=lambda r: -r.weight)),
    )
