"""edit locks for XD02 (issue: find, display, change)

Revision ID: 0004
Revises: 0003

One row per object being changed, with a lease (see custmd_gui.services.locks).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "edit_lock",
        sa.Column("objectclas", sa.String(length=15), nullable=False),
        sa.Column("objectid", sa.String(length=10), nullable=False),
        sa.Column("token", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("client_session", sa.String(length=64), server_default="", nullable=False),
        sa.Column("host", sa.String(length=255), server_default="", nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=64), server_default="", nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("renewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("objectclas", "objectid", name=op.f("pk_edit_lock")),
    )


def downgrade() -> None:
    op.drop_table("edit_lock")
