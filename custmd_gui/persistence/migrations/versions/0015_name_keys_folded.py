"""duplicate-check name keys made anew: traditional characters and bracketed qualifiers folded

Revision ID: 0015
Revises: 0014

domain.names.normalize_name now reads traditional characters as simplified (廈門航空 is 厦门航空)
and drops a bracketed qualifier that is not part of the name (（总部）, （筹）, （有限合伙）;
domain.name_folding). The stored name keys of existing customers were made the old way, so a
customer stored as 上海东宁广告有限公司（总部） would not be found by 上海东宁广告有限公司 until it
is changed. Here every customer's key is made again from its NAME1; where it differs from the
stored one, the customer's name tokens in kna1_search (the key and its bigrams) and its pinyin
initials in kna1_find (made from the name and the key) are rewritten. Nothing else depends on
the key.

Cost: the names and stored keys are read in batches of BATCH customers by number (two index
ranges a batch) and the keys made in Python; only the customers whose key changed are written
(in a Chinese customer base a few in a hundred: the names with traditional characters or such
a bracket). Measured on SQLite, 100,000 made-up customers of which 3 % had a changed key: 12 s
on a busy 2-core machine, so about 2 minutes for 1,000,000, once, in `custmd db upgrade`
(benchmarks/name_keys_migration.py). It runs in the upgrade's transaction: on PostgreSQL the
clients keep reading the old keys until it commits.

Downgrade: the keys stay as made here (the older code would not make them again).
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from custmd_gui.domain import names
from custmd_gui.domain import search_terms as st

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000
NAME_KINDS = (names.NAME_KEY, names.NAME_BIGRAM)
INITIALS_KINDS = (st.INITIALS, st.INITIALS_TEXT)

# The tables as this revision knows them, not as tables.py may define them later.
kna1 = sa.table("kna1", sa.column("kunnr", sa.String(10)), sa.column("name1", sa.String(35)))
kna1_search = sa.table(
    "kna1_search",
    sa.column("id", sa.Uuid()),
    sa.column("kunnr", sa.String(10)),
    sa.column("kind", sa.String(1)),
    sa.column("token", sa.String(64)),
)
kna1_find = sa.table(
    "kna1_find",
    sa.column("kind", sa.String(1)),
    sa.column("token", sa.String(64)),
    sa.column("kunnr", sa.String(10)),
)


def upgrade() -> None:
    conn = op.get_bind()
    last = ""
    while True:
        rows = conn.execute(
            sa.select(kna1.c.kunnr, kna1.c.name1)
            .where(kna1.c.kunnr > last)
            .order_by(kna1.c.kunnr)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        first, last = rows[0].kunnr, rows[-1].kunnr
        stored = dict(
            conn.execute(
                sa.select(kna1_search.c.kunnr, kna1_search.c.token).where(
                    kna1_search.c.kunnr.between(first, last),
                    kna1_search.c.kind == names.NAME_KEY,
                )
            ).all()
        )
        changed = {
            r.kunnr: r.name1 or ""
            for r in rows
            if names.normalize_name(r.name1 or "") != stored.get(r.kunnr, "")
        }
        if changed:
            _rewrite(conn, changed)


def _rewrite(conn: sa.Connection, changed: dict[str, str]) -> None:
    """The name tokens and initials of the customers in `changed` (number: NAME1) made anew."""
    numbers = sorted(changed)
    conn.execute(
        kna1_search.delete().where(
            kna1_search.c.kunnr.in_(numbers), kna1_search.c.kind.in_(NAME_KINDS)
        )
    )
    conn.execute(
        kna1_find.delete().where(
            kna1_find.c.kunnr.in_(numbers), kna1_find.c.kind.in_(INITIALS_KINDS)
        )
    )
    search = [
        {"id": uuid.uuid4(), "kunnr": number, "kind": kind, "token": token}
        for number in numbers
        for kind, token in sorted(names.search_tokens(changed[number]))
    ]
    find = [
        {"kind": kind, "token": token, "kunnr": number}
        for number in numbers
        for kind, token in sorted(st.initials_tokens(st.name_initials(changed[number])))
    ]
    if search:
        conn.execute(kna1_search.insert(), search)
    if find:
        conn.execute(kna1_find.insert(), find)


def downgrade() -> None:
    pass
