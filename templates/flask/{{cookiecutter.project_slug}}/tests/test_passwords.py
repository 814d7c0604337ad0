from __future__ import annotations

import re
import sys
from collections.abc import Callable
from email.message import EmailMessage

import pytest
from conftest import Client
from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy import SQLAlchemy
from werkzeug.test import TestResponse

from {{ cookiecutter.project_slug }}.models import User

Login = Callable[[str, str], TestResponse]


def outbox(app: Flask) -> list[EmailMessage]:
    sent: list[EmailMessage] = app.extensions.setdefault("outbox", [])
    return sent


def reset_link(app: Flask, client: FlaskClient, email: str) -> str:
    """Ask for a reset link for ``email``; the path of the link that was mailed."""
    response = client.post("/auth/password/reset", data={"email": email})
    assert response.status_code == 302
    (message,) = outbox(app)
    assert message["To"] == email
    found = re.search(r"http://localhost(/auth/password/reset/\S+)", message.get_content())
    assert found, message.get_content()
    return found.group(1)


def test_reset_a_forgotten_password(
    app: Flask, client: FlaskClient, user: User, login: Login, db: SQLAlchemy
) -> None:
    user.email = "alice@example.com"
    db.session.commit()
    link = reset_link(app, client, "alice@example.com")
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "brand new pass", "confirm": "brand new pass"})
    assert response.status_code == 302
    assert 'action="/auth/logout"' in login("alice", "brand new pass").get_data(as_text=True)
    # The link works once: the password it was made for is gone.
    client.post("/auth/logout")
    again = client.post(link, data={"password": "third password", "confirm": "third password"})
    assert again.status_code == 302 and "/auth/password/reset" in again.headers["Location"]
    assert 'action="/auth/logout"' not in login("alice", "third password").get_data(as_text=True)


def test_unknown_addresses_get_the_same_answer_and_no_mail(
    app: Flask, client: FlaskClient, user: User
) -> None:
    response = client.post("/auth/password/reset", data={"email": "nobody@example.com"})
    assert response.status_code == 302
    assert outbox(app) == []


def test_forged_or_expired_links_are_refused(
    app: Flask, client: FlaskClient, user: User, db: SQLAlchemy
) -> None:
    forged = client.get("/auth/password/reset/not-a-token")
    assert forged.status_code == 302
    user.email = "alice@example.com"
    db.session.commit()
    link = reset_link(app, client, "alice@example.com")
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert client.get(link).status_code == 302


def test_change_the_password(client: FlaskClient, user: User, login: Login, db: SQLAlchemy) -> None:
    assert client.get("/auth/password/change").status_code == 302  # log in first
    login("alice", "correct horse battery")
    wrong = client.post(
        "/auth/password/change",
        data={"current": "not it", "password": "brand new pass", "confirm": "brand new pass"},
    )
    assert wrong.status_code == 200
    db.session.refresh(user)
    assert user.check_password("correct horse battery")
    changed = client.post(
        "/auth/password/change",
        data={
            "current": "correct horse battery",
            "password": "brand new pass",
            "confirm": "brand new pass",
        },
    )
    assert changed.status_code == 302
    db.session.refresh(user)
    assert user.check_password("brand new pass")


@pytest.mark.parametrize("app_settings", [{"TRUSTED_HOSTS": ["localhost"], "PROXY_HOPS": 1}])
def test_reset_links_use_only_trusted_hosts(
    app: Flask, client: FlaskClient, user: User, db: SQLAlchemy
) -> None:
    user.email = "alice@example.com"
    db.session.commit()
    poisoned = client.post(
        "/auth/password/reset",
        data={"email": "alice@example.com"},
        headers={"Host": "evil.example"},
    )
    assert poisoned.status_code == 400
    assert outbox(app) == []
    # A forged X-Forwarded-Host is not trusted (PROXY_X_HOST=0): the link names this site.
    forged = {"X-Forwarded-Host": "evil.example", "X-Forwarded-For": "203.0.113.9"}
    response = client.post(
        "/auth/password/reset", data={"email": "alice@example.com"}, headers=forged
    )
    assert response.status_code == 302
    (message,) = outbox(app)
    assert "evil.example" not in message.get_content()
    assert "http://localhost/auth/password/reset/" in message.get_content()


