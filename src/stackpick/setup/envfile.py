"""``.env`` where it is missing: a fresh secret and the template's local settings, as ``new``
writes it (a zip or a fresh clone comes without one; an existing ``.env`` is never touched)."""

from __future__ import annotations

import os
import secrets
import tempfile

from ..generate.project_files import ENV_FILE, env_text
from .plan import ProjectSpec


def ensure_env(spec: ProjectSpec) -> bool:
    """Write ``.env`` when the template declares one and the project has none; whether it did.

    Written beside it and linked into place, so it appears whole or not at all and a ``.env``
    made meanwhile is kept.
    """
    path = spec.root / ENV_FILE
    if spec.env is None or os.path.lexists(path):
        return False
    text = env_text(dict(spec.env), secrets.token_urlsafe(50))
    fd, staged = tempfile.mkstemp(prefix=".env.", dir=spec.root)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.link(staged, path)
    except FileExistsError:
        return False
    finally:
        os.unlink(staged)
    return True
