"""gunicorn's settings for this project: gunicorn reads ./gunicorn.conf.py by itself.

- It refuses to start when rate limits would be counted per worker process
  (``RATELIMIT_STORAGE_URI=memory://`` with more than one worker): the check reads the
  number of workers gunicorn really starts (``-w``, ``WEB_CONCURRENCY`` or this file).
- Its access log (``--access-logfile -``) never shows a password-reset token: the
  paths, query strings and referrers it writes have the token cut out.
"""

from __future__ import annotations

import re
from typing import Any

from dotenv import load_dotenv
from gunicorn.glogging import Logger

from old_flask_full.config import check_workers, load_config


def on_starting(server: Any) -> None:
    """Before any worker starts: a ConfigError stops gunicorn with its message (exit 1)."""
    load_dotenv()
    check_workers(load_config(), server.cfg.workers)


RESET_TOKEN = re.compile(r"(/password/reset/)[^/?#\s\"]+")


class RedactingLogger(Logger):
    """gunicorn's logger, with password-reset tokens replaced by ``[token]``."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {
            key: RESET_TOKEN.sub(r"\1[token]", value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }


logger_class = RedactingLogger
