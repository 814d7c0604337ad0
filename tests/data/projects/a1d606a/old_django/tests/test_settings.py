import importlib
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

PRODUCTION = "old_django.settings.production"


def load_production_settings(monkeypatch, secret_key: str):
    monkeypatch.setenv("SECRET_KEY", secret_key)
    monkeypatch.setenv("ALLOWED_HOSTS", "example.com")
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
    assert production.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
