{#- A feature's parts of this file are in templates/<feature>/init.<part>.py (features.jinja). -#}
{%- from "features.jinja" import features with context -%}
"""The application factory."""

from __future__ import annotations

from collections.abc import Mapping
{%- if cookiecutter.__has_database %}
from pathlib import Path
{%- endif %}
from typing import Any

from dotenv import load_dotenv
from flask import Flask

from . import {{ ['admin' if cookiecutter.admin else '', ('api_items' if cookiecutter.__has_database else 'api_memory') if cookiecutter.rest_api else '', 'auth' if cookiecutter.auth else '', 'errors', 'health', 'i18n' if cookiecutter.i18n else '', 'main', 'passwords' if cookiecutter.auth else '', 'security'] | select | join(', ') }}
from .about import PROJECT_DESCRIPTION, PROJECT_NAME
from .config import check_config, load_config
{%- if cookiecutter.__has_database or cookiecutter.rest_api %}
from .extensions import {{ ['csrf' if cookiecutter.auth else '', 'db' if cookiecutter.__has_database else '', 'limiter' if cookiecutter.auth or cookiecutter.rest_api else '', 'login_manager' if cookiecutter.auth else '', 'migrate' if cookiecutter.__has_database else ''] | select | join(', ') }}
{%- endif %}
{%- if cookiecutter.__has_database %}

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
{%- endif %}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the application: settings from the environment, then ``config`` on top.

    A ``.env`` file, when present, is loaded first (it never overrides real
    environment variables). In production (``APP_ENV=production``) the app
    refuses to start without a real ``SECRET_KEY``.
    """
    load_dotenv()
    app = Flask(__name__)
    app.config.from_mapping(load_config())
    if config:
        app.config.from_mapping(config)
    check_config(app.config)
    security.init_app(app)
    errors.init_app(app)
{% for feature in features %}{% include feature ~ "/init.extensions.py" ignore missing %}{% endfor %}
    app.register_blueprint(health.bp)
    app.register_blueprint(main.bp)
{% for feature in features %}{% include feature ~ "/init.blueprints.py" ignore missing %}{% endfor %}
    @app.context_processor
    def project_info() -> dict[str, str]:
        return {"project_name": PROJECT_NAME, "project_description": PROJECT_DESCRIPTION}

    return app
