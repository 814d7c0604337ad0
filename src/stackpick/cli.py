"""The ``stackpick`` command line: the one place errors become messages and exit codes.

Imports stay inside the commands so that ``--help`` and ``--version`` load
nothing but click, and no command loads Jinja unless it renders.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import click

from . import __version__
from .cli_check import check_command
from .errors import EXIT_FAILURE, StackpickError
from .options import (
    guidance_options,
    new_options,
    questions_options,
    recommend_options,
    rules_options,
    serve_options,
    setup_options,
    update_options,
)

if TYPE_CHECKING:
    from pathlib import Path

    from .app import Asker, Inputs
    from .update import Updated

EXIT_INTERRUPTED = 130
#: stdout closed by its reader (``stackpick questions | head -1``): 128 + SIGPIPE, as a shell
#: reports for a command the closed pipe stopped; nothing more is printed.
EXIT_CLOSED_PIPE = 141
#: At most this many ``error:`` lines; the rest are counted ("and N more").
MAX_ERROR_LINES = 20
#: ``False`` when colour is off (``--no-color``, ``NO_COLOR``); ``None``: only on a terminal.
COLOUR: bool | None = None


class ReportedError(click.ClickException):
    """A ``StackpickError`` on its way out: one ``error:`` line per message."""

    def __init__(self, messages: Sequence[str], exit_code: int) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages
        self.exit_code = exit_code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        prefix = click.style("error: ", fg="red", bold=True) if self.exit_code else ""
        shown = self.messages[:MAX_ERROR_LINES]
        for message in shown:
            click.echo(f"{prefix}{message}", err=True, color=COLOUR)
        if len(self.messages) > len(shown):
            more = len(self.messages) - len(shown)
            click.echo(f"{prefix}and {more} more; fix these first", err=True, color=COLOUR)


class StackpickGroup(click.Group):
    """Turns every failure into one-line messages and an exit code (traceback only with --debug)."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:  # a SIGTERM while the options are read is an interrupt too (click: "Aborted!", 1)
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            raise ReportedError(["interrupted; nothing was written"], EXIT_INTERRUPTED) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StackpickError as error:
            raise ReportedError(error.messages, error.exit_code) from error
        except KeyboardInterrupt:
            if sys.stderr.isatty():
                click.echo(err=True)  # after the ^C the terminal shows
            raise ReportedError(["interrupted; nothing was written"], EXIT_INTERRUPTED) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            # The reader is gone: print nothing more, not even at exit's flush.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
            raise click.exceptions.Exit(EXIT_CLOSED_PIPE) from None
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
@click.option("--no-color", is_flag=True, help="No colour in the output (as with NO_COLOR set).")
@click.pass_context
def cli(ctx: click.Context, debug: bool, no_color: bool) -> None:
    """Decide between Flask and Django from your requirements, with cited reasons,
    and generate a starter project that passes its own tests.

    Exit codes: 0 success, 2 bad input (or an existing target), 1 anything else,
    3 update left merge conflicts, 130 interrupted.
    """
    global COLOUR
    COLOUR = False if no_color or os.environ.get("NO_COLOR") else None
    if COLOUR is False:
        ctx.color = False


def stdin_is_interactive() -> bool:
    """Whether prompts may be shown (a terminal on stdin)."""
    return sys.stdin.isatty()


def stdout_is_terminal() -> bool:
    """Whether output goes to a terminal (bars and colour), not a pipe or a file."""
    return sys.stdout.isatty()


def make_inputs(params: dict[str, Any], name: str | None = None) -> Inputs:
    """The app layer's inputs; on a terminal (not --no-input) a remote template's code is
    asked about before it runs."""
    from .options import inputs_from

    interactive = not params.get("no_input") and stdin_is_interactive()
    return inputs_from(params, name, confirm_trust if interactive else None)


def confirm_trust(question: str) -> bool:
    """Ask on the terminal whether to run a remote template's code (default: no)."""
    return click.confirm(question, default=False, err=True)


def asker(no_input: bool, decision_only: bool = False) -> Asker | None:
    """The interview for what no source gave, when allowed and on a terminal."""
    if no_input or not stdin_is_interactive():
        return None
    from .ui.prompts import interview

    return lambda session, given: interview(session, given, decision_only=decision_only)


def print_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@cli.command()
@questions_options
def questions(as_json: bool, **params: Any) -> None:
    """List the questions, their choices and defaults."""
    from .app import listed_questions, open_session, questions_json

    if params["template_options"]:
        with open_session(make_inputs(params)) as session:
            listed = listed_questions(session, session.schema.questions)
            data = [question.to_json() for question in listed]
    else:
        from .answers.questions import QUESTIONS

        listed = list(QUESTIONS)
        data = questions_json()
    if as_json:
        print_json(data)
        return
    from .ui.reports import questions_text

    click.echo(questions_text(listed))


@cli.command()
@rules_options
def rules(as_json: bool) -> None:
    """List the decision rules with their reasons and guidance sources."""
    from .decision.rules import load_rules

    if as_json:
        from .app import rules_json

        print_json(rules_json())
        return
    from .decision.guidance import book_lines

    click.echo("\n".join(book_lines(load_rules())))


@cli.command()
@guidance_options
def guidance(as_json: bool) -> None:
    """List the five guidance articles by number and title, with the rules drawn from each."""
    from .decision.guidance import article_lines, articles_json
    from .decision.rules import load_rules

    if as_json:
        print_json(articles_json(load_rules()))
        return
    from .ui.reports import wrapped

    click.echo(wrapped(article_lines(load_rules())))


