from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from flask_sqlalchemy import SQLAlchemy
from markupsafe import escape
from sqlalchemy import select
from werkzeug.test import TestResponse

from old_flask_full.about import PROJECT_NAME
from old_flask_full.models import Item, User

Login = Callable[[str, str], TestResponse]
ADMIN_PAGES = ["/admin/", "/admin/user/", "/admin/item/", "/admin/item/new/"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_users_are_sent_to_the_login_page(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_users_who_are_not_administrators_are_refused(
    client: FlaskClient, user: User, login: Login, path: str
) -> None:
    login("alice", "correct horse battery")
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_administrators_get_in(
    client: FlaskClient, admin_user: User, login: Login, path: str
) -> None:
    login("root", "admin password 123")
    response = client.get(path)
    assert response.status_code == 200
    if path == "/admin/":
        page = response.get_data(as_text=True)
        assert str(escape(PROJECT_NAME)) in page
        # A way back to the site and a way to log out.
        assert 'href="/"' in page
        assert 'action="/auth/logout"' in page


def test_anonymous_users_cannot_create(client: FlaskClient, db: SQLAlchemy) -> None:
    response = client.post("/admin/item/new/", data={"name": "sneaky", "description": ""})
    assert response.status_code == 302
    assert db.session.scalars(select(Item)).all() == []


def test_administrators_can_create_items(
    client: FlaskClient, admin_user: User, login: Login, db: SQLAlchemy
) -> None:
    login("root", "admin password 123")
    response = client.post("/admin/item/new/", data={"name": "from admin", "description": "x"})
    assert response.status_code == 302
    assert db.session.scalar(select(Item.name)) == "from admin"


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found, "no CSRF token in the page"
    return found.group(1)


@pytest.mark.parametrize("app_settings", [{"WTF_CSRF_ENABLED": True}])
def test_admin_forms_work_with_csrf_protection(
    client: FlaskClient, admin_user: User, db: SQLAlchemy
) -> None:
    token = csrf_token(client.get("/auth/login").get_data(as_text=True))
    client.post(
        "/auth/login",
        data={"username": "root", "password": "admin password 123", "csrf_token": token},
    )
    token = csrf_token(client.get("/admin/item/new/").get_data(as_text=True))
    refused = client.post("/admin/item/new/", data={"name": "no token"})
    assert refused.status_code == 400
    response = client.post(
        "/admin/item/new/", data={"name": "with token", "description": "", "csrf_token": token}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Item.name)) == "with token"


def test_only_the_admin_pages_allow_inline_scripts(
    client: FlaskClient, admin_user: User, login: Login
) -> None:
    login("root", "admin password 123")
    admin = client.get("/admin/user/").headers["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline';" in admin
    assert "style-src 'self';" in admin
    site = client.get("/auth/password/change").headers["Content-Security-Policy"]
    assert "script-src 'self';" in site and "unsafe-inline" not in site
