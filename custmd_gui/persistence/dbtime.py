"""Database time: the one clock that all clients of a database compare leases and dates with.

Clients on several machines disagree about the time by seconds or more; a lease judged by
each client's own clock could be taken over early or never. So a lease's start, end and expiry
are computed inside the statement, by the database: PostgreSQL's clock_timestamp() on the
shared server, and on SQLite the clock of the machine that opens the file (SQLite runs in the
client; with a local file that is the only clock there is).

SQLite keeps a timestamp as text in SQLAlchemy's format (2024-05-01 08:00:00.123000, UTC),
so the expression renders exactly that format and comparisons of stored and computed times
are plain string comparisons that order correctly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Float, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement


class db_now(FunctionElement[datetime]):
    """The database's current time (UTC), moved by `seconds` (a lease's end: db_now(30))."""

    type = DateTime(timezone=True)
    name = "db_now"
    inherit_cache = True

    def __init__(self, seconds: float = 0.0) -> None:
        # A bound parameter, not a literal: the compiled statement is cached per shape.
        super().__init__(literal(float(seconds), Float()))


def _seconds(element: db_now, compiler: Any, **kw: Any) -> str:
    (seconds,) = element.clauses
    return str(compiler.process(seconds, **kw))


@compiles(db_now, "postgresql")
def _db_now_postgresql(element: db_now, compiler: Any, **kw: Any) -> str:
    # clock_timestamp(), not now(): now() is the start of the transaction, which may have
    # waited for a row lock; a lease or a change must carry the time it really happened.
    return f"(clock_timestamp() + CAST({_seconds(element, compiler, **kw)} AS FLOAT) * INTERVAL '1 second')"  # noqa: E501


@compiles(db_now, "sqlite")
def _db_now_sqlite(element: db_now, compiler: Any, **kw: Any) -> str:
    # %f is seconds with milliseconds; three zeros make it SQLAlchemy's microsecond format.
    seconds = _seconds(element, compiler, **kw)
    return f"strftime('%Y-%m-%d %H:%M:%f000', 'now', printf('%+.3f seconds', {seconds}))"


@compiles(db_now)
def _db_now_default(element: db_now, compiler: Any, **kw: Any) -> str:
    seconds = _seconds(element, compiler, **kw)
    return f"(CURRENT_TIMESTAMP + {seconds} * INTERVAL '1' SECOND)"


def as_utc(value: datetime) -> datetime:
    """A stored timestamp as an aware UTC datetime (SQLite returns them naive, in UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def current_time(session: Session) -> datetime:
    """Now by the database's clock, aware, in UTC, with microseconds.

    On SQLite that clock is this machine's (SQLite has no server), read in Python because
    SQLite's own resolution is a millisecond and two changes may follow closer than that."""
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        return datetime.now(UTC)
    value = session.scalar(select(func.clock_timestamp()))
    if not isinstance(value, datetime):  # pragma: no cover - a driver returning text
        raise TypeError(f"clock_timestamp() returned {value!r}")
    return as_utc(value)
