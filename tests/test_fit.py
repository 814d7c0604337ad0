"""Wrapping to the terminal: between words only, indents and colours kept."""

from __future__ import annotations

import click
import pytest

from stackpick.ui.fit import visible, wrap

TEXT = "  +8 Flask  A small project gets going faster on the micro framework; the full-stack one."


@pytest.mark.parametrize("columns", [20, 33, 40, 80])
def test_lines_fit_and_words_stay_whole(columns: int) -> None:
    lines = wrap(TEXT, columns)
    assert all(len(line) <= columns for line in lines)
    assert " ".join(" ".join(lines).split()) == " ".join(TEXT.split())  # no word was cut
    assert all(line.startswith("    ") for line in lines[1:])  # continued: two more spaces


def test_a_line_that_fits_is_left_as_it_is() -> None:
    assert wrap("  Flask   ███ 8 points", 80) == ["  Flask   ███ 8 points"]


def test_runs_of_spaces_are_kept_where_the_line_does_not_break() -> None:
    assert wrap("  +8 Flask  A small project", 20) == ["  +8 Flask  A small", "    project"]


def test_a_word_wider_than_the_terminal_stays_whole() -> None:
    path = "/a/very/long/path/that/cannot/break"
    assert wrap(f"Created {path} now", 20) == ["Created", path, "now"]


def test_colours_take_no_columns_and_are_kept() -> None:
    styled = click.style("one two three four five six", fg="red")
    lines = wrap(styled, 10)
    assert all(visible(line) <= 10 for line in lines)
    assert click.unstyle(" ".join(lines)) == "one two three four five six"
    assert lines[0].startswith("\x1b[31m") and lines[-1].endswith("\x1b[0m")
