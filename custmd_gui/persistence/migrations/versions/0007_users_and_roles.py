"""STAND-IN for the core's users and roles migration (issue 6): replaced at the merge

Revision ID: 0007
Revises: 0006

STAND-IN, NOT THE REAL 0007: branch auth-pg needs only the two scope tables that the
PostgreSQL row-level security of 0008_database_roles reads, so this minimal revision creates
just those. The core's 0007_users_and_roles (app_user, user_role, user_sales_area, ... with
the same user_auth_group and user_company_code) replaces this file when the branches merge.

user_auth_group: the authorization groups (BEGRU) a user holds ("*": all).
user_company_code: the company codes (BUKRS) a user works in ("*": all).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_auth_group",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("begru", sa.String(length=4), nullable=False),
        sa.PrimaryKeyConstraint("username", "begru", name=op.f("pk_user_auth_group")),
    )
    op.create_table(
        "user_company_code",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("bukrs", sa.String(length=4), nullable=False),
        sa.PrimaryKeyConstraint("username", "bukrs", name=op.f("pk_user_company_code")),
    )


def downgrade() -> None:
    op.drop_table("user_company_code")
    op.drop_table("user_auth_group")
