"""The Flask extensions, created once and bound to each app in ``create_app``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
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
login_manager = LoginManager()
login_manager.login_view = "auth.login"
csrf = CSRFProtect()
# Keyed by the client's address (behind proxies: set PROXY_HOPS, see security.py); the
# counts live in RATELIMIT_STORAGE_URI (redis://... shares them between workers).
limiter = Limiter(get_remote_address)
babel = Babel()
