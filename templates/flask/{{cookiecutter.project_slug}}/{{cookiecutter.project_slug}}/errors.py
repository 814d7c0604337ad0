{#- A feature's parts of this file are in templates/<feature>/ (features.jinja). -#}
{%- from "features.jinja" import features with context -%}
"""Error pages (403, 404, 500, ...) in the site's layout{% if cookiecutter.rest_api %}; JSON under ``/api/``{% endif %}."""

from __future__ import annotations
{% if cookiecutter.rest_api %}
import json
{% endif %}
from flask import Flask, render_template{% if cookiecutter.rest_api %}, request{% endif %}
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, SecurityError


def error_page(error: HTTPException) -> ResponseReturnValue:
    """The error as a page of the site{% if cookiecutter.rest_api %}, or as JSON for the API (unknown URLs included){% endif %}."""
    if isinstance(error, SecurityError):
        # A host not in TRUSTED_HOSTS: no URL can be built for it, so no page either.
        return error
{% for feature in features %}{% include feature ~ "/errors.api.py" ignore missing %}{% endfor %}    return render_template("error.html", error=error), error.code or 500


def init_app(app: Flask) -> None:
    # Unhandled exceptions reach it as InternalServerError (500), a kind of HTTPException.
    app.register_error_handler(HTTPException, error_page)
