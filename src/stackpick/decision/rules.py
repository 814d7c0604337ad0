"""The decision rules: read from ``rules.toml`` into typed, frozen objects and checked."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from ..answers.questions import BY_KEY, Type, Value
from ..framework import FRAMEWORKS, Framework

GUIDANCE_FILES = ("000", "001", "002", "003", "004")

Condition = Mapping[str, tuple[Value, ...]]


class Rule(NamedTuple):
    """One piece of guidance: when it applies, which framework it favours and how much."""

    id: str
    favours: Framework
    weight: int
    when: Condition
    when_any: tuple[Condition, ...]
    reason: str
    sources: tuple[str, ...]

    def applies(self, answers: Mapping[str, Value]) -> bool:
        """Whether every condition holds for ``answers``."""
        if not _matches(self.when, answers):
            return False
        return not self.when_any or any(_matches(c, answers) for c in self.when_any)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "favours": self.favours,
            "weight": self.weight,
            "when": {k: list(v) for k, v in self.when.items()},
            "when_any": [{k: list(v) for k, v in c.items()} for c in self.when_any],
            "reason": self.reason,
            "sources": list(self.sources),
        }


class Conflict(NamedTuple):
    """Where the guidance files disagree and how the rules resolve it."""

    id: str
    topic: str
    sources: tuple[str, ...]
    resolution: str
    rules: tuple[str, ...]


class TieBreak(NamedTuple):
    """Which framework wins equal scores, and why."""

    favours: Framework
    reason: str
    sources: tuple[str, ...]


class RuleBook(NamedTuple):
    """Every rule, the tie-break, and the documented conflicts."""

    rules: tuple[Rule, ...]
    tie: TieBreak
    conflicts: tuple[Conflict, ...]
    unmapped: tuple[Mapping[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "rules": [rule.to_json() for rule in self.rules],
            "tie": {
                "favours": self.tie.favours,
                "reason": self.tie.reason,
                "sources": list(self.tie.sources),
            },
            "conflicts": [
                {
                    "id": c.id,
                    "topic": c.topic,
                    "sources": list(c.sources),
                    "resolution": c.resolution,
                    "rules": list(c.rules),
                }
                for c in self.conflicts
            ],
            "unmapped": [dict(u) for u in self.unmapped],
        }


class RuleFileError(ValueError):
    """``rules.toml`` is inconsistent with the question schema (a bug in stackpick)."""


def _matches(condition: Condition, answers: Mapping[str, Value]) -> bool:
    return all(answers.get(key) in allowed for key, allowed in condition.items())


def _condition(raw: Mapping[str, Any], rule_id: str) -> Condition:
    condition: dict[str, tuple[Value, ...]] = {}
    for key, allowed in raw.items():
        question = BY_KEY.get(key)
        if question is None:
            raise RuleFileError(f"rule {rule_id}: unknown key {key!r}")
        values = tuple(allowed) if isinstance(allowed, list) else (allowed,)
        for value in values:
            valid = (
                isinstance(value, bool) if question.type is Type.BOOL else value in question.choices
            )
            if not valid:
                raise RuleFileError(f"rule {rule_id}: {key} has no value {value!r}")
        condition[key] = values
    return condition


def _sources(raw: Sequence[str], owner: str) -> tuple[str, ...]:
    unknown = [s for s in raw if s not in GUIDANCE_FILES]
    if unknown or not raw:
        raise RuleFileError(f"{owner}: sources must be among {GUIDANCE_FILES}, got {list(raw)}")
    return tuple(raw)


def parse_rules(data: Mapping[str, Any]) -> RuleBook:
    """Build and check a ``RuleBook`` from the parsed TOML document."""
    rules = []
    for raw in data.get("rule", []):
        rule_id = raw["id"]
        if raw["favours"] not in FRAMEWORKS or int(raw["weight"]) <= 0:
            raise RuleFileError(f"rule {rule_id}: favours must be flask or django, weight positive")
        rules.append(
            Rule(
                id=rule_id,
                favours=raw["favours"],
                weight=int(raw["weight"]),
                when=_condition(raw.get("when", {}), rule_id),
                when_any=tuple(_condition(c, rule_id) for c in raw.get("when_any", [])),
                reason=raw["reason"],
                sources=_sources(raw["sources"], f"rule {rule_id}"),
            )
        )
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise RuleFileError("rule ids must be unique")
    conflicts = tuple(
        Conflict(
            c["id"], c["topic"], _sources(c["sources"], c["id"]), c["resolution"], tuple(c["rules"])
        )
        for c in data.get("conflict", [])
    )
    for conflict in conflicts:
        missing = set(conflict.rules) - set(ids)
        if missing:
            raise RuleFileError(f"conflict {conflict.id}: unknown rules {sorted(missing)}")
    tie = data["tie"]
    if tie["favours"] not in FRAMEWORKS:
        raise RuleFileError("tie: favours must be flask or django")
    return RuleBook(
        rules=tuple(rules),
        tie=TieBreak(tie["favours"], tie["reason"], _sources(tie["sources"], "tie")),
        conflicts=conflicts,
        unmapped=tuple(data.get("unmapped", [])),
    )


@lru_cache(maxsize=1)
def load_rules() -> RuleBook:
    """The rule book shipped inside the package."""
    from ..cache import derived_from_file

    path = os.path.join(os.path.dirname(__file__), "rules.toml")
    return parse_rules(derived_from_file(path, _read_toml))


def _read_toml(path: str) -> dict[str, Any]:
    from .._toml import loads

    with open(path, encoding="utf-8") as file:
        return loads(file.read())
