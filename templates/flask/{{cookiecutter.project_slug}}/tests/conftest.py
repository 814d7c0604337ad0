{%- from "features.jinja" import features with context -%}
{%- set plugins = features | select("in", ["database", "auth", "i18n"]) | list -%}
"""Fixtures: an app{% if cookiecutter.__has_database %} on a database built by the migrations{% endif %}, a client{% if cookiecutter.__has_database %}, the database{% endif %}."""

from __future__ import annotations
{% if cookiecutter.__has_database %}
from collections.abc import Iterator
{%- endif %}
from typing import Any

import pytest
from dotenv import load_dotenv
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.test import TestResponse

from {{ cookiecutter.project_slug }} import create_app
{%- if cookiecutter.__has_database %}
from {{ cookiecutter.project_slug }}.extensions import db as _db
{%- endif %}
{%- if plugins %}

# The fixtures of each feature are in a module of their own: tests/fixtures_<feature>.py.
pytest_plugins = [{% for feature in plugins %}"fixtures_{{ feature }}"{{ ", " if not loop.last }}{% endfor %}]
{%- endif %}

# The .env of the project, as the app itself loads it (real environment variables win).
load_dotenv()


def make_app({% if cookiecutter.__has_database %}database: str, {% endif %}**overrides: Any) -> Flask:
    """A test app; ``overrides`` change its settings."""
    config: dict[str, Any] = {
        "TESTING": True,
        "APP_ENV": "testing",
        "SECRET_KEY": "test-secret-key",
{% for feature in features %}{% include feature ~ "/conftest.settings.py" ignore missing %}{% endfor %}    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture()
def app_settings() -> dict[str, Any]:
    """Extra settings for the ``app`` fixture; override this fixture to change them."""
    return {}


{% if cookiecutter.__has_database -%}
@pytest.fixture()
def app(app_settings: dict[str, Any], database: str) -> Iterator[Flask]:
    """The app, on the migrated test database; every row is deleted after each test."""
    app = make_app(database, **app_settings)
    with app.app_context():
        try:
            yield app
        finally:
            _db.session.remove()
            for table in reversed(_db.metadata.sorted_tables):
                _db.session.execute(table.delete())
            _db.session.commit()
            _db.engine.dispose()
{%- else -%}
@pytest.fixture()
def app(app_settings: dict[str, Any]) -> Flask:
    return make_app(**app_settings)
{%- endif %}


class Client(FlaskClient):
    """A test client whose every request gets its own app context (and ``g``), as when served."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    app.test_client_class = Client
    return app.test_client()


@pytest.fixture()
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
