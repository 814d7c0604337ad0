"""What would change the decision: checked over every valid combination of decision answers."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping

import pytest

from decision_space import (
    DECISION_KEYS,
    STRIDES,
    VALUES,
    bundled_limits,
    decided,
    finder,
    flips_of,
    key,
    space,
    walk,
)
from stackpick.answers.questions import Value
from stackpick.app import decide_values
from stackpick.decision.flips import MAX_PAIRS, Flip, find_flips, settled
from stackpick.decision.rules import load_rules
from stackpick.framework import other

#: Every decision of the space is made once per test process: the modules that walk it
#: share one worker (``--dist loadgroup``), so it is built once per run, not once per worker.
pytestmark = pytest.mark.xdist_group("decision_space")

BOOK = load_rules()


def chosen_by_auto(values: Mapping[str, Value]) -> str | None:
    """What ``recommend`` chooses for ``values`` with ``framework = auto`` (None: invalid)."""
    result = decided({**values, "framework": "auto"})
    return None if result is None else result.decision.framework


def single_changes(values: Mapping[str, Value]) -> list[dict[str, Value]]:
    return [{k: v} for k in DECISION_KEYS for v in VALUES[k] if v != values[k]]


def found(stride: int) -> Iterator[tuple[tuple[Value, ...], list[Flip]]]:
    """The flips of every ``stride``-th valid combination (``framework = auto``)."""
    for k, _ in walk(stride):
        yield k, flips_of(k)


def test_the_space_is_every_valid_combination_from_the_schema() -> None:
    table = space()
    every = math.prod(len(values) for values in VALUES.values())
    assert every // 2 < len(table) < every  # contradictions (admin, no database) left out
    sample = next(iter(table.values()))
    assert sample.decision == decide_values(sample.answers.to_json())[1]


@pytest.mark.parametrize("stride", STRIDES)
def test_every_listed_flip_turns_the_decision(stride: int) -> None:
    table = space()
    for k, flips in found(stride):
        values = dict(zip(DECISION_KEYS, k, strict=True))
        before = table[k].decision.framework
        for flip in flips:
            assert flip.framework == other(before)
            assert all(values[c] != v for c, v in flip.changes.items()), flip
            after = table.get(key({**values, **flip.changes}))  # absent: invalid answers
            assert after is not None and after.decision.framework == flip.framework, (values, flip)


@pytest.mark.parametrize("stride", STRIDES)
def test_single_flips_are_all_listed_and_pairs_only_without_them(stride: int) -> None:
    table = space()
    counts = {"single": 0, "pairs": 0, "none": 0}
    for k, flips in found(stride):
        values = dict(zip(DECISION_KEYS, k, strict=True))
        before = table[k].decision.framework
        turning = [
            change
            for change in single_changes(values)
            if (after := table.get(key({**values, **change}))) is not None
            and after.decision.framework != before
        ]
        listed = [flip.changes for flip in flips if len(flip.changes) == 1]
        assert sorted(map(str, listed)) == sorted(map(str, turning)), values
        if turning:
            assert len(listed) == len(flips), values  # no pairs beside single flips
            counts["single"] += 1
            continue
        assert len(flips) <= MAX_PAIRS and all(len(f.changes) == 2 for f in flips)
        any_pair = any(
            (after := table.get(key({**values, k1: v1, k2: v2}))) is not None
            and after.decision.framework != before
            for k1, k2 in itertools.combinations(DECISION_KEYS, 2)
            for v1 in VALUES[k1]
            for v2 in VALUES[k2]
            if v1 != values[k1] and v2 != values[k2]
        )
        assert bool(flips) == any_pair, values
        counts["pairs" if flips else "none"] += 1
    assert all(counts.values()), counts  # every kind of answer occurs in the space


@pytest.mark.parametrize("stride", STRIDES)
def test_flips_are_strongest_first(stride: int) -> None:
    for _, flips in found(stride):
        margins = [flip.margin for flip in flips]
        assert margins == sorted(margins, reverse=True)


def test_rules_that_start_and_stop_are_the_difference() -> None:
    table = space()
    for k, flips in found(7):
        values = dict(zip(DECISION_KEYS, k, strict=True))
        before = {r.id for r in table[k].decision.fired}
        for flip in flips:
            after_result = decided({**values, **flip.changes})
            assert after_result is not None
            after = {r.id for r in after_result.decision.fired}
            assert {r for r, c in flip.rules if c == "starts"} == after - before
            assert {r for r, c in flip.rules if c == "stops"} == before - after


@pytest.mark.parametrize("stride", STRIDES)
@pytest.mark.parametrize("framework", ["flask", "django"])
def test_with_an_explicit_framework_flips_turn_the_guidance(framework: str, stride: int) -> None:
    """The explicit choice stays; each flip turns what ``auto`` would choose (one answer set
    in 89 of the space, or in 623 in the fast loop: each is a search of its own)."""
    checked = 0
    for k, _ in walk(89 * stride):
        values = {**dict(zip(DECISION_KEYS, k, strict=True)), "framework": framework}
        result = decided(values)
        if result is None:
            continue  # the chosen framework cannot honour these answers
        checked += 1
        flips = finder().find(result.answers)
        guided = chosen_by_auto(values)
        for flip in flips:
            assert "framework" not in flip.changes
            assert flip.framework != guided
            changed = decided({**values, **flip.changes})
            assert changed is not None and changed.decision.framework == framework
            assert chosen_by_auto({**values, **flip.changes}) == flip.framework
    assert checked > 100 // stride


def test_a_change_follows_the_derived_defaults() -> None:
    """admin = true alone is a flip: auth then defaults to true, as it would for the user."""
    answers, decision = decide_values({})
    flips = find_flips(answers, BOOK, bundled_limits())
    admin = next(flip for flip in flips if flip.changes == {"admin": True})
    assert decision.framework == "flask" and admin.framework == "django"
    assert ("admin-interface", "starts") in admin.rules
    assert ("user-accounts", "starts") in admin.rules
    assert decide_values({"admin": True})[1].framework == "django"


def test_a_given_answer_is_kept_so_contradictions_are_no_flips() -> None:
    """With auth = false given, admin = true is invalid alone, and is not listed."""
    answers, _ = decide_values({"auth": False})
    flips = find_flips(answers, BOOK, bundled_limits())
    assert {"admin": True} not in [flip.changes for flip in flips]


def test_a_framework_the_answers_rule_out_is_turned_by_allowing_it() -> None:
    values = {"app_type": "cms", "database": "none", "stack_preference": "batteries_included",
              "scale": "large"}  # fmt: skip
    answers, decision = decide_values(values)
    assert decision.guidance == "django" and settled(decision) == "flask"
    flips = find_flips(answers, BOOK, bundled_limits())
    assert [flip.changes for flip in flips][:2] == [
        {"database": "sqlite"},
        {"database": "postgresql"},
    ]
    assert all(flip.framework == "django" for flip in flips)


def test_nothing_short_of_three_changes_gives_an_empty_list() -> None:
    values = {"app_type": "cms", "scale": "large", "stack_preference": "batteries_included",
              "admin": True, "auth": True, "i18n": True, "database": "postgresql",
              "team_experience": "experienced", "rest_api": True}  # fmt: skip
    answers, decision = decide_values(values)
    assert decision.framework == "django"
    assert find_flips(answers, BOOK, bundled_limits()) == []


def test_json_shape() -> None:
    answers, _ = decide_values({"app_type": "cms", "scale": "medium"})
    flips = find_flips(answers, BOOK, bundled_limits())
    flip = next(f for f in flips if f.changes == {"app_type": "static_site"})
    assert flip.to_json() == {
        "changes": {"app_type": "static_site"},
        "framework": "flask",
        "rules": [
            {"rule": "static-content-site", "change": "starts"},
            {"rule": "content-management", "change": "stops"},
        ],
    }


def test_project_and_template_answers_are_never_changed() -> None:
    answers, _ = decide_values({"project_name": "Shop", "ci": "none", "docker": False})
    for flip in find_flips(answers, BOOK, bundled_limits()):
        assert set(flip.changes) <= set(DECISION_KEYS)
