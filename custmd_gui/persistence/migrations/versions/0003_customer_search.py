"""customer search for the list and the search help (issue: find, display, change)

Revision ID: 0003
Revises: 0002

Table kna1_find: the tokens the customer list finds a customer by (custmd_gui.domain.
search_terms), keyed (kind, token, kunnr) so that every search reads one index range in number
order. Existing customers are indexed here, in batches by number.

No pg_trgm: a trigram index answers "which rows contain this" but not "the first 50 of them in
number order", so a common term would fetch and sort all its rows; it ignores terms shorter than
three characters, as SQLite's FTS5 trigram tokenizer does; and on a server whose LC_CTYPE is C
it extracts no trigrams from Chinese at all. The token table works the same on both databases.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from custmd_gui.domain.search_terms import Indexed, customer_tokens, is_blocked, sales_area_key

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000

# The tables as this revision knows them, not as tables.py may define them later.
kna1 = sa.table(
    "kna1",
    *(
        sa.column(name, sa.String())
        for name in (
            "kunnr",
            "ktokd",
            "name1",
            "name2",
            "name3",
            "name4",
            "sortl",
            "pstlz",
            "ort01",
            "telf1",
            "telfx",
            "aufsd",
            "lifsd",
            "faksd",
        )
    ),
    sa.column("sperr", sa.Boolean()),
    sa.column("loevm", sa.Boolean()),
)
knb1 = sa.table("knb1", sa.column("kunnr", sa.String()), sa.column("bukrs", sa.String()))
knvv = sa.table(
    "knvv",
    *(sa.column(name, sa.String()) for name in ("kunnr", "vkorg", "vtweg", "spart")),
)
kna1_find = sa.table(
    "kna1_find",
    sa.column("kind", sa.String(1)),
    sa.column("token", sa.String(64)),
    sa.column("kunnr", sa.String(10)),
)


def upgrade() -> None:
    op.create_table(
        "kna1_find",
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("kunnr", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["kunnr"],
            ["kna1.kunnr"],
            name=op.f("fk_kna1_find_kunnr_kna1"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("kind", "token", "kunnr", name=op.f("pk_kna1_find")),
        # SQLite: the table is its primary key's b-tree, not a second copy beside it.
        sqlite_with_rowid=False,
    )
    _backfill()
    # After the backfill: building the index once is faster than keeping it up to date.
    op.create_index(
        "ix_kna1_find_kunnr_kind_token", "kna1_find", ["kunnr", "kind", "token"], unique=False
    )
    if op.get_bind().dialect.name == "postgresql":
        # Statistics now rather than at the autovacuum's leisure: the first searches after the
        # upgrade are planned with them.
        op.execute("ANALYZE kna1_find")


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
        first, last = rows[0].kunnr, rows[-1].kunnr
        codes: dict[str, list[str]] = {}
        for number, code in conn.execute(
            sa.select(knb1.c.kunnr, knb1.c.bukrs).where(knb1.c.kunnr.between(first, last))
        ):
            codes.setdefault(number, []).append(code)
        areas: dict[str, list[str]] = {}
        for number, org, channel, division in conn.execute(
            sa.select(knvv.c.kunnr, knvv.c.vkorg, knvv.c.vtweg, knvv.c.spart).where(
                knvv.c.kunnr.between(first, last)
            )
        ):
            areas.setdefault(number, []).append(sales_area_key(org, channel, division))
        values = [
            {"kind": kind, "token": token, "kunnr": r.kunnr}
            for r in rows
            for kind, token in sorted(
                customer_tokens(
                    Indexed(
                        names=(r.name1, r.name2, r.name3, r.name4),
                        search_term=r.sortl,
                        city=r.ort01,
                        postal_code=r.pstlz,
                        phones=(r.telf1, r.telfx),
                        account_group=r.ktokd,
                        company_codes=codes.get(r.kunnr, ()),
                        sales_areas=areas.get(r.kunnr, ()),
                        blocked=is_blocked(r.aufsd, r.lifsd, r.faksd, bool(r.sperr)),
                        deletion_flag=bool(r.loevm),
                    )
                )
            )
        ]
        if values:
            conn.execute(kna1_find.insert(), values)


def downgrade() -> None:
    op.drop_index("ix_kna1_find_kunnr_kind_token", table_name="kna1_find")
    op.drop_table("kna1_find")
