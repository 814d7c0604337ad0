"""The options several commands share, and how their values become the app's inputs."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from .app import Inputs

F = TypeVar("F", bound=Callable[..., Any])


def template_options(help: str | None = None) -> Callable[[F], F]:
    """``--template`` (with ``help`` when given), ``--checkout`` and ``--directory``."""

    def decorate(function: F) -> F:
        options = template_option_list(help) if help else template_option_list()
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


def answer_options(function: F) -> F:
    """The options every command that reads answers shares."""
    options = [
        click.option(
            "--answers",
            "answers_file",
            type=click.Path(dir_okay=False),
            help="Answers file (.yaml, .yml, .toml or .json).",
        ),
        click.option(
            "--set",
            "set_pairs",
            multiple=True,
            metavar="KEY=VALUE",
            help="An answer; repeatable. Wins over the file and STACKPICK_<KEY> variables.",
            shell_complete=complete_set,
        ),
        *template_option_list(),
        click.option(
            "--no-input", is_flag=True, help="Never prompt; use defaults for what no source gave."
        ),
        click.option("--json", "as_json", is_flag=True, help="Print one JSON object."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def template_option_list(
    help: str = "Your own cookiecutter template for a framework (folder, zip, git URL, gh:...).",
) -> list[Callable[[F], F]]:
    """``--template FRAMEWORK=SOURCE`` with its ``--checkout`` and ``--directory``."""
    return [
        click.option(
            "--template", "template_options", multiple=True, metavar="FRAMEWORK=SOURCE", help=help
        ),
        click.option("--checkout", metavar="REF", help="Git branch, tag or commit of --template."),
        click.option("--directory", metavar="DIR", help="Sub-folder of --template that holds it."),
    ]


def complete_set(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of ``--set``: the keys, then a choice key's values."""
    from .answers.completion import complete_answer

    return complete_answer(incomplete)


def make_inputs(params: dict[str, Any], name: str | None = None) -> Inputs:
    """The app layer's inputs from a command's parameters."""
    from .app import Inputs

    answers_file = params.get("answers_file")
    if answers_file:
        from pathlib import Path

        answers_file = Path(answers_file)
    return Inputs(
        answers_file=answers_file,
        set_pairs=tuple(params.get("set_pairs", ())),
        environ=dict(os.environ),
        name=name,
        template_options=tuple(params.get("template_options", ())),
        checkout=params.get("checkout"),
        directory=params.get("directory"),
    )
