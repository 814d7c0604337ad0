"""Putting a rendered project in place atomically, and never leaving a half-written one.

The project is rendered into a hidden staging folder beside the target and moved
into place only when everything succeeded; an existing, non-empty target is
replaced only with ``force``, and only after the new tree is complete. SIGINT and
SIGTERM clean up; a staging folder left by a killed run (its lock no longer held)
is removed by the next run in the same output folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from ..errors import StackpickError, TargetExists
from ..interrupt import terminate_as_interrupt

STAGING_MARK = ".stackpick-"
LOCK_FILE = ".lock"
#: A staging folder still without its lock after this long belongs to a run killed at birth.
UNLOCKED_STALE_SECONDS = 60.0


@dataclass(frozen=True)
class Scaffold:
    """What was created (or, in a dry run, would be created)."""

    path: Path
    files: tuple[str, ...]


def check_target(target: Path, force: bool) -> None:
    """Refuse an existing, non-empty target (unless ``force``) or anything that is not a folder."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise TargetExists(
            f"{target} exists and is not a folder; remove it or choose another --output-dir"
        )
    if target.is_dir() and any(target.iterdir()) and not force:
        raise TargetExists(
            f"{target} already exists and is not empty; choose another --output-dir or "
            "project_slug, or pass --force to replace it"
        )


def sweep_stale_staging(output_dir: Path) -> list[Path]:
    """Remove staging folders whose run is gone (their lock is free); never a live run's."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in output_dir.iterdir():
            if not (entry.name.startswith(".") and STAGING_MARK in entry.name and entry.is_dir()):
                continue
            lock = entry / LOCK_FILE
            try:
                handle = os.open(lock, os.O_RDWR)
            except OSError:
                # killed before its lock was in place, or still being created (for a moment)
                with contextlib.suppress(OSError):
                    if time.time() - entry.stat().st_mtime > UNLOCKED_STALE_SECONDS:
                        shutil.rmtree(entry, ignore_errors=True)
                        removed.append(entry)
                continue
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a live run holds it
            finally:
                os.close(handle)
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back for a few system calls, then deliver them.

    Python runs signal handlers between bytecodes; one that raised between creating the
    staging folder and recording it would leave the folder behind.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def defer(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    previous = {number: signal.signal(number, defer) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            if handler is not None:
                signal.signal(number, handler)
        if caught:
            signal.raise_signal(caught[0])


def _children() -> set[int]:
    """This process's children (Linux ``/proc``; empty elsewhere)."""
    children = set()
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = Path(entry.path, "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
                    children.add(int(entry.name))
    return children


def _stop_children(before: set[int], timeout: float = 2.0) -> None:
    """Stop the processes started since ``before`` (a template hook) before their folder goes."""
    children = _children() - before
    for pid in children:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for pid in children:
        with contextlib.suppress(ChildProcessError):
            while not os.waitpid(pid, os.WNOHANG)[0] and time.monotonic() < deadline:
                time.sleep(0.01)


@contextlib.contextmanager
def staging_folder(output_dir: Path, name: str) -> Iterator[Path]:
    """A locked, hidden folder beside the target, removed whatever happens.

    The lock is taken before it gets its name, so a sweeping run never sees it free, and
    interrupts wait until the folder and its lock exist, so the clean-up knows them.
    """
    created_output_dir = not output_dir.exists()
    children = _children()
    staging: Path | None = None
    lock: int | None = None
    try:
        with _interrupts_deferred():
            try:
                output_dir.mkdir(parents=True, exist_ok=True)
                staging = Path(tempfile.mkdtemp(prefix=f".{name}{STAGING_MARK}", dir=output_dir))
                lock = os.open(staging / ".lock-new", os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(lock, fcntl.LOCK_EX)
                os.rename(staging / ".lock-new", staging / LOCK_FILE)
            except OSError as error:
                raise StackpickError(
                    f"cannot write in {output_dir}: {error.strerror}; "
                    "check the folder and its permissions"
                ) from None
        yield staging
    except KeyboardInterrupt:
        _stop_children(children)  # a hook still running would write into the folder being removed
        raise
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if lock is not None:
            os.close(lock)
        if created_output_dir and output_dir.is_dir() and not any(output_dir.iterdir()):
            shutil.rmtree(output_dir, ignore_errors=True)


def create(
    target: Path,
    force: bool,
    render: Callable[[Path], Path],
    additions: Callable[[Path], Mapping[str, str]],
) -> Scaffold:
    """Render into staging with ``render``, add stackpick's files, then move into place.

    ``render(staging)`` returns the rendered project folder; ``additions(project)``
    gives stackpick's own files (path -> text) to write into it.
    """
    check_target(target, force)
    with terminate_as_interrupt():
        sweep_stale_staging(target.parent)
        with staging_folder(target.parent, target.name) as staging:
            project = render(staging)
            try:
                for relative, text in additions(project).items():
                    path = project / relative
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text, encoding="utf-8")
                files = _files(project)
                move_into_place(project, target, staging)
            except OSError as error:
                raise StackpickError(
                    f"cannot write the project: {error.strerror or error}; nothing was changed"
                ) from None
    return Scaffold(target, files)


def dry_run(
    target: Path, force: bool, render: Callable[[Path], Path], extra: list[str]
) -> Scaffold:
    """The files ``create`` would write: rendered in a temporary folder that is then removed."""
    from ..cache import cache_folder

    check_target(target, force)
    with terminate_as_interrupt(), tempfile.TemporaryDirectory(dir=cache_folder("tmp")) as tmp:
        project = render(Path(tmp))
        files = sorted({*_files(project), *extra})
    return Scaffold(target, tuple(files))


def _files(project: Path) -> tuple[str, ...]:
    return tuple(
        sorted(
            p.relative_to(project).as_posix()
            for p in project.rglob("*")
            if p.is_file() or p.is_symlink()
        )
    )


def move_into_place(project: Path, target: Path, staging: Path) -> None:
    """Swap the finished tree in; an old target is removed only once the new one is there."""
    if not target.exists():
        os.rename(project, target)
        return
    if not any(target.iterdir()):
        target.rmdir()
        os.rename(project, target)
        return
    backup = staging / "previous"
    os.rename(target, backup)
    try:
        os.rename(project, target)
    except OSError:
        os.rename(backup, target)
        raise
