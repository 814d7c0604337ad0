"""The database models (SQLAlchemy 2 typed mappings).

After changing a model, create a migration with ``flask db migrate -m "..."``,
review it, and apply it with ``flask db upgrade``; ``flask db check`` tells
whether models and migrations agree.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

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

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "created_at": self.created_at.isoformat(),
        }

    def __repr__(self) -> str:
        return f"<Item {self.id} {self.name!r}>"
