"""Compiled Jinja code kept between runs: one file per template, read once, written when it grows.

Jinja's ``FileSystemBytecodeCache`` keeps a file per compiled template, so a render of a
hundred files opens a hundred cache files. This is the same cache (Jinja's ``BytecodeCache``
extension point; every entry still checked against its source's checksum by Jinja's
``Bucket``) packed into one marshal file per template, which a process reads once and
shares between threads. Keys leave out the template's folder, so a template fetched into
a new temporary folder each run finds its code again; the caller names one file per
template source, never from answers.

Imported only where Jinja already is (``recommend`` and ``--help`` load neither).
"""

from __future__ import annotations

import contextlib
import functools
import marshal
import os
import threading
from hashlib import sha1

from jinja2.bccache import Bucket, BytecodeCache

#: Past this many entries, a write keeps only what the process used (old sources drop out).
MAX_ENTRIES = 2048


class PackedBytecodeCache(BytecodeCache):
    """Every compiled template of one template source, in the single file ``path``."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._entries: dict[str, bytes] | None = None
        self._used: set[str] = set()
        self._dirty = False

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """The template's name alone: its folder may be a new temporary one each run."""
        return sha1(name.encode("utf-8", "surrogatepass")).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            data = self._loaded().get(bucket.key)
            self._used.add(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        data = bucket.bytecode_to_string()
        with self._lock:
            entries = self._loaded()
            if entries.get(bucket.key) != data:
                entries[bucket.key] = data
                self._used.add(bucket.key)
                self._dirty = True

    def clear(self) -> None:
        with self._lock:
            self._entries, self._dirty = {}, True

    def flush(self) -> None:
        """Write the file if anything was compiled since it was read (atomically; no errors)."""
        with self._lock:
            if not self._dirty or self._entries is None:
                return
            entries = self._entries
            if len(entries) > MAX_ENTRIES:
                entries = {key: entries[key] for key in self._used if key in entries}
            temporary = f"{self.path}.{os.getpid()}.{threading.get_ident()}"
            with contextlib.suppress(OSError, ValueError):
                with open(temporary, "wb") as file:
                    marshal.dump(entries, file)
                os.replace(temporary, self.path)
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            self._dirty = False

    def _loaded(self) -> dict[str, bytes]:
        if self._entries is None:
            self._entries = {}
            with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
                with open(self.path, "rb") as file:
                    found = marshal.load(file)
                if isinstance(found, dict):
                    self._entries = found
        return self._entries


@functools.lru_cache(maxsize=32)
def packed_cache(path: str) -> PackedBytecodeCache:
    """The process's one cache object for the file ``path``."""
    return PackedBytecodeCache(path)
