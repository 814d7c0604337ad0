"""What each command accepts: its options, for ``cli.py``, and the app's inputs made from
their values."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from .app import Inputs
    from .trust import Trust

F = TypeVar("F", bound=Callable[..., Any])


def _stacked(function: F, *options: Callable[[F], F]) -> F:
    """``function`` with ``options`` applied as decorators listed top to bottom."""
    for option in reversed(options):
        function = option(function)
    return function


def template_options(help: str | None = None) -> Callable[[F], F]:
    """``--template`` (with ``help`` when given), ``--checkout`` and ``--directory``."""

    def decorate(function: F) -> F:
        return _stacked(function, *(template_option_list(help) if help else template_option_list()))

    return decorate


def questions_options(function: F) -> F:
    """``questions``: JSON, and a template whose variables to list too."""
    return _stacked(
        function,
        click.option("--json", "as_json", is_flag=True, help="Print a JSON list."),
        template_options("Also list the variables this template declares."),
    )


def guidance_options(function: F) -> F:
    """``guidance``: JSON."""
    return _stacked(
        function,
        click.option("--json", "as_json", is_flag=True, help="Print the articles as JSON."),
    )


def rules_options(function: F) -> F:
    """``rules``: JSON."""
    return _stacked(
        function,
        click.option("--json", "as_json", is_flag=True, help="Print the rule book as JSON."),
    )


def recommend_options(function: F) -> F:
    """``recommend``: the answers, and the format of the explanation."""
    return _stacked(
        function,
        answer_options,
        click.option(
            "--format",
            "output_format",
            type=click.Choice(["text", "markdown"]),
            default="text",
            show_default=True,
            help="markdown: print the decision record that 'new' writes into the project.",
        ),
    )


def new_options(function: F) -> F:
    """``new``: the answers, where the project goes, and what to do after."""
    return _stacked(
        function,
        click.argument("name", required=False),
        answer_options,
        click.option(
            "--output-dir",
            "-o",
            type=click.Path(file_okay=False),
            default=".",
            show_default=True,
            help="Folder in which the project folder is created.",
        ),
        click.option(
            "--force",
            is_flag=True,
            help="Replace an existing project folder (only after the new one is complete).",
        ),
        click.option("--dry-run", is_flag=True, help="Decide and list the files, write nothing."),
        click.option("--quiet", "-q", is_flag=True, help="Print only the project path."),
        click.option(
            "--setup",
            "with_setup",
            is_flag=True,
            help="Then set the project up: .venv, install, migrations, its tests (see 'setup'"
            "; --python and --installer are its).",
        ),
        PYTHON_OPTION,
        INSTALLER_OPTION,
        click.option(
            "--no-git",
            is_flag=True,
            help="Do not make the project a git repository with a first commit.",
        ),
    )


PYTHON_OPTION = click.option(
    "--python",
    "python",
    metavar="PATH",
    help="Build .venv from this interpreter, replacing one there (default: pythonX.Y of "
    "the project's python_version from PATH or pyenv, else the nearest newer one).",
)
INSTALLER_OPTION = click.option(
    "--installer",
    type=click.Choice(["auto", "uv", "pip"]),
    default="auto",
    show_default=True,
    help="auto: uv when on PATH or installed with stackpick[uv], else pip.",
)


def _project_option(needs: str = "") -> Callable[[F], F]:
    """``--project DIR`` (default: here); ``needs`` adds what the folder must be besides."""
    return click.option(
        "--project",
        "project_dir",
        type=click.Path(file_okay=False),
        default=".",
        show_default=True,
        help=f"The project folder (with its .stackpick.toml{needs}).",
    )


def setup_options(function: F) -> F:
    """``setup``: the project, its Python and the installer."""
    return _stacked(
        function,
        _project_option(),
        PYTHON_OPTION,
        INSTALLER_OPTION,
        click.option(
            "--json", "as_json", is_flag=True, help="Print one JSON object: steps, times, outcomes."
        ),
    )


def update_options(function: F) -> F:
    """``update``: the answers that change, and the project."""
    return _stacked(
        function,
        answer_options,
        click.option("--dry-run", is_flag=True, help="List what would change; write nothing."),
        _project_option(", a clean git repository"),
    )


def check_options(function: F) -> F:
    """``check``: the project, and JSON."""
    return _stacked(
        function,
        click.option("--json", "as_json", is_flag=True, help="Print one JSON object."),
        _project_option(", a git repository"),
    )


def serve_options(function: F) -> F:
    """``serve``: where to listen, how many processes and renders, the templates."""
    return _stacked(
        function,
        click.option(
            "--host", default="127.0.0.1", show_default=True, help="Address to listen on."
        ),
        click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535)),
        click.option(
            "--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Processes."
        ),
        click.option(
            "--max-renders",
            default=4,
            show_default=True,
            type=click.IntRange(1, 256),
            help="Projects built at once per process; more requests wait in line.",
        ),
        click.option(
            "--max-body",
            default=65536,
            show_default=True,
            type=click.IntRange(1024, 16 * 1024 * 1024),
            help="Largest request body, in bytes.",
        ),
        click.option(
            "--temp-dir",
            type=click.Path(exists=True, file_okay=False, writable=True),
            help="Where each request's project is built, then removed (default: the system's "
            "temporary folder). A memory-backed one, such as /dev/shm, lets workers scale.",
        ),
        click.option(
            "--forwarded-allow-ips",
            metavar="IPS",
            help="Behind a reverse proxy: the proxy addresses whose X-Forwarded-* headers "
            "to trust.",
        ),
        template_options("Your own cookiecutter template for a framework, for every request."),
    )


def answer_options(function: F) -> F:
    """The options every command that reads answers shares."""
    return _stacked(
        function,
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
    )


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
        trust_option,
    ]


trust_option = click.option(
    "--trust",
    is_flag=True,
    help="Run the hooks and Jinja extensions of a template fetched from a remote source.",
)


def complete_set(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of ``--set``: the keys, then a choice key's values."""
    from .answers.completion import complete_answer

    return complete_answer(incomplete)


def inputs_from(
    params: dict[str, Any], name: str | None, confirm: Callable[[str], bool] | None
) -> Inputs:
    """The app layer's inputs from a command's parameters; ``confirm`` asks before a remote
    template's code runs (``None``: never asked)."""
    from pathlib import Path

    from .app import Inputs

    answers_file = params.get("answers_file")
    environ = dict(os.environ)
    return Inputs(
        answers_file=Path(answers_file) if answers_file else None,
        set_pairs=tuple(params.get("set_pairs", ())),
        environ=environ,
        name=name,
        template_options=tuple(params.get("template_options", ())),
        checkout=params.get("checkout"),
        directory=params.get("directory"),
        trust=trust_from(params, environ, confirm),
    )


def trust_from(
    params: dict[str, Any], environ: dict[str, str], confirm: Callable[[str], bool] | None
) -> Trust:
    """``--trust``, the config file, and who to ask about the rest."""
    from .trust import Trust, config_path

    return Trust(
        everything=bool(params.get("trust")), confirm=confirm, config=str(config_path(environ))
    )
