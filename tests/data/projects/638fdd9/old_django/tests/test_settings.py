import importlib
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

PRODUCTION = "old_django.settings.production"


def load_production_settings(
    monkeypatch, secret_key: str, database_url: str = "postgres://u:p@db:5432/x"
):
    monkeypatch.setenv("SECRET_KEY", secret_key)
    monkeypatch.setenv("ALLOWED_HOSTS", "example.com")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delitem(sys.modules, PRODUCTION, raising=False)
    try:
        return importlib.import_module(PRODUCTION)
    finally:
        sys.modules.pop(PRODUCTION, None)


@pytest.mark.parametrize(
    "secret_key",
    ["", "too-short", "django-insecure-" + "x" * 60, "a" * 60],
)
def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, secret_key):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_production_settings(monkeypatch, secret_key)


def test_production_settings_with_a_real_secret_key(monkeypatch):
    secret_key = "k9-Lq2" * 10
    production = load_production_settings(monkeypatch, secret_key)

    assert secret_key == production.SECRET_KEY
    assert production.DEBUG is False
    assert production.ALLOWED_HOSTS == ["example.com"]
    assert production.SESSION_COOKIE_SECURE is True
    assert (
        production.STORAGES["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert production.SECURE_HSTS_SECONDS == 60
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS is False
    assert production.SECURE_HSTS_PRELOAD is False


def test_hsts_can_be_raised(monkeypatch):
    monkeypatch.setenv("SECURE_HSTS_SECONDS", "31536000")
    monkeypatch.setenv("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
    production = load_production_settings(monkeypatch, "k9-Lq2" * 10)

    assert production.SECURE_HSTS_SECONDS == 31536000
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert "security.W005" not in production.SILENCED_SYSTEM_CHECKS


def test_production_uses_sqlite_without_database_url(monkeypatch):
    production = load_production_settings(monkeypatch, "k9-Lq2" * 10, database_url="")

    assert production.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
