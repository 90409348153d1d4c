"""The first fill of a new replica file (a checkout): every customer the user sees, millions
of rows for 100,000 customers (issue 19), most of them the list's search index kna1_find.

What the copy of a few customers at a sync does (replica_copy.copy_customers: SQLAlchemy
rows, a column's bind processor per value) costs more than the databases' own work at that
size. Here the server hands the rows over as SQLite stores them, UUIDs as the 32 hex digits
and booleans as integers, through a server-side cursor of the driver, and the rows go to
sqlite3's executemany as the driver made them. The server sends them in the order of the
replica's primary keys: a B-tree filled in its order is only ever appended to (kna1_find
has 42 rows a customer, and inserted at random places they took three times as long), and
its pages come out full. The secondary indexes are built once at the end (sorting all keys
once beats keeping them in order row by row), after the server's transaction is over: an
index of four million rows can take longer than the server lets a transaction sit idle.

The caller fills a file that nobody else sees yet (services.offline_checkout writes it under
another name and renames it when complete), which is why it may turn SQLite's journal and
the foreign key checks off meanwhile (fast_fill)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Boolean, Connection, Integer, Table, Text, Uuid, cast, func, text
from sqlalchemy.sql.elements import ColumnElement

from custmd_gui.persistence.replica_copy import CUSTOMER_TABLES, customer_select
from custmd_gui.persistence.tables import Base

_FETCH = 10_000  # rows a fetch from the server brings
# A page cache of 256 MB instead of 2 MB while the file fills: the UUID-keyed B-trees that
# cannot be filled in order and the sorts of the index builds stay in memory.
_CACHE_KIB = 262_144


@contextmanager
def fast_fill(dst: Connection) -> Iterator[None]:
    """No journal, no syncing, no foreign key checks and a big page cache on `dst`'s SQLite
    connection while the block runs; call it before the connection's transaction begins
    (SQLite ignores these settings inside one). Only for a new file that is thrown away if
    the fill fails: without a journal a failed transaction cannot be rolled back. The rows
    come from the server, whose constraints are the replica's, read so that every child's
    parent comes along (replica_copy.customer_select)."""
    raw = dst.connection.driver_connection
    assert raw is not None
    before = {
        name: raw.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "foreign_keys", "cache_size")
    }
    raw.execute("PRAGMA journal_mode = OFF")
    raw.execute("PRAGMA synchronous = OFF")
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
    yield
    # Not after a failure: the file is thrown away, and the error is the one to tell.
    for name, value in before.items():
        raw.execute(f"PRAGMA {name} = {value}")


def _as_stored(column: Any) -> ColumnElement[Any]:
    """The server's expression giving `column` as the replica stores it."""
    if isinstance(column.type, Uuid):
        return func.replace(cast(column, Text), "-", "").label(column.name)
    if isinstance(column.type, Boolean):
        return cast(column, Integer).label(column.name)
    return column  # type: ignore[no-any-return]


def _ordered_select(src: Connection, name: str) -> tuple[str, dict[str, Any], list[str]]:
    """The SQL and parameters reading a customer table's visible rows as SQLite stores them,
    in the order of its primary key; the names of the columns. The order is the server's
    index's, which is SQLite's (bytes) in a database of the collation C or C.UTF-8; in
    another one the text keys come in another order, as correct and slower to insert."""
    table: Table = Base.metadata.tables[name]
    stmt = customer_select(name, None, per_row=True)
    columns = list(stmt.selected_columns)
    stmt = stmt.with_only_columns(*(_as_stored(c) for c in columns))
    compiled = stmt.order_by(*table.primary_key.columns).compile(dialect=src.dialect)
    return str(compiled), dict(compiled.params), [c.name for c in columns]


def load_customers(
    src: Connection, dst: Connection, progress: Callable[[int, int], None] | None = None
) -> tuple[int, list[str]]:
    """Every customer row the server shows into the empty replica at `dst`, in the caller's
    transactions; how many customers, and the CREATE statements of the secondary indexes
    dropped for the load, for the caller to run once it is done with the server.
    `progress(table, tables)` hears of every fetch (it may raise to cancel)."""
    indexes = _drop_indexes(dst)
    server = src.connection.driver_connection
    sqlite = dst.connection.driver_connection
    assert server is not None and sqlite is not None
    # The policies' costs make the server compile each query to machine code first, half
    # a second a table, which these plain scans never get back.
    server.execute("SET LOCAL jit = off")
    stored = 0
    for index, name in enumerate(CUSTOMER_TABLES):
        sql, params, names = _ordered_select(src, name)
        table = Base.metadata.tables[name]
        # Columns the server cannot hand over as stored (timestamps) go through the column
        # type's bind processor, as an insert of SQLAlchemy would.
        processors = [
            (i, p)
            for i, n in enumerate(names)
            if not isinstance(table.c[n].type, Uuid | Boolean)
            and (p := table.c[n].type.dialect_impl(dst.dialect).bind_processor(dst.dialect))
        ]
        insert = f"INSERT INTO {name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        with server.cursor(name=f"custmd_checkout_{name}") as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(_FETCH):
                if processors:
                    rows = _processed(rows, processors)
                sqlite.executemany(insert, rows)
                if name == "kna1":
                    stored += len(rows)
                if progress is not None:
                    progress(index, len(CUSTOMER_TABLES))
    return stored, indexes


def _processed(
    rows: Sequence[Sequence[Any]], processors: Sequence[tuple[int, Callable[[Any], Any]]]
) -> list[list[Any]]:
    out = [list(row) for row in rows]
    for i, process in processors:
        for row in out:
            if row[i] is not None:
                row[i] = process(row[i])
    return out


def _drop_indexes(dst: Connection) -> list[str]:
    """The replica's secondary indexes of the customer tables dropped; their CREATE
    statements, as the migrations made them (SQLite keeps them in sqlite_master)."""
    found = dst.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN (" + ", ".join(f"'{t}'" for t in CUSTOMER_TABLES) + ")"
        )
    ).all()
    for name, _sql in found:
        dst.exec_driver_sql(f'DROP INDEX "{name}"')
    return [str(sql) for _name, sql in found]


def build_indexes(dst: Connection, statements: list[str]) -> None:
    for sql in statements:
        dst.exec_driver_sql(sql)
