"""The pages of the site."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from .extensions import db
from .models import Item

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> str:
    items = db.session.scalars(select(Item).order_by(Item.id.desc()).limit(10)).all()
    return render_template("index.html", items=items)
