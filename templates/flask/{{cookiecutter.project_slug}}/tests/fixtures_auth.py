"""Users for the tests: cheap password hashes, ``add_user``, a user{% if cookiecutter.admin %}, an administrator{% endif %}, a log-in."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest
from flask.testing import FlaskClient
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import generate_password_hash
from werkzeug.test import TestResponse

from {{ cookiecutter.project_slug }} import models
from {{ cookiecutter.project_slug }}.extensions import db as _db
from {{ cookiecutter.project_slug }}.models import User


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
