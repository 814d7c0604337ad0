from __future__ import annotations

from flask import Flask
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import inspect

from old_flask_full.extensions import db


def test_migrations_build_the_schema(app: Flask) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert {"alembic_version", "item", "user"} <= tables


def test_models_and_migrations_agree(app: Flask) -> None:
    # Like `flask db check`: exits with an error when a migration is missing.
    check()


def test_migrations_go_down_and_up_again(app: Flask) -> None:
    downgrade(revision="base")
    assert "item" not in inspect(db.engine).get_table_names()
    upgrade()
    assert "item" in inspect(db.engine).get_table_names()
