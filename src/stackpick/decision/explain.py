"""How close the decision was: a score line per framework and the margin in words.

The margin is the guidance's lead in points (the leaning framework's score minus the
other's).  Its word says what the numbers mean for the answers given: *clear* when no
single changed answer turns the guidance (the flips, ``flips.FlipFinder``, find none),
*close* when one does, and then the margin names the answers it turns on.  A tie is
always close.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple

from ..answers.questions import Value
from ..framework import NAMES, Framework, other
from .decide import Decision
from .flips import Flip
from .rules import Rule

#: The widest bar, in terminal cells.
BAR_WIDTH = 30

_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


class Margin(NamedTuple):
    """The guidance's lead: who leads, by how many points, "clear" or "close", and the
    answers a single change of which turns it (none when clear)."""

    leader: Framework
    points: int
    word: Literal["clear", "close"]
    depends_on: tuple[str, ...] = ()

    def describe(self) -> str:
        """``clear (Django leads by 7 points; no single answer turns it)``, or ``close (a tie,
        which goes to Flask; one changed answer turns it: auth or scale)``."""
        if self.points == 0:
            lead = f"a tie, which goes to {NAMES[self.leader]}"
        else:
            unit = "point" if self.points == 1 else "points"
            lead = f"{NAMES[self.leader]} leads by {self.points} {unit}"
        if self.depends_on:
            keys = self.depends_on
            listed = keys[0] if len(keys) == 1 else f"{', '.join(keys[:-1])} or {keys[-1]}"
            return f"{self.word} ({lead}; one changed answer turns it: {listed})"
        if self.word == "clear":
            return f"{self.word} ({lead}; no single changed answer turns it)"
        return f"{self.word} ({lead})"

    def to_json(self) -> dict[str, Any]:
        return {
            "leader": self.leader,
            "points": self.points,
            "word": self.word,
            "depends_on": list(self.depends_on),
        }


def margin(decision: Decision, flips: Sequence[Flip]) -> Margin:
    """How far the guidance leads, in points and in words; ``flips`` are what would turn it
    (``flips.find_flips`` for the same answers)."""
    lead = decision.guidance
    points = decision.scores[lead] - decision.scores[other(lead)]
    keys = tuple(
        dict.fromkeys(key for flip in flips if len(flip.changes) == 1 for key in flip.changes)
    )
    close = decision.tie or bool(keys)
    return Margin(lead, points, "close" if close else "clear", keys)


def counted(decision: Decision, rule: Rule) -> str:
    """``+8``, or ``+2 of 8`` when a stronger fired rule had counted some of its passages."""
    points = decision.points.get(rule.id, rule.weight)
    return f"+{points}" if points == rule.weight else f"+{points} of {rule.weight}"


def use_style(is_terminal: bool, environ: Mapping[str, str]) -> bool:
    """Bars and colour only on a terminal, and never with ``NO_COLOR`` set (no-color.org)."""
    return is_terminal and not environ.get("NO_COLOR")


def score_lines(decision: Decision, styled: bool = False, width: int = BAR_WIDTH) -> list[str]:
    """One line per framework, the guidance's first: a bar when ``styled``, else plain text."""
    lead = decision.guidance
    order = (lead, other(lead))
    top = max(decision.scores.values())
    unit = 2.0 if top * 2 <= width else width / top
    label = max(len(NAMES[name]) for name in order)
    lines = []
    for name in order:
        score = decision.scores[name]
        points = f"{score} {'point' if score == 1 else 'points'}"
        if not styled:
            lines.append(f"{NAMES[name]:<{label}}  {points}")
            continue
        bar = "\u2588" * round(score * unit)
        style = _BOLD if name == lead else _DIM
        lines.append(f"{style}{NAMES[name]:<{label}}  {bar}{_RESET} {points}")
    return lines


def margin_line(decision: Decision, flips: Sequence[Flip]) -> str:
    """``Margin: clear (Django leads by 7 points; no single changed answer turns it)``."""
    return f"Margin: {margin(decision, flips).describe()}"


def flips_heading(decision: Decision) -> str:
    """What the flips turn: the decision, or with an explicit framework only the guidance."""
    if decision.explicit:
        return "What would turn the guidance (your choice of framework stays):"
    return "What would change it:"


def flip_lines(flips: Sequence[Flip]) -> list[str]:
    """One line per flip, as ``--set`` options to try, with the rules that start or stop."""
    if not flips:
        return ["  nothing short of changing three or more answers"]
    lines = []
    for flip in flips:
        options = " ".join(f"--set {key}={_show(value)}" for key, value in flip.changes.items())
        moved = "; ".join(
            f"{change} {', '.join(rule for rule, c in flip.rules if c == change)}"
            for change in ("starts", "stops")
            if any(c == change for _, c in flip.rules)
        )
        lines.append(f"  {options}: {NAMES[flip.framework]}" + (f" ({moved})" if moved else ""))
    return lines


def _show(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
