"""Who may write through the API: a logged-in user or a bearer token, and an item's owner.

``POST /api/tokens`` hands out signed tokens for a user name and password (rate limited
as log-ins). A token holds a fingerprint of the user's password hash (``User.get_id``):
once the password changes, the tokens made before stop working.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Request, current_app, jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .api import ApiError, bp, read_json
from .auth import authenticate, per_account, per_client
from .extensions import db, login_manager
from .models import User

View = Callable[..., ResponseReturnValue]


def _token_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="api-token")


def make_token(user: User) -> str:
    """A signed bearer token for ``user`` (valid for ``API_TOKEN_MAX_AGE`` seconds, and
    until the password changes)."""
    return _token_serializer().dumps([user.id, user.password_fingerprint()])


@login_manager.request_loader
def load_user_from_token(req: Request) -> User | None:
    """The user of an ``Authorization: Bearer <token>`` header, if the token is valid."""
    scheme, _sep, token = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        user_id, fingerprint = _token_serializer().loads(
            token.strip(), max_age=current_app.config["API_TOKEN_MAX_AGE"]
        )
    except (BadSignature, TypeError, ValueError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not isinstance(fingerprint, str):
        return None
    return user if hmac.compare_digest(fingerprint, user.password_fingerprint()) else None


def write_access(view: View) -> View:
    """Writes need a logged-in user or an ``Authorization: Bearer <token>`` header."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if not current_user.is_authenticated:
            raise ApiError(401, "Log in, or send a token: Authorization: Bearer <token>.")
        return view(*args, **kwargs)

    return wrapped


@bp.post("/tokens")
@per_client
@per_account
def create_token() -> ResponseReturnValue:
    """A bearer token for ``{"username": ..., "password": ...}`` (rate limited as log-ins)."""
    data = read_json()
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise ApiError(422, "Send a username and a password.")
    user = authenticate(username, password)
    if user is None:
        raise ApiError(401, "Wrong username or password.")
    max_age = current_app.config["API_TOKEN_MAX_AGE"]
    return jsonify(token=make_token(user), expires_in=max_age), 201


def check_owner(owner_id: int | None) -> None:
    """403 unless the current user owns the item{% if cookiecutter.admin %} or is an administrator{% endif %}."""
    if owner_id != current_user.id{% if cookiecutter.admin %} and not current_user.is_admin{% endif %}:
        raise ApiError(403, "This item belongs to someone else.")
