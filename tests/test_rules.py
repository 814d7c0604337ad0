"""The rule book: consistent with the question schema, cited to passages, weighed by one scheme."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from decision_space import SHARED
from stackpick.answers.questions import BY_KEY
from stackpick.decision.guidance import article_lines, book_lines
from stackpick.decision.rules import (
    GUIDANCE_FILES,
    OUTRIGHT_POINTS,
    SUPPORTING_POINTS,
    RuleFileError,
    load_rules,
    parse_rules,
)

BOOK = load_rules()
TIE = {"favours": "flask", "reason": "x", "passages": ["p1"]}
PASSAGES = [
    {"id": "p1", "article": "000", "where": "a", "says": "b."},
    {"id": "p2", "article": "000", "where": "c", "says": "d.", "outright": True},
]


def test_rules_load_and_every_rule_is_cited_and_explained() -> None:
    assert len(BOOK.rules) >= 20
    for rule in BOOK.rules:
        assert rule.passages and set(rule.sources) <= set(GUIDANCE_FILES)
        assert rule.reason.endswith(".") and len(rule.reason) < 200
        articles = [p.article for p in rule.passages]
        assert len(articles) == len(set(articles)), rule.id  # at most one passage per article
        assert tuple(articles) == rule.sources


def test_weight_follows_from_the_passages_by_one_scheme() -> None:
    for rule in BOOK.rules:
        expected = sum(OUTRIGHT_POINTS if p.outright else SUPPORTING_POINTS for p in rule.passages)
        assert rule.weight == expected, rule.id
    by_id = {rule.id: rule for rule in BOOK.rules}
    # three articles recommending Flask to beginners outweigh one naming microservices
    assert by_id["beginner-team"].weight > by_id["microservice"].weight
    assert by_id["beginner-team"].weight > by_id["enterprise-data-app"].weight


def test_every_guidance_file_is_cited_and_titled() -> None:
    cited = {s for rule in BOOK.rules for s in rule.sources}
    assert cited == set(GUIDANCE_FILES)
    assert [a.id for a in BOOK.articles] == list(GUIDANCE_FILES)
    assert all(BOOK.citing(n) for n in GUIDANCE_FILES)


def test_some_passages_are_shared_so_counting_once_matters() -> None:
    cited = [p.id for rule in BOOK.rules for p in rule.passages]
    assert {"003-admin-site", "000-security", "004-micro"} <= {
        p for p in cited if cited.count(p) > 1
    }


@pytest.mark.parametrize(
    ("rule", "passage"),
    [
        ("experienced-own-stack", "001-experienced"),  # not 004, which says the opposite
        ("content-management", "000-site-kinds"),
        ("no-database", "003-flask-choices"),
    ],
)
def test_citations_say_what_they_are_cited_for(rule: str, passage: str) -> None:
    found = next(r for r in BOOK.rules if r.id == rule)
    assert passage in [p.id for p in found.passages]
    if rule == "experienced-own-stack":
        assert "004" not in found.sources
    if rule == "no-database":
        assert "000" not in found.sources
    if rule == "content-management":
        assert "core" not in found.reason


def test_every_decision_answer_that_carries_guidance_has_a_rule() -> None:
    covered = {
        (key, value)
        for rule in BOOK.rules
        for condition in (rule.when, *rule.when_any)
        for key, values in condition.items()
        for value in values
    }
    for value in BY_KEY["app_type"].choices:
        if value not in ("website", "api"):
            assert ("app_type", value) in covered, value
    for key in ("admin", "auth", "i18n", "rest_api", "sensitive_data"):
        assert (key, True) in covered, key
    for value in ("small", "medium", "large"):
        assert ("scale", value) in covered
    for value in ("batteries_included", "pick_my_own"):
        assert ("stack_preference", value) in covered
    assert ("team_experience", "beginner") in covered
    assert ("database", "none") in covered
    assert ("data_model", "complex") in covered
    assert "framework" not in {key for key, _ in covered}


def test_conflicts_record_both_sides_and_their_resolution() -> None:
    ids = {c.id for c in BOOK.conflicts}
    assert {
        "mvp-speed",
        "rest-apis",
        "experience",
        "small-projects",
        "build-speed",
        "performance-under-load",
        "tie-break",
    } <= ids
    rule_ids = {r.id for r in BOOK.rules}
    for conflict in BOOK.conflicts:
        assert set(conflict.rules) <= rule_ids
        assert len(conflict.sources) >= 2 and conflict.flask and conflict.django
        assert conflict.honoured, conflict.id  # every note is checked (test_decide)


def test_tie_break_is_documented_and_is_a_conflict_note() -> None:
    tie = BOOK.tie
    assert tie.favours in ("flask", "django") and tie.reason and tie.sources
    note = next(c for c in BOOK.conflicts if c.id == "tie-break")
    assert set(tie.passages) <= set(note.flask if tie.favours == "flask" else note.django)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"when": {"colour": ["red"]}}, "unknown key 'colour'"),
        ({"when": {"scale": ["huge"]}}, "scale has no value 'huge'"),
        ({"when": {"admin": ["yes"]}}, "admin has no value 'yes'"),
        ({"passages": ["p9"]}, "unknown passages"),
        ({"passages": ["p1", "p2"]}, "at most one per article"),
        ({"passages": []}, "at most one per article"),
        ({"favours": "rails"}, "favours must be flask or django"),
    ],
)
def test_inconsistent_rule_files_are_refused(change: dict[str, object], message: str) -> None:
    raw = {"id": "r", "favours": "flask", "reason": "x.", "passages": ["p1"], **change}
    with pytest.raises(RuleFileError, match=message):
        parse_rules({"passage": PASSAGES, "rule": [raw], "tie": TIE})


def test_an_unweighed_passage_may_not_be_cited() -> None:
    rule = {"id": "r", "favours": "flask", "reason": "x.", "passages": ["p1"]}
    passages = [*PASSAGES, {"id": "p3", "article": "001", "where": "e", "says": "f."}]
    conflict: dict[str, Any] = {"id": "c", "topic": "t", "resolution": "r", "rules": ["r"],
                                "flask": ["p1"], "django": ["p3"], "unweighed": ["p1"]}  # fmt: skip
    with pytest.raises(RuleFileError, match="unweighed passages cited by"):
        parse_rules({"passage": passages, "rule": [rule], "conflict": [conflict], "tie": TIE})


def test_rule_keys_are_questions() -> None:
    for rule in BOOK.rules:
        assert set(rule.when) <= set(BY_KEY)


def test_text_and_json_show_every_rule_with_passages_weight_and_notes() -> None:
    text = "\n".join(book_lines(BOOK))
    for rule in BOOK.rules:
        assert f"{rule.id}: +{rule.weight} {rule.favours} when " in text
        for passage in rule.passages:
            assert f"{passage.article} {passage.where} (" in text
    for conflict in BOOK.conflicts:
        assert f"conflict {conflict.id} (" in text
    data = BOOK.to_json()
    assert data["scheme"]["outright"] == OUTRIGHT_POINTS
    assert {p["id"] for p in data["passages"]} == set(BOOK.passages)
    assert all(r["passages"] for r in data["rules"])
    articles = "\n".join(article_lines(BOOK))
    assert all(f"{n}: " in articles for n in GUIDANCE_FILES)


def test_the_readme_table_lists_every_rule_with_its_weight_and_every_note() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The decision\n")[1].split("\n## ")[0]
    for rule in BOOK.rules:
        row = next(line for line in section.splitlines() if line.startswith(f"| `{rule.id}` |"))
        assert row.endswith(f"| {rule.weight} |"), row
        assert all(f"{p.article}: " in row for p in rule.passages), row
    for conflict in BOOK.conflicts:
        assert f"| `{conflict.id}` |" in section


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("\u2019", "'")).split()


@pytest.mark.skipif(SHARED is None, reason="../shared/guidance is not beside the checkout")
def test_the_book_paraphrases_rather_than_copies_the_guidance() -> None:
    """No run of five words of a reason, passage or note appears in an article."""
    assert SHARED is not None
    articles = (p.read_text(encoding="utf-8") for p in (SHARED / "guidance").glob("*.txt"))
    text = f" {' '.join(_words(' '.join(articles)))} "
    ours = [(rule.id, rule.reason) for rule in BOOK.rules]
    ours += [(p.id, f"{p.where}. {p.says}") for p in BOOK.passages.values()]
    ours += [(c.id, c.resolution) for c in BOOK.conflicts] + [("tie", BOOK.tie.reason)]
    for owner, sentence in ours:
        words = _words(sentence)
        runs = (" ".join(words[i : i + 5]) for i in range(len(words) - 4))
        copied = [run for run in runs if f" {run} " in text]
        assert not copied, (owner, copied)
