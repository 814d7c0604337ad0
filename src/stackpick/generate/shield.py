"""Git out of reach of a Ctrl-C or a SIGTERM to stackpick's process group, while a step
must finish: within ``shielded()``, ``git.run`` starts git in a session of its own, so each
command ends as git ends it, never halfway (the caller holds its own signals back)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

_SHIELDED: ContextVar[bool] = ContextVar("git_shielded", default=False)


@contextlib.contextmanager
def shielded() -> Iterator[None]:
    """Within the block, git commands run in a session of their own."""
    token = _SHIELDED.set(True)
    try:
        yield
    finally:
        _SHIELDED.reset(token)


def active() -> bool:
    """Whether git commands are to run shielded now."""
    return _SHIELDED.get()
