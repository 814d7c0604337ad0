"""Asking one question on a terminal until its answer is valid."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import click

from ..answers.questions import Kind, Question, Type, Value
from ..answers.validate import validate_value
from ..errors import Cancelled

HELP_WORDS = frozenset({"?", "help"})


class Terminal(Protocol):
    """Where the interview writes and reads (the user's terminal, or a script in tests)."""

    def say(self, text: str = "") -> None: ...

    def read(self, prompt: str) -> str: ...


class Console:
    """The user's terminal: click's output (with its colour rules) and ``input()``."""

    def say(self, text: str = "") -> None:
        click.echo(text)

    def read(self, prompt: str) -> str:
        click.echo(prompt, nl=False)
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
    listed = f" ({', '.join(choices)})" if question.type is Type.CHOICE else ""
    if question.type is Type.BOOL:
        listed = " (yes/no)"
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
        if error is None and check is not None and isinstance(checked.value, str):
            error = check(checked.value)
        if error is None and checked.value is not None:
            return checked.value
        term.say(click.style(f"  {error}", fg="red"))


def expand(raw: str, choices: tuple[str, ...]) -> str:
    """A choice typed as its number in the list, or as the start of one name only."""
    if raw.isdigit() and 1 <= int(raw) <= len(choices):
        return choices[int(raw) - 1]
    starting = [c for c in choices if c.lower().startswith(raw.lower())]
    return starting[0] if len(starting) == 1 and raw not in choices else raw
