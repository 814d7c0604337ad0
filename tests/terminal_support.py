"""Run ``python -m stackpick`` in a pseudo-terminal and talk to it (standard library only)."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class TerminalSession:
    """A child process whose stdin, stdout and stderr are one pseudo-terminal."""

    def __init__(
        self, args: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None
    ) -> None:
        environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        environ.update({"COLUMNS": "200", "TERM": "xterm", **(env or {})})
        pid, fd = pty.fork()
        if pid == 0:  # the child: never returns
            os.chdir(cwd)
            os.execve(sys.executable, [sys.executable, "-m", "stackpick", *args], environ)
        self.pid, self.fd = pid, fd
        self.raw = ""  # everything read, as the terminal shows it (colours included)
        self.seen = 0  # how much of ``text`` ``expect`` has consumed
        self.status: int | None = None

    @property
    def text(self) -> str:
        """What was read, without colour codes and with plain line ends."""
        return ANSI.sub("", self.raw).replace("\r\n", "\n")

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # the child closed the terminal
            return False
        if not chunk:
            return False
        self.raw += chunk.decode("utf-8", "replace")
        return True

    def expect(self, pattern: str, timeout: float = 30) -> str:
        """Wait until ``pattern`` (a regex) appears after what was consumed; return the text
        from the last consumed point up to the end of the match."""
        deadline = time.monotonic() + timeout
        compiled = re.compile(pattern)
        while True:
            match = compiled.search(self.text, self.seen)
            if match:
                part = self.text[self.seen : match.end()]
                self.seen = match.end()
                return part
            left = deadline - time.monotonic()
            if left <= 0 or (not self._read(min(left, 0.5)) and self.exited()):
                raise AssertionError(f"{pattern!r} not seen; the terminal showed:\n{self.text}")

    def send(self, line: str) -> None:
        os.write(self.fd, (line + "\r").encode())

    def answer(self, prompt: str, line: str = "", timeout: float = 30) -> str:
        """Wait for the prompt that starts with ``prompt`` (up to its ': '), then answer it."""
        shown = self.expect(re.escape(prompt) + r"[^\n]*: $", timeout)
        self.send(line)
        return shown

    def interrupt(self) -> None:
        os.write(self.fd, b"\x03")  # Ctrl-C: the terminal sends SIGINT

    def exited(self) -> bool:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is not None

    def wait(self, timeout: float = 120) -> int:
        """Read until the child exits; its exit code."""
        deadline = time.monotonic() + timeout
        while not self.exited():
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                raise AssertionError(f"still running after {timeout}s:\n{self.text}")
            self._read(0.2)
        while self._read(0.05):
            pass
        os.close(self.fd)
        assert self.status is not None
        return os.waitstatus_to_exitcode(self.status)
