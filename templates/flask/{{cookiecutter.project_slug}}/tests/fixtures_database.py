{#- The database engine's part is templates/<engine>/fixtures_database.py (features.jinja). -#}
{%- from "features.jinja" import features with context -%}
"""The test database: built once by the migrations, torn down by them; the ``db`` fixture."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from conftest import make_app
from flask import Flask
from flask_migrate import downgrade, upgrade
from flask_sqlalchemy import SQLAlchemy
{%- if cookiecutter.database == 'postgresql' %}
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError
{%- endif %}

from {{ cookiecutter.project_slug }}.config import {% if cookiecutter.database == 'postgresql' %}DEFAULT_DATABASE_URL, {% endif %}database_url
from {{ cookiecutter.project_slug }}.extensions import db as _db
{% for feature in features %}{% include feature ~ "/fixtures_database.py" ignore missing %}{% endfor %}

@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of the test database: built once by the migrations, torn down by them at the end."""
    url = database_for_tests(tmp_path_factory)
    app = make_app(url)
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    yield url
    with app.app_context():
        downgrade(revision="base")
        _db.engine.dispose()


@pytest.fixture()
def db(app: Flask) -> SQLAlchemy:
    """The database (inside the app context of the ``app`` fixture)."""
    return _db
