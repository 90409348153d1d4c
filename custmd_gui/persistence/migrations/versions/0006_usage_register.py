"""usage register (issue 5: usage register, deletion only without business)

Revision ID: 0006
Revises: 0005

Table usage_register: the ERP's document count and last document date per customer and org
unit (company code or sales area), filled by `custmd usage import` (custmd_gui.services.usage).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "usage_register",
        sa.Column("kunnr", sa.String(length=10), nullable=False),
        sa.Column("org_kind", sa.String(length=17), nullable=False),
        sa.Column("org_unit", sa.String(length=10), nullable=False),
        sa.Column("doc_count", sa.Integer(), nullable=False),
        sa.Column("last_doc_date", sa.Date(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=64), server_default="", nullable=False),
        sa.Column("source", sa.String(length=255), server_default="", nullable=False),
        sa.CheckConstraint(
            "org_kind IN ('BUKRS', 'VKORG/VTWEG/SPART')", name=op.f("ck_usage_register_org_kind")
        ),
        sa.CheckConstraint("doc_count >= 0", name=op.f("ck_usage_register_doc_count")),
        sa.CheckConstraint(
            "doc_count = 0 OR last_doc_date IS NOT NULL",
            name=op.f("ck_usage_register_last_doc_date"),
        ),
        sa.ForeignKeyConstraint(
            ["kunnr"],
            ["kna1.kunnr"],
            name=op.f("fk_usage_register_kunnr_kna1"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("kunnr", "org_kind", "org_unit", name=op.f("pk_usage_register")),
    )


def downgrade() -> None:
    op.drop_table("usage_register")
