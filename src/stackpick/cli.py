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
    from .app import Asker, Created, Inputs
    from .decision.decide import Decision

F = TypeVar("F", bound=Callable[..., Any])
EXIT_INTERRUPTED = 130
#: ``False`` when colour is off (``--no-color``, ``NO_COLOR``); ``None``: only on a terminal.
COLOUR: bool | None = None


class ReportedError(click.ClickException):
    """A ``StackpickError`` on its way out: one ``error:`` line per message."""

    def __init__(self, messages: Sequence[str], exit_code: int) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages
        self.exit_code = exit_code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        prefix = click.style("error:", fg="red", bold=True)
        for message in self.messages:
            click.echo(f"{prefix} {message}", err=True, color=COLOUR)


class StackpickGroup(click.Group):
    """Turns every failure into one-line messages and an exit code (traceback only with --debug)."""

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

    Exit codes: 0 success, 2 bad input (or an existing target), 1 anything else (for
    check: the project is behind its template), 3 update left merge conflicts,
    130 interrupted.
    """
    global COLOUR
    COLOUR = False if no_color or os.environ.get("NO_COLOR") else None
    if COLOUR is False:
        ctx.color = False


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


def template_option_list() -> list[Callable[[F], F]]:
    """``--template FRAMEWORK=SOURCE`` with its ``--checkout`` and ``--directory``."""
    return [
        click.option(
            "--template",
            "template_options",
            multiple=True,
            metavar="FRAMEWORK=SOURCE",
            help="Your own cookiecutter template for a framework (folder, zip, git URL, gh:...).",
        ),
        click.option("--checkout", metavar="REF", help="Git branch, tag or commit of --template."),
        click.option("--directory", metavar="DIR", help="Sub-folder of --template that holds it."),
    ]


def complete_set(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of ``--set``: the keys, then a choice key's values."""
    from .answers.completion import complete_answer

    return complete_answer(incomplete)


def stdin_is_interactive() -> bool:
    """Whether prompts may be shown (a terminal on stdin)."""
    return sys.stdin.isatty()


def stdout_is_terminal() -> bool:
    """Whether output goes to a terminal (bars and colour), not a pipe or a file."""
    return sys.stdout.isatty()


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


def asker(no_input: bool, decision_only: bool = False) -> Asker | None:
    """The interview for what no source gave, when allowed and on a terminal."""
    if no_input or not stdin_is_interactive():
        return None
    from .answers.prompts import interview

    return lambda session, given: interview(session, given, decision_only=decision_only)


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
@click.option(
    "--template",
    "template_options",
    multiple=True,
    metavar="FRAMEWORK=SOURCE",
    help="Also list the variables this template declares.",
)
@click.option("--checkout", metavar="REF", help="Git branch, tag or commit of --template.")
@click.option("--directory", metavar="DIR", help="Sub-folder of --template that holds it.")
def questions(as_json: bool, **params: Any) -> None:
    """List the questions, their choices and defaults."""
    from .app import open_session, questions_json

    if params["template_options"]:
        with open_session(make_inputs(params)) as session:
            listed = session.schema.questions
            data = questions_json(session)
    else:
        from .answers.questions import QUESTIONS

        listed = QUESTIONS
        data = questions_json()
    if as_json:
        print_json(data)
        return
    for q in listed:
        choices = " | ".join(q.choices) if q.choices else q.type.value
        if q.default is None:
            default = "derived from project_name" if q.key == "project_slug" else "the template's"
        else:
            default = str(q.default)
        click.echo(f"{q.key} ({q.kind.value}): {choices}; default {default}\n    {q.help}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the rule book as JSON.")
def rules(as_json: bool) -> None:
    """List the decision rules with their reasons and guidance sources."""
    from .decision.rules import load_rules

    if as_json:
        from .app import rules_json

        print_json(rules_json())
        return
    book = load_rules()
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


@cli.command()
@answer_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: print the decision record that 'new' writes into the project.",
)
def recommend(no_input: bool, as_json: bool, output_format: str, **params: Any) -> None:
    """Decide between Flask and Django and explain why, strongest reasons first."""
    from .app import open_session, recommendation_json, resolve, rule_book, session_flips
    from .decision import explain

    if as_json and output_format != "text":
        from .errors import BadInput

        raise BadInput("--json and --format markdown exclude each other; give one")
    with open_session(make_inputs(params)) as session:
        resolve(session, asker(no_input, decision_only=True))
        data = recommendation_json(session) if as_json else None
        flips = session_flips(session) if data is None else []
    answers, decision = session.answers, session.decision
    assert answers is not None and decision is not None
    if data is not None:
        print_json(data)
        return
    if output_format == "markdown":
        from .decision.record import render_record

        click.echo(render_record(decision, answers.values, rule_book(), flips), nl=False)
        return
    styled = COLOUR is not False and explain.use_style(stdout_is_terminal(), os.environ)
    click.echo(click.style(decision.summary(), bold=True))
    click.echo("")
    click.echo("\n".join(f"  {line}" for line in explain.score_lines(decision, styled)))
    click.echo(f"  {explain.margin_line(decision)}")
    if decision.fired:
        click.echo("\nReasons, strongest first:")
        click.echo("\n".join(_reason_lines(decision)))
    click.echo(f"\n{explain.flips_heading(decision)}")
    click.echo("\n".join(explain.flip_lines(flips)))
    for note in answers.notes:
        click.echo(f"note: {note}")