def log_in(app: Flask, username: str, password: str, *, remember: bool = False) -> FlaskClient:
    """A new client (its own cookies) logged in through the form."""
    app.test_client_class = Client
    client = app.test_client()
    data = {"username": username, "password": password}
    if remember:
        data["remember"] = "y"
    assert client.post("/auth/login", data=data).status_code == 302
    return client


def remembered_only(app: Flask, username: str, password: str) -> FlaskClient:
    """A client logged in by its remember cookie alone (its session cookie dropped)."""
    client = log_in(app, username, password, remember=True)
    client.delete_cookie("session")
    assert client.get_cookie("remember_token") is not None
    return client


def logged_in(client: FlaskClient) -> bool:
    return client.get("/auth/password/change").status_code == 200


def test_a_reset_ends_every_session_and_remember_cookie(
    app: Flask, client: FlaskClient, user: User, db: SQLAlchemy
) -> None:
    user.email = "alice@example.com"
    db.session.commit()
    session = log_in(app, "alice", "correct horse battery")
    remembered = remembered_only(app, "alice", "correct horse battery")
    assert logged_in(session) and logged_in(remembered)
{%- if cookiecutter.rest_api %}
    token = client.post(
        "/api/tokens", json={"username": "alice", "password": "correct horse battery"}
    ).get_json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/items", json={"name": "before"}, headers=bearer).status_code == 201
{%- endif %}
    link = reset_link(app, client, "alice@example.com")
    client.post(link, data={"password": "brand new pass", "confirm": "brand new pass"})
    assert not logged_in(session)
    assert not logged_in(remembered)
{%- if cookiecutter.rest_api %}
    assert client.post("/api/items", json={"name": "after"}, headers=bearer).status_code == 401
{%- endif %}
    assert logged_in(log_in(app, "alice", "brand new pass"))


def test_a_change_ends_the_other_sessions_and_keeps_this_one(app: Flask, user: User) -> None:
    this = log_in(app, "alice", "correct horse battery", remember=True)
    other = log_in(app, "alice", "correct horse battery")
    remembered = remembered_only(app, "alice", "correct horse battery")
    changed = this.post(
        "/auth/password/change",
        data={
            "current": "correct horse battery",
            "password": "brand new pass",
            "confirm": "brand new pass",
        },
    )
    assert changed.status_code == 302
    assert logged_in(this)
    # Its remember cookie was renewed too: it still logs in without the session.
    this.delete_cookie("session")
    assert logged_in(this)
    assert not logged_in(other)
    assert not logged_in(remembered)


@pytest.mark.parametrize("app_settings", [{"ACCOUNT_RATE_LIMIT": "2 per hour"}])
def test_reset_requests_are_limited_per_address(
    app: Flask, client: FlaskClient, user: User, db: SQLAlchemy
) -> None:
    user.email = "alice@example.com"
    db.session.commit()
    statuses = [
        client.post(
            "/auth/password/reset",
            data={"email": "alice@example.com"},
            environ_base={"REMOTE_ADDR": f"198.51.100.{i}"},
        ).status_code
        for i in range(3)
    ]
    # No mail bombing: the third request, from yet another address, is refused unsent.
    assert statuses == [302, 302, 429]
    assert len(outbox(app)) == 2


def test_a_failing_reset_page_logs_no_token(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    """Flask logs a failed request's path: a reset link's token never reaches the log."""
    try:
        raise RuntimeError("the database went away")
    except RuntimeError:
        failure = sys.exc_info()
    with app.test_request_context("/auth/password/reset/Ik1.secret-token.Z9"):
        app.log_exception(failure)
    app.logger.warning("asked for %s", "/auth/password/reset/Ik1.secret-token.Z9?next=/")
    assert "secret-token" not in caplog.text
    assert "Exception on /auth/password/reset/[token] [GET]" in caplog.text
    assert "asked for /auth/password/reset/[token]?next=/" in caplog.text
