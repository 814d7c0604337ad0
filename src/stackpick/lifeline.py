"""Child processes that end with stackpick, however it ends (a SIGKILL included).

``setup`` runs each step in a process group of its own, so that stopping a step stops
everything it started. If stackpick itself is killed, nothing would stop those groups;
so a small watcher process, in a session of its own, holds the read end of a pipe from
stackpick and the list of live groups. When the pipe closes (stackpick has ended, in any
way) it terminates the groups still listed, then kills what is left.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
from typing import IO

#: The watcher: "+PGID" and "-PGID" lines list the live groups; at end of input, stop them.
WATCHER = r"""
import os, signal, sys, time
groups = set()
for line in sys.stdin:
    if line[:1] in "+-" and line[1:].strip().isdigit():
        (groups.add if line[0] == "+" else groups.discard)(int(line[1:]))
def alive(pgid):
    try:
        os.killpg(pgid, 0)
    except OSError:
        return False
    return True
for sig in (signal.SIGTERM, signal.SIGKILL):
    for pgid in [g for g in groups if alive(g)]:
        try:
            os.killpg(pgid, sig)
        except OSError:
            pass
    deadline = time.monotonic() + 3
    while any(alive(g) for g in groups) and time.monotonic() < deadline:
        time.sleep(0.05)
"""

_LOCK = threading.Lock()
_PIPE: list[IO[bytes]] = []


def ready() -> None:
    """Start the watcher now (before the first step), so that watching a step is one write."""
    _send("")


def _send(line: str) -> None:
    with _LOCK:
        if not _PIPE:
            try:
                watcher = subprocess.Popen(
                    [sys.executable, "-S", "-c", WATCHER],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,  # a signal to stackpick's group spares it
                )
            except OSError:
                return  # the steps then end only as stackpick ends them
            assert watcher.stdin is not None
            _PIPE.append(watcher.stdin)
        if line:
            with contextlib.suppress(OSError):
                _PIPE[0].write(line.encode())
                _PIPE[0].flush()


def watch(pgid: int) -> None:
    """Stop process group ``pgid`` if stackpick ends while it runs."""
    _send(f"+{pgid}\n")


def release(pgid: int) -> None:
    """Group ``pgid`` has ended (or was stopped): forget it."""
    _send(f"-{pgid}\n")
