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
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import InterruptedAfter, StackpickError, TargetExists
from ..interrupt import interrupts_deferred, terminate_as_interrupt

STAGING_MARK = ".stackpick-"
LOCK_FILE = ".lock"
#: A staging folder still without its lock after this long belongs to a run killed at birth.
UNLOCKED_STALE_SECONDS = 60.0


@dataclass(frozen=True)
class Scaffold:
    """What was created (or, in a dry run, would be created)."""

    path: Path
    files: tuple[str, ...]
    #: What ``finish`` said (the git step's notes).
    notes: tuple[str, ...] = ()


def check_target(target: Path, force: bool) -> tuple[int, int] | None:
    """Refuse an existing, non-empty target (unless ``force``) or anything that is not a folder;
    return the identity (device, inode) of an existing folder, ``None`` when there is none.

    This is an early answer, not the claim: ``move_into_place`` claims the name atomically.
    """
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise TargetExists(
            f"{target} exists and is not a folder; remove it or choose another --output-dir"
        )
    if target.is_dir() and any(target.iterdir()) and not force:
        raise TargetExists(
            f"{target} already exists and is not empty; choose another --output-dir or "
            "project_slug, or pass --force to replace it"
        )
    with contextlib.suppress(OSError):
        found = target.lstat()
        return found.st_dev, found.st_ino
    return None


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
            _restore_previous(entry)
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _restore_previous(staging: Path) -> None:
    """A ``--force`` run killed between its two renames (where the system cannot swap
    folders in one step) left the old project in its staging folder: put it back."""
    previous = staging / "previous"
    target = staging.parent / staging.name[1:].rpartition(STAGING_MARK)[0]
    if previous.is_dir() and target.name and not os.path.lexists(target):
        with contextlib.suppress(OSError):
            os.rename(previous, target)


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
        with interrupts_deferred():
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
    finish: Callable[[Path], tuple[str, ...]] | None = None,
) -> Scaffold:
    """Render into staging with ``render``, add stackpick's files, then move into place.

    ``render(staging)`` returns the rendered project folder; ``additions(project)``
    gives stackpick's own files (path -> text) to write into it; ``finish(project)`` (the
    git step) runs in staging too, so the project appears with its first commit or not at
    all, and returns notes.
    """
    from ..cache import sweep_dead_scratch

    checked = check_target(target, force)
    caught: list[int] = []
    with terminate_as_interrupt():
        sweep_stale_staging(target.parent)
        sweep_dead_scratch()
        with staging_folder(target.parent, target.name) as staging:
            project = render(staging)
            try:
                for relative, text in additions(project).items():
                    path = project / relative
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text, encoding="utf-8")
                files = _files(project)
                notes = finish(project) if finish is not None else ()
                with interrupts_deferred(caught):
                    move_into_place(project, target, staging, force, checked)
            except OSError as error:
                raise StackpickError(
                    f"cannot write the project: {error.strerror or error}; nothing was changed"
                ) from None
    if caught:  # the signal came while the project moved in: it is complete there
        raise InterruptedAfter(f"interrupted once the project was complete: {target}")
    return Scaffold(target, files, notes)


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


def move_into_place(
    project: Path,
    target: Path,
    staging: Path,
    force: bool = False,
    checked: tuple[int, int] | None = None,
) -> None:
    """Claim ``target`` and move the finished tree there, never removing what another made.

    Without ``force``, the name is taken only if it is free (or still the empty folder
    ``checked`` found); a folder that appeared meanwhile, another run's included, is kept and
    this run is refused (exit 2). With ``force``, the old folder is swapped out in one step
    (two renames where the system cannot swap, undone if the second fails), so it is in its
    place until the new one is; it is removed with the staging folder afterwards.
    """
    from .rename import exchange, no_replace

    if force and _is_folder(target):
        if exchange(project, target):
            return
        backup = staging / "previous"
        os.rename(target, backup)
        try:
            no_replace(project, target)
        except BaseException:
            os.rename(backup, target)
            raise
        return
    if checked is not None:
        with contextlib.suppress(OSError):
            found = target.lstat()
            if (found.st_dev, found.st_ino) == checked:
                target.rmdir()  # still the empty folder found at the start: only if empty
    try:
        no_replace(project, target)
    except FileExistsError:
        raise TargetExists(
            f"{target} appeared while the project was made (another run, or someone else) and "
            "is kept as it is; choose another --output-dir or project_slug, or pass --force"
        ) from None


def _is_folder(path: Path) -> bool:
    with contextlib.suppress(OSError):
        return stat.S_ISDIR(path.lstat().st_mode)
    return False
