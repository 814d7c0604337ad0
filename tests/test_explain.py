"""How close the decision was: score lines, the margin in words, and the flips as lines."""

from __future__ import annotations

import re

import pytest

from decision_space import bundled_limits, finder, space
from stackpick.app import decide_values
from stackpick.decision.explain import (
    flip_lines,
    flips_heading,
    margin,
    margin_line,
    score_lines,
    use_style,
)
from stackpick.decision.flips import Flip, find_flips
from stackpick.decision.rules import load_rules

#: Every decision of the space is made once per test process: the modules that walk it
#: share one worker (``--dist loadgroup``), so it is built once per run, not once per worker.
pytestmark = pytest.mark.xdist_group("decision_space")

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_no_clear_result_turns_on_a_single_answer() -> None:
    """Over every valid answer set: "clear" exactly when no single changed answer turns the
    guidance (and never for a tie); "close" names every answer that does."""
    search = finder()
    words = {"clear": 0, "close": 0}
    for result in space().values():
        decision = result.decision
        singles = search.singles(result.answers)
        found = margin(decision, singles)
        lead = decision.scores[decision.guidance] - min(decision.scores.values())
        assert found.leader == decision.guidance and found.points == lead >= 0
        assert (found.word == "clear") == (not singles and not decision.tie)
        assert set(found.depends_on) == {k for flip in singles for k in flip.changes}
        words[found.word] += 1
    print(f"\nmargins over {sum(words.values())} answer sets: {words}")
    assert all(words.values())


def test_margin_says_what_it_depends_on() -> None:
    answers, decision = decide_values({"app_type": "prototype", "auth": True})
    flips = find_flips(answers, load_rules(), bundled_limits())
    line = margin_line(decision, flips)
    assert line.startswith("Margin: close (Django leads by 4 points; one changed answer turns it: ")
    assert "auth" in line and "team_experience" in line
    clear = decide_values({"app_type": "static_site", "stack_preference": "pick_my_own"})
    flips = find_flips(clear[0], load_rules(), bundled_limits())
    lead = clear[1].scores["flask"] - clear[1].scores["django"]
    assert margin_line(clear[1], flips) == (
        f"Margin: clear (Flask leads by {lead} points; no single changed answer turns it)"
    )
    assert margin(clear[1], flips).to_json() == {
        "leader": "flask", "points": lead, "word": "clear", "depends_on": []
    }  # fmt: skip


def test_margin_describes_a_tie_and_who_leads() -> None:
    answers, tie = decide_values({"auth": True})
    assert tie.tie
    flips = find_flips(answers, load_rules(), bundled_limits())
    assert margin_line(tie, flips).startswith(
        f"Margin: close (a tie, which goes to {load_rules().tie.favours.title()}; "
    )
    assert margin(tie, []).describe() == "close (a tie, which goes to Flask)"


def test_plain_score_lines_name_the_guidance_first() -> None:
    decision = decide_values({"app_type": "cms", "admin": True})[1]
    assert score_lines(decision) == ["Django  18 points", "Flask   8 points"]


def test_styled_score_lines_draw_bars_in_proportion() -> None:
    decision = decide_values({"app_type": "static_site", "i18n": True})[1]
    lines = score_lines(decision, styled=True)
    assert all(ANSI.search(line) for line in lines)
    plain = [ANSI.sub("", line) for line in lines]
    assert plain == [
        "Flask   " + "\u2588" * 28 + " 14 points",
        "Django  " + "\u2588" * 8 + " 4 points",
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
    assert flip_lines(flips, spoken=True) == [  # the interview: answers, not flags
        "  app_type: static_site → Flask (starts static-content-site; stops content-management)",
        "  admin: yes, auth: yes → Django (starts admin-interface, user-accounts)",
        "  database: sqlite → Django",
    ]


def test_heading_says_an_explicit_choice_stays() -> None:
    assert flips_heading(decide_values({})[1]) == "What would change it:"
    explicit = decide_values({"framework": "django"})[1]
    assert "your choice of framework stays" in flips_heading(explicit)
