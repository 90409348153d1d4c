"""New rows of one table in one executemany of the driver: an import's batch writes some
sixty change items and a dozen segment and index rows per customer, and for that many rows
SQLAlchemy's per-row parameter handling (ORM objects, the ORM's bulk insert, even a Core
insert) costs more than the database's work. The statement is the one a Core insert would
send; the values are converted by the columns' own types, once per column and value, and a
column a row leaves out takes the column's Python default as a Core insert would give it.

Nothing is buffered: the rows are in the database (inside the caller's transaction) when
insert_rows returns, as after a flush. SQLite takes the rows in one executemany, PostgreSQL
in one INSERT ... SELECT of unnest over an array per column."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Column, ColumnDefault, Connection, String, Table
from sqlalchemy.orm import Session

_PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s"}
_MILLIS_MASK = (1 << 48) - 1
_COUNTED_MASK = (1 << 61) - 1
# Values bound in one statement at most: well below PostgreSQL's 65,535 parameters.
_PARAMETERS = 30_000


def _ordered_ints(count: int) -> range:
    """`count` ascending 128-bit values laid out as UUIDs of version 7 (RFC 9562): the
    milliseconds of the clock first, then random bits, the last of them counted up."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10))
    first = (
        (millis & _MILLIS_MASK) << 80
        | 0x7 << 76
        | (rand >> 64 & 0xFFF) << 64  # rand_a
        | 0b10 << 62  # the variant
        | rand & _COUNTED_MASK  # rand_b, its top bit clear: `count` more never carry over
    )
    return range(first, first + count)


def new_ids(count: int) -> list[uuid.UUID]:
    """`count` new ids, ascending (version 7 UUIDs): a batch's rows go to the end of the
    primary-key and foreign-key indexes instead of to random pages of them, which in tables
    of millions of rows (change items) cost a read and a write of a page per row."""
    return [uuid.UUID(int=value) for value in _ordered_ints(count)]


def new_id_texts(count: int) -> list[str]:
    """new_ids as SQLAlchemy's Uuid stores them without a native type (SQLite): 32 hex
    digits, without making UUID objects on the way."""
    return [f"{value:032x}" for value in _ordered_ints(count)]


def _default_of(column: Column[Any]) -> Callable[[int], list[Any]] | None:
    """The column's Python default for `n` rows; None when it has none (the database's)."""
    default = column.default
    if default is None:
        return None
    if not isinstance(default, ColumnDefault):
        # A sequence would have to be part of the statement.
        raise ValueError(f"{column}: a default the statement would have to compute")
    if default.is_callable:
        call = default.arg
        # SQLAlchemy wraps a callable that takes no context; uuid4's ids come in one read.
        if getattr(call, "__wrapped__", None) is uuid.uuid4:
            return new_ids  # insert_columns makes them as text where that is stored
        return lambda n: [call(None) for _ in range(n)]
    if default.is_scalar:
        value = default.arg
        return lambda n: [value] * n
    # A SQL expression would have to be part of the statement.
    raise ValueError(f"{column}: a default the statement would have to compute")


def _array_type(column: Column[Any], dialect: Any) -> str:
    """The PostgreSQL array type the column's values are sent as."""
    if isinstance(column.type, String):
        return "text[]"
    return f"{column.type.compile(dialect=dialect)}[]"


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert `rows` (column name -> value; every row with the same columns) into `table`
    in the session's transaction."""
    if rows:
        insert_columns(session, table, {name: [row[name] for row in rows] for name in rows[0]})


def insert_columns(
    target: Session | Connection,
    table: Table,
    values: Mapping[str, Sequence[Any]],
    *,
    skip_existing: bool = False,
) -> None:
    """Insert rows given by column (column name -> the rows' values, all as long) into
    `table` in the session's (or the connection's) transaction. `skip_existing`: a row
    whose key is stored already is left out instead of refused (PostgreSQL and SQLite)."""
    count = len(next(iter(values.values()), ()))
    if not count:
        return
    connection = target.connection() if isinstance(target, Session) else target
    dialect = connection.dialect
    columns: list[Column[Any]] = [table.c[name] for name in values]
    data: list[Sequence[Any]] = list(values.values())
    ready: set[int] = set()  # positions of values already as the driver takes them
    for column in table.columns:
        if column.name not in values and (make := _default_of(column)) is not None:
            columns.append(column)
            if make is new_ids and not dialect.supports_native_uuid:
                ready.add(len(data))
                data.append(new_id_texts(count))
            else:
                data.append(make(count))
    for i, column in enumerate(columns):
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None and i not in ready:
            data[i] = [None if v is None else process(v) for v in data[i]]
    mark = _PLACEHOLDER[dialect.paramstyle]
    quote = dialect.identifier_preparer
    into = (
        f"INSERT {'OR IGNORE ' if skip_existing and dialect.name == 'sqlite' else ''}"
        f"INTO {quote.format_table(table)} "
        f"({', '.join(quote.quote(c.name) for c in columns)})"
    )
    skip = " ON CONFLICT DO NOTHING" if skip_existing and dialect.name == "postgresql" else ""
    head = into + " VALUES "
    one = f"({', '.join([mark] * len(columns))})"
    if dialect.name == "postgresql":
        # One array per column, the rows made by unnest on the server: a statement of a few
        # parameters, where one of a placeholder per value cost psycopg more to parse (in
        # Python, for each statement: too long for its cache) than the server to run (an
        # import of 5,000 customers: 29 s of client CPU writing, most of it that parse).
        # Strings go as text[]: a cast to varchar(n) would cut what is too long instead of
        # refusing it as an INSERT does.
        arrays = ", ".join(f"{mark}::{_array_type(c, dialect)}" for c in columns)
        select = f"SELECT * FROM unnest({arrays})"
        connection.exec_driver_sql(f"{into} {select}{skip}", tuple(list(d) for d in data))
        return
    rows = list(zip(*data, strict=True))
    if dialect.name == "sqlite":  # sqlite3's executemany is a loop in C
        connection.exec_driver_sql(head + one, rows)
        return
    # Elsewhere many rows per statement, no executemany: psycopg's runs in pipeline mode,
    # after which a session frozen in its transaction was never ended by the server's
    # idle_in_transaction_session_timeout (tests/integration/test_frozen_client.py).
    per = max(1, _PARAMETERS // len(columns))
    for i in range(0, len(rows), per):
        part = rows[i : i + per]
        connection.exec_driver_sql(
            head + ", ".join([one] * len(part)), tuple(v for row in part for v in row)
        )
