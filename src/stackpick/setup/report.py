"""What ``setup`` did and how it shows: each step's outcome and time, what to run next."""

from __future__ import annotations

import shlex
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from .plan import VENV, ProjectSpec, Step

Outcome = Literal["ok", "skipped", "failed", "interrupted"]


@dataclass(frozen=True)
class StepResult:
    name: str
    command: str
    outcome: Outcome
    seconds: float
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "command": self.command,
            "outcome": self.outcome,
            "seconds": round(self.seconds, 3),
            "detail": self.detail,
        }


@dataclass
class SetupResult:
    """What ``setup`` did: each step with its time and outcome, and what to run next."""

    project: Path
    installer: str
    steps: list[StepResult] = field(default_factory=list)
    run: str = ""
    admin: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and all(s.outcome in ("ok", "skipped") for s in self.steps)

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.steps)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "path": str(self.project),
            "installer": self.installer,
            "seconds": round(self.seconds, 3),
            "steps": [s.to_json() for s in self.steps],
            "run": self.run,
            "admin": self.admin,
            "error": self.error,
        }


class Reporter(Protocol):
    """Where progress goes: a line per step; ``QuietReporter`` for ``--json``."""

    def started(self, step: Step, index: int, total: int) -> None: ...

    def finished(self, result: StepResult, index: int, total: int) -> None: ...

    def note(self, text: str) -> None: ...


class QuietReporter:
    def started(self, step: Step, index: int, total: int) -> None:
        pass

    def finished(self, result: StepResult, index: int, total: int) -> None:
        pass

    def note(self, text: str) -> None:
        pass


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


def venv_command(command: str, venv_bin: Path) -> str:
    """``command`` with its program taken from ``.venv/bin`` when it is there."""
    words = shlex.split(command)
    if words and (venv_bin / words[0]).exists():
        words[0] = f"{VENV}/bin/{words[0]}"
    return shlex.join(words)


def next_commands(spec: ProjectSpec) -> list[str]:
    """How to start the server (and create the first administrator), to print at the end."""
    venv_bin = spec.root / VENV / "bin"
    lines = [f"cd {shlex.quote(str(spec.root))}"]
    if spec.run:
        lines.append(f"{venv_command(spec.run, venv_bin)}    # start the development server")
    if spec.admin:
        lines.append(f"{venv_command(spec.admin, venv_bin)}    # create the first administrator")
    return lines
