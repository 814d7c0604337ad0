"""The JSON API under ``/api/``: its blueprint, errors, validation and paging.

The item endpoints are in ``api_items.py``. Errors are JSON too: 400 (the body is
not a JSON object, bad paging), 404, 422 (invalid fields), 429 (rate limit), 401 (a write
without a logged-in user or a token), 403 (someone else's item). The API reads JSON bodies
only, which a cross-site HTML form cannot send, so it needs no CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.http import HTTP_STATUS_CODES

from .auth import authenticate, make_token, per_account, per_client
from .extensions import limiter
from .openapi import spec

bp = Blueprint("api", __name__, url_prefix="/api")
# Every API endpoint shares one limit per client address (API_RATE_LIMIT).
limiter.limit(lambda: current_app.config["API_RATE_LIMIT"])(bp)

FIELDS = ("name", "description")
NAME_MAX = 100
DESCRIPTION_MAX = 1000

View = Callable[..., ResponseReturnValue]


class ApiError(Exception):
    """An error answered as ``{"error": ..., "message": ..., "fields": ...}``."""

    def __init__(self, status: int, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields


@bp.errorhandler(ApiError)
def api_error(error: ApiError) -> ResponseReturnValue:
    body: dict[str, Any] = {
        "error": HTTP_STATUS_CODES.get(error.status, "Error"),
        "message": error.message,
    }
    if error.fields:
        body["fields"] = error.fields
    return body, error.status


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The API's OpenAPI description."""
    return spec()


def read_json() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "The body must be a JSON object (Content-Type: application/json).")
    return data


def validated(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """The item fields of ``data``; 422 with every problem found. ``partial``: for PATCH."""
    errors = {key: "Unknown field." for key in data if key not in FIELDS}
    clean: dict[str, Any] = {}
    if "name" in data:
        name = data["name"]
        if not isinstance(name, str) or not name.strip():
            errors["name"] = "Must be a non-empty string."
        elif len(name.strip()) > NAME_MAX:
            errors["name"] = f"At most {NAME_MAX} characters."
        else:
            clean["name"] = name.strip()
    elif not partial:
        errors["name"] = "Required."
    if "description" in data:
        description = data["description"]
        if not isinstance(description, str):
            errors["description"] = "Must be a string."
        elif len(description) > DESCRIPTION_MAX:
            errors["description"] = f"At most {DESCRIPTION_MAX} characters."
        else:
            clean["description"] = description
    elif not partial:
        clean["description"] = ""
    if errors:
        raise ApiError(422, "Invalid fields.", fields=errors)
    return clean


def paging() -> tuple[int, int]:
    """``page`` and ``per_page`` from the query string; 400 when they are not fit."""
    config = current_app.config
    values = {}
    for key, default in (("page", 1), ("per_page", config["API_PAGE_SIZE"])):
        raw = request.args.get(key, default)
        try:
            values[key] = int(raw)
        except ValueError:
            raise ApiError(400, f"{key} must be a whole number.") from None
    page, per_page = values["page"], values["per_page"]
    if page < 1:
        raise ApiError(400, "page must be 1 or more.")
    if not 1 <= per_page <= config["API_MAX_PAGE_SIZE"]:
        raise ApiError(400, f"per_page must be from 1 to {config['API_MAX_PAGE_SIZE']}.")
    return page, per_page


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
    """403 unless the current user owns the item or is an administrator."""
    if owner_id != current_user.id and not current_user.is_admin:
        raise ApiError(403, "This item belongs to someone else.")
