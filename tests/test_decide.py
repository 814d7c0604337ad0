"""The decision engine: expected cases, monotonicity over the whole answer space, overrides."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from decision_space import DECISION_KEYS, SHARED, STRIDES, VALUES, decided, key, space, walk
from stackpick.answers.questions import BY_KEY, QUESTIONS
from stackpick.app import decide_values
from stackpick.decision.decide import Decision, decide
from stackpick.decision.rules import Conflict, load_rules
from stackpick.decision.swings import largest_swings

#: Every decision of the space is made once per test process: the modules that walk it
#: share one worker (``--dist loadgroup``), so it is built once per run, not once per worker.
pytestmark = pytest.mark.xdist_group("decision_space")

HERE = Path(__file__).resolve().parent
SHARED_CASES = (SHARED or HERE / "absent") / "scenarios" / "decision-cases.toml"
OWN_CASES = HERE / "data" / "decision_cases.toml"
BOOK = load_rules()
BOOK_RULES = {rule.id: rule for rule in BOOK.rules}


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
    assert data["scores"] == {"flask": 0, "django": sum(decision.points.values())}
    reason = data["reasons"][0]
    assert set(reason) == {"rule", "framework", "weight", "points", "reason", "sources"}


def test_evidence_counts_once_for_every_answer_set() -> None:
    """Each side scores the distinct passages its fired rules cite, each once; a rule adds
    what a stronger fired rule on its side has not counted already."""
    shared = 0
    for result in space().values():
        decision = result.decision
        for side in ("flask", "django"):
            rules = [r for r in decision.fired if r.favours == side]
            passages = {p.id: p.points for r in rules for p in r.passages}
            assert decision.scores[side] == sum(passages.values())
            assert sum(decision.points[r.id] for r in rules) == decision.scores[side]
            shared += sum(r.weight for r in rules) > decision.scores[side]
    assert shared > 1000  # passages shared between fired rules are common


def test_an_internal_tool_with_an_admin_counts_the_admin_passage_once() -> None:
    decision = run({"app_type": "internal_tool", "admin": True})
    assert decision.points["internal-data-tool"] == 0  # 003's admin section, counted already
    assert decision.points["user-accounts"] < BOOK_RULES["user-accounts"].weight


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
    decision = run({"auth": True})  # small site (+8 flask) against accounts (+8 django)
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
    "sensitive_data": [[False], [True]],
    "data_model": [["simple"], ["complex"]],
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


def _level(dimension: str, value: Any, values: dict[str, Any]) -> int:
    if (dimension, value) == ("app_type", "prototype") and values["auth"]:
        return len(ORDERS[dimension]) - 1  # an MVP with accounts (the mvp-speed note)
    return next(i for i, group in enumerate(ORDERS[dimension]) if value in group)


def test_the_orders_cover_every_decision_answer() -> None:
    for name in DECISION_KEYS:
        if name != "rest_api":  # an API alone leans neither way: it has no order
            assert sorted(map(str, VALUES[name])) == sorted(str(v) for g in ORDERS[name] for v in g)


@pytest.mark.parametrize("stride", STRIDES)
def test_monotonic(stride: int) -> None:
    """Over every valid combination: a step towards Django never turns Django into Flask,
    and a step towards Flask never turns Flask into Django."""
    table = space()
    steps = 0
    for k, before in walk(stride):
        values = dict(zip(DECISION_KEYS, k, strict=True))
        for dimension in ORDERS:
            for value in VALUES[dimension]:
                after = table.get(key({**values, dimension: value}))
                if after is None:
                    continue  # contradictory answers (admin without a database, say)
                step = _level(dimension, value, values) - _level(
                    dimension, values[dimension], values
                )
                steps += step != 0
                if step > 0 and before.decision.framework == "django":
                    assert after.decision.framework == "django", (values, dimension, value)
                if step < 0 and before.decision.framework == "flask":
                    assert after.decision.framework == "flask", (values, dimension, value)
    assert steps > 20000 // stride


def test_score_gap_moves_with_each_django_need() -> None:
    """Over every valid combination: turning on a Django need never lowers Django's lead."""
    table = space()
    needs = {"admin": True, "auth": True, "i18n": True, "sensitive_data": True,
             "data_model": "complex"}  # fmt: skip
    for k, before in table.items():
        values = dict(zip(DECISION_KEYS, k, strict=True))
        for need, value in needs.items():
            after = table.get(key({**values, need: value}))
            if after is None:
                continue
            gap_before = before.decision.scores["django"] - before.decision.scores["flask"]
            gap_after = after.decision.scores["django"] - after.decision.scores["flask"]
            assert gap_after >= gap_before, (values, need)


# --- every conflict note is honoured ---------------------------------------------------


def _fired(values: dict[str, Any]) -> set[str]:
    return {rule.id for rule in space()[key(values)].decision.fired}


def _every(**fixed: Any) -> list[dict[str, Any]]:
    """Every valid answer set with ``fixed`` answers."""
    found = [dict(zip(DECISION_KEYS, k, strict=True)) for k in space()]
    return [v for v in found if all(v[name] == value for name, value in fixed.items())]


