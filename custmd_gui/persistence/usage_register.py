"""The usage register (table usage_register): upserting an extract's entries, reading them back,
and the lookups an import checks its rows with, each one statement per batch of customers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from custmd_gui.domain.usage import OrgKind, UsageEntry
from custmd_gui.persistence.dbtime import as_utc
from custmd_gui.persistence.tables import Kna1, Knb1, Knvv, UsageRegister

U = cast(Table, UsageRegister.__table__)

# Customers per IN list: well below SQLite's and PostgreSQL's limits on bound parameters, and
# an upsert of this many rows is one round trip.
BATCH = 500


def batches(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class UsageRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- what an import checks ----------------------------------------------------------

    def existing_customers(self, numbers: Sequence[str]) -> set[str]:
        """Which of these customer numbers exist (one query per batch)."""
        found: set[str] = set()
        for batch in batches(sorted(set(numbers))):
            found.update(self.session.scalars(select(Kna1.kunnr).where(Kna1.kunnr.in_(batch))))
        return found

    def company_codes_of(self, numbers: Sequence[str]) -> set[tuple[str, str]]:
        """(customer, company code) of every KNB1 row of these customers."""
        found: set[tuple[str, str]] = set()
        for batch in batches(sorted(set(numbers))):
            rows = self.session.execute(select(Knb1.kunnr, Knb1.bukrs).where(Knb1.kunnr.in_(batch)))
            found.update((number, code) for number, code in rows)
        return found

    def sales_areas_of(self, numbers: Sequence[str]) -> set[tuple[str, str]]:
        """(customer, VKORG/VTWEG/SPART) of every KNVV row of these customers."""
        found: set[tuple[str, str]] = set()
        for batch in batches(sorted(set(numbers))):
            rows = self.session.execute(
                select(Knvv.kunnr, Knvv.vkorg, Knvv.vtweg, Knvv.spart).where(Knvv.kunnr.in_(batch))
            )
            found.update((n, f"{org}/{channel}/{division}") for n, org, channel, division in rows)
        return found

    # --- writing and reading ------------------------------------------------------------

    def upsert(
        self, entries: Iterable[UsageEntry], *, now: datetime, user: str, source: str
    ) -> int:
        """Insert the entries, replacing the register's entries of the same keys (a newer
        extract's figures win); entries of other keys stay. Returns the number written."""
        values = [
            {
                "kunnr": e.number,
                "org_kind": e.org_kind.value,
                "org_unit": e.org_unit,
                "doc_count": e.doc_count,
                "last_doc_date": e.last_doc_date,
                "imported_at": now,
                "imported_by": user,
                "source": source,
            }
            for e in entries
        ]
        # INSERT ... ON CONFLICT (key) DO UPDATE: one statement per row on both backends
        # (SQLite has it since 3.24), no read-then-write race between two importers.
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(U)
        stmt = stmt.on_conflict_do_update(
            index_elements=[U.c.kunnr, U.c.org_kind, U.c.org_unit],
            set_={
                name: stmt.excluded[name]
                for name in ("doc_count", "last_doc_date", "imported_at", "imported_by", "source")
            },
        )
        for batch in batches(values):
            self.session.execute(stmt, list(batch))
        return len(values)

    def of_customers(self, numbers: Sequence[str]) -> list[UsageEntry]:
        """The register's entries of these customers, by customer, kind and org unit."""
        out: list[UsageEntry] = []
        for batch in batches(sorted(set(numbers))):
            rows = self.session.scalars(
                select(UsageRegister)
                .where(UsageRegister.kunnr.in_(batch))
                .order_by(UsageRegister.kunnr, UsageRegister.org_kind, UsageRegister.org_unit)
            )
            out.extend(
                UsageEntry(
                    r.kunnr,
                    OrgKind(r.org_kind),
                    r.org_unit,
                    r.doc_count,
                    r.last_doc_date,
                    as_utc(r.imported_at),
                    r.source,
                )
                for r in rows
            )
        return out