@cli.command()
@click.argument("name", required=False)
@answer_options
@click.option(
    "--output-dir",
    "-o",
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
@click.option(
    "--setup",
    "with_setup",
    is_flag=True,
    help="Then set the project up: .venv, install, migrations, its tests (see 'setup').",
)
@click.option(
    "--no-git", is_flag=True, help="Do not make the project a git repository with a first commit."
)
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

    from .app import new_project, open_session, resolve, session_flips

    with open_session(make_inputs(params, name)) as session:
        resolve(session, asker(no_input))
        result = new_project(session, Path(output_dir), force, dry_run, use_git=not no_git)
        flips = session_flips(session)
    data: dict[str, Any] = {
        **result.decision.to_json(),
        "flips": [flip.to_json() for flip in flips],
        "notes": list(result.notes),
        "answers": result.answers.to_json(),
        "path": str(result.path),
        "dry_run": dry_run,
        "files": list(result.files),
    }
    if as_json and not (with_setup and not dry_run):
        print_json(data)
    elif quiet:
        click.echo(str(result.path))
    elif not as_json:
        _report_new(result, flips)
    if with_setup and not dry_run:
        _setup_after_new(result.path, data, as_json, quiet)


def _setup_after_new(project: Any, data: dict[str, Any], as_json: bool, quiet: bool) -> None:
    """``new --setup``: set the new project up; a failure leaves it for ``stackpick setup``."""
    from .setup import SetupFailed, run_setup, terminal_reporter

    if not as_json and not quiet:
        click.echo("\nSetting it up:")
    try:
        outcome = run_setup(project, reporter=terminal_reporter(quiet=as_json or quiet))
    except SetupFailed as error:
        if as_json:
            print_json({**data, "setup": error.result.to_json()})
        raise
    if as_json:
        print_json({**data, "setup": outcome.to_json()})


def _report_new(result: Created, flips: Sequence[Any]) -> None:
    from .decision import explain

    click.echo(click.style(result.decision.summary(), bold=True))
    click.echo("\n".join(_reason_lines(result.decision, limit=3)))
    click.echo(f"  {explain.margin_line(result.decision)}")
    click.echo(f"{explain.flips_heading(result.decision)}")
    click.echo("\n".join(explain.flip_lines(flips[:3])))
    for note in result.notes:
        click.echo(f"note: {note}")
    if result.dry_run:
        click.echo(f"\nWould create {result.path} with {len(result.files)} files:")
        click.echo("\n".join(f"  {f}" for f in result.files))
        return
    click.echo(click.style(f"\nCreated {result.path} ({len(result.files)} files).", fg="green"))
    if result.next_steps:
        click.echo("\nNext:")
        click.echo(f"  cd {result.path}")
        click.echo("\n".join(f"  {step}" for step in result.next_steps))


@cli.command("setup")
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="The project folder (with its .stackpick.toml).",
)
@click.option(
    "--python",
    "python",
    metavar="PATH",
    help="Build .venv from this interpreter, replacing one there (default: pythonX.Y of "
    "the project's python_version from PATH or pyenv, else the nearest newer one).",
)
@click.option(
    "--installer",
    type=click.Choice(["auto", "uv", "pip"]),
    default="auto",
    show_default=True,
    help="auto: uv when on PATH or installed with stackpick[uv], else pip.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object: steps, times, outcomes."
)
def setup_command(project_dir: str, python: str | None, installer: str, as_json: bool) -> None:
    """Set a project up: .venv, install .[dev], its setup steps (migrations), its tests.

    After a failure, running it again continues from the failed step; after a
    success, it runs the project's steps again, and reinstalls only when
    pyproject.toml changed.
    """
    from pathlib import Path

    from .setup import SetupFailed, run_setup, terminal_reporter

    try:
        result = run_setup(
            Path(project_dir),
            reporter=terminal_reporter(quiet=as_json),
            python=python,
            installer=installer,
        )
    except SetupFailed as error:
        if as_json:
            print_json(error.result.to_json())
        raise
    if as_json:
        print_json(result.to_json())


