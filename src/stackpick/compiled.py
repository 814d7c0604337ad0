"""Compiled Jinja code kept between runs: one file per template, read once, written when it grows.

Jinja's ``FileSystemBytecodeCache`` keeps a file per compiled template, so a render of a
hundred files opens a hundred cache files. This is the same cache (Jinja's ``BytecodeCache``
extension point; every entry still checked against its source's checksum by Jinja's
``Bucket``) packed into one ``KeptTable`` per template, which a process reads once and
shares between threads. Keys leave out the template's folder, so a template fetched into
a new temporary folder each run finds its code again; the caller names one table per
template source, never from answers.

Imported only where Jinja already is (``recommend`` and ``--help`` load neither).
"""

from __future__ import annotations

from hashlib import sha1

from jinja2.bccache import Bucket, BytecodeCache

from .cache import KeptTable, kept_table


class PackedBytecodeCache(BytecodeCache):
    """Every compiled template of one template source, in one ``KeptTable``."""

    def __init__(self, table: KeptTable) -> None:
        self.table = table

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """The template's name alone: its folder may be a new temporary one each run."""
        return sha1(name.encode("utf-8", "surrogatepass")).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.table.get(bucket.key)
        if isinstance(data, bytes):
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.table.set(bucket.key, bucket.bytecode_to_string())

    def clear(self) -> None:
        self.table.clear()

    def flush(self) -> None:
        """Write what was compiled since the table was read (nothing, most runs)."""
        self.table.flush()


def packed_cache(name: str) -> PackedBytecodeCache | None:
    """The compiled code kept under ``name`` (``None``: no usable cache folder)."""
    table = kept_table("jinja", name)
    return PackedBytecodeCache(table) if table is not None else None
