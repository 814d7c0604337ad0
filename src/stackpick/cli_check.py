"""``stackpick check``, the command (added to ``cli``'s group, whose handler turns errors
into ``error:`` lines and exit codes): 0 up to date, 1 behind its template, 2 bad input."""

from __future__ import annotations

import click

from .errors import EXIT_FAILURE
from .options import check_options


@click.command("check")
@check_options
def check_command(as_json: bool, project_dir: str) -> None:
    """Exit 0 when update would change nothing, 1 when the template or stackpick would
    change files (listed), 2 on bad input. Writes nothing; for CI and pre-commit."""
    import json
    from pathlib import Path

    from .check import check_json, check_project
    from .options import inputs_from
    from .ui.reports import check_text

    result = check_project(Path(project_dir), inputs_from({}, None, None))
    if as_json:
        click.echo(json.dumps(check_json(result), indent=2, ensure_ascii=False))
    else:
        click.echo(check_text(result))
    if not result.up_to_date:
        raise SystemExit(EXIT_FAILURE)
