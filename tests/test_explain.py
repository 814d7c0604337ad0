"""How close the decision was: score lines, the margin in words, and the flips as lines."""

from __future__ import annotations

import re

import pytest

from decision_space import space
from stackpick.app import decide_values
from stackpick.decision.explain import (
    CLOSE_MARGIN,
    flip_lines,
    flips_heading,
    margin,
    margin_line,
    score_lines,
    use_style,
)
from stackpick.decision.flips import Flip
from stackpick.decision.rules import load_rules

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_margin_words_follow_the_documented_threshold() -> None:
    seen = set()
    for result in space().values():
        decision = result.decision
        found = margin(decision)
        lead = decision.scores[decision.guidance] - min(decision.scores.values())
        assert found.leader == decision.guidance and found.points == lead >= 0
        assert found.word == ("close" if lead <= CLOSE_MARGIN else "clear")
        seen.add(found.word)
    assert seen == {"clear", "close"}


def test_margin_at_the_threshold() -> None:
    close = decide_values({"app_type": "cms", "stack_preference": "pick_my_own"})[1]
    assert margin(close).points == 2 and margin(close).word == "close"  # 3 against 2 + 3
    clear = decide_values({"app_type": "static_site"})[1]
    assert margin(clear).points == 5 and margin(clear).word == "clear"


def test_margin_describes_a_tie_and_who_leads() -> None:
    tie = decide_values({"auth": True})[1]
    assert tie.tie
    assert (
        margin_line(tie)
        == f"Margin: close (a tie, which goes to {load_rules().tie.favours.title()})"
    )
    one = decide_values({"app_type": "cms"})[1]
    assert margin_line(one) == "Margin: close (Django leads by 1 point)"
    assert margin(one).to_json() == {"leader": "django", "points": 1, "word": "close"}


def test_plain_score_lines_name_the_guidance_first() -> None:
    decision = decide_values({"app_type": "cms", "admin": True})[1]
    assert score_lines(decision) == ["Django  8 points", "Flask   2 points"]


def test_styled_score_lines_draw_bars_in_proportion() -> None:
    decision = decide_values({"app_type": "cms", "admin": True})[1]
    lines = score_lines(decision, styled=True)
    assert all(ANSI.search(line) for line in lines)
    plain = [ANSI.sub("", line) for line in lines]
    assert plain == [
        "Django  " + "\u2588" * 16 + " 8 points",
        "Flask   " + "\u2588" * 4 + " 2 points",
    ]


def test_bars_never_exceed_the_width() -> None:
    values = {"app_type": "cms", "admin": True, "scale": "large", "i18n": True,
              "stack_preference": "batteries_included", "rest_api": True}  # fmt: skip
    decision = decide_values(values)[1]
    assert decision.scores["django"] * 2 > 20
    for line in score_lines(decision, styled=True, width=20):
        assert ANSI.sub("", line).count("\u2588") <= 20


@pytest.mark.parametrize(
    ("terminal", "environ", "expected"),
    [
        (True, {}, True),
        (False, {}, False),
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": ""}, True),  # no-color.org: only a non-empty value counts
    ],
)
def test_style_only_on_a_terminal_without_no_color(
    terminal: bool, environ: dict[str, str], expected: bool
) -> None:
    assert use_style(terminal, environ) is expected


def test_flip_lines_read_as_options_to_try() -> None:
    flips = [
        Flip({"app_type": "static_site"}, "flask", (("static-content-site", "starts"),
             ("content-management", "stops")), 5),
        Flip({"admin": True, "auth": True}, "django", (("admin-interface", "starts"),
             ("user-accounts", "starts")), 3),
        Flip({"database": "sqlite"}, "django", (), 0),
    ]  # fmt: skip
    assert flip_lines(flips) == [
        "  --set app_type=static_site: Flask"
        " (starts static-content-site; stops content-management)",
        "  --set admin=true --set auth=true: Django (starts admin-interface, user-accounts)",
        "  --set database=sqlite: Django",
    ]
    assert flip_lines([]) == ["  nothing short of changing three or more answers"]


def test_heading_says_an_explicit_choice_stays() -> None:
    assert flips_heading(decide_values({})[1]) == "What would change it:"
    explicit = decide_values({"framework": "django"})[1]
    assert "your choice of framework stays" in flips_heading(explicit)
