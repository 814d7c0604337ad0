{#- Released history: never edit what this renders (see README, "Migrations are history").
    _migrations_base names the variant a project was made with; stackpick records it and
    renders it the same on every update. "items" is every new project's. -#}
{%- set base = cookiecutter._migrations_base -%}
{%- set auth = base in ['v1-auth', 'v1-admin', 'v2-auth', 'v2-admin'] -%}
{%- set admin = base in ['v1-admin', 'v2-admin'] -%}
{%- set v1 = base in ['v1-auth', 'v1-admin'] -%}
"""Initial schema: the example items{% if auth %} and the users{% endif %}.

Revision ID: 0001
Revises:
Create Date: 2025-01-01 00:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
{%- if v1 %}
    op.create_table(
        "item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
{%- if admin %}
        sa.Column("is_admin", sa.Boolean(), nullable=False),
{%- endif %}
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )


def downgrade() -> None:
    op.drop_table("user")
    op.drop_table("item")
{%- else %}
{%- if auth %}
    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
{%- if admin %}
        sa.Column("is_admin", sa.Boolean(), nullable=False),
{%- endif %}
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
        sa.UniqueConstraint("username"),
    )
{%- endif %}
    op.create_table(
        "item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
{%- if auth %}
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="SET NULL"),
{%- endif %}
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("item")
{%- if auth %}
    op.drop_table("user")
{%- endif %}
{%- endif %}
