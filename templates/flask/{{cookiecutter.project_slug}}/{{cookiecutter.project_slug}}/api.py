"""The JSON API under ``/api/``: its blueprint, errors, validation and paging.

The item endpoints are in ``{% if cookiecutter.database != 'none' %}api_items.py{% else %}api_memory.py{% endif %}``. Errors are JSON too: 400 (the body is
not a JSON object, bad paging), 404, 422 (invalid fields), 429 (rate limit){% if cookiecutter.auth %}, 401 (a write
without a logged-in user or a token), 403 (someone else's item; see ``api_access.py``). The API reads JSON bodies
only, which a cross-site HTML form cannot send, so it needs no CSRF token{% endif %}.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.http import HTTP_STATUS_CODES

from .extensions import limiter
from .openapi import spec

bp = Blueprint("api", __name__, url_prefix="/api")
# Every API endpoint shares one limit per client address (API_RATE_LIMIT).
limiter.limit(lambda: current_app.config["API_RATE_LIMIT"])(bp)

FIELDS = ("name", "description")
NAME_MAX = 100
DESCRIPTION_MAX = 1000


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
