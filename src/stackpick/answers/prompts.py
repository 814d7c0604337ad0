"""Interactive prompts for the answers no other source gave (terminal only)."""

from __future__ import annotations

from collections.abc import Mapping

import click

from .questions import QUESTIONS, Question, Type, Value
from .validate import Given, Source, default_for, validate_value

NEEDS_DATABASE = ("admin", "auth")


def _ask(question: Question, default: Value) -> Value:
    if question.type is Type.BOOL:
        return click.confirm(question.prompt, default=bool(default))
    kind = click.Choice(question.choices) if question.type is Type.CHOICE else str
    while True:
        raw = click.prompt(question.prompt, default=default, type=kind, show_choices=True)
        checked = validate_value(question, raw)
        if checked.error is None and checked.value is not None:
            return checked.value
        click.echo(f"  {checked.error}", err=True)


def prompt_missing(given: Mapping[str, Given]) -> Source:
    """Ask, in schema order, for every key not in ``given``; defaults follow earlier answers."""
    known: dict[str, Value] = {}
    for key, item in given.items():
        checked = validate_value(next(q for q in QUESTIONS if q.key == key), item.value)
        if checked.value is not None:
            known[key] = checked.value
    asked: dict[str, Given] = {}
    for question in QUESTIONS:
        if question.key in given:
            continue
        if question.key in NEEDS_DATABASE and known.get("database") == "none":
            continue
        value = _ask(question, default_for(question.key, known))
        known[question.key] = value
        asked[question.key] = Given(value, "prompt")
    return Source("prompt", asked)