def _tie_break(conflict: Conflict) -> None:
    ties = [r.decision for r in space().values() if r.decision.tie]
    assert ties and all(d.guidance == BOOK.tie.favours == "flask" for d in ties)


def _small_projects(conflict: Conflict) -> None:
    # 003's passage counts only where the project is expected to grow, never for "small"
    for rule in BOOK.rules:
        if "003-starting-small" in [p.id for p in rule.passages]:
            assert "small" not in rule.when["scale"]
    assert all("small-project" in _fired(v) for v in _every(scale="small"))


def _build_speed(conflict: Conflict) -> None:
    # speed is read by size: no rule rests on a speed passage without a size or MVP condition
    speed = set(conflict.flask) | set(conflict.django)
    for rule in BOOK.rules:
        if speed & {p.id for p in rule.passages}:
            assert {"scale", "app_type", "team_experience"} & set(rule.when), rule.id


def _mvp_speed(conflict: Conflict) -> None:
    for values in _every(app_type="prototype"):
        fired = _fired(values)
        assert ("mvp-needs-batteries" in fired) == values["auth"]
        assert ("prototype" in fired) != values["auth"]
        if values["auth"]:  # accounts always move a prototype towards Django
            before = decided({**values, "auth": False, "admin": False})
            after = space()[key(values)].decision
            assert before is not None
            gap = [d.scores["django"] - d.scores["flask"] for d in (before.decision, after)]
            assert gap[1] > gap[0], values


def _rest_apis(conflict: Conflict) -> None:
    for values in _every(rest_api=True):
        fired = _fired(values)
        assert ("authenticated-api" in fired) == values["auth"]
        small = not values["auth"] and values["scale"] != "large"
        assert ("small-rest-service" in fired) == small


def _experience(conflict: Conflict) -> None:
    # experience alone moves nothing: intermediate and experienced score alike, except for a
    # team that picks its own stack, which moves towards Flask
    table = space()
    for values in _every(team_experience="experienced"):
        scores = table[key(values)].decision.scores
        other = table[key({**values, "team_experience": "intermediate"})].decision.scores
        if values["stack_preference"] == "pick_my_own":
            assert scores["flask"] >= other["flask"] and scores["django"] == other["django"]
        else:
            assert scores == other


def _performance_under_load(conflict: Conflict) -> None:
    cited = {p.id for rule in BOOK.rules for p in rule.passages}
    assert conflict.unweighed and not cited & set(conflict.unweighed)
    for rule in BOOK.rules:
        if "scale" in rule.when:
            assert not {p.id for p in rule.passages} & set(conflict.unweighed)


NOTES = {
    "tie-break": _tie_break,
    "small-projects": _small_projects,
    "build-speed": _build_speed,
    "mvp-speed": _mvp_speed,
    "rest-apis": _rest_apis,
    "experience": _experience,
    "performance-under-load": _performance_under_load,
}


def test_every_conflict_note_has_a_check() -> None:
    assert {c.id for c in BOOK.conflicts} == set(NOTES)


@pytest.mark.parametrize("conflict", BOOK.conflicts, ids=[c.id for c in BOOK.conflicts])
def test_conflict_note_is_honoured(conflict: Conflict) -> None:
    """The engine does what the note says: its examples decide as stated, and its
    resolution holds over every answer set it speaks of."""
    for answers, expect in conflict.honoured:
        assert run(answers).framework == expect, (conflict.id, answers)
    NOTES[conflict.id](conflict)


# --- what weighs most --------------------------------------------------------------------


def test_help_names_the_answer_that_weighs_most() -> None:
    """The largest swing of Django's lead any one answer makes, over every answer set; the
    help of that question (and of no other) says it weighs most."""

    def lead_of(values: Any) -> Decision | None:
        result = decided(values)
        return None if result is None else result.decision

    swings = largest_swings(VALUES, lead_of)
    ranked = sorted(swings.values(), key=lambda s: -s.points)
    print("\nlargest swing of Django's lead per answer:")
    for swing in ranked:
        print(f"  {swing.key:<17} {swing.points:>3}  {dict(swing.changes)}")
    top = ranked[0]
    assert top.points > ranked[1].points
    for question in QUESTIONS:
        assert ("weighs most" in question.help) == (question.key == top.key), question.key
    assert swings["app_type"].points < top.points
    assert BY_KEY[top.key].help


def test_an_answers_file_from_before_the_new_questions_still_decides(tmp_path: Path) -> None:
    """A ``.stackpick.toml`` written before ``sensitive_data`` and ``data_model`` existed
    loads; the two take their defaults and the record lists them only when a rule read them."""
    from click.testing import CliRunner

    from stackpick.cli import cli

    old = tmp_path / ".stackpick.toml"
    old.write_text(
        '[stackpick]\nversion = "0.9"\nframework = "django"\n\n'
        '[answers]\nframework = "auto"\napp_type = "cms"\nscale = "medium"\nadmin = true\n'
        'auth = true\ndatabase = "sqlite"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["recommend", "--no-input", "--json", "--answers", str(old)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["answers"]["sensitive_data"] is False
    assert data["answers"]["data_model"] == "simple"
    assert data["framework"] == "django"
