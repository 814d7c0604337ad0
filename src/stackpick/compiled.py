"""Compiled Jinja code kept between runs, through public extension points (Jinja's, cookiecutter's).

``KeepCompiled`` is a Jinja extension that the cookiecutter adapter adds to every render's
``_extensions`` (cookiecutter's documented setting); it gives the environment a
``PackedBytecodeCache`` (Jinja's ``BytecodeCache`` interface). Jinja asks it for every
template file it loads; ``from_string`` (file names, defaults, hooks) compiles as usual.

The code of one kind of environment (its syntax settings, its extensions and their
modules' content, the versions) is one ``KeptTable``, read once a process. An entry is
keyed by the template's name and its source's checksum, never by a folder, so a template
fetched into a new folder each run, or installed twice, finds its code again. An entry
is used only if its checksum is the source's and it unmarshals to a code object.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
import threading
import types

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.ext import Extension

from .cache import KeptTable, all_tables, kept_table

#: The environment settings compiled code depends on (Jinja's lexer and code generator).
SETTINGS = (
    "block_start_string", "block_end_string", "variable_start_string",
    "variable_end_string", "comment_start_string", "comment_end_string",
    "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
    "newline_sequence", "keep_trailing_newline", "optimized", "is_async",
)  # fmt: skip


class KeepCompiled(Extension):
    """Gives the environment stackpick's bytecode cache (none when there is no usable cache)."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.bytecode_cache = PackedBytecodeCache(environment)


class PackedBytecodeCache(BytecodeCache):
    """The compiled templates of one kind of environment, in one ``KeptTable``."""

    def __init__(self, environment: Environment) -> None:
        self.environment = environment
        self._table: KeptTable | bool | None = False  # False: not looked up yet

    def table(self) -> KeptTable | None:
        """Looked up on first use: by then the environment has all its extensions."""
        if self._table is False:
            self._table = kept_table("jinja", environment_digest(self.environment))
        return self._table if isinstance(self._table, KeptTable) else None

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """The template's name alone, never its folder (the checksum tells sources apart)."""
        return hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        table = self.table()
        entry = table.get((bucket.key, bucket.checksum)) if table is not None else None
        if not isinstance(entry, bytes):
            return
        try:
            code = marshal.loads(entry)
        except (ValueError, EOFError, TypeError):
            return
        if isinstance(code, types.CodeType):
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        table = self.table()
        if table is not None and bucket.code is not None:
            table.set((bucket.key, bucket.checksum), marshal.dumps(bucket.code))

    def clear(self) -> None:
        table = self.table()
        if table is not None:
            table.clear()


def flush() -> None:
    """Write every table that grew in this process (nothing, most runs)."""
    for table in all_tables():
        table.flush()


def environment_digest(environment: Environment) -> str:
    """What compiled code for ``environment`` depends on, as a short digest."""
    import jinja2

    from . import __version__

    parts = [__version__, jinja2.__version__, sys.version]
    parts += [repr(getattr(environment, name, None)) for name in SETTINGS]
    for name in ("finalize", "autoescape"):
        value = getattr(environment, name, None)
        parts.append(
            getattr(value, "__qualname__", repr(value)) if callable(value) else repr(value)
        )
    for extension in sorted(environment.extensions):
        parts += [extension, _module_digest(type(environment.extensions[extension]).__module__)]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:24]


_MODULES: dict[tuple[str, int, int], str] = {}
_MODULES_LOCK = threading.Lock()


def _module_digest(name: str) -> str:
    """The content digest of module ``name``'s file (a template's local extensions change)."""
    import os

    file = getattr(sys.modules.get(name), "__file__", None)
    if not file:
        return name
    try:
        info = os.stat(file)
        key = (file, info.st_mtime_ns, info.st_size)
        with _MODULES_LOCK:
            if key in _MODULES:
                return _MODULES[key]
        with open(file, "rb") as source:
            digest = hashlib.sha256(source.read()).hexdigest()
    except OSError:
        return f"{name}\0unreadable"
    with _MODULES_LOCK:
        _MODULES[key] = digest
    return digest