@cli.command()
@recommend_options
def recommend(no_input: bool, as_json: bool, output_format: str, **params: Any) -> None:
    """Decide between Flask and Django and explain why, strongest reasons first."""
    from .app import open_session, recommendation_json, resolve, rule_book, session_flips
    from .decision import explain

    if as_json and output_format != "text":
        from .errors import BadInput

        raise BadInput("--json and --format markdown exclude each other; give one")
    with open_session(make_inputs(params)) as session:
        resolved = resolve(session, asker(no_input, decision_only=True))
        data = recommendation_json(resolved) if as_json else None
        flips = session_flips(resolved) if data is None else []
    _, answers, decision = resolved
    if data is not None:
        print_json(data)
        return
    if output_format == "markdown":
        from .decision.record import render_record

        click.echo(render_record(decision, answers.values, rule_book(), flips), nl=False)
        return
    from .ui.reports import recommendation_text

    styled = COLOUR is not False and explain.use_style(stdout_is_terminal(), os.environ)
    click.echo(recommendation_text(decision, answers, flips, styled))


@cli.command()
@new_options
def new(
    name: str | None,
    no_input: bool,
    as_json: bool,
    output_dir: str,
    force: bool,
    dry_run: bool,
    quiet: bool,
    no_git: bool,
    with_setup: bool,
    **params: Any,
) -> None:
    """Decide the framework and generate a project in OUTPUT_DIR/<project_slug>.

    NAME sets project_name, and wins over --set project_name=...
    """
    from pathlib import Path

    from .app import open_session, resolve, session_flips
    from .interrupt import reported_as_done
    from .new import new_project
    from .ui.reports import created_text

    with open_session(make_inputs(params, name)) as session:
        resolved = resolve(session, asker(no_input))
        result = new_project(resolved, Path(output_dir), force, dry_run, use_git=not no_git)
        with reported_as_done(None if dry_run else f"the project was complete: {result.path}"):
            flips = session_flips(resolved)
            data = result.to_json(flips)
            if as_json and not (with_setup and not dry_run):
                print_json(data)
            elif quiet:
                click.echo(str(result.path))
            elif not as_json:
                click.echo(created_text(result, flips, with_setup and not dry_run))
    if with_setup and not dry_run:  # a failure leaves the project for 'stackpick setup'
        if not as_json and not quiet:
            click.echo("\nSetting it up:")
        _set_up(result.path, as_json, quiet, params.get("python"), params["installer"], data)


def _set_up(
    project: Path,
    as_json: bool,
    quiet: bool = False,
    python: str | None = None,
    installer: str = "auto",
    data: Mapping[str, Any] | None = None,
) -> None:
    """``setup`` on ``project``; its JSON, in ``data`` as ``setup`` for ``new --setup``."""
    from .setup import SetupFailed, SetupResult, run_setup
    from .ui.progress import terminal_reporter

    def show(result: SetupResult) -> None:
        if as_json:
            print_json(result.to_json() if data is None else {**data, "setup": result.to_json()})

    reporter = terminal_reporter(quiet=as_json or quiet)
    try:
        outcome = run_setup(project, reporter=reporter, python=python, installer=installer)
    except SetupFailed as error:
        show(error.result)
        raise
    show(outcome)


@cli.command("setup")
@setup_options
def setup_command(project_dir: str, python: str | None, installer: str, as_json: bool) -> None:
    """Set a project up: .venv, install .[dev], its setup steps (migrations), its tests.

    After a failure, running it again continues from the failed step; after a
    success, it runs the project's steps again, and reinstalls only when
    pyproject.toml changed.
    """
    from pathlib import Path

    _set_up(Path(project_dir), as_json, python=python, installer=installer)


@cli.command("update")
@update_options
def update_command(
    no_input: bool, as_json: bool, dry_run: bool, project_dir: str, **params: Any
) -> None:
    """Render the project again for changed answers or a newer template, and merge that
    into your work with git (your edits stay).

    The recorded answers (.stackpick.toml) are overlaid by the ones given here. Exit 0:
    merged and committed; 3: conflicts remain, resolve them as in any git merge; 2: bad
    input (no .stackpick.toml, uncommitted changes, a framework change), nothing changed.
    """
    from pathlib import Path

    from .errors import MergeConflicts
    from .update import update_project

    try:
        result = update_project(
            Path(project_dir), make_inputs(params), asker(no_input), dry_run=dry_run
        )
    except MergeConflicts as error:
        _report_update(cast("Updated", error.result), as_json)
        raise
    _report_update(result, as_json)


def _report_update(result: Updated, as_json: bool) -> None:
    if as_json:
        print_json(result.to_json())
        return
    from .ui.reports import update_text

    click.echo(update_text(result))


@cli.command()
@serve_options
def serve(
    host: str, port: int, workers: int, forwarded_allow_ips: str | None, **params: Any
) -> None:
    """Serve the page, the HTTP API and starter zips (needs stackpick[serve]).

    Listens on 127.0.0.1 unless --host says otherwise.
    """
    try:
        from .serve.run import run
    except ImportError as error:
        from .errors import BadInput

        raise BadInput(
            f"serve needs its extra ({error.name} is missing): pip install 'stackpick[serve]'"
        ) from None
    from .options import trust_from
    from .serve.app import ServeConfig

    config = ServeConfig(
        template_options=params["template_options"],
        checkout=params["checkout"],
        directory=params["directory"],
        # Never asks: the workers open the templates (say --trust, or list them in the config).
        trust=trust_from({"trust": params["trust"]}, dict(os.environ), None),
        max_body=params["max_body"],
        max_renders=params["max_renders"],
        temp_dir=params["temp_dir"],
    )
    run(config, host, port, workers, forwarded_allow_ips)


cli.add_command(check_command)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    cli.main(args=argv, prog_name="stackpick")
