"""Log hygiene: password-reset links carry a token that logs in as its user, so no log keeps one."""

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

# /reset/<uidb64>/<token>/ of Django's PasswordResetConfirmView (set-password/ carries none).
_RESET_TOKEN = re.compile(r"(/reset/[^/\s]+/)(?!set-password/)[^/\s?\"]+")


def mask_tokens(text: str) -> str:
    """``text`` with the token of every password-reset path replaced by ``***``."""
    return _RESET_TOKEN.sub(r"\1***", text)


class MaskResetTokens(logging.Filter):
    """A logging filter that masks reset tokens in a record's message (Django's own loggers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class AccessLog(Logger):
    """gunicorn's logger, with reset tokens masked in the access log's request line and paths."""

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any
    ) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = mask_tokens(atoms[key])
        return atoms
