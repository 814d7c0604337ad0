import importlib
import logging
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

PRODUCTION = "{{ cookiecutter.project_slug }}.settings.production"


def load_production_settings(
    monkeypatch,
    secret_key: str,
    database_url: str = "postgres://u:p@db:5432/x",
    email_url: str = "smtp+tls://mailer:secret@smtp.example.com:587",
):
    monkeypatch.setenv("SECRET_KEY", secret_key)
    monkeypatch.setenv("ALLOWED_HOSTS", "example.com")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("EMAIL_URL", email_url)
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
    assert production.SECURE_SSL_REDIRECT is True
    # X-Forwarded-Host is believed only when USE_X_FORWARDED_HOST says the proxy sets it.
    assert production.USE_X_FORWARDED_HOST is False
{%- if cookiecutter.rest_api %}
    authentication = production.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]
    assert authentication == ["rest_framework.authentication.SessionAuthentication"]
    permissions = production.SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]
    assert permissions == ["rest_framework.permissions.IsAdminUser"]
    # JSON only: no browsable API pages in production.
    renderers = production.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"]
    assert renderers == ["rest_framework.renderers.JSONRenderer"]
{%- endif %}


def test_production_logs_mask_reset_tokens(monkeypatch):
    production = load_production_settings(monkeypatch, "k9-Lq2" * 10)
    handler = production.LOGGING["handlers"]["console"]
    (name,) = handler["filters"]
    no_tokens = import_string(production.LOGGING["filters"][name]["()"])()
    path = "/accounts/reset/MQ/cz6-0a1b2c3d4e5f6a7b8c9d/"
    record = logging.LogRecord("django.request", logging.WARNING, "", 1, "Bad: %s", (path,), None)

    assert no_tokens.filter(record)
    assert record.getMessage() == "Bad: /accounts/reset/MQ/***/"
    assert "cz6" not in record.getMessage()
{%- if cookiecutter.auth %}


@pytest.mark.parametrize("email_url", ["", "consolemail://"])
def test_production_refuses_to_start_without_mail_settings(monkeypatch, email_url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        load_production_settings(monkeypatch, "k9-Lq2" * 10, email_url=email_url)


def test_production_reads_mail_settings_from_email_url(monkeypatch):
    production = load_production_settings(monkeypatch, "k9-Lq2" * 10)

    assert production.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    assert (production.EMAIL_HOST, production.EMAIL_PORT) == ("smtp.example.com", 587)
    assert (production.EMAIL_HOST_USER, production.EMAIL_HOST_PASSWORD) == ("mailer", "secret")
    assert production.EMAIL_USE_TLS is True
{%- endif %}


def test_hsts_can_be_raised(monkeypatch):
    monkeypatch.setenv("SECURE_HSTS_SECONDS", "31536000")
    monkeypatch.setenv("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
    production = load_production_settings(monkeypatch, "k9-Lq2" * 10)

    assert production.SECURE_HSTS_SECONDS == 31536000
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert "security.W005" not in production.SILENCED_SYSTEM_CHECKS
{%- if cookiecutter.database == "postgresql" %}


def test_production_refuses_to_start_without_database_url(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        load_production_settings(monkeypatch, "k9-Lq2" * 10, database_url="")
{%- else %}


def test_production_uses_sqlite_without_database_url(monkeypatch):
    production = load_production_settings(monkeypatch, "k9-Lq2" * 10, database_url="")

    assert production.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
{%- endif %}
