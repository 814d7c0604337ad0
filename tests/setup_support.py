"""Helpers for the ``stackpick setup`` tests: a minimal project and a fake step runner."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

from stackpick.setup import SetupResult, run_setup
from stackpick.setup.process import Completed

HERE = (sys.version_info[0], sys.version_info[1])


def make_project(
    root: Path,
    setup_table: str | None = None,
    python: str | None = None,
    independent: Sequence[str] = (),
) -> Path:
    """A minimal project: ``.stackpick.toml``, ``pyproject.toml`` and a ``tests`` folder."""
    root.mkdir(parents=True, exist_ok=True)
    version = python or f"{HERE[0]}.{HERE[1]}"
    text = f'[answers]\nframework = "flask"\npython_version = "{version}"\n'
    text += '\n[project]\nrun = "flask --app demo run"\nadmin = ""\n'
    if independent:
        text += f"setup_independent = {json.dumps(list(independent))}\n"
    if setup_table is not None:
        text += "\n[project.setup]\n" + textwrap.dedent(setup_table)
    (root / ".stackpick.toml").write_text(text)
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "0"\n')
    (root / "tests").mkdir(exist_ok=True)
    return root


class FakeRunner:
    """Records commands; makes ``.venv`` for the venv step; fails the commands it is told to."""

    def __init__(self, fail: Sequence[str] = (), output: str = "boom\n") -> None:
        self.calls: list[str] = []
        self.fail = set(fail)
        self.output = output

    def __call__(self, argv: Sequence[str], cwd: Path, env: Mapping[str, str]) -> Completed:
        command = " ".join(argv)
        self.calls.append(command)
        assert env["VIRTUAL_ENV"] == str(cwd / ".venv")
        assert env["PATH"].split(os.pathsep)[0] == str(cwd / ".venv" / "bin")
        if "venv" in argv and ".venv" in argv:
            (cwd / ".venv" / "bin").mkdir(parents=True)
            (cwd / ".venv" / "bin" / "python").symlink_to(sys.executable)
            (cwd / ".venv" / "bin" / "pip").touch()
            (cwd / ".venv" / "pyvenv.cfg").write_text(f"version = {HERE[0]}.{HERE[1]}.0\n")
        for word in self.fail:
            if word in command:
                return Completed(1, "line 1\n" + self.output)
        return Completed(0, "fine")

    def names(self) -> list[str]:
        return [c.split()[-1] if "install" not in c else "install" for c in self.calls]


def setup_with(project: Path, runner: FakeRunner, **options: object) -> SetupResult:
    return run_setup(project, installer="pip", runner=runner, **options)  # type: ignore[arg-type]


def without_database_url() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status
