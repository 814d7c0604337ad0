"""stackpick's private cache: things slow to rebuild, safe to throw away, readable by no one else.

``$XDG_CACHE_HOME/stackpick`` (``~/.cache/stackpick``). Folders are made 0700 and files
0600 whatever the umask. A folder that is not the user's, or that others can write into,
is never used: one note on standard error, and the run goes on uncached. Nothing is
deserialised before the file is checked (a regular file of the user's that others cannot
write, whose checksum matches), and what comes out is checked for shape by its reader; a
bad entry is ignored and rewritten.

Keys come from content and versions, never from where stackpick is installed, so two
installs share one cache safely. Entries are pruned, at most once a day, by version (an
old version's, unused for a week), age (unused for 30 days) and size (the oldest first,
past ``MAX_BYTES``).

Holds only what stackpick derives from template and rule files, never anything from
answers. Every use tolerates a missing or unusable cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from . import __version__

#: What a cache file starts with; then the payload's SHA-256 digest, then the payload.
MAGIC = b"stackpick-cache-1\n"
#: The pruned folders may hold this much in all; past it, the least recently used go.
MAX_BYTES = 64 * 1024 * 1024
DAY = 24 * 3600
UNUSED_DAYS = 30
OLD_VERSION_DAYS = 7
#: The folders of kept files (``tmp`` and ``fetch`` hold work in progress: never pruned).
PRUNED = ("data", "jinja")

_NOTED: set[str] = set()
_NOTE_LOCK = threading.Lock()


def cache_root() -> str:
    """Where the cache is (it may not exist)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "stackpick")


def cache_folder(name: str) -> str | None:
    """``<cache>/<name>``, made private, or ``None`` when there is no usable cache."""
    root = cache_root()
    folder = os.path.join(root, name)
    try:
        os.makedirs(os.path.dirname(root), mode=0o700, exist_ok=True)
        for path in (root, folder):
            with contextlib.suppress(FileExistsError):
                os.mkdir(path, 0o700)
            problem = _not_private(path)
            if problem:
                _note(path, problem)
                return None
    except OSError:
        return None
    _prune_daily(root)
    return folder


def _not_private(folder: str) -> str | None:
    """Why ``folder`` must not be used (``None``: it is the user's alone, now 0700)."""
    info = os.stat(folder)
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder"
    if info.st_uid != os.geteuid():
        return "it belongs to another user"
    if info.st_mode & 0o022:
        return "other users can write into it"
    if stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(folder, 0o700)
    return None


def _note(folder: str, problem: str) -> None:
    with _NOTE_LOCK:
        if folder in _NOTED:
            return
        _NOTED.add(folder)
    with contextlib.suppress(OSError, ValueError):
        print(
            f"stackpick: note: not using the cache folder {folder}: {problem}; running "
            "without a cache (remove that folder to have stackpick make a private one)",
            file=sys.stderr,
        )


