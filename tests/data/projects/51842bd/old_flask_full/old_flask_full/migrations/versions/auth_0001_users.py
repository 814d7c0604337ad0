"""Accounts: the users, and who owns each item.

The first revision of the auth feature's branch. A project made with an earlier
stackpick may have some of this from its 0001 already, so each part is added only
where it is missing.

Revision ID: auth_0001
Revises: 0001
Create Date: 2026-12-04 00:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "auth_0001"
down_revision = "0001"
branch_labels = ("auth",)
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("user"):
        op.create_table(
            "user",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("username", sa.String(length=80), nullable=False),
            sa.Column("email", sa.String(length=254), nullable=True),
            sa.Column("password_hash", sa.String(length=255), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("email", name="uq_user_email"),
            sa.UniqueConstraint("username", name="uq_user_username"),
        )
    elif "email" not in {column["name"] for column in inspector.get_columns("user")}:
        with op.batch_alter_table("user") as batch:
            batch.add_column(sa.Column("email", sa.String(length=254), nullable=True))
            batch.create_unique_constraint("uq_user_email", ["email"])
    if "owner_id" not in {column["name"] for column in inspector.get_columns("item")}:
        with op.batch_alter_table("item") as batch:
            batch.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(
                "fk_item_owner_id_user", "user", ["owner_id"], ["id"], ondelete="SET NULL"
            )


def downgrade() -> None:
    with op.batch_alter_table("item") as batch:
        batch.drop_constraint("fk_item_owner_id_user", type_="foreignkey")
        batch.drop_column("owner_id")
    op.drop_table("user")
