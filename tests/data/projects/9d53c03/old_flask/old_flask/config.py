"""Settings read from the environment (and from a ``.env`` file when there is one)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

# Good enough for development and tests only: production refuses it.
DEV_SECRET_KEY = "dev-only-insecure-secret-key"
MIN_SECRET_KEY_LENGTH = 32
# A relative SQLite path lives in the instance/ folder.
DEFAULT_DATABASE_URL = "sqlite:///old_flask.sqlite3"


class ConfigError(RuntimeError):
    """The settings are not fit for the chosen environment."""


def database_url(url: str) -> str:
    """The SQLAlchemy URL for ``url``."""
    return url


def load_config() -> dict[str, Any]:
    """The settings from the environment, with development defaults."""
    return {
        "APP_ENV": os.environ.get("APP_ENV", "development"),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or DEV_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url(
            os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
        ),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
    }


def check_config(config: Mapping[str, Any]) -> None:
    """Refuse to run in production without a real ``SECRET_KEY``."""
    if config.get("APP_ENV") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            "APP_ENV=production needs a real SECRET_KEY (at least "
            f"{MIN_SECRET_KEY_LENGTH} random characters) in the environment or .env"
        )
