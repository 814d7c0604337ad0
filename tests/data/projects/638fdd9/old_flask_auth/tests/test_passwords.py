from __future__ import annotations

import re
from collections.abc import Callable
from email.message import EmailMessage

from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy import SQLAlchemy
from werkzeug.test import TestResponse

from old_flask_auth.models import User

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
