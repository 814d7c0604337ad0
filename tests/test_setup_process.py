"""``stackpick setup``'s steps run as process groups, in an environment of their own."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import FrameType

import pytest

from setup_support import FakeRunner, alive, make_project, without_database_url
from stackpick.setup import installer, run_setup
from stackpick.setup.process import Completed, run_command


def test_ctrl_c_kills_the_whole_process_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    script = f"sleep 60 & echo $! > {pid_file}; wait"

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        with pytest.raises(KeyboardInterrupt):
            run_command(["sh", "-c", script], tmp_path, dict(os.environ))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and alive(grandchild):
        time.sleep(0.05)
    assert not alive(grandchild)


@pytest.mark.parametrize("no_bytecode", ["1", ""])
def test_steps_write_bytecode_once_into_the_venv_where_imports_may_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_bytecode: str
) -> None:
    """With PYTHONDONTWRITEBYTECODE, each step would compile every module again: the steps
    write it into .venv/pycache instead (never beside the project's sources)."""
    monkeypatch.setattr(installer, "find_uv", lambda environ: "/x/uv")
    project = make_project(tmp_path / "p", 'test = "t run"\n')
    seen: list[Mapping[str, str]] = []

    class Recording(FakeRunner):
        def __call__(self, argv: Sequence[str], cwd: Path, env: Mapping[str, str]) -> Completed:
            seen.append(dict(env))
            return super().__call__(argv, cwd, env)

    environ = {**without_database_url(), "PYTHONDONTWRITEBYTECODE": no_bytecode}
    environ.pop("PYTHONPYCACHEPREFIX", None)
    runner = Recording()
    run_setup(project, installer="uv", runner=runner, environ=environ)
    install = next(c for c in runner.calls if " pip install " in c)
    assert install.startswith("/x/uv pip install") and "--compile-bytecode" not in install
    for env in seen:
        if no_bytecode:
            assert "PYTHONDONTWRITEBYTECODE" not in env
            assert env["PYTHONPYCACHEPREFIX"] == str(project / ".venv" / "pycache")
        else:
            assert "PYTHONPYCACHEPREFIX" not in env


def test_a_step_ends_when_stackpick_is_killed(tmp_path: Path) -> None:
    """SIGKILL (nothing in stackpick runs): the step's whole group still ends (``lifeline``)."""
    import subprocess
    import sys

    pid_file = tmp_path / "pid"
    script = (
        "import os\n"
        "from pathlib import Path\n"
        "from stackpick.setup.process import run_command\n"
        f"run_command(['sh', '-c', 'sleep 60 & echo $! > {pid_file}; wait'], Path('.'),"
        " dict(os.environ))\n"
    )
    stackpick = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path)
    deadline = time.monotonic() + 30
    while not (pid_file.exists() and pid_file.read_text().strip()):
        assert time.monotonic() < deadline and stackpick.poll() is None
        time.sleep(0.05)
    grandchild = int(pid_file.read_text())
    stackpick.kill()
    stackpick.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and alive(grandchild):
        time.sleep(0.05)
    assert not alive(grandchild)
