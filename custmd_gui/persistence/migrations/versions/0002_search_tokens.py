"""search tokens for the duplicate check

Revision ID: 0002
Revises: 0001
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from custmd_gui.domain.names import search_tokens

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000

# The tables as this revision knows them, not as tables.py may define them later.
kna1 = sa.table(
    "kna1",
    sa.column("kunnr", sa.String(10)),
    sa.column("name1", sa.String(35)),
    sa.column("telf1", sa.String(16)),
    sa.column("telfx", sa.String(31)),
    sa.column("stcd1", sa.String(16)),
    sa.column("stceg", sa.String(20)),
    sa.column("stcd5", sa.String(60)),
)
kna1_search = sa.table(
    "kna1_search",
    sa.column("id", sa.Uuid()),
    sa.column("kunnr", sa.String(10)),
    sa.column("kind", sa.String(1)),
    sa.column("token", sa.String(64)),
)


def upgrade() -> None:
    op.create_table(
        "kna1_search",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kunnr", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["kunnr"],
            ["kna1.kunnr"],
            name=op.f("fk_kna1_search_kunnr_kna1"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kna1_search")),
    )
    _backfill()
    # Indexes after the backfill: building them once is faster than keeping them up to date.
    with op.batch_alter_table("kna1_search", schema=None) as batch_op:
        batch_op.create_index(
            "ix_kna1_search_kind_token_kunnr", ["kind", "token", "kunnr"], unique=False
        )
        batch_op.create_index(
            "ix_kna1_search_kunnr_kind_token", ["kunnr", "kind", "token"], unique=False
        )


def _backfill() -> None:
    """Index the customers that existed before this revision, in batches by number."""
    conn = op.get_bind()
    last = ""
    while True:
        rows = conn.execute(
            sa.select(kna1).where(kna1.c.kunnr > last).order_by(kna1.c.kunnr).limit(BATCH)
        ).all()
        if not rows:
            return
        values = [
            {"id": uuid.uuid4(), "kunnr": r.kunnr, "kind": kind, "token": token}
            for r in rows
            for kind, token in sorted(
                search_tokens(
                    r.name1,
                    tax_numbers=(r.stcd1, r.stceg, r.stcd5),
                    phones=(r.telf1, r.telfx),
                    uscc_code=r.stcd5,
                )
            )
        ]
        if values:
            conn.execute(kna1_search.insert(), values)
        last = rows[-1].kunnr


def downgrade() -> None:
    with op.batch_alter_table("kna1_search", schema=None) as batch_op:
        batch_op.drop_index("ix_kna1_search_kunnr_kind_token")
        batch_op.drop_index("ix_kna1_search_kind_token_kunnr")

    op.drop_table("kna1_search")
