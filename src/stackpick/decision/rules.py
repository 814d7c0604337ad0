"""The decision rules: read from ``rules.toml`` into typed, frozen objects and checked.

Evidence is counted by one scheme.  A rule rests on *passages* of the five articles (at
most one per article); a passage is worth ``SUPPORTING_POINTS`` when it states a feature,
strength or weakness the rule's leaning follows from, and ``OUTRIGHT_POINTS`` when it
recommends a framework for that situation outright.  A rule's weight is the sum of its
passages, so it grows with the number of articles that agree and with how directly they
say it.  For one set of answers a passage counts once per framework, however many of the
rules that fire cite it (``decide``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple

from ..answers.questions import BY_KEY, Type, Value
from ..framework import FRAMEWORKS, Framework

GUIDANCE_FILES = ("000", "001", "002", "003", "004")
#: What a passage is worth: it supports a leaning, or it recommends a framework outright.
SUPPORTING_POINTS = 2
OUTRIGHT_POINTS = 3
#: The scheme in one sentence (``stackpick rules`` prints it).
SCHEME = (
    f"Each passage a rule rests on is worth {SUPPORTING_POINTS} points, {OUTRIGHT_POINTS} when "
    "the article recommends the framework for that situation outright; a rule weighs the sum "
    "of its passages (at most one per article), and for one set of answers a passage counts "
    "once per framework, however many rules cite it."
)

Condition = Mapping[str, tuple[Value, ...]]


class Article(NamedTuple):
    """One of the guidance articles, by file number."""

    id: str
    title: str


class Passage(NamedTuple):
    """A place in an article: where (in our words), what it says (paraphrased), how directly."""

    id: str
    article: str
    where: str
    says: str
    outright: bool

    @property
    def points(self) -> int:
        return OUTRIGHT_POINTS if self.outright else SUPPORTING_POINTS

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article": self.article,
            "where": self.where,
            "says": self.says,
            "outright": self.outright,
            "points": self.points,
        }


class Rule(NamedTuple):
    """One piece of guidance: when it applies, which framework it favours and how much."""

    id: str
    favours: Framework
    #: The sum of its passages' points (what it adds when no other fired rule shares them).
    weight: int
    when: Condition
    when_any: tuple[Condition, ...]
    reason: str
    #: The articles its passages come from, in order.
    sources: tuple[str, ...]
    passages: tuple[Passage, ...] = ()

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
            "passages": [p.id for p in self.passages],
        }


class Conflict(NamedTuple):
    """Where the articles disagree, which way each leans, and how the engine resolves it."""

    id: str
    topic: str
    #: The articles on either side.
    sources: tuple[str, ...]
    resolution: str
    rules: tuple[str, ...]
    #: The passages leaning each way.
    flask: tuple[str, ...] = ()
    django: tuple[str, ...] = ()
    #: Passages the engine deliberately does not weigh (no rule may cite them).
    unweighed: tuple[str, ...] = ()
    #: Answer sets (the rest defaults) and the framework the note says they get.
    honoured: tuple[tuple[Mapping[str, Value], Framework], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topic": self.topic,
            "sources": list(self.sources),
            "flask": list(self.flask),
            "django": list(self.django),
            "resolution": self.resolution,
            "rules": list(self.rules),
            "unweighed": list(self.unweighed),
            "honoured": [{"answers": dict(a), "expect": e} for a, e in self.honoured],
        }


class TieBreak(NamedTuple):
    """Which framework wins equal scores, and why (the conflict note ``tie-break``)."""

    favours: Framework
    reason: str
    sources: tuple[str, ...]
    passages: tuple[str, ...] = ()


class RuleBook(NamedTuple):
    """The articles and passages, every rule, the tie-break, and the documented conflicts."""

    rules: tuple[Rule, ...]
    tie: TieBreak
    conflicts: tuple[Conflict, ...]
    unmapped: tuple[Mapping[str, Any], ...]
    articles: tuple[Article, ...] = ()
    passages: Mapping[str, Passage] = MappingProxyType({})

    def title(self, article: str) -> str:
        """The title of article ``article`` (a file number)."""
        return next(a.title for a in self.articles if a.id == article)

    def citing(self, article: str) -> tuple[Rule, ...]:
        """The rules that rest on a passage of ``article``."""
        return tuple(r for r in self.rules if article in r.sources)

    def to_json(self) -> dict[str, Any]:
        return {
            "scheme": {
                "supporting": SUPPORTING_POINTS,
                "outright": OUTRIGHT_POINTS,
                "text": SCHEME,
            },
            "articles": [
                {"id": a.id, "title": a.title, "rules": [r.id for r in self.citing(a.id)]}
                for a in self.articles
            ],
            "passages": [p.to_json() for p in self.passages.values()],
            "rules": [rule.to_json() for rule in self.rules],
            "tie": {
                "favours": self.tie.favours,
                "reason": self.tie.reason,
                "sources": list(self.tie.sources),
                "passages": list(self.tie.passages),
            },
            "conflicts": [c.to_json() for c in self.conflicts],
            "unmapped": [dict(u) for u in self.unmapped],
        }


class RuleFileError(ValueError):
    """``rules.toml`` is inconsistent with the question schema (a bug in stackpick)."""


def _matches(condition: Condition, answers: Mapping[str, Value]) -> bool:
    return all(answers.get(key) in allowed for key, allowed in condition.items())


def _check_value(key: str, value: object, owner: str) -> Value:
    question = BY_KEY.get(key)
    if question is None:
        raise RuleFileError(f"{owner}: unknown key {key!r}")
    valid = isinstance(value, bool) if question.type is Type.BOOL else value in question.choices
    if not valid:
        raise RuleFileError(f"{owner}: {key} has no value {value!r}")
    assert isinstance(value, (str, bool))
    return value


def _condition(raw: Mapping[str, Any], rule_id: str) -> Condition:
    condition: dict[str, tuple[Value, ...]] = {}
    for key, allowed in raw.items():
        values = tuple(allowed) if isinstance(allowed, list) else (allowed,)
        condition[key] = tuple(_check_value(key, v, f"rule {rule_id}") for v in values)
    return condition


def _sources(raw: Sequence[str], owner: str) -> tuple[str, ...]:
    unknown = [s for s in raw if s not in GUIDANCE_FILES]
    if unknown or not raw:
        raise RuleFileError(f"{owner}: sources must be among {GUIDANCE_FILES}, got {list(raw)}")
    return tuple(raw)


def _passages(data: Mapping[str, Any]) -> dict[str, Passage]:
    passages: dict[str, Passage] = {}
    for raw in data.get("passage", []):
        passage = Passage(
            raw["id"], raw["article"], raw["where"], raw["says"], bool(raw.get("outright"))
        )
        _sources([passage.article], f"passage {passage.id}")
        if passage.id in passages:
            raise RuleFileError(f"passage {passage.id}: ids must be unique")
        passages[passage.id] = passage
    return passages


def _cited(ids: Sequence[str], passages: Mapping[str, Passage], owner: str) -> tuple[Passage, ...]:
    missing = [p for p in ids if p not in passages]
    if missing:
        raise RuleFileError(f"{owner}: unknown passages {missing}")
    return tuple(passages[p] for p in ids)


def _articles_of(cited: Sequence[Passage]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.article for p in cited))


def _rule(raw: Mapping[str, Any], passages: Mapping[str, Passage]) -> Rule:
    rule_id = raw["id"]
    if raw["favours"] not in FRAMEWORKS:
        raise RuleFileError(f"rule {rule_id}: favours must be flask or django")
    cited = _cited(raw.get("passages", []), passages, f"rule {rule_id}")
    articles = _articles_of(cited)
    if not cited or len(articles) != len(cited):
        raise RuleFileError(f"rule {rule_id}: cite one or more passages, at most one per article")
    return Rule(
        id=rule_id,
        favours=raw["favours"],
        weight=sum(p.points for p in cited),
        when=_condition(raw.get("when", {}), rule_id),
        when_any=tuple(_condition(c, rule_id) for c in raw.get("when_any", [])),
        reason=raw["reason"],
        sources=_sources(articles, f"rule {rule_id}"),
        passages=cited,
    )


def _conflict(raw: Mapping[str, Any], passages: Mapping[str, Passage], ids: set[str]) -> Conflict:
    owner = f"conflict {raw['id']}"
    flask = _cited(raw.get("flask", []), passages, owner)
    django = _cited(raw.get("django", []), passages, owner)
    missing = set(raw.get("rules", [])) - ids
    if missing:
        raise RuleFileError(f"{owner}: unknown rules {sorted(missing)}")
    honoured = []
    for case in raw.get("honoured", []):
        answers = {k: _check_value(k, v, owner) for k, v in case["answers"].items()}
        if case["expect"] not in FRAMEWORKS:
            raise RuleFileError(f"{owner}: expect must be flask or django")
        honoured.append((answers, case["expect"]))
    return Conflict(
        id=raw["id"],
        topic=raw["topic"],
        sources=tuple(sorted(set(_articles_of(flask + django)))),
        resolution=raw["resolution"],
        rules=tuple(raw.get("rules", [])),
        flask=tuple(p.id for p in flask),
        django=tuple(p.id for p in django),
        unweighed=tuple(p.id for p in _cited(raw.get("unweighed", []), passages, owner)),
        honoured=tuple(honoured),
    )


def parse_rules(data: Mapping[str, Any]) -> RuleBook:
    """Build and check a ``RuleBook`` from the parsed TOML document."""
    passages = _passages(data)
    rules = tuple(_rule(raw, passages) for raw in data.get("rule", []))
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise RuleFileError("rule ids must be unique")
    conflicts = tuple(_conflict(raw, passages, set(ids)) for raw in data.get("conflict", []))
    for conflict in conflicts:
        if len(conflict.sources) < 2 or not conflict.flask or not conflict.django:
            raise RuleFileError(f"conflict {conflict.id}: needs passages on both sides")
        weighed = [r.id for r in rules for p in r.passages if p.id in conflict.unweighed]
        if weighed:
            raise RuleFileError(f"conflict {conflict.id}: unweighed passages cited by {weighed}")
    tie = data["tie"]
    if tie["favours"] not in FRAMEWORKS:
        raise RuleFileError("tie: favours must be flask or django")
    tie_passages = _cited(tie.get("passages", []), passages, "tie")
    articles = tuple(Article(a["id"], a["title"]) for a in data.get("article", []))
    if articles and tuple(a.id for a in articles) != GUIDANCE_FILES:
        raise RuleFileError(f"articles must be {GUIDANCE_FILES}, in order")
    return RuleBook(
        rules=rules,
        tie=TieBreak(
            tie["favours"],
            tie["reason"],
            _sources(_articles_of(tie_passages) or tie.get("sources", []), "tie"),
            tuple(p.id for p in tie_passages),
        ),
        conflicts=conflicts,
        unmapped=tuple(data.get("unmapped", [])),
        articles=articles,
        passages=passages,
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
