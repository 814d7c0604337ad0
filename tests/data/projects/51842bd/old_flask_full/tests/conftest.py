"""Fixtures: an app on a database built by the migrations, a client, the database."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from dotenv import load_dotenv
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import downgrade, upgrade
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import generate_password_hash
from werkzeug.test import TestResponse

import old_flask_full
from old_flask_full import create_app, models
from old_flask_full.config import database_url
from old_flask_full.extensions import db as _db
from old_flask_full.models import User

# The .env of the project, as the app itself loads it (real environment variables win).
load_dotenv()


def compile_translations() -> None:
    """Compile each ``messages.po`` into the ``messages.mo`` the app reads (as pybabel compile)."""
    translations = Path(old_flask_full.__file__).parent / "translations"
    for po_path in translations.glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)


# The tests always run on catalogues compiled from the .po files they see.
compile_translations()


def database_for_tests(tmp_path: Path) -> str:
    """TEST_DATABASE_URL, else a SQLite file in ``tmp_path`` (never the development data)."""
    url = os.environ.get("TEST_DATABASE_URL")
    return database_url(url or f"sqlite:///{tmp_path / 'test.sqlite3'}")


def make_app(database: str, **overrides: Any) -> Flask:
    """A test app; ``overrides`` change its settings."""
    config: dict[str, Any] = {
        "TESTING": True,
        "APP_ENV": "testing",
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database,
        "WTF_CSRF_ENABLED": False,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture()
def app_settings() -> dict[str, Any]:
    """Extra settings for the ``app`` fixture; override this fixture to change them."""
    return {}


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of the test database: built once by the migrations, torn down by them at the end."""
    url = database_for_tests(tmp_path_factory.mktemp("database"))
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


@pytest.fixture()
def db(app: Flask) -> SQLAlchemy:
    """The database (inside the app context of the ``app`` fixture)."""
    return _db


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap password hashes in the tests only; the app keeps werkzeug's strong default."""
    fast = partial(generate_password_hash, method="pbkdf2:sha256:1000")
    monkeypatch.setattr(models, "generate_password_hash", fast)


def add_user(username: str, password: str, *, is_admin: bool = False) -> User:
    user = User(username=username, is_admin=is_admin)
    user.set_password(password)
    _db.session.add(user)
    _db.session.commit()
    return user


@pytest.fixture()
def user(db: SQLAlchemy) -> User:
    return add_user("alice", "correct horse battery")


@pytest.fixture()
def admin_user(db: SQLAlchemy) -> User:
    return add_user("root", "admin password 123", is_admin=True)


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
