"""Where ``setup``'s progress goes (``ui.progress`` shows it), and what to run next."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Protocol

from .plan import VENV, ProjectSpec, Step
from .result import StepResult


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