@cli.command("update")
@answer_options
@click.option("--dry-run", is_flag=True, help="List what would change; write nothing.")
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="The project folder (with its .stackpick.toml, a clean git repository).",
)
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
        _report_update(error.result, as_json)
        raise
    _report_update(result, as_json)


def _report_update(result: Any, as_json: bool) -> None:
    from .update import finish_steps

    if as_json:
        print_json(result.to_json())
        return
    for note in result.notes:
        click.echo(f"note: {note}")
    for key, (old, new) in result.changed_answers.items():
        click.echo(f"answer {key}: {old} -> {new}")
    if result.up_to_date:
        click.echo(f"Up to date: {result.path} (nothing to do: no commit)")
        return
    verb = "Would update" if result.dry_run else "Updated"
    if result.conflicting and not result.dry_run:
        verb = "Merged, with conflicts, into"
    lists = [("added", result.added), ("changed", result.changed), ("removed", result.removed)]
    count = sum(len(files) for _, files in lists)
    click.echo(f"{verb} {result.path}: {count} files" + ("" if count else " (nothing to do)"))
    for label, files in lists:
        for name in files:
            click.echo(f"  {label:8} {name}")
    for key in result.env_added:
        click.echo(f"  .env     {key} appended")
    if result.conflicting:
        click.echo(f"{'Would conflict' if result.dry_run else 'Conflicts'}:")
        click.echo("\n".join(f"  conflict {name}" for name in result.conflicting))
        if not result.dry_run:
            click.echo("Finish as any git merge:")
            click.echo("\n".join(f"  {step}" for step in finish_steps(result.conflicting)))
    if result.setup_needed:
        when = "Then" if result.dry_run else "Next"
        reasons = ", ".join(result.setup_needed)
        click.echo(f"{when}: stackpick setup ({reasons}: install and migrate again)")


@cli.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="The project folder (with its .stackpick.toml, a git repository).",
)
def check_command(as_json: bool, project_dir: str) -> None:
    """Exit 0 when stackpick update would change nothing, 1 when the template or
    stackpick would change files (listed), 2 on bad input. Writes nothing: for CI and
    pre-commit. Only committed work counts.
    """
    from pathlib import Path

    from .check import changed_files, check_project
    from .errors import EXIT_FAILURE

    result = check_project(Path(project_dir), make_inputs({}))
    files = changed_files(result)
    behind = not result.up_to_date
    if as_json:
        data = result.to_json()
        print_json(
            {
                "path": data["path"],
                "up_to_date": not behind,
                "files": files,
                "added": data["added"],
                "changed": data["changed"],
                "removed": data["removed"],
                "conflicting": data["conflicting"],
                "setup_needed": data["setup_needed"],
                "notes": data["notes"],
            }
        )
    elif behind:
        click.echo(f"{result.path}: stackpick update would change {len(files)} files:")
        click.echo("\n".join(f"  {name}" for name in files))
        click.echo("Run stackpick update (then stackpick setup), and commit.")
    else:
        click.echo(f"{result.path}: up to date")
    if behind:
        raise SystemExit(EXIT_FAILURE)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Processes."
)
@click.option(
    "--max-renders",
    default=4,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Projects built at once per process; more requests wait in line.",
)
@click.option(
    "--max-body",
    default=65536,
    show_default=True,
    type=click.IntRange(1024, 16 * 1024 * 1024),
    help="Largest request body, in bytes.",
)
@click.option(
    "--forwarded-allow-ips",
    metavar="IPS",
    help="Behind a reverse proxy: the proxy addresses whose X-Forwarded-* headers to trust.",
)
@click.option(
    "--template",
    "template_options",
    multiple=True,
    metavar="FRAMEWORK=SOURCE",
    help="Your own cookiecutter template for a framework, for every request.",
)
@click.option("--checkout", metavar="REF", help="Git branch, tag or commit of --template.")
@click.option("--directory", metavar="DIR", help="Sub-folder of --template that holds it.")
def serve(
    host: str,
    port: int,
    workers: int,
    max_renders: int,
    max_body: int,
    forwarded_allow_ips: str | None,
    template_options: tuple[str, ...],
    checkout: str | None,
    directory: str | None,
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
    from .serve.app import ServeConfig

    config = ServeConfig(
        template_options=template_options,
        checkout=checkout,
        directory=directory,
        max_body=max_body,
        max_renders=max_renders,
    )
    run(config, host, port, workers, forwarded_allow_ips)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    cli.main(args=argv, prog_name="stackpick")
