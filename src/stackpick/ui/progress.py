"""``setup``'s progress on the terminal: one line per step, with its time."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable

from ..setup.plan import Step
from ..setup.report import QuietReporter, Reporter
from ..setup.result import StepResult


class LineReporter:
    """One line per step with its time; on a terminal the line shows while the step runs."""

    def __init__(self, write: Callable[[str], None], live: bool = False) -> None:
        self.write = write
        self.live = live

    def started(self, step: Step, index: int, total: int) -> None:
        if self.live:  # cut to the terminal's width, so that "\r" clears all of it
            width = shutil.get_terminal_size().columns - 1
            self.write(f"[{index}/{total}] {step.name:<12} ...  {step.detail}"[:width])

    def finished(self, result: StepResult, index: int, total: int) -> None:
        if self.live:
            self.write("\r\033[K")
        seconds = "  (done)" if result.outcome == "skipped" else f"{result.seconds:6.2f} s"
        mark = {"failed": "FAILED  ", "interrupted": "STOPPED  "}.get(result.outcome, "")
        self.write(f"[{index}/{total}] {result.name:<12} {seconds}  {mark}{result.detail}\n")

    def note(self, text: str) -> None:
        self.write(text + "\n")


def terminal_reporter(quiet: bool = False) -> Reporter:
    """Progress on stdout (``setup``, ``new --setup``); nothing when ``quiet`` (``--json``)."""
    if quiet:
        return QuietReporter()
    import click

    return LineReporter(lambda text: click.echo(text, nl=False), live=sys.stdout.isatty())
