"""stackpick's cache folder: things that are slow to rebuild and safe to throw away.

Holds only what stackpick derives from its own files (compiled templates, the
parsed rule book), never anything from the answers. Every use tolerates a
missing or unwritable cache.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Callable
from typing import Any

from . import __version__


def cache_folder(name: str) -> str | None:
    """``$XDG_CACHE_HOME/stackpick/<name>`` (``~/.cache`` by default), created, or ``None``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "stackpick", name)
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return folder


def derived_from_file(path: str, build: Callable[[str], Any]) -> Any:
    """``build(path)``, kept (as marshal data) until ``path`` or stackpick's version changes."""
    stat = os.stat(path)
    folder = cache_folder("data")
    key = f"{os.path.basename(path)}-{__version__}-{stat.st_mtime_ns}-{stat.st_size}.marshal"
    cached = os.path.join(folder, key) if folder else None
    if cached:
        with (
            contextlib.suppress(OSError, ValueError, EOFError, TypeError),
            open(cached, "rb") as file,
        ):
            return marshal.load(file)
    value = build(path)
    if cached:
        _write_marshal(cached, value)
    return value


def _write_marshal(path: str, value: Any) -> None:
    """``value`` into ``path`` as marshal data, whole or not at all (errors ignored)."""
    import threading

    temporary = f"{path}.{os.getpid()}.{threading.get_ident()}"
    try:
        with open(temporary, "wb") as file:
            marshal.dump(value, file)
        os.replace(temporary, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(temporary)


#: Past this many entries, a write keeps only what the process used (old entries drop out).
MAX_TABLE_ENTRIES = 4096


class KeptTable:
    """A table of marshal-able values kept in the single file ``path``.

    Read once a process (on first use), shared between threads, written atomically when
    it has changed; a missing, unreadable or unwritable file is an empty table.
    """

    def __init__(self, path: str) -> None:
        import threading

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
            _write_marshal(self.path, entries)
            self._dirty = False

    def _loaded(self) -> dict[Any, Any]:
        if self._entries is None:
            self._entries = {}
            with (
                contextlib.suppress(OSError, ValueError, EOFError, TypeError),
                open(self.path, "rb") as file,
            ):
                found = marshal.load(file)
                if isinstance(found, dict):
                    self._entries = found
        return self._entries


_TABLES: dict[str, KeptTable] = {}


def kept_table(folder: str, name: str) -> KeptTable | None:
    """The process's one ``KeptTable`` for ``<cache>/<folder>/<name>.marshal`` (or ``None``)."""
    where = cache_folder(folder)
    if where is None:
        return None
    path = os.path.join(where, f"{name}.marshal")
    return _TABLES.setdefault(path, KeptTable(path))


#: A scratch folder untouched this long belongs to a run that is gone (none lasts an hour).
DEAD_AFTER_SECONDS = 3600.0


def sweep_dead_scratch(folders: tuple[str, ...] = ("tmp",)) -> list[str]:
    """Remove what killed runs left in the cache's scratch folders (renders, temporary
    indexes): entries untouched for ``DEAD_AFTER_SECONDS``; errors ignored. (``fetch`` is
    not one: a running ``serve`` keeps its templates there for as long as it runs.)"""
    import shutil
    import time

    removed = []
    limit = time.time() - DEAD_AFTER_SECONDS
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    for name in folders:
        with contextlib.suppress(OSError), os.scandir(os.path.join(base, "stackpick", name)) as it:
            for entry in it:
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_mtime < limit:
                        if entry.is_dir(follow_symlinks=False):
                            shutil.rmtree(entry.path, ignore_errors=True)
                        else:
                            os.unlink(entry.path)
                        removed.append(entry.path)
    return removed
