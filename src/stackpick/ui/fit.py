"""Text that fits the terminal: wrapped to its width between words, colours kept."""

from __future__ import annotations

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

    A continued line keeps the first line's indent (two more when the line is an item such as
    ``  3 api`` or ``  - x``), so wrapped help reads as one paragraph. A single word wider than
    the terminal stays whole on a line of its own.
    """
    columns = columns or width()
    lines: list[str] = []
    for line in text.split("\n"):
        if visible(line) <= columns:
            lines.append(line)
            continue
        plain = click.unstyle(line)
        lead = len(plain) - len(plain.lstrip(" "))
        words = _words(line)
        indent, more = " " * lead, " " * (lead + 2 if _item(plain.lstrip(" ")) else lead)
        current, used = indent, lead
        for word in words:
            size = visible(word)
            if current.strip() and used + 1 + size > columns:
                lines.append(current)
                current, used = more, len(more)
            if current.strip():
                current, used = current + " ", used + 1
            current, used = current + word, used + size
        lines.append(current)
    return lines


def _words(line: str) -> list[str]:
    """The words of ``line``; a colour code standing alone joins the word after it."""
    words: list[str] = []
    pending = ""
    for word in line.split(" "):
        if visible(word):
            words.append(pending + word)
            pending = ""
        else:
            pending += word
    if pending and words:
        words[-1] += pending
    return words


def _item(plain: str) -> bool:
    """Whether a line starts as a list item: ``- x``, ``3 api`` or ``1) x``."""
    head = plain.split(" ", 1)[0]
    return head in ("-", "*") or head.rstrip(").").isdigit()


def fitted(text: str) -> str:
    """``text`` wrapped to the terminal when the output is one (a pipe or file gets it whole)."""
    import sys

    return "\n".join(wrap(text)) if sys.stdout.isatty() else text
