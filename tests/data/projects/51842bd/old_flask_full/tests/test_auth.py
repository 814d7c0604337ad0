from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select
from werkzeug.security import generate_password_hash
from werkzeug.test import TestResponse

from old_flask_full import models
from old_flask_full.auth import authenticate
from old_flask_full.models import User

Login = Callable[[str, str], TestResponse]


def test_pages_render(client: FlaskClient) -> None:
    assert client.get("/auth/login").status_code == 200
    assert client.get("/auth/register").status_code == 200


def test_register_logs_the_new_user_in(client: FlaskClient, db: SQLAlchemy) -> None:
    response = client.post(
        "/auth/register",
        data={"username": "bob", "password": "s3cret-pass", "confirm": "s3cret-pass"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "bob" in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.username == "bob"))
    assert user is not None
    assert user.password_hash != "s3cret-pass"
    assert user.check_password("s3cret-pass")


def test_register_refuses_a_taken_name_and_bad_input(
    client: FlaskClient, user: User, db: SQLAlchemy
) -> None:
    taken = client.post(
        "/auth/register",
        data={"username": "alice", "password": "another-pass", "confirm": "another-pass"},
    )
    assert taken.status_code == 200
    short = client.post(
        "/auth/register", data={"username": "carol", "password": "short", "confirm": "short"}
    )
    assert short.status_code == 200
    assert len(db.session.scalars(select(User)).all()) == 1


def test_login_and_logout(client: FlaskClient, user: User, login: Login) -> None:
    page = login("alice", "correct horse battery").get_data(as_text=True)
    assert "alice" in page
    assert 'action="/auth/logout"' in page
    page = client.post("/auth/logout", follow_redirects=True).get_data(as_text=True)
    assert 'action="/auth/logout"' not in page
    assert 'href="/auth/login"' in page


def test_login_with_a_wrong_password_fails(client: FlaskClient, user: User, login: Login) -> None:
    page = login("alice", "wrong password").get_data(as_text=True)
    assert 'action="/auth/logout"' not in page


def test_login_redirects_only_within_the_site(client: FlaskClient, user: User) -> None:
    data = {"username": "alice", "password": "correct horse battery"}
    inside = client.post("/auth/login?next=/health", data=data)
    assert inside.headers["Location"] == "/health"
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        client.post("/auth/logout")
        outside = client.post("/auth/login", query_string={"next": target}, data=data)
        assert outside.headers["Location"] == "/", target


def test_logout_needs_a_logged_in_user(client: FlaskClient) -> None:
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("app_settings", [{"WTF_CSRF_ENABLED": True}])
def test_forms_need_a_csrf_token(client: FlaskClient, user: User) -> None:
    response = client.post(
        "/auth/login", data={"username": "alice", "password": "correct horse battery"}
    )
    assert response.status_code == 400


def test_create_user_command(app: Flask, runner: FlaskCliRunner, db: SQLAlchemy) -> None:
    result = runner.invoke(args=["create-user", "dave", "--password", "pa55word!", "--admin"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "dave"))
    assert user is not None
    assert user.check_password("pa55word!")
    assert user.is_admin
    again = runner.invoke(args=["create-user", "dave", "--password", "x"])
    assert again.exit_code != 0


def attempt(client: FlaskClient, path: str, address: str, **data: str) -> int:
    """POST a form from client ``address``; the status."""
    return client.post(path, data=data, environ_base={"REMOTE_ADDR": address}).status_code


@pytest.mark.parametrize("app_settings", [{"AUTH_RATE_LIMIT": "3 per minute"}])
def test_logins_are_limited_per_client(client: FlaskClient, user: User) -> None:
    wrong = [
        attempt(client, "/auth/login", "203.0.113.1", username=f"guess{i}", password="x")
        for i in range(3)
    ]
    assert wrong == [200, 200, 200]
    # The right password is refused too, once the client used up its attempts.
    right = {"username": "alice", "password": "correct horse battery"}
    assert attempt(client, "/auth/login", "203.0.113.1", **right) == 429
    assert attempt(client, "/auth/login", "203.0.113.2", **right) == 302


@pytest.mark.parametrize("app_settings", [{"ACCOUNT_RATE_LIMIT": "3 per hour"}])
def test_logins_are_limited_per_account_from_any_address(client: FlaskClient, user: User) -> None:
    guesses = [
        attempt(client, "/auth/login", f"198.51.100.{i}", username="alice", password=f"no{i}")
        for i in range(3)
    ]
    assert guesses == [200, 200, 200]
    right = {"username": "alice", "password": "correct horse battery"}
    assert attempt(client, "/auth/login", "198.51.100.99", **right) == 429
    # The name counts whatever its case; other accounts are not affected.
    assert attempt(client, "/auth/login", "198.51.100.98", username="ALICE", password="x") == 429
    assert attempt(client, "/auth/login", "198.51.100.97", username="bob", password="x") == 200


@pytest.mark.parametrize("app_settings", [{"AUTH_RATE_LIMIT": "2 per minute"}])
def test_sign_ups_are_limited_per_client(client: FlaskClient, db: SQLAlchemy) -> None:
    statuses = []
    for name in ("bob", "carol", "dave"):
        form = {"username": name, "password": "s3cret-pass", "confirm": "s3cret-pass"}
        statuses.append(attempt(client, "/auth/register", "203.0.113.5", **form))
        client.post("/auth/logout")
    assert statuses == [302, 302, 429]
    assert len(db.session.scalars(select(User)).all()) == 2


def test_unknown_names_cost_as_much_time_as_wrong_passwords(
    app: Flask, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name that does not exist is checked against a dummy hash: timing tells nothing."""
    slow = partial(generate_password_hash, method="pbkdf2:sha256:100000")
    monkeypatch.setattr(models, "generate_password_hash", slow)
    user.set_password("correct horse battery")
    authenticate("nobody", "warm-up")  # makes the dummy hash once

    def seconds(username: str) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            assert authenticate(username, "wrong password") is None
            times.append(time.perf_counter() - start)
        return sorted(times)[1]

    known, unknown = seconds("alice"), seconds("nobody")
    assert unknown > known / 2, (known, unknown)
