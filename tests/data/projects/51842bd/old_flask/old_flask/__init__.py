"""The application factory."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dotenv import load_dotenv
from flask import Flask

from . import errors, health, main, security
from .about import PROJECT_DESCRIPTION, PROJECT_NAME
from .config import check_config, load_config
from .extensions import db, migrate

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

    app.register_blueprint(health.bp)
    app.register_blueprint(main.bp)

    @app.context_processor
    def project_info() -> dict[str, str]:
        return {"project_name": PROJECT_NAME, "project_description": PROJECT_DESCRIPTION}

    return app
