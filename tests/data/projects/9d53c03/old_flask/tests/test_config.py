from __future__ import annotations

import pytest

from old_flask import create_app
from old_flask.config import DEV_SECRET_KEY, ConfigError


def test_development_runs_without_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    # Set (even empty), the variable also wins over a SECRET_KEY in .env.
    monkeypatch.setenv("SECRET_KEY", "")
    monkeypatch.setenv("APP_ENV", "development")
    assert create_app().config["SECRET_KEY"] == DEV_SECRET_KEY


@pytest.mark.parametrize("key", [None, DEV_SECRET_KEY, "too-short"])
def test_production_refuses_a_missing_or_weak_secret_key(
    monkeypatch: pytest.MonkeyPatch, key: str | None
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    if key is None:
        monkeypatch.setenv("SECRET_KEY", "")
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError):
        create_app()


def test_production_starts_with_a_real_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    assert create_app().config["APP_ENV"] == "production"
