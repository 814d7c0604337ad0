"""The database models (SQLAlchemy 2 typed mappings).

After changing a model, create a migration with ``flask db migrate -m "..."``,
review it, and apply it with ``flask db upgrade``; ``flask db check`` tells
whether models and migrations agree.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import Model


def utcnow() -> datetime:
    """The current time, timezone-aware (a callable default, evaluated per row)."""
    return datetime.now(UTC)


class Item(Model):
    """The example resource."""

    __tablename__ = "item"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Who may change or delete it through the API (None: created elsewhere, e.g. the admin).
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), default=None
    )

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "created_at": self.created_at.isoformat(),
            "owner_id": self.owner_id,
        }

    def __repr__(self) -> str:
        return f"<Item {self.id} {self.name!r}>"


class User(UserMixin, Model):
    """A person who can log in; the password is stored hashed only."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    # Where password-reset links go (optional).
    email: Mapped[str | None] = mapped_column(String(254), unique=True, default=None)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def password_fingerprint(self) -> str:
        """A keyed digest of the password hash: it changes with every new password."""
        key = current_app.config["SECRET_KEY"].encode()
        return hmac.new(key, self.password_hash.encode(), hashlib.sha256).hexdigest()[:32]

    def get_id(self) -> str:
        """What sessions and remember cookies hold: the id and the password's fingerprint,
        so that a new password ends every session made with the old one (see auth.py)."""
        return f"{self.id}:{self.password_fingerprint()}"

    def __repr__(self) -> str:
        return f"<User {self.username!r}>"
