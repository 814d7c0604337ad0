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


def next_commands(spec: ProjectSpec, ahead: bool = False) -> list[str]:
    """How to start the server (and create the first administrator), to print at the end;
    ``ahead`` (after ``new``): led by ``stackpick setup``, the programs it will install."""
    venv_bin = spec.root / VENV / "bin"
    lines = [f"cd {shlex.quote(str(spec.root))}"]
    if ahead:
        lines.append("stackpick setup    # .venv, the dependencies, its setup steps, the tests")
    for command, what in (
        (spec.run, "start the development server"),
        (spec.admin, "create the first administrator"),
    ):
        if command and ahead:
            words = shlex.split(command)
            lines.append(f"{shlex.join([f'{VENV}/bin/{words[0]}', *words[1:]])}    # {what}")
        elif command:
            lines.append(f"{venv_command(command, venv_bin)}    # {what}")
    return lines
