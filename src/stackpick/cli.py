"""The ``stackpick`` command line: the one place errors become messages and exit codes.

Imports stay inside the commands so that ``--help`` and ``--version`` load
nothing but click, and no command loads Jinja unless it renders.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .errors import EXIT_FAILURE, StackpickError

if TYPE_CHECKING:
    from .answers.validate import Answers, Source
    from .decision.decide import Decision

F = TypeVar("F", bound=Callable[..., Any])


class ReportedError(click.ClickException):
    """A ``StackpickError`` on its way out: one ``error:`` line per message."""

    def __init__(self, messages: Sequence[str], exit_code: int) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages
        self.exit_code = exit_code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        for message in self.messages:
            click.echo(f"error: {message}", err=True)


class StackpickGroup(click.Group):
    """Turns every failure into one-line messages and an exit code (traceback only with --debug)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StackpickError as error:
            raise ReportedError(error.messages, error.exit_code) from error
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as error:
            if ctx.params.get("debug"):
                import traceback

                traceback.print_exc()
            raise ReportedError(
                [f"unexpected {type(error).__name__}: {error} (run with --debug for a traceback)"],
                EXIT_FAILURE,
            ) from error


def terminal_width() -> int:
    """The help text width, as click computes it, without importing ``shutil`` for it."""
    try:
        columns = int(os.environ.get("COLUMNS", "0")) or os.get_terminal_size().columns
    except (OSError, ValueError):
        columns = 80
    return max(min(columns, 80) - 2, 50)


