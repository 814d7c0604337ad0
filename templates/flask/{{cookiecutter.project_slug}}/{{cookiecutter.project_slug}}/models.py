{#- A feature's parts of this file are in templates/<feature>/models.<part>.py (features.jinja). -#}
{%- from "features.jinja" import features with context -%}
{%- set py310 = cookiecutter.python_version == '3.10' -%}
"""The database models (SQLAlchemy 2 typed mappings).

After changing a model, create a migration with ``flask db migrate -m "..."``,
review it, and apply it with ``flask db upgrade``; ``flask db check`` tells
whether models and migrations agree.
"""

from __future__ import annotations

{% if cookiecutter.auth %}import hashlib
import hmac
{% endif %}from datetime import {% if py310 %}datetime, timezone{% else %}UTC, datetime{% endif %}
{% if cookiecutter.auth %}
from flask import current_app
from flask_login import UserMixin
{%- endif %}
from sqlalchemy import {% if cookiecutter.auth %}DateTime, ForeignKey, String, Text{% else %}DateTime, String, Text{% endif %}
from sqlalchemy.orm import Mapped, mapped_column
{%- if cookiecutter.auth %}
from werkzeug.security import check_password_hash, generate_password_hash
{%- endif %}

from .extensions import Model


def utcnow() -> datetime:
    """The current time, timezone-aware (a callable default, evaluated per row)."""
    return datetime.now({% if py310 %}timezone.utc{% else %}UTC{% endif %})


class Item(Model):
    """The example resource."""

    __tablename__ = "item"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
{% for feature in features %}{% include feature ~ "/models.item.py" ignore missing %}{% endfor %}
    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "created_at": self.created_at.isoformat(),
{% for feature in features %}{% include feature ~ "/models.item_dict.py" ignore missing %}{% endfor %}        }

    def __repr__(self) -> str:
        return f"<Item {self.id} {self.name!r}>"
{% for feature in features %}{% include feature ~ "/models.classes.py" ignore missing %}{% endfor -%}
