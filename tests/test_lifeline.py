"""Process groups started under a lifeline end when stackpick is killed, not otherwise."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PARENT = r"""
import subprocess, sys, time
from stackpick import lifeline
steps = []
for _ in range(2):
    # a step that starts a child of its own, as pytest or flask do
    step = subprocess.Popen(
        [sys.executable, "-c",
         "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', "
         "'import time; time.sleep(120)']); time.sleep(120)"],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    lifeline.watch(step.pid)
    steps.append(step)
done = subprocess.Popen([sys.executable, "-c", "pass"], start_new_session=True)
lifeline.watch(done.pid)
done.wait()
lifeline.release(done.pid)
print(" ".join(str(s.pid) for s in steps), flush=True)
time.sleep(120)
"""


def group_members(pgid: int) -> list[int]:
    members = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
                members.append(int(entry.name))
    return members


def test_steps_end_when_stackpick_is_killed(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdout=subprocess.PIPE, start_new_session=True
    )
    assert parent.stdout is not None
    groups = [int(pid) for pid in parent.stdout.readline().split()]
    deadline = time.monotonic() + 30
    while any(len(group_members(g)) < 2 for g in groups) and time.monotonic() < deadline:
        time.sleep(0.05)  # each step and its child are running
    assert all(len(group_members(g)) == 2 for g in groups)
    os.killpg(parent.pid, signal.SIGKILL)  # stackpick's whole group, the hardest case
    parent.wait()
    deadline = time.monotonic() + 10
    while any(group_members(g) for g in groups) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [group_members(g) for g in groups] == [[], []]


def test_a_released_group_is_left_alone(tmp_path: Path) -> None:
    script = (
        "import subprocess, sys\n"
        "from stackpick import lifeline\n"
        "step = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'],"
        " start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "lifeline.watch(step.pid)\n"
        "lifeline.release(step.pid)\n"
        "print(step.pid, flush=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    pgid = int(done.stdout)
    try:
        time.sleep(1.0)  # the watcher has read the end of its input by now
        assert group_members(pgid) != []
    finally:
        os.killpg(pgid, signal.SIGKILL)
