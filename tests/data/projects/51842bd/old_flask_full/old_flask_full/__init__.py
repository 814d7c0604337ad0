"""The application factory."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dotenv import load_dotenv
from flask import Flask

from . import admin, api_items, auth, errors, health, i18n, main, passwords, security
from .about import PROJECT_DESCRIPTION, PROJECT_NAME
from .config import check_config, load_config
from .extensions import csrf, db, limiter, login_manager, migrate

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


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

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)

    app.register_blueprint(health.bp)
    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(passwords.bp)
    app.register_blueprint(api_items.bp)
    # The API takes JSON only (a cross-site form cannot send it) and tokens; see api.py.
    csrf.exempt(api_items.bp)
    admin.init_app(app)

    @app.context_processor
    def project_info() -> dict[str, str]:
        return {"project_name": PROJECT_NAME, "project_description": PROJECT_DESCRIPTION}

    return app
