"""Change documents (CDHDR, CDPOS): written with every change, read for XD04."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import (
    Table,
    and_,
    or_,
    select,
)
from sqlalchemy.orm import Session

from custmd_gui.persistence.bulk_insert import insert_columns, new_ids
from custmd_gui.persistence.dbtime import as_utc
from custmd_gui.persistence.tables import (
    ChangeHeader,
    ChangeItem,
)

_HEADERS = cast(Table, ChangeHeader.__table__)
_ITEMS = cast(Table, ChangeItem.__table__)
# The order of write_many's header and item tuples.
_HEADER_COLUMNS = (
    "id",
    "objectid",
    "username",
    "udate",
    "tcode",
    "activity",
    "origin",
    "comment",
    "request_number",
)
_ITEM_COLUMNS = ("header_id", "tabname", "tabkey", "fname", "chngind", "value_old", "value_new")


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """One change-document item joined with its header, as views and tests read it."""

    number: str
    username: str
    udate: datetime
    activity: str
    origin: str
    table: str
    key: str
    field: str
    indicator: str
    old: str | None
    new: str | None
    tcode: str = ""
    document: uuid.UUID | None = None  # the header (CDHDR) the item belongs to
    comment: str = ""  # the header's: why (a block, a flag, a request's or XD02's reason)
    request: str = ""  # the maintenance request whose activation wrote it; "" if direct


@dataclass(frozen=True, slots=True)
class ChangeHeaderRecord:
    """Who last changed a customer, when, and how."""

    username: str
    udate: datetime
    tcode: str
    activity: str


class ChangeDocumentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        # Headers and items kept back by defer(); None: written at once.
        self._pending: tuple[list[tuple[object, ...]], list[tuple[object, ...]]] | None = None

    def write(
        self,
        number: str,
        user: str,
        now: datetime,
        tcode: str,
        activity: str,
        origin: str,
        items: Sequence[tuple[str, str, str, str, str | None, str | None]],
        *,
        comment: str = "",
        request: str = "",
    ) -> uuid.UUID:
        return self.write_many(
            [(number, items)], user, now, tcode, activity, origin, comment=comment, request=request
        )[0]

    def write_many(
        self,
        documents: Sequence[
            tuple[str, Sequence[tuple[str, str, str, str, str | None, str | None]]]
        ],
        user: str,
        now: datetime,
        tcode: str,
        activity: str,
        origin: str,
        *,
        comment: str = "",
        request: str = "",
    ) -> list[uuid.UUID]:
        """One change document per (customer number, items), the headers in one statement and
        the items of all in another (an import's batch; write is a batch of one). Inside
        `defer()` they are kept back and written with the others at the next read or flush."""
        ids = new_ids(len(documents))
        headers = [
            (header, number, user, now, tcode, activity, origin, comment, request)
            for header, (number, _) in zip(ids, documents, strict=True)
        ]
        items = [
            (header, *item) for header, (_, its) in zip(ids, documents, strict=True) for item in its
        ]
        if self._pending is not None:
            self._pending[0].extend(headers)
            self._pending[1].extend(items)
        else:
            self._insert(headers, items)
        return ids

    def defer(self) -> None:
        """Keep the documents written from now on back until flush_pending (or a read of
        change documents): a batch of a thousand changes then writes them in two statements
        instead of two each. The server checks at COMMIT that every change of a customer has
        its document (migration 0012), which is why they may come later in the transaction;
        flush_pending must run before it commits."""
        if self._pending is None:
            self._pending = ([], [])

    def flush_pending(self) -> None:
        """Write the documents kept back (see defer), and write at once again."""
        if self._pending is None:
            return
        headers, items = self._pending
        self._pending = None
        if headers:
            self._insert(headers, items)

    def drop_pending(self) -> None:
        """Forget the documents kept back (their transaction was rolled back)."""
        if self._pending is not None:
            self._pending = ([], [])

    def _insert(
        self, headers: Sequence[tuple[object, ...]], items: Sequence[tuple[object, ...]]
    ) -> None:
        self.session.flush()  # what the session holds goes first, as a flush would order it
        insert_columns(
            self.session,
            _HEADERS,
            {name: [h[i] for h in headers] for i, name in enumerate(_HEADER_COLUMNS)},
        )
        # By column: a new customer has some sixty items, and ORM objects for them, or the
        # ORM's bulk insert, cost more than the rest of the create.
        insert_columns(
            self.session,
            _ITEMS,
            {name: [it[i] for it in items] for i, name in enumerate(_ITEM_COLUMNS)},
        )

    def for_customer(
        self,
        number: str,
        *,
        fields: Iterable[tuple[str, str]] | None = None,
        since: datetime | None = None,
        before: datetime | None = None,
        activities: Iterable[str] | None = None,
    ) -> list[ChangeRecord]:
        """The items of a customer's change documents, oldest first; only those of the
        (table, field) pairs named, of documents written at or after `since` and before
        `before` (aware datetimes), and of the activities named (create, extend, change), if
        given."""
        self.flush_pending()
        # Columns, not ORM objects: a customer with thousands of documents has tens of
        # thousands of items, and building an object per header and item cost XD04 most of
        # its opening time.
        stmt = (
            select(
                ChangeHeader.objectid,
                ChangeHeader.username,
                ChangeHeader.udate,
                ChangeHeader.activity,
                ChangeHeader.origin,
                ChangeItem.tabname,
                ChangeItem.tabkey,
                ChangeItem.fname,
                ChangeItem.chngind,
                ChangeItem.value_old,
                ChangeItem.value_new,
                ChangeHeader.tcode,
                ChangeHeader.id,
                ChangeHeader.comment,
                ChangeHeader.request_number,
            )
            .join(ChangeItem, ChangeItem.header_id == ChangeHeader.id)
            .where(ChangeHeader.objectid == number)
        )
        if fields is not None:
            pairs = sorted(set(fields))
            if not pairs:
                return []
            stmt = stmt.where(
                or_(*(and_(ChangeItem.tabname == t, ChangeItem.fname == f) for t, f in pairs))
            )
        if activities is not None:
            kinds = sorted(set(activities))
            if not kinds:
                return []
            stmt = stmt.where(ChangeHeader.activity.in_(kinds))
        # SQLite keeps timestamps as UTC text without an offset: compare in UTC.
        if since is not None:
            stmt = stmt.where(ChangeHeader.udate >= since.astimezone(UTC))
        if before is not None:
            stmt = stmt.where(ChangeHeader.udate < before.astimezone(UTC))
        rows = self.session.execute(
            stmt.order_by(
                ChangeHeader.udate,
                ChangeHeader.id,
                ChangeItem.tabname,
                ChangeItem.tabkey,
                ChangeItem.fname,
            )
        ).all()
        records: list[ChangeRecord] = []
        stored = utc = None
        for objectid, user, when, *rest in rows:
            if when != stored:  # a document's items share its time: converted once
                stored, utc = when, as_utc(when)
            assert utc is not None
            records.append(ChangeRecord(objectid, user, utc, *rest))
        return records

    def latest(self, number: str) -> ChangeHeaderRecord | None:
        """The newest change document of a customer (the create, if never changed)."""
        self.flush_pending()
        h = self.session.scalars(
            select(ChangeHeader)
            .where(ChangeHeader.objectid == number)
            .order_by(ChangeHeader.udate.desc())
            .limit(1)
        ).one_or_none()
        if h is None:
            return None
        return ChangeHeaderRecord(h.username, as_utc(h.udate), h.tcode, h.activity)
