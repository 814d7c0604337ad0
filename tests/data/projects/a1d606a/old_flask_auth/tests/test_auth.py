from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select
from werkzeug.test import TestResponse

from old_flask_auth.models import User

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
    result = runner.invoke(args=["create-user", "dave", "--password", "pa55word!"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "dave"))
    assert user is not None
    assert user.check_password("pa55word!")
    again = runner.invoke(args=["create-user", "dave", "--password", "x"])
    assert again.exit_code != 0
