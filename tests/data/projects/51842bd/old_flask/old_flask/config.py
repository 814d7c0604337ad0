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


def _names(value: str) -> list[str] | None:
    """A comma-separated list (``None`` when empty)."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    return names or None


def database_url(url: str) -> str:
    """The SQLAlchemy URL for ``url``."""
    return url


def load_config() -> dict[str, Any]:
    """The settings from the environment, with development defaults."""
    production = os.environ.get("APP_ENV", "development") == "production"
    return {
        "APP_ENV": os.environ.get("APP_ENV", "development"),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or DEV_SECRET_KEY,
        # The host names the site answers to (Flask refuses other Host headers with 400):
        # example.com,www.example.com; a leading dot allows subdomains (.example.com).
        "TRUSTED_HOSTS": _names(os.environ.get("TRUSTED_HOSTS", "")),
        # How many proxies in front of the app set X-Forwarded-For/-Proto (0: none, the
        # headers are ignored; 1: one reverse proxy, e.g. nginx or a load balancer).
        "PROXY_HOPS": int(os.environ.get("PROXY_HOPS", "0")),
        # X-Forwarded-Host is trusted only from this many proxies (0: the Host header counts).
        "PROXY_X_HOST": int(os.environ.get("PROXY_X_HOST", "0")),
        # Strict-Transport-Security max-age in seconds (0: no header); production sends an
        # hour by default: raise it step by step (a day, a week, then 31536000, a year).
        "HSTS_SECONDS": int(os.environ.get("HSTS_SECONDS", "3600" if production else "0")),
        # Answer plain-HTTP requests with a redirect to HTTPS (/health excepted).
        "HTTPS_REDIRECT": os.environ.get("HTTPS_REDIRECT", "1" if production else "0") == "1",
        "SQLALCHEMY_DATABASE_URI": database_url(
            os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
        ),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Cookies over HTTPS only in production.
        "SESSION_COOKIE_SECURE": production,
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
