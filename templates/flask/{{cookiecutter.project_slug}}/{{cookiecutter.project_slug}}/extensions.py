{#- A feature's objects are in templates/<feature>/extensions.objects.py (features.jinja). -#}
{%- from "features.jinja" import features with context -%}
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
{% endif %}
{% for feature in features %}{% include feature ~ "/extensions.objects.py" ignore missing %}{% endfor -%}
