"""``GET /health``: is the app{% if cookiecutter.__has_database %} and its database{% endif %} up?"""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
{%- if cookiecutter.__has_database %}
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
{%- endif %}

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> ResponseReturnValue:
{%- if cookiecutter.__has_database %}
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")
{%- else %}
    return jsonify(status="ok")
{%- endif %}