@click.group(
    cls=StackpickGroup,
    context_settings={"help_option_names": ["-h", "--help"], "terminal_width": terminal_width()},
)
@click.version_option(
    __version__, "--version", prog_name="stackpick", message="%(prog)s %(version)s"
)
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
def cli(debug: bool) -> None:
    """Decide between Flask and Django from your requirements, with cited reasons,
    and generate a starter project that passes its own tests.

    Exit codes: 0 success, 2 bad input (or an existing target), 1 anything else.
    """


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
        ),
        click.option(
            "--no-input", is_flag=True, help="Never prompt; use defaults for what no source gave."
        ),
        click.option("--json", "as_json", is_flag=True, help="Print one JSON object."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def stdin_is_interactive() -> bool:
    """Whether prompts may be shown (a terminal on stdin)."""
    return sys.stdin.isatty()


def gather_answers(
    answers_file: str | None,
    set_pairs: Sequence[str],
    no_input: bool,
    extra: Sequence[Source] = (),
) -> Answers:
    """Merge every source in priority order, prompt for the rest when allowed, validate once."""
    from .answers.validate import from_environment, from_set_options, merge, validate

    sources: list[Source] = []
    if answers_file is not None:
        from pathlib import Path

        from .answers.file import read_answers_file

        sources.append(read_answers_file(Path(answers_file)))
    sources += [from_environment(os.environ), from_set_options(set_pairs), *extra]
    problems = [p for s in sources for p in s.problems]
    if not no_input and not problems and stdin_is_interactive():
        from .answers.prompts import prompt_missing

        sources.append(prompt_missing(merge(sources)))
    return validate(merge(sources), problems)


def print_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _reason_lines(decision: Decision, limit: int | None = None) -> list[str]:
    lines = []
    for rule in decision.fired[:limit]:
        sources = ", ".join(rule.sources)
        lines.append(
            f"  +{rule.weight} {rule.favours:<6} {rule.reason} [{rule.id}; guidance {sources}]"
        )
    return lines


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def questions(as_json: bool) -> None:
    """List the questions, their choices and defaults."""
    from .answers.questions import QUESTIONS

    if as_json:
        print_json([q.to_json() for q in QUESTIONS])
        return
    for q in QUESTIONS:
        choices = " | ".join(q.choices) if q.choices else q.type.value
        default = "derived from project_name" if q.default is None else q.default
        click.echo(f"{q.key} ({q.kind.value}): {choices}; default {default}\n    {q.help}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the rule book as JSON.")
def rules(as_json: bool) -> None:
    """List the decision rules with their reasons and guidance sources."""
    from .decision.rules import load_rules

    book = load_rules()
    if as_json:
        print_json(book.to_json())
        return
    for rule in book.rules:
        when = ", ".join(f"{k} in {list(v)}" for k, v in rule.when.items())
        if rule.when_any:
            when += " and any of " + " / ".join(
                ", ".join(f"{k} in {list(v)}" for k, v in c.items()) for c in rule.when_any
            )
        click.echo(f"{rule.id}: +{rule.weight} {rule.favours} when {when}")
        click.echo(f"    {rule.reason} [guidance {', '.join(rule.sources)}]")
    click.echo(
        f"tie: {book.tie.favours}. {book.tie.reason} [guidance {', '.join(book.tie.sources)}]"
    )
    for conflict in book.conflicts:
        click.echo(f"conflict {conflict.id}: {conflict.resolution}")


def _decide(answers: Answers) -> Decision:
    from .decision.decide import decide
    from .decision.rules import load_rules

    return decide(answers.values, load_rules())


@cli.command()
@answer_options
def recommend(
    answers_file: str | None, set_pairs: tuple[str, ...], no_input: bool, as_json: bool
) -> None:
    """Decide between Flask and Django and explain why, strongest reasons first."""
    answers = gather_answers(answers_file, set_pairs, no_input)
    decision = _decide(answers)
    if as_json:
        print_json(
            {**decision.to_json(), "notes": list(answers.notes), "answers": answers.to_json()}
        )
        return
    click.echo(decision.summary())
    if decision.fired:
        click.echo("\nReasons, strongest first:")
        click.echo("\n".join(_reason_lines(decision)))
    for note in answers.notes:
        click.echo(f"note: {note}")


@cli.command()
@click.argument("name", required=False)
@answer_options
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="Folder in which the project folder is created.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace an existing project folder (only after the new one is complete).",
)
@click.option("--dry-run", is_flag=True, help="Decide and list the files, write nothing.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the project path.")
def new(
    name: str | None,
    answers_file: str | None,
    set_pairs: tuple[str, ...],
    no_input: bool,
    as_json: bool,
    output_dir: str,
    force: bool,
    dry_run: bool,
    quiet: bool,
) -> None:
    """Decide the framework and generate a project in OUTPUT_DIR/<project_slug>.

    NAME sets project_name, and wins over --set project_name=...
    """
    from pathlib import Path

    from .answers.validate import Given, Source
    from .generate.scaffold import create, framework_notes, plan_new

    extra = [Source("argument", {"project_name": Given(name, "NAME argument")})] if name else []
    answers = gather_answers(answers_file, set_pairs, no_input, extra)
    decision = _decide(answers)
    make = plan_new if dry_run else create
    result = make(decision.framework, answers, Path(output_dir), force)
    notes = [*answers.notes, *framework_notes(decision.framework, answers)]
    if as_json:
        print_json(
            {
                **decision.to_json(),
                "notes": notes,
                "answers": answers.to_json(),
                "path": str(result.path),
                "dry_run": dry_run,
                "files": list(result.files),
            }
        )
    elif quiet:
        click.echo(str(result.path))
    else:
        _report_new(decision, notes, result, dry_run)


def _report_new(decision: Decision, notes: Sequence[str], result: Any, dry_run: bool) -> None:
    click.echo(decision.summary())
    click.echo("\n".join(_reason_lines(decision, limit=3)))
    for note in notes:
        click.echo(f"note: {note}")
    if dry_run:
        click.echo(f"\nWould create {result.path} with {len(result.files)} files:")
        click.echo("\n".join(f"  {f}" for f in result.files))
        return
    click.echo(f"\nCreated {result.path} ({len(result.files)} files).")
    if result.next_steps:
        click.echo("\nNext:")
        click.echo(f"  cd {result.path}")
        click.echo("\n".join(f"  {step}" for step in result.next_steps))


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    cli.main(args=argv, prog_name="stackpick")
