"""Text that fits the terminal: wrapped to its width between words, colours kept."""

from __future__ import annotations

import re
import shutil

import click


def width() -> int:
    """The terminal's width (``COLUMNS`` first, as ``shutil`` reads it; 80 when unknown)."""
    return max(20, shutil.get_terminal_size((80, 24)).columns)


def visible(text: str) -> int:
    """How many columns ``text`` takes (colour codes take none)."""
    return len(click.unstyle(text))


def wrap(text: str, columns: int | None = None) -> list[str]:
    """``text`` as lines no wider than ``columns``, broken only between words.

    A continued line takes the first line's indent and two more (two also for an unindented
    item such as ``- x``), so wrapped help reads as one paragraph; runs of spaces are kept where
    the line does not break. A word wider than the terminal stays whole on a line of its own.
    """
    columns = columns or width()
    lines: list[str] = []
    for line in text.split("\n"):
        if visible(line) <= columns:
            lines.append(line)
            continue
        plain = click.unstyle(line)
        lead = len(plain) - len(plain.lstrip(" "))
        more = " " * (lead + 2 if lead or _item(plain.lstrip(" ")) else 0)
        current, used, gap = " " * lead, lead, ""
        for word, spaces in _words(line):
            size = visible(word)
            if current.strip() and used + len(gap) + size > columns:
                lines.append(current)
                current, used, gap = more, len(more), ""
            current, used = current + gap + word, used + len(gap) + size
            gap = spaces
        lines.append(current)
    return lines


def _words(line: str) -> list[tuple[str, str]]:
    """The words of ``line``, each with the spaces after it (kept where the line does not
    break); a colour code standing alone joins the word after it."""
    words: list[tuple[str, str]] = []
    pending = ""
    for word, spaces in re.findall(r"([^ ]*)( *)", line.lstrip(" ")):
        if visible(word):
            words.append((pending + word, spaces))
            pending = ""
        else:
            pending += word
            if words:
                words[-1] = (words[-1][0], words[-1][1] + spaces)
    if pending and words:
        words[-1] = (words[-1][0] + pending, words[-1][1])
    return words


def _item(plain: str) -> bool:
    """Whether a line starts as a list item: ``- x``, ``3 api`` or ``1) x``."""
    head = plain.split(" ", 1)[0]
    return head in ("-", "*") or head.rstrip(").").isdigit()


def fitted(text: str) -> str:
    """``text`` wrapped to the terminal when the output is one (a pipe or file gets it whole)."""
    import sys

    return "\n".join(wrap(text)) if sys.stdout.isatty() else text
