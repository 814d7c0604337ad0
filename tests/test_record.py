"""The MADR decision record: its sections, citations, reproducibility, and answers as data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from decision_space import SHARED, bundled_limits
from generated import HOSTILE_AUTHOR, HOSTILE_DESCRIPTION, HOSTILE_NAME
from stackpick.app import decide_values
from stackpick.decision.explain import counted
from stackpick.decision.flips import find_flips
from stackpick.decision.record import (
    RECORD_PATH,
    code,
    decision_record,
    markdown_text,
    record_date,
    render_record,
)
from stackpick.decision.rules import GUIDANCE_FILES, load_rules
from stackpick.errors import BadInput

GUIDANCE = SHARED / "guidance" if SHARED else Path("/nonexistent")
BOOK = load_rules()
TITLES = {article.id: article.title for article in BOOK.articles}
#: CommonMark with GitHub's tables and strikethrough, as a repository host renders it.
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def record(values: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> str:
    answers, decision = decide_values(values)
    flips = find_flips(answers, BOOK, bundled_limits())
    return render_record(decision, answers.values, BOOK, flips, environ or {})


def body(text: str) -> str:
    """The Markdown after the YAML front matter."""
    assert text.startswith("---\n")
    return text.split("\n---\n", 1)[1]


def front_matter(text: str) -> list[str]:
    return text.split("\n---\n", 1)[0].splitlines()[1:]


def inline_text(token: Token) -> str:
    """The literal text of an inline token; fails on any markup but code spans and breaks."""
    parts = []
    for child in token.children or []:
        assert child.type in {"text", "softbreak", "code_inline"}, (child.type, child.content)
        parts.append(" " if child.type == "softbreak" else child.content)
    return "".join(parts)


def sections(text: str) -> list[str]:
    tokens = MARKDOWN.parse(body(text))
    return [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]


def literal(value: str) -> str:
    """What free text becomes in the record: one line, each line break or tab a space."""
    return re.sub(r"[\x00-\x1f\x7f\x85\u2028\u2029]", " ", value)


def test_madr_sections_in_order() -> None:
    text = record({"app_type": "cms", "admin": True})
    assert sections(text) == [
        "Use Django as the web framework of My Project",
        "Context and Problem Statement",
        "Decision Drivers",
        "Considered Options",
        "Decision Outcome",
        "Pros and Cons of the Options",
        "Flask",
        "Django",
        "More Information",
        "What would change it",
    ]
    assert front_matter(text) == ["status: accepted"]
    assert RECORD_PATH == "docs/decisions/0001-web-framework.md"


def test_context_lists_the_answers_that_mattered() -> None:
    text = record({"app_type": "cms", "admin": True, "i18n": False, "rest_api": True})
    context = body(text).split("## Decision Drivers")[0]
    assert "* What are you building (`app_type`): `cms`" in context
    assert "* Admin interface (`admin`): `true`" in context
    assert "* User accounts (`auth`): `true`" in context  # auth followed admin
    assert "`i18n`" not in context  # no rule reads it
    assert "`rest_api`" in context  # authenticated-api reads it


def test_drivers_cite_rules_weights_reasons_and_articles_by_title() -> None:
    answers, decision = decide_values({"app_type": "cms", "admin": True})
    text = render_record(decision, answers.values, BOOK, [], {})
    drivers = body(text).split("## Decision Drivers")[1].split("## Considered Options")[0]
    for rule in decision.fired:
        sources = ", ".join(rule.sources)
        points = counted(decision, rule)
        line = f"* {points} for {rule.favours.title()}, rule `{rule.id}` (articles {sources}): "
        assert line + markdown_text(rule.reason) in drivers
    cited = sorted({s for rule in decision.fired for s in rule.sources})
    for number in cited:
        assert f'* {number}: "{markdown_text(TITLES[number])}"' in drivers
    assert "Django \\& Flask" in drivers  # the article title is text, escaped too


def test_every_guidance_file_has_its_title() -> None:
    assert sorted(TITLES) == list(GUIDANCE_FILES)


@pytest.mark.skipif(not GUIDANCE.is_dir(), reason="../shared is not beside the checkout")
@pytest.mark.parametrize("number", [n for n in GUIDANCE_FILES if n != "003"])
def test_titles_are_the_articles_own(number: str) -> None:
    (path,) = GUIDANCE.glob(f"{number}_*.txt")
    text = path.read_text(encoding="utf-8").replace("\u2019", "'")
    assert TITLES[number] in text


def test_options_with_pros_and_cons_from_the_rules() -> None:
    text = record({"app_type": "cms", "admin": True})
    flask = body(text).split("### Flask")[1].split("### Django")[0]
    django = body(text).split("### Django")[1].split("## More Information")[0]
    assert "* Good, because of rule `small-project` (+8): " in flask
    assert "* Bad, because of rule `admin-interface` (+8 for Django): " in flask
    assert "* Good, because of rule `admin-interface` (+8): " in django
    assert "* Bad, because of rule `small-project` (+8 for Flask): " in django
    # accounts share a passage of 003 with the admin, counted once (for the admin)
    assert "* Good, because of rule `user-accounts` (+6 of 8): " in django


def test_outcome_says_whether_the_guidance_was_overridden() -> None:
    followed = record({"app_type": "cms", "scale": "medium"})
    assert 'Chosen option: "Django",\nbecause the guidance leans to it.' in followed
    assert "The team did not override the guidance." in followed
    overridden = record({"app_type": "cms", "scale": "medium", "framework": "flask"})
    assert 'Chosen option: "Flask",\nchosen explicitly (framework = `flask`) against' in overridden
    assert "The team overrode the guidance." in overridden
    assert "the explicit choice of Flask stays the team's" in overridden
    agreed = record({"app_type": "microservice", "framework": "flask"})
    assert "and the guidance leans to Flask as well" in agreed


def test_outcome_names_a_framework_the_answers_rule_out() -> None:
    text = record({"app_type": "cms", "database": "none", "scale": "large",
                   "stack_preference": "batteries_included"})  # fmt: skip
    assert 'Chosen option: "Flask",' in text
    assert "but Django cannot be built for these answers (database = none" in text
    django = body(text).split("### Django")[1]
    assert "* Bad, because its template cannot be generated for these answers: " in django


def test_what_would_change_it() -> None:
    text = record({"app_type": "cms", "scale": "medium"})
    changes = body(text).split("### What would change it")[1]
    assert "Changing any one of these answers would turn the guidance:" in changes
    line = (
        "* Set `app_type` = `static_site`: Flask; starts `static-content-site`; "
        "stops `content-management`\n"
    )
    assert line in changes
    pairs = record({"app_type": "cms", "admin": True, "scale": "large",
                    "stack_preference": "batteries_included"})  # fmt: skip
    assert "No single answer turns the guidance; these pairs of changes would:" in pairs
    assert "* Set `database` = `none` and `admin` = `false`: Flask" in pairs
    assert "the margin is clear (Django leads by 33 points; no single changed" in pairs
    none = record({"app_type": "cms", "scale": "large", "stack_preference": "batteries_included",
                   "admin": True, "auth": True, "i18n": True, "rest_api": True})  # fmt: skip
    assert "Nothing short of changing three or more answers would turn the guidance." in none


def test_a_tie_cites_the_tie_break() -> None:
    text = record({"auth": True})
    assert "a tie goes to the smaller framework (articles 001, 002): " in text
    assert "the margin is close (a tie, which goes to Flask; one changed answer turns it: " in text


def test_reproducible_and_dated_only_by_source_date_epoch() -> None:
    values = {"app_type": "api", "rest_api": True}
    assert record(values) == record(values)
    assert "date:" not in record(values)
    dated = record(values, {"SOURCE_DATE_EPOCH": "1700000000"})
    assert front_matter(dated) == ["status: accepted", "date: 2023-11-14"]
    assert record_date({"SOURCE_DATE_EPOCH": "86399"}) == "1970-01-01"  # UTC, not local time
    assert record_date({"SOURCE_DATE_EPOCH": ""}) is None
    with pytest.raises(BadInput, match="SOURCE_DATE_EPOCH"):
        record_date({"SOURCE_DATE_EPOCH": "yesterday"})


def test_record_ends_with_one_newline() -> None:
    text = record({})
    assert text.endswith(".\n") and not text.endswith("\n\n")


# --- answers are data ---------------------------------------------------------------


def test_hostile_free_text_stays_literal_text() -> None:
    text = record({"project_name": HOSTILE_NAME, "description": HOSTILE_DESCRIPTION,
                   "author_name": HOSTILE_AUTHOR, "app_type": "cms",
                   "scale": "medium"})  # fmt: skip
    tokens = MARKDOWN.parse(body(text))
    assert not [t for t in tokens if t.type.startswith("html")]
    assert all(t.type != "hr" for t in tokens)  # nothing closed the front matter early
    title = tokens[[t.type for t in tokens].index("heading_open") + 1]
    assert inline_text(title) == f"Use Django as the web framework of {literal(HOSTILE_NAME)}"
    context = next(t for t in tokens if t.type == "inline" and t.content.startswith("The project"))
    assert f"The project {literal(HOSTILE_NAME)} ({literal(HOSTILE_DESCRIPTION)}) needs" in (
        inline_text(context)
    )
    html = MARKDOWN.render(body(text))
    assert "<script" not in html and "<b>" not in html and "49" not in html
    assert "{{ 7*7 }}" in html and "&lt;/script&gt;" in html


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40))
@example("- item")
@example("1. item")
@example("1) item")
@example("# heading #")
@example("===")
@example("> quote")
@example("    indented code")
@example("<http://example.com> [a](b) ![i](j) *em* __strong__ `code` ~~del~~ $x$ | a | b |")
@example("&amp; &#35; \\* trailing\\")
@example("{{ 7*7 }} {% if %} {# c #}")
def test_any_text_stays_literal_at_the_start_and_inside_a_line(value: str) -> None:
    escaped = markdown_text(value)
    assert "\n" not in escaped and "\r" not in escaped
    expected = literal(value).strip(" ")
    if not expected.strip():
        return
    for document, depth in ((f"* {escaped}\n", 3), (f"Text: {escaped}\n", 1)):
        tokens = MARKDOWN.parse(document)
        types = [t.type for t in tokens]
        inline = [t for t in tokens if t.type == "inline"]
        assert len(inline) == 1 and inline[0].level == depth, (document, types)
        assert types[types.index("inline") - 1] == "paragraph_open", (document, types)
        prefix = "" if document.startswith("*") else "Text: "
        # (a parser may trim any white space around a paragraph)
        assert inline_text(inline[0]).strip() == (prefix + expected).strip()


@pytest.mark.parametrize(
    "value", ["plain", "a`b", "``x``", " lead", "trail ", "`", "</script>", "a\\b", True]
)
def test_code_spans_are_literal(value: object) -> None:
    tokens = MARKDOWN.parse(f"Value: {code(value)}\n")
    (span,) = [c for c in tokens[1].children or [] if c.type == "code_inline"]
    shown = "true" if value is True else str(value)
    assert span.content == shown


def test_decision_record_is_the_one_call_for_new() -> None:
    values = {"app_type": "cms", "database": "none"}
    answers, decision = decide_values(values)
    environ = {"SOURCE_DATE_EPOCH": "0"}
    assert decision_record(answers, decision, bundled_limits(), environ) == record(values, environ)
    with pytest.raises(BadInput):
        decision_record(answers, decision, bundled_limits(), {"SOURCE_DATE_EPOCH": "1.5"})


def test_the_new_questions_appear_in_the_record_like_the_others() -> None:
    text = record({"sensitive_data": True, "data_model": "complex", "database": "postgresql"})
    context = body(text).split("## Decision Drivers")[0]
    assert "* Sensitive data (`sensitive_data`): `true`" in context
    assert "* Data model (`data_model`): `complex`" in context
    drivers = body(text).split("## Decision Drivers")[1].split("## Considered Options")[0]
    assert "rule `sensitive-data` (articles 000, 002, 003)" in drivers
    assert "rule `complex-data-model` (articles 001, 002, 003)" in drivers
