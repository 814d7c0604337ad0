"""The Flask extensions, created once and bound to each app in ``create_app``."""

from __future__ import annotations

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """The declarative base of the models."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
