"""The Flask extensions, created once and bound to each app in ``create_app``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """The declarative base of the models."""


db = SQLAlchemy(model_class=Base)
# The base class of the models: db.Model, which type checkers see as the Base it extends.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
