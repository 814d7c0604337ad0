"""Error pages (403, 404, 500, ...) in the site's layout."""

from __future__ import annotations

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, SecurityError


def error_page(error: HTTPException) -> ResponseReturnValue:
    """The error as a page of the site."""
    if isinstance(error, SecurityError):
        # A host not in TRUSTED_HOSTS: no URL can be built for it, so no page either.
        return error
    return render_template("error.html", error=error), error.code or 500


def init_app(app: Flask) -> None:
    # Unhandled exceptions reach it as InternalServerError (500), a kind of HTTPException.
    app.register_error_handler(HTTPException, error_page)
