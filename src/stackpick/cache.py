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
        with contextlib.suppress(OSError, ValueError):
            temporary = f"{cached}.{os.getpid()}"
            with open(temporary, "wb") as file:
                marshal.dump(value, file)
            os.replace(temporary, cached)
    return value