def write_file(path: str, value: Any) -> None:
    """``value`` as marshal data into ``path``, mode 0600, whole or not at all (errors ignored)."""
    temporary = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        payload = marshal.dumps(value)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        handle = os.open(temporary, flags, 0o600)
        with os.fdopen(handle, "wb") as file:
            os.fchmod(file.fileno(), 0o600)
            file.write(MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def read_file(path: str) -> Any:
    """What ``write_file`` wrote to ``path``, once checked; ``None`` for anything else.

    The file must be a regular file of the user's that no one else can write, and its
    payload must match its checksum, before anything is deserialised from it.
    """
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        try:
            info = os.fstat(file.fileno())
            if (
                not stat.S_ISREG(info.st_mode)
                or info.st_uid != os.geteuid()
                or info.st_mode & 0o022
            ):
                return None
            data = file.read()
        except OSError:
            return None
    head, digest = data[: len(MAGIC)], data[len(MAGIC) : len(MAGIC) + 32]
    payload = data[len(MAGIC) + 32 :]
    if head != MAGIC or hashlib.sha256(payload).digest() != digest:
        return None
    try:
        value = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    if time.time() - info.st_mtime > DAY:  # used: not pruned as unused
        with contextlib.suppress(OSError):
            os.utime(path)
    return value


def derived_from_file(path: str, build: Callable[[str], Any]) -> Any:
    """``build(path)``, kept (as marshal data) while ``path``'s content and stackpick stay."""
    with open(path, "rb") as file:
        content = file.read()
    folder = cache_folder("data")
    digest = hashlib.sha256(content + f"\0{os.path.basename(path)}".encode()).hexdigest()[:24]
    cached = os.path.join(folder, f"{__version__}-{digest}") if folder else None
    if cached:
        found = read_file(cached)
        if isinstance(found, tuple) and len(found) == 2 and found[0] == "derived":
            return found[1]
    value = build(path)
    if cached:
        write_file(cached, ("derived", value))
    return value


#: Past this many entries, a write keeps only what the process used (old entries drop out).
MAX_TABLE_ENTRIES = 4096


class KeptTable:
    """A table of marshal-able values kept in the single file ``path``.

    Read once a process (on first use), shared between threads, written atomically when
    it has changed; a missing, unreadable, unchecked or unwritable file is an empty table.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._entries: dict[Any, Any] | None = None
        self._used: set[Any] = set()
        self._dirty = False

    def get(self, key: Any) -> Any:
        with self._lock:
            self._used.add(key)
            return self._loaded().get(key)

    def set(self, key: Any, value: Any) -> None:
        with self._lock:
            entries = self._loaded()
            self._used.add(key)
            if entries.get(key) != value:
                entries[key] = value
                self._dirty = True

    def clear(self) -> None:
        with self._lock:
            self._entries, self._dirty = {}, True

    def flush(self) -> None:
        """Write the file if the table changed since it was read (errors ignored)."""
        with self._lock:
            if not self._dirty or self._entries is None:
                return
            entries = self._entries
            if len(entries) > MAX_TABLE_ENTRIES:
                entries = {key: entries[key] for key in self._used if key in entries}
            write_file(self.path, entries)
            self._dirty = False

    def _loaded(self) -> dict[Any, Any]:
        if self._entries is None:
            found = read_file(self.path)
            self._entries = found if isinstance(found, dict) else {}
        return self._entries


_TABLES: dict[str, KeptTable] = {}
_TABLES_LOCK = threading.Lock()


def kept_table(folder: str, name: str) -> KeptTable | None:
    """The process's one ``KeptTable`` for ``<cache>/<folder>/<version>-<name>`` (or ``None``)."""
    where = cache_folder(folder)
    if where is None:
        return None
    path = os.path.join(where, f"{__version__}-{name}")
    with _TABLES_LOCK:
        return _TABLES.setdefault(path, KeptTable(path))


def all_tables() -> list[KeptTable]:
    with _TABLES_LOCK:
        return list(_TABLES.values())


def _prune_daily(root: str) -> None:
    """``prune(root)`` when the last pruning is a day old (a stamp file's time)."""
    stamp = os.path.join(root, ".pruned")
    try:
        if time.time() - os.stat(stamp).st_mtime < DAY:
            return
    except OSError:
        pass
    with contextlib.suppress(OSError):
        handle = os.open(stamp, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        os.close(handle)
        os.utime(stamp)
        prune(root)


def prune(root: str, now: float | None = None, max_bytes: int = MAX_BYTES) -> list[str]:
    """Remove old entries below ``root``'s pruned folders; return the paths removed.

    Goes: another version's entries unused for ``OLD_VERSION_DAYS``, any entry unused for
    ``UNUSED_DAYS``, then the least recently used until the rest fit in ``max_bytes``.
    Work in progress (``*.tmp`` files) younger than a day is left alone.
    """
    now = time.time() if now is None else now
    entries: list[tuple[float, int, str]] = []
    removed: list[str] = []
    for name in PRUNED:
        folder = os.path.join(root, name)
        with contextlib.suppress(OSError):
            for entry in os.scandir(folder):
                with contextlib.suppress(OSError):
                    info = entry.stat(follow_symlinks=False)
                    if not stat.S_ISREG(info.st_mode):
                        continue
                    age = now - info.st_mtime
                    stale = (
                        age > UNUSED_DAYS * DAY
                        or (age > OLD_VERSION_DAYS * DAY and not entry.name.startswith(
                            f"{__version__}-"))
                        or (entry.name.endswith(".tmp") and age > DAY)
                    )  # fmt: skip
                    if stale:
                        os.unlink(entry.path)
                        removed.append(entry.path)
                    else:
                        entries.append((info.st_mtime, info.st_size, entry.path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= max_bytes:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
            removed.append(path)
        total -= size
    return removed


#: A scratch folder untouched this long belongs to a run that is gone (none lasts an hour).
DEAD_AFTER_SECONDS = 3600.0


def sweep_dead_scratch(folders: tuple[str, ...] = ("tmp",)) -> list[str]:
    """Remove what killed runs left in the cache's scratch folders (renders, temporary
    indexes): entries untouched for ``DEAD_AFTER_SECONDS``; errors ignored. (``fetch`` is
    not one: a running ``serve`` keeps its templates there for as long as it runs.)"""
    import shutil

    removed = []
    limit = time.time() - DEAD_AFTER_SECONDS
    for name in folders:
        with contextlib.suppress(OSError), os.scandir(os.path.join(cache_root(), name)) as it:
            for entry in it:
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_mtime < limit:
                        if entry.is_dir(follow_symlinks=False):
                            shutil.rmtree(entry.path, ignore_errors=True)
                        else:
                            os.unlink(entry.path)
                        removed.append(entry.path)
    return removed
