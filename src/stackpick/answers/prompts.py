"""Interactive prompts: a source like the others, asked only for what no other source gave.

Each answer is checked as it is typed with the same ``validate_value`` every source
goes through; whether a question applies comes from the schema (``Question.requires``).
"""

from __future__ import annotations

from collections.abc import Mapping

import click

from .questions import Question, Schema, Type, Value
from .sources import Given, Source
from .validate import default_for, validate_value


def ask(question: Question, default: Value | None) -> Value:
    """Ask one question until its answer is valid."""
    if question.type is Type.BOOL:
        return click.confirm(question.prompt, default=bool(default))
    kind = click.Choice(question.choices) if question.type is Type.CHOICE else str
    while True:
        raw = click.prompt(
            question.prompt,
            default=default if default is not None else "",
            type=kind,
            show_choices=True,
        )
        checked = validate_value(question, raw)
        if checked.error is None and checked.value is not None:
            return checked.value
        click.echo(f"  {checked.error}", err=True)


def applies(question: Question, known: Mapping[str, Value]) -> bool:
    """Whether a yes/no question can be answered yes given what is known (its requirements)."""
    return all(key not in known or known[key] in allowed for key, allowed in question.requires)


def known_values(schema: Schema, given: Mapping[str, Given]) -> dict[str, Value]:
    """The values already given that are valid (the invalid ones are reported later)."""
    known: dict[str, Value] = {}
    by_key = schema.by_key
    for key, item in given.items():
        if key in by_key:
            checked = validate_value(by_key[key], item.value)
            if checked.value is not None:
                known[key] = checked.value
    return known


def prompt_missing(
    schema: Schema, given: Mapping[str, Given], keys: tuple[str, ...] | None = None
) -> Source:
    """Ask, in schema order, for every key (of ``keys``) not in ``given``."""
    known = known_values(schema, given)
    asked: dict[str, Given] = {}
    for question in schema.questions:
        if question.key in given or (keys is not None and question.key not in keys):
            continue
        if question.type is Type.BOOL and not applies(question, known):
            continue
        value = ask(
            question,
            default_for(question.key, known)
            if question.kind.value != "template"
            else question.default,
        )
        known[question.key] = value
        asked[question.key] = Given(value, "prompt")
    return Source("prompt", asked)
