"""Flask-Admin at ``/admin``, for logged-in administrators only.

Flask-Admin views are open to everyone by default: every view here, the index
included, goes through ``AdministratorsOnly``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_admin import Admin, AdminIndexView
from flask_admin.contrib.sqla import ModelView
from flask_admin.menu import MenuLink
from flask_admin.theme import Bootstrap4Theme
from flask_login import current_user
from flask_wtf import FlaskForm

from .about import PROJECT_NAME
from .extensions import db
from .models import Item, User
from .security import CSP


class AdministratorsOnly:
    """Refuse anonymous users (to the login page) and non-administrators (403)."""

    def is_accessible(self) -> bool:
        return bool(current_user.is_authenticated and current_user.is_admin)

    def inaccessible_callback(self, name: str, **kwargs: Any) -> ResponseReturnValue:
        if current_user.is_authenticated:
            abort(403)
        return redirect(url_for("auth.login", next=request.full_path))


class SecureIndexView(AdministratorsOnly, AdminIndexView):
    pass


class SecureModelView(AdministratorsOnly, ModelView):
    # Flask-WTF forms, so that the app-wide CSRF protection accepts them.
    form_base_class = FlaskForm


class UserView(SecureModelView):
    column_list = ("username", "is_admin", "created_at")
    column_searchable_list = ("username",)
    form_columns = ("username", "is_admin")
    can_create = False  # users are created by registering or `flask create-user`


class ItemView(SecureModelView):
    column_list = ("name", "description", "created_at")
    column_searchable_list = ("name",)
    form_columns = ("name", "description")


def init_app(app: Flask) -> Admin:
    """A new ``Admin`` per app (a module-level one breaks on the second app)."""
    admin = Admin(
        app,
        name=PROJECT_NAME,
        index_view=SecureIndexView(),
        theme=Bootstrap4Theme(),
    )

    @app.after_request
    def admin_scripts(response: Response) -> Response:
        # Flask-Admin's pages (administrators only) use inline scripts and event handlers
        # (onclick=...), which no nonce can allow; the site's own pages allow none.
        if request.path.startswith(f"{admin.url}/"):
            response.headers["Content-Security-Policy"] = CSP.format(inline=" 'unsafe-inline'")
        return response

    admin.add_view(UserView(User, db))
    admin.add_view(ItemView(Item, db))
    # A way back to the site from every admin page (the index also has a log-out button).
    admin.add_link(MenuLink(name="Back to the site", endpoint="main.index"))
    return admin
