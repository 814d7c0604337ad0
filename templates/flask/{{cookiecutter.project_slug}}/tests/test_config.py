{#- A feature's parts of this file are in templates/<feature>/ (features.jinja). -#}
{%- from "features.jinja" import features with context -%}
from __future__ import annotations

import pytest

from {{ cookiecutter.project_slug }} import create_app
from {{ cookiecutter.project_slug }}.config import DEV_SECRET_KEY, ConfigError{% if cookiecutter.auth or cookiecutter.rest_api %}, check_workers{% endif %}

REAL_KEY = "x" * 48


@pytest.fixture()
def production(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Production settings with a real key{% if cookiecutter.auth %}, the site's host, a mail server{% endif %}{% if cookiecutter.auth or cookiecutter.rest_api %} and a rate-limit store{% endif %}; change more with it."""
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", REAL_KEY)
{% for feature in features %}{% include feature ~ "/test_config.production.py" ignore missing %}{% endfor %}    return monkeypatch


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
{%- if cookiecutter.auth %}
    assert config["REMEMBER_COOKIE_SECURE"] is True
{%- endif %}
{% for feature in features %}{% include feature ~ "/test_config.tests.py" ignore missing %}{% endfor -%}
