"""Settings read from the environment (and from a ``.env`` file when there is one)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

# Good enough for development and tests only: production refuses it.
DEV_SECRET_KEY = "dev-only-insecure-secret-key"
MIN_SECRET_KEY_LENGTH = 32
# A relative SQLite path lives in the instance/ folder.
DEFAULT_DATABASE_URL = "sqlite:///old_flask_auth.sqlite3"


class ConfigError(RuntimeError):
    """The settings are not fit for the chosen environment."""


def database_url(url: str) -> str:
    """The SQLAlchemy URL for ``url``."""
    return url


def load_config() -> dict[str, Any]:
    """The settings from the environment, with development defaults."""
    production = os.environ.get("APP_ENV", "development") == "production"
    return {
        "APP_ENV": os.environ.get("APP_ENV", "development"),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or DEV_SECRET_KEY,
        # How many proxies in front of the app set X-Forwarded-For/-Proto/-Host (0: none,
        # the headers are ignored; 1: one reverse proxy, e.g. nginx or a load balancer).
        "PROXY_HOPS": int(os.environ.get("PROXY_HOPS", "0")),
        # Strict-Transport-Security max-age in seconds; 0 (default) sends no HSTS header.
        "HSTS_SECONDS": int(os.environ.get("HSTS_SECONDS", "0")),
        "SQLALCHEMY_DATABASE_URI": database_url(
            os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
        ),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Cookies over HTTPS only in production.
        "SESSION_COOKIE_SECURE": production,
        # Mail (password resets): printed to the console while MAIL_SERVER is unset.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "true").lower() == "true",
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "webmaster@localhost"),
        "PASSWORD_RESET_MAX_AGE": int(os.environ.get("PASSWORD_RESET_MAX_AGE", "3600")),
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
    }


def check_config(config: Mapping[str, Any]) -> None:
    """Refuse to run in production with settings that are not fit for it."""
    if config.get("APP_ENV") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            "APP_ENV=production needs a real SECRET_KEY (at least "
            f"{MIN_SECRET_KEY_LENGTH} random characters) in the environment or .env"
        )
