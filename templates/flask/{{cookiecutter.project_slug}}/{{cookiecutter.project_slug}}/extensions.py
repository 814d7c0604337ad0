"""The Flask extensions, created once and bound to each app in ``create_app``."""

from __future__ import annotations

{% if cookiecutter.__has_database %}from typing import TYPE_CHECKING

{% endif %}{% if cookiecutter.i18n %}from flask_babel import Babel
{% endif %}{% if cookiecutter.auth or cookiecutter.rest_api %}from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
{% endif %}{% if cookiecutter.auth %}from flask_login import LoginManager
{% endif %}{% if cookiecutter.__has_database %}from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
{% endif %}{% if cookiecutter.auth %}from flask_wtf.csrf import CSRFProtect
{% endif %}{% if cookiecutter.__has_database %}from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """The declarative base of the models."""


db = SQLAlchemy(model_class=Base)
# The base class of the models: db.Model, which type checkers see as the Base it extends.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
{% else %}
{% endif %}{% if cookiecutter.auth %}login_manager = LoginManager()
login_manager.login_view = "auth.login"
csrf = CSRFProtect()
{% endif %}{% if cookiecutter.auth or cookiecutter.rest_api %}# Keyed by the client's address (behind proxies: set PROXY_HOPS, see security.py); the
# counts live in RATELIMIT_STORAGE_URI (redis://... shares them between workers).
limiter = Limiter(get_remote_address)
{% endif %}{% if cookiecutter.i18n %}babel = Babel()
{% endif %}