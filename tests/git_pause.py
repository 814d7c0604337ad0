"""A ``git`` on ``PATH`` that counts its calls and pauses at call K until released.

Fault tests stop ``stackpick`` (SIGTERM to its process group, or SIGKILL) while git is
paused at each call in turn, then check the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = """#!/bin/sh
dir={dir}
n=$(( $(cat "$dir/count") + 1 ))
echo "$n" > "$dir/count"
echo "$n $*" >> "$dir/log"
if [ "$n" = "$(cat "$dir/pause_at")" ]; then
    echo "$$" > "$dir/paused"
    while [ ! -e "$dir/release" ]; do sleep 0.02; done
fi
exec {git} "$@"
"""


class PausingGit:
    """The wrapper's folder: ``env()`` puts it first on ``PATH``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        real = shutil.which("git")
        assert real is not None
        script = folder / "git"
        script.write_text(SCRIPT.format(dir=folder, git=real))
        script.chmod(0o755)
        self.reset(0)

    def reset(self, pause_at: int) -> None:
        """Count from zero again; pause at call ``pause_at`` (0: never)."""
        (self.folder / "count").write_text("0")
        (self.folder / "pause_at").write_text(str(pause_at))
        for name in ("paused", "release"):
            (self.folder / name).unlink(missing_ok=True)

    @property
    def calls(self) -> int:
        return int((self.folder / "count").read_text())

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("STACKPICK_")}
        env["PATH"] = f"{self.folder}{os.pathsep}{env['PATH']}"
        for who in ("AUTHOR", "COMMITTER"):  # the same git calls whatever the machine's config
            env[f"GIT_{who}_NAME"] = "Team"
            env[f"GIT_{who}_EMAIL"] = "team@example.com"
        return env

    def start(self, *args: str, cwd: Path | None = None) -> subprocess.Popen[bytes]:
        """``python -m stackpick ARGS`` in a process group of its own (signalled as a CI
        runner signals a job)."""
        return subprocess.Popen(
            [sys.executable, "-m", "stackpick", *args],
            cwd=cwd,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )

    def wait_paused(self, process: subprocess.Popen[bytes], timeout: float = 60) -> int:
        """The pid of the paused wrapper, once it pauses."""
        deadline = time.monotonic() + timeout
        paused = self.folder / "paused"
        while time.monotonic() < deadline:
            if paused.exists() and paused.read_text().strip():
                return int(paused.read_text())
            assert process.poll() is None, process.communicate()
            time.sleep(0.01)
        raise AssertionError("git never paused")

    def stop(self, process: subprocess.Popen[bytes], signum: int) -> tuple[int, str]:
        """Signal ``process``'s group while git is paused, let git go on, and return the
        exit code and stderr once every process of the run (a shielded git too) has ended."""
        paused = self.wait_paused(process)
        os.killpg(process.pid, signum)
        time.sleep(0.05)
        (self.folder / "release").touch()
        _, stderr = process.communicate(timeout=120)
        deadline = time.monotonic() + 60
        while _running(paused) and time.monotonic() < deadline:
            time.sleep(0.02)  # a git out of the group's reach finishes its command
        return process.returncode, stderr.decode()


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")
