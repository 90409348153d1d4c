"""users, roles, authorizations, login attempts, departments and organizations (issue 6)

Revision ID: 0007
Revises: 0006

Local users with argon2id password hashes and lockout, roles and their permissions, the
scopes of a user (authorization groups, company codes, sales areas; "*" means all), every
login attempt, and the archive of departments (hierarchical codes) and organizations. The
shipped roles are added by services.customizing.upgrade_database, idempotently.
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
        "app_role",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("text_zh", sa.String(length=60), server_default="", nullable=False),
        sa.Column("text_en", sa.String(length=60), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_app_role")),
    )
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("host", sa.String(length=255), server_default="", nullable=False),
        sa.Column("reason", sa.String(length=40), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_attempt_username"), ["username"], unique=False)

    op.create_table(
        "organization",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("parent_code", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_code"],
            ["organization.code"],
            name=op.f("fk_organization_parent_code_organization"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_organization")),
    )
    op.create_table(
        "app_role_permission",
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("permission", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["role"],
            ["app_role.code"],
            name=op.f("fk_app_role_permission_role_app_role"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("role", "permission", name=op.f("pk_app_role_permission")),
    )
    op.create_table(
        "department",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("parent_code", sa.String(length=20), nullable=True),
        sa.Column("organization_code", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_code"],
            ["organization.code"],
            name=op.f("fk_department_organization_code_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_code"], ["department.code"], name=op.f("fk_department_parent_code_department")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_department")),
    )
    op.create_table(
        "app_user",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=80), server_default="", nullable=False),
        sa.Column("department_code", sa.String(length=20), nullable=True),
        sa.Column("organization_code", sa.String(length=20), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("disabled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["department.code"],
            name=op.f("fk_app_user_department_code_department"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_code"],
            ["organization.code"],
            name=op.f("fk_app_user_organization_code_organization"),
        ),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_app_user")),
    )
    op.create_table(
        "user_auth_group",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("begru", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["username"],
            ["app_user.username"],
            name=op.f("fk_user_auth_group_username_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("username", "begru", name=op.f("pk_user_auth_group")),
    )
    op.create_table(
        "user_company_code",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("bukrs", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["username"],
            ["app_user.username"],
            name=op.f("fk_user_company_code_username_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("username", "bukrs", name=op.f("pk_user_company_code")),
    )
    op.create_table(
        "user_role",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["role"], ["app_role.code"], name=op.f("fk_user_role_role_app_role"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["username"],
            ["app_user.username"],
            name=op.f("fk_user_role_username_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("username", "role", name=op.f("pk_user_role")),
    )
    op.create_table(
        "user_sales_area",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("vkorg", sa.String(length=4), nullable=False),
        sa.Column("vtweg", sa.String(length=2), nullable=False),
        sa.Column("spart", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["username"],
            ["app_user.username"],
            name=op.f("fk_user_sales_area_username_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "username", "vkorg", "vtweg", "spart", name=op.f("pk_user_sales_area")
        ),
    )


def downgrade() -> None:
    op.drop_table("user_sales_area")
    op.drop_table("user_role")
    op.drop_table("user_company_code")
    op.drop_table("user_auth_group")
    op.drop_table("app_user")
    op.drop_table("department")
    op.drop_table("app_role_permission")
    op.drop_table("organization")
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_attempt_username"))

    op.drop_table("login_attempt")
    op.drop_table("app_role")
