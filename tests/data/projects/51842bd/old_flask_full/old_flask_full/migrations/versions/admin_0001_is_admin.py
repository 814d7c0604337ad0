"""Administrators: a flag on each user.

The first revision of the admin feature's branch (it needs the users of auth's). A
project made with an earlier stackpick may have the column from its 0001 already.

Revision ID: admin_0001
Revises: auth_0001
Create Date: 2026-12-04 00:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "admin_0001"
down_revision = "auth_0001"
branch_labels = ("admin",)
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if "is_admin" not in {column["name"] for column in inspector.get_columns("user")}:
        # Existing users are not administrators; the default only fills their rows.
        with op.batch_alter_table("user") as batch:
            batch.add_column(
                sa.Column("is_admin", sa.Boolean(), nullable=False, server_default=sa.false())
            )
        with op.batch_alter_table("user") as batch:
            batch.alter_column("is_admin", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.drop_column("is_admin")
