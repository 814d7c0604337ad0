"""Running a step: a child process in its own process group, output captured; the group
is stopped when stackpick ends, however it ends (``lifeline``)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import lifeline


@dataclass(frozen=True)
class Completed:
    returncode: int
    output: str


Runner = Callable[[Sequence[str], Path, Mapping[str, str]], Completed]


def run_command(argv: Sequence[str], cwd: Path, env: Mapping[str, str]) -> Completed:
    """Run ``argv`` in its own process group, output captured; Ctrl-C kills the whole group."""
    lifeline.ready()  # the watcher is there before the step starts
    try:
        process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as error:
        return Completed(127, f"cannot run {argv[0]}: {error.strerror or error}")
    lifeline.watch(process.pid)  # stopped even if stackpick is killed
    with _RUNNING_LOCK:
        _RUNNING.add(process)
    try:
        output, _ = process.communicate()
    except BaseException:
        stop_group(process)
        raise
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(process)
        lifeline.release(process.pid)
    return Completed(process.returncode, output.decode("utf-8", errors="replace"))


#: The steps' processes while they run (a step in the background is stopped from here).
_RUNNING: set[subprocess.Popen[bytes]] = set()
_RUNNING_LOCK = threading.Lock()


def stop_running() -> None:
    """Stop every step's process group still running (Ctrl-C, a failed step beside it)."""
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for process in running:
        stop_group(process)


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Terminate the child's process group, then kill what is left."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            continue
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # children that outlived the leader
        return


def step_environment(environ: Mapping[str, str], venv: Path) -> dict[str, str]:
    """The environment of every step: ``.venv/bin`` first on ``PATH``, ``VIRTUAL_ENV`` set."""
    env = {k: v for k, v in environ.items() if k not in ("PYTHONHOME", "__PYVENV_LAUNCHER__")}
    env["PATH"] = os.pathsep.join([str(venv / "bin"), environ.get("PATH", os.defpath)])
    env["VIRTUAL_ENV"] = str(venv)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    # Where imports may not write bytecode, the steps write it into .venv/pycache: each
    # module compiles once (the steps import the same ones) and the project stays clean.
    if env.get("PYTHONDONTWRITEBYTECODE") and not env.get("PYTHONPYCACHEPREFIX"):
        del env["PYTHONDONTWRITEBYTECODE"]
        env["PYTHONPYCACHEPREFIX"] = str(venv / "pycache")
    env.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    return env
