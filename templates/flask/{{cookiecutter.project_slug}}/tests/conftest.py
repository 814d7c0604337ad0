"""Fixtures: an app{% if cookiecutter.__has_database %} on a database built by the migrations{% endif %}, a client{% if cookiecutter.__has_database %}, the database{% endif %}."""

from __future__ import annotations
{% if cookiecutter.__has_database %}
import os
{%- endif %}
{%- if cookiecutter.auth %}
from collections.abc import Callable, Iterator
{%- elif cookiecutter.__has_database %}
from collections.abc import Iterator
{%- endif %}
{%- if cookiecutter.auth %}
from functools import partial
{%- endif %}
{%- if cookiecutter.database == 'sqlite' or cookiecutter.i18n %}
from pathlib import Path
{%- endif %}
from typing import Any

import pytest
{%- if cookiecutter.i18n %}
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
{%- endif %}
from dotenv import load_dotenv
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
{%- if cookiecutter.__has_database %}
from flask_migrate import downgrade, upgrade
from flask_sqlalchemy import SQLAlchemy
{%- endif %}
{%- if cookiecutter.database == 'postgresql' %}
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError
{%- endif %}
{%- if cookiecutter.auth %}
from werkzeug.security import generate_password_hash
{%- endif %}
from werkzeug.test import TestResponse

{% if cookiecutter.i18n %}import {{ cookiecutter.project_slug }}
{% endif %}from {{ cookiecutter.project_slug }} import create_app{% if cookiecutter.auth %}, models{% endif %}
{%- if cookiecutter.__has_database %}
from {{ cookiecutter.project_slug }}.config import {% if cookiecutter.database == 'postgresql' %}DEFAULT_DATABASE_URL, {% endif %}database_url
from {{ cookiecutter.project_slug }}.extensions import db as _db
{%- endif %}
{%- if cookiecutter.auth %}
from {{ cookiecutter.project_slug }}.models import User
{%- endif %}

# The .env of the project, as the app itself loads it (real environment variables win).
load_dotenv()
{%- if cookiecutter.i18n %}


def compile_translations() -> None:
    """Compile each ``messages.po`` into the ``messages.mo`` the app reads (as pybabel compile)."""
    translations = Path({{ cookiecutter.project_slug }}.__file__).parent / "translations"
    for po_path in translations.glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)


# The tests always run on catalogues compiled from the .po files they see.
compile_translations()
{%- endif %}
{%- if cookiecutter.__has_database %}


def database_for_tests({% if cookiecutter.database == 'sqlite' %}tmp_path: Path{% endif %}) -> str:
{%- if cookiecutter.database == 'sqlite' %}
    """TEST_DATABASE_URL, else a SQLite file in ``tmp_path`` (never the development data)."""
    url = os.environ.get("TEST_DATABASE_URL")
    return database_url(url or f"sqlite:///{tmp_path / 'test.sqlite3'}")
{%- else %}
    """TEST_DATABASE_URL, else DATABASE_URL's database with ``_test`` appended.

    The tests empty their database: it must never be the development one.
    """
    if url := os.environ.get("TEST_DATABASE_URL"):
        return database_url(url)
    development = make_url(database_url(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL))
    test = development.set(database=f"{development.database}_test")
    return test.render_as_string(hide_password=False)


def create_database(url: str) -> None:
    """Create the test database when it does not exist (as pytest-django does)."""
    target = make_url(url)
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    except OperationalError as error:
        pytest.exit(
            f"cannot create the test database {target.database!r} ({error.orig}): create it "
            "yourself (createdb), or set TEST_DATABASE_URL to a database the tests may empty",
            returncode=1,
        )
    finally:
        server.dispose()
{%- endif %}
{%- endif %}


def make_app({% if cookiecutter.__has_database %}database: str, {% endif %}**overrides: Any) -> Flask:
    """A test app; ``overrides`` change its settings."""
    config: dict[str, Any] = {
        "TESTING": True,
        "APP_ENV": "testing",
        "SECRET_KEY": "test-secret-key",
{%- if cookiecutter.__has_database %}
        "SQLALCHEMY_DATABASE_URI": database,
{%- endif %}
{%- if cookiecutter.auth %}
        "WTF_CSRF_ENABLED": False,
{%- endif %}
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture()
def app_settings() -> dict[str, Any]:
    """Extra settings for the ``app`` fixture; override this fixture to change them."""
    return {}


{% if cookiecutter.__has_database -%}
@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of the test database: built once by the migrations, torn down by them at the end."""
    url = database_for_tests({% if cookiecutter.database == 'sqlite' %}tmp_path_factory.mktemp("database"){% endif %})
{%- if cookiecutter.database == 'postgresql' %}
    create_database(url)
{%- endif %}
    app = make_app(url)
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    yield url
    with app.app_context():
        downgrade(revision="base")
        _db.engine.dispose()


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
{%- if cookiecutter.__has_database %}


@pytest.fixture()
def db(app: Flask) -> SQLAlchemy:
    """The database (inside the app context of the ``app`` fixture)."""
    return _db
{%- endif %}
{%- if cookiecutter.auth %}


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap password hashes in the tests only; the app keeps werkzeug's strong default."""
    fast = partial(generate_password_hash, method="pbkdf2:sha256:1000")
    monkeypatch.setattr(models, "generate_password_hash", fast)


def add_user(username: str, password: str{% if cookiecutter.admin %}, *, is_admin: bool = False{% endif %}) -> User:
    user = User(username=username{% if cookiecutter.admin %}, is_admin=is_admin{% endif %})
    user.set_password(password)
    _db.session.add(user)
    _db.session.commit()
    return user


@pytest.fixture()
def user(db: SQLAlchemy) -> User:
    return add_user("alice", "correct horse battery")
{%- if cookiecutter.admin %}


@pytest.fixture()
def admin_user(db: SQLAlchemy) -> User:
    return add_user("root", "admin password 123", is_admin=True)
{%- endif %}


@pytest.fixture()
def login(client: FlaskClient) -> Callable[[str, str], TestResponse]:
    """Log the test client in through the login form."""

    def log_in(username: str, password: str) -> TestResponse:
        return client.post(
            "/auth/login",
            data={"username": username, "password": password},
            follow_redirects=True,
        )

    return log_in
{%- endif %}
