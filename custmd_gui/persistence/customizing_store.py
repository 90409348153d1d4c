"""Writing the customizing row by row with change documents, its version counter, and where
customers use a code.

Every change the maintenance makes goes through `CustomizingStore.put` / `remove`: the one
place that knows a row's key and compares old with new values. On PostgreSQL the trigger of
migration 0018 writes the change documents (whatever the client); the store only names the
app user for the owner's connections. On SQLite the store writes the same rows itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from custmd_gui.persistence.dbtime import current_time
from custmd_gui.persistence.tables import (
    AccountGroupRow,
    Base,
    CodeListRow,
    CodeValueRow,
    CustomizingChange,
    CustomizingVersion,
    FieldStatusRow,
    NumberRangeRow,
)

# Table -> the columns that identify a row; the same as migration 0018's trigger arguments.
KEYS: dict[type[Base], tuple[str, ...]] = {
    CodeListRow: ("list_id",),
    CodeValueRow: ("list_id", "parent", "code"),
    AccountGroupRow: ("ktokd",),
    FieldStatusRow: ("ktokd", "field_group", "activity"),
    NumberRangeRow: ("nrrangenr",),
}
# Columns that are no customizing: the row id, the display order, the number range's level.
NOT_RECORDED = frozenset({"id", "sort", "nrlevel"})


def tabkey(values: Mapping[str, str], key: Sequence[str]) -> str:
    """A row's key in a change document: its non-empty key parts joined by ':'."""
    return ":".join(values[k] for k in key if values[k])


def _text(value: Any) -> str | None:
    """A column value as PostgreSQL's jsonb ->> prints it (booleans as true/false)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _columns(model: type[Base]) -> list[str]:
    return [c.key for c in model.__table__.columns]


@dataclass(frozen=True, slots=True)
class ChangeLine:
    changed_at: datetime
    username: str
    table: str
    key: str
    field: str
    indicator: str  # I insert, U update, D delete
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class Usage:
    """Which customers hold a code: how many, the first few numbers, in which fields."""

    count: int
    numbers: tuple[str, ...]
    fields: tuple[str, ...]

    @property
    def in_use(self) -> bool:
        return self.count > 0


class CustomizingStore:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.postgres = session.get_bind().dialect.name == "postgresql"
        self.user = ""
        self._now: datetime | None = None

    def acting_as(self, user: str) -> None:
        """Name the user whose changes follow (the trigger reads custmd.user on PostgreSQL,
        for the owner's connections; a LOGIN role is recorded as itself)."""
        self.user = user
        if self.postgres:
            self.session.execute(
                text("SELECT set_config('custmd.user', :user, true)"), {"user": user}
            )

    def put(self, model: type[Base], values: Mapping[str, Any]) -> bool:
        """Insert the row, or update the one with the same key; True if anything changed.
        Columns not in `values` keep what they hold (a new row: the columns' defaults)."""
        key = KEYS[model]
        row = self._find(model, {k: values[k] for k in key})
        if row is None:
            row = model(**values)
            self.session.add(row)
            self.session.flush()
            self._record(model, None, self._values(model, row))
            return True
        old = self._values(model, row)
        for column, value in values.items():
            if column not in key and getattr(row, column) != value:
                setattr(row, column, value)
        new = self._values(model, row)
        if old == new:
            return False
        self.session.flush()
        self._record(model, old, new)
        return True

    def remove(self, model: type[Base], key_values: Mapping[str, Any]) -> bool:
        row = self._find(model, key_values)
        if row is None:
            return False
        old = self._values(model, row)
        self.session.delete(row)
        self.session.flush()
        self._record(model, old, None)
        return True

    def _find(self, model: type[Base], key_values: Mapping[str, Any]) -> Any:
        clauses = [getattr(model, k) == v for k, v in key_values.items()]
        return self.session.scalars(select(model).where(*clauses)).one_or_none()

    @staticmethod
    def _values(model: type[Base], row: Any) -> dict[str, str | None]:
        return {c: _text(getattr(row, c)) for c in _columns(model)}

    def _record(
        self,
        model: type[Base],
        old: dict[str, str | None] | None,
        new: dict[str, str | None] | None,
    ) -> None:
        if self.postgres:
            return  # the trigger of migration 0018 has written them
        key = KEYS[model]
        row = new or old
        assert row is not None
        where = tabkey({k: row[k] or "" for k in key}, key)
        indicator = "I" if old is None else "D" if new is None else "U"
        if self._now is None:
            self._now = current_time(self.session)
        for column in _columns(model):
            if column in key or column in NOT_RECORDED:
                continue
            before = old.get(column) if old else None
            after = new.get(column) if new else None
            if before != after:
                self.session.add(
                    CustomizingChange(
                        id=uuid.uuid4(),
                        changed_at=self._now,
                        username=self.user[:64],
                        tabname=str(model.__tablename__),
                        tabkey=where[:120],
                        fname=column,
                        chngind=indicator,
                        value_old=before,
                        value_new=after,
                    )
                )

    # --- reading -------------------------------------------------------------------------

    def version(self) -> int:
        return int(self.session.scalar(select(CustomizingVersion.version)) or 0)

    def changes(
        self, table: str | None = None, key_prefix: str | None = None, limit: int = 1000
    ) -> list[ChangeLine]:
        """The newest change documents first, of one table / key (prefix) if given."""
        q = select(CustomizingChange)
        if table:
            q = q.where(CustomizingChange.tabname == table)
        if key_prefix:
            q = q.where(CustomizingChange.tabkey.startswith(key_prefix, autoescape=True))
        q = q.order_by(CustomizingChange.changed_at.desc(), CustomizingChange.fname).limit(limit)
        return [
            ChangeLine(
                c.changed_at,
                c.username,
                c.tabname,
                c.tabkey,
                c.fname,
                c.chngind,
                c.value_old,
                c.value_new,
            )
            for c in self.session.scalars(q)
        ]

    def usage(self, columns: Iterable[tuple[str, Mapping[str, str]]], first: int = 5) -> Usage:
        """The customers whose table row holds the given column values, for each of
        (table, {column: value}); e.g. ("knvv", {"zterm": "0001"})."""
        found: set[str] = set()
        fields: list[str] = []
        for table, match in columns:
            where = " AND ".join(f"{column} = :{column}" for column in match)
            # Table and column names come from the field catalog, never from input.
            numbers = set(
                self.session.scalars(
                    text(f"SELECT DISTINCT kunnr FROM {table} WHERE {where}"), dict(match)
                )
            )
            if numbers:
                fields.append(f"{table.upper()}-{'/'.join(c.upper() for c in match)}")
                found |= numbers
        ordered = sorted(found)
        return Usage(len(ordered), tuple(ordered[:first]), tuple(fields))
