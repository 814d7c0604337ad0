from __future__ import annotations

import pytest

from old_flask_full import create_app
from old_flask_full.config import DEV_SECRET_KEY, ConfigError, check_workers

REAL_KEY = "x" * 48


@pytest.fixture()
def production(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Production settings with a real key, the site's host, a mail server and a rate-limit store; change more with it."""
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", REAL_KEY)
    monkeypatch.setenv("TRUSTED_HOSTS", "example.com")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.com")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    return monkeypatch


def test_development_runs_without_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    # Set (even empty), the variable also wins over a SECRET_KEY in .env.
    monkeypatch.setenv("SECRET_KEY", "")
    monkeypatch.setenv("APP_ENV", "development")
    app = create_app()
    assert app.config["SECRET_KEY"] == DEV_SECRET_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize("key", ["", DEV_SECRET_KEY, "too-short"])
def test_production_refuses_a_missing_or_weak_secret_key(
    production: pytest.MonkeyPatch, key: str
) -> None:
    production.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError):
        create_app()


def test_production_starts_with_a_real_secret_key(production: pytest.MonkeyPatch) -> None:
    assert create_app().config["APP_ENV"] == "production"


def test_production_cookies_are_secure(production: pytest.MonkeyPatch) -> None:
    config = create_app().config
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True


@pytest.mark.parametrize("name", ["TRUSTED_HOSTS", "MAIL_SERVER"])
def test_production_refuses_to_start_without_hosts_or_mail(
    production: pytest.MonkeyPatch, name: str
) -> None:
    # Without a mail server the reset links would be printed into the server's log.
    production.delenv(name)
    with pytest.raises(ConfigError, match=name):
        create_app()


def test_production_refuses_rate_limits_without_a_shared_store(
    production: pytest.MonkeyPatch,
) -> None:
    production.delenv("RATELIMIT_STORAGE_URI")
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        create_app()


def test_memory_rate_limits_are_refused_with_several_workers() -> None:
    # gunicorn.conf.py runs this with the number of workers gunicorn starts.
    with pytest.raises(ConfigError, match="2 workers"):
        check_workers({"RATELIMIT_STORAGE_URI": "memory://"}, 2)
    check_workers({"RATELIMIT_STORAGE_URI": "memory://"}, 1)
    check_workers({"RATELIMIT_STORAGE_URI": "redis://localhost:6379/0"}, 4)
