"""The pages of the site."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from .extensions import db
from .models import Item

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> str:
    items = db.session.scalars(select(Item).order_by(Item.id.desc()).limit(10)).all()
    return render_template("index.html", items=items)


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """The icon for pages that do not name one (browsers ask for /favicon.ico)."""
    static = current_app.static_folder or "static"
    return send_from_directory(static, "favicon.svg", mimetype="image/svg+xml")
