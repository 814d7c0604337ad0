"""The rule book: consistent with the question schema, cited, and complete."""

from __future__ import annotations

from pathlib import Path

import pytest

from stackpick.answers.questions import BY_KEY
from stackpick.decision.rules import GUIDANCE_FILES, RuleFileError, load_rules, parse_rules

SHARED_GUIDANCE = Path(__file__).resolve().parents[2] / "shared" / "guidance"


def test_rules_load_and_every_rule_is_cited_and_explained() -> None:
    book = load_rules()
    assert len(book.rules) >= 15
    for rule in book.rules:
        assert rule.sources and set(rule.sources) <= set(GUIDANCE_FILES)
        assert rule.reason.endswith(".") and len(rule.reason) < 200
        assert rule.weight > 0


def test_every_guidance_file_is_cited() -> None:
    cited = {s for rule in load_rules().rules for s in rule.sources}
    assert cited == set(GUIDANCE_FILES)


def test_every_decision_answer_that_carries_guidance_has_a_rule() -> None:
    book = load_rules()
    covered = {
        (key, value)
        for rule in book.rules
        for condition in (rule.when, *rule.when_any)
        for key, values in condition.items()
        for value in values
    }
    for value in (
        "static_site",
        "microservice",
        "prototype",
        "cms",
        "social",
        "enterprise",
        "internal_tool",
    ):
        assert ("app_type", value) in covered, value
    for key in ("admin", "auth", "i18n", "rest_api"):
        assert (key, True) in covered, key
    for value in ("small", "medium", "large"):
        assert ("scale", value) in covered
    for value in ("batteries_included", "pick_my_own"):
        assert ("stack_preference", value) in covered
    assert ("team_experience", "beginner") in covered
    assert ("database", "none") in covered
    assert "framework" not in {key for key, _ in covered}


def test_conflicts_document_their_resolution() -> None:
    book = load_rules()
    ids = {c.id for c in book.conflicts}
    assert {"mvp-speed", "rest-apis", "experience"} <= ids
    rule_ids = {r.id for r in book.rules}
    for conflict in book.conflicts:
        assert set(conflict.rules) <= rule_ids
        assert len(conflict.sources) >= 2


def test_tie_break_is_documented() -> None:
    tie = load_rules().tie
    assert tie.favours in ("flask", "django") and tie.reason and tie.sources


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"when": {"colour": ["red"]}}, "unknown key 'colour'"),
        ({"when": {"scale": ["huge"]}}, "scale has no value 'huge'"),
        ({"when": {"admin": ["yes"]}}, "admin has no value 'yes'"),
        ({"sources": ["009"]}, "sources must be among"),
        ({"favours": "rails"}, "favours must be flask or django"),
    ],
)
def test_inconsistent_rule_files_are_refused(rule: dict[str, object], message: str) -> None:
    raw = {"id": "r", "favours": "flask", "weight": 1, "reason": "x.", "sources": ["000"], **rule}
    with pytest.raises(RuleFileError, match=message):
        parse_rules({"rule": [raw], "tie": {"favours": "flask", "reason": "x", "sources": ["001"]}})


def test_rule_keys_are_questions() -> None:
    for rule in load_rules().rules:
        assert set(rule.when) <= set(BY_KEY)


@pytest.mark.skipif(
    not SHARED_GUIDANCE.is_dir(), reason="../shared/guidance is not beside the checkout"
)
def test_rule_reasons_paraphrase_rather_than_copy_the_guidance() -> None:
    text = " ".join(p.read_text(encoding="utf-8") for p in SHARED_GUIDANCE.glob("*.txt")).lower()
    for rule in load_rules().rules:
        words = rule.reason.lower().rstrip(".").split()
        copied = [
            " ".join(words[i : i + 8])
            for i in range(len(words) - 7)
            if " ".join(words[i : i + 8]) in text
        ]
        assert not copied, (rule.id, copied)
