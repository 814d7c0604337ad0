"""The decision engine: expected cases, monotonicity over the whole answer space, overrides."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from decision_space import DECISION_KEYS, VALUES, key, space
from stackpick.app import decide_values
from stackpick.decision.decide import Decision, decide
from stackpick.decision.rules import load_rules

HERE = Path(__file__).resolve().parent
SHARED_CASES = HERE.parents[1] / "shared" / "scenarios" / "decision-cases.toml"
OWN_CASES = HERE / "data" / "decision_cases.toml"
BOOK = load_rules()


def run(answers: Mapping[str, Any]) -> Decision:
    return decide_values(answers, "case")[1]


def load_cases(path: Path) -> list[Any]:
    cases = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
    return [pytest.param(case, id=case["id"]) for case in cases]


@pytest.mark.parametrize("case", load_cases(OWN_CASES))
def test_own_cases(case: dict[str, Any]) -> None:
    assert run(case["answers"]).framework == case["expect"], case["why"]


def test_own_cases_are_many_and_cite_the_guidance() -> None:
    cases = tomllib.loads(OWN_CASES.read_text(encoding="utf-8"))["case"]
    assert len(cases) >= 30
    assert len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        assert any(f"{n:03d}" in case["why"] for n in range(5)), case["id"]


@pytest.mark.skipif(not SHARED_CASES.is_file(), reason="../shared is not beside the checkout")
def test_shared_cases() -> None:
    for case in tomllib.loads(SHARED_CASES.read_text(encoding="utf-8"))["case"]:
        decision = run(case["answers"])
        assert decision.framework == case["expect"], (case["id"], decision.scores)
        if case["id"].startswith("override"):
            assert decision.overridden
            assert decision.guidance != decision.framework


def test_decision_lists_fired_rules_strongest_first_with_sources() -> None:
    decision = run({"app_type": "cms", "admin": True, "scale": "large"})
    weights = [r.weight for r in decision.fired]
    assert weights == sorted(weights, reverse=True)
    data = decision.to_json()
    assert set(data) >= {"framework", "overridden", "scores", "reasons"}
    assert data["scores"] == {"flask": 0, "django": sum(weights)}
    reason = data["reasons"][0]
    assert set(reason) == {"rule", "framework", "weight", "reason", "sources"}


def test_override_explains_the_other_leaning() -> None:
    decision = run({"framework": "flask", "app_type": "cms", "admin": True, "auth": True})
    assert decision.framework == "flask" and decision.guidance == "django"
    assert decision.overridden
    assert decision.summary().startswith("Flask, as you chose; the guidance leans to Django (")


def test_explicit_choice_agreeing_is_not_an_override() -> None:
    decision = run({"framework": "flask", "app_type": "microservice"})
    assert not decision.overridden
    assert "leans to Flask" in decision.summary() and "as well" in decision.summary()


def test_tie_goes_to_the_documented_side() -> None:
    decision = run({"auth": True})  # small site (+2 flask) against accounts (+2 django)
    assert decision.tie
    assert decision.framework == BOOK.tie.favours
    assert "tie goes to" in decision.summary()


def test_engine_is_pure() -> None:
    answers = decide_values({"app_type": "api", "rest_api": True})[0].values
    before = dict(answers)
    assert decide(answers, BOOK) == decide(answers, BOOK)
    assert dict(answers) == before


# --- monotonicity over every valid combination of decision answers ----------------

#: For each dimension, its values grouped from the Flask end to the Django end.
#: These orders come from the issue and the guidance, not from the rule file.
ORDERS: dict[str, list[list[Any]]] = {
    "admin": [[False], [True]],
    "auth": [[False], [True]],
    "i18n": [[False], [True]],
    "scale": [["small"], ["medium"], ["large"]],
    "stack_preference": [["pick_my_own"], ["no_preference"], ["batteries_included"]],
    "team_experience": [["beginner"], ["intermediate", "experienced"]],
    "database": [["none"], ["sqlite", "postgresql"]],
    "app_type": [
        ["static_site", "microservice", "prototype"],
        ["website", "api"],
        ["cms", "social", "enterprise", "internal_tool"],
    ],
}


def _level(dimension: str, value: Any) -> int:
    return next(i for i, group in enumerate(ORDERS[dimension]) if value in group)


def test_the_orders_cover_every_decision_answer() -> None:
    for name in DECISION_KEYS:
        if name != "rest_api":  # an API alone leans neither way: it has no order
            assert sorted(map(str, VALUES[name])) == sorted(str(v) for g in ORDERS[name] for v in g)


def test_monotonic() -> None:
    """Over every valid combination: a step towards Django never turns Django into Flask,
    and a step towards Flask never turns Flask into Django."""
    table = space()
    steps = 0
    for k, before in table.items():
        values = dict(zip(DECISION_KEYS, k, strict=True))
        for dimension in ORDERS:
            for value in VALUES[dimension]:
                after = table.get(key({**values, dimension: value}))
                if after is None:
                    continue  # contradictory answers (admin without a database, say)
                step = _level(dimension, value) - _level(dimension, values[dimension])
                steps += step != 0
                if step > 0 and before.decision.framework == "django":
                    assert after.decision.framework == "django", (values, dimension, value)
                if step < 0 and before.decision.framework == "flask":
                    assert after.decision.framework == "flask", (values, dimension, value)
    assert steps > 20000


def test_score_gap_moves_with_each_django_need() -> None:
    """Over every valid combination: turning on admin, auth or i18n never lowers Django's lead."""
    table = space()
    for k, before in table.items():
        values = dict(zip(DECISION_KEYS, k, strict=True))
        for need in ("admin", "auth", "i18n"):
            after = table.get(key({**values, need: True}))
            if after is None:
                continue
            gap_before = before.decision.scores["django"] - before.decision.scores["flask"]
            gap_after = after.decision.scores["django"] - after.decision.scores["flask"]
            assert gap_after >= gap_before, (values, need)
