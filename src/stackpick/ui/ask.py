"""Asking one question on a terminal until its answer is valid."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Protocol

import click

from ..answers.questions import CHOICE_HELP, Kind, Question, Type, Value
from ..answers.values import validate_value
from ..errors import Cancelled
from .fit import width, wrap

HELP_WORDS = frozenset({"?", "help"})


class Terminal(Protocol):
    """Where the interview writes and reads (the user's terminal, or a script in tests)."""

    def say(self, text: str = "") -> None: ...

    def read(self, prompt: str) -> str: ...


class Console:
    """The user's terminal: click's output (with its colour rules) wrapped to its width, and
    ``input()``."""

    def say(self, text: str = "") -> None:
        click.echo("\n".join(wrap(text)))

    def read(self, prompt: str) -> str:
        *before, last = wrap(prompt.rstrip(" ")) or [""]
        for line in before:
            click.echo(line)
        click.echo(last + " ", nl=False)
        try:
            return input()
        except EOFError:  # Ctrl-D
            click.echo()
            raise Cancelled("end of input; nothing was created") from None


def as_text(value: Value | None) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


def ask(
    term: Terminal,
    question: Question,
    default: Value | None,
    choices: tuple[str, ...] = (),
    check: Callable[[str], str | None] | None = None,
    template_default: bool = False,
) -> Value | None:
    """Ask one question until its answer is valid; ``None``: keep the template's own default."""
    choices = choices or question.choices
    listed = " (yes/no)" if question.type is Type.BOOL else ""
    if question.type is Type.CHOICE:
        term.say(numbered(choices))
    shown = as_text(default)
    template_default = template_default or question.kind is Kind.TEMPLATE
    if default is None and template_default:
        shown = "the template's default"
    line = (
        click.style(question.prompt, bold=True)
        + listed
        + (" " + click.style(f"[{shown}]", fg="cyan") if shown else "")
        + ": "
    )
    while True:
        raw = term.read(line).strip()
        if raw.lower() in HELP_WORDS:
            term.say(f"  {question.help}")
            explained = CHOICE_HELP.get(question.key, {})
            term.say("\n".join(f"  {c}: {explained[c]}" for c in choices if c in explained))
            continue
        if not raw:
            if default is None:
                if template_default:
                    return None
                term.say(click.style("  an answer is needed", fg="red"))
                continue
            raw = as_text(default)
        if question.type is Type.CHOICE:
            raw = expand(raw, choices)
        checked = validate_value(question, raw)
        error = checked.error
        if error is None and choices and checked.value not in choices:
            error = f"{raw!r} is not offered here; use one of: {', '.join(choices)}"
        if error is not None and question.type is Type.CHOICE:
            error = did_you_mean(raw, choices) or error
        if error is None and check is not None and isinstance(checked.value, str):
            error = check(checked.value)
        if error is None and checked.value is not None:
            return checked.value
        term.say(click.style(f"  {error}", fg="red"))


def numbered(choices: tuple[str, ...]) -> str:
    """``  1 website  2 static_site  3 api``: the choices with the numbers that pick them, as
    many to a line as the terminal holds (a number never parted from its choice)."""
    lines = [""]
    for n, choice in enumerate(choices, 1):
        item = f"  {n} {choice}"
        if lines[-1] and len(lines[-1]) + len(item) > width():
            lines.append("")
        lines[-1] += item
    return "\n".join(lines)


def did_you_mean(raw: str, choices: tuple[str, ...]) -> str | None:
    """``'apii' is not a choice; did you mean api?`` when one choice is close to ``raw``."""
    close = difflib.get_close_matches(raw.lower(), choices, n=1, cutoff=0.6)
    if not close:
        return None
    return f"{raw!r} is not a choice; did you mean {close[0]}? (or type its number)"


def expand(raw: str, choices: tuple[str, ...]) -> str:
    """A choice typed as its number in the list, or as the start of one name only."""
    if raw.isdigit() and 1 <= int(raw) <= len(choices):
        return choices[int(raw) - 1]
    starting = [c for c in choices if c.lower().startswith(raw.lower())]
    return starting[0] if len(starting) == 1 and raw not in choices else raw
