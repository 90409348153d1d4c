"""Customers from the server into a replica: the first fill of a new replica file (a
checkout: every customer the user sees, millions of rows for 100,000 customers, issue 19,
most of them the list's search index kna1_find), and the customers a sync's pull refreshes
(copy_customers).

SQLAlchemy's rows and a column's bind processor per value cost more than the databases' own
work at that size. Here the server hands the rows over as SQLite stores them, UUIDs as the
32 hex digits and booleans as integers, through server-side cursors of the driver read in a
thread of their own, and the rows go to sqlite3's executemany as the driver made them. The
server sends them in the order of the replica's primary keys: a B-tree filled in its order is only
ever appended to (kna1_find has 42 rows a customer, and inserted at random places they took
2.6 times as long), and its pages come out full. The secondary indexes are built once at
the end (sorting all keys once beats keeping them in order row by row), after the server's
transaction is over: an index of four million rows can take longer than the server lets a
transaction sit idle.

The caller fills a file that nobody else sees yet (services.offline_checkout writes it under
another name and renames it when complete), which is why it may turn SQLite's journal and
the foreign key checks off meanwhile (fast_fill). A pull writes into the replica in use,
in a transaction of its own, with its indexes and checks in place."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Connection, Integer, Table, Text, Uuid, cast, func, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnElement

from custmd_gui.persistence.replica_copy import CUSTOMER_TABLES, customer_select, drop_customers
from custmd_gui.persistence.tables import Base

_FETCH = 10_000  # rows a fetch from the server brings
_AHEAD = 8  # fetches the reader may be ahead of the writer
# A page cache of 256 MB instead of 2 MB while the file fills: the unique indexes, which
# are not filled in their order (a table comes in its primary key's), and the sorts of the
# index builds stay in memory.
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


def _ordered_select(
    src: Connection, name: str, numbers: Sequence[str] | None
) -> tuple[str, dict[str, Any], list[str]]:
    """The SQL and parameters reading a customer table's visible rows as SQLite stores them
    (of the customers `numbers`, None: all), in the order of its primary key; the names of
    the columns. The order is the server's
    index's, which is SQLite's (bytes) in a database of the collation C or C.UTF-8; in
    another one the text keys come in another order, as correct and slower to insert."""
    table: Table = Base.metadata.tables[name]
    # A pull's thousands of numbers as one array, not a list of parameters.
    stmt = customer_select(name, some=numbers is not None)
    columns = list(stmt.selected_columns)
    stmt = stmt.with_only_columns(*(_as_stored(c) for c in columns))
    compiled = stmt.order_by(*table.primary_key.columns).compile(dialect=src.dialect)
    params = dict(compiled.params)
    if numbers is not None:
        params["numbers"] = list(numbers)
    return str(compiled), params, [c.name for c in columns]


@dataclass(frozen=True, slots=True)
class _Plan:
    name: str
    select: str
    params: dict[str, Any]
    insert: str
    # Columns the server cannot hand over as stored (timestamps) go through the column
    # type's bind processor, as an insert of SQLAlchemy would.
    processors: Sequence[tuple[int, Callable[[Any], Any]]]


def _plan(src: Connection, dst: Connection, name: str, numbers: Sequence[str] | None) -> _Plan:
    sql, params, names = _ordered_select(src, name, numbers)
    table = Base.metadata.tables[name]
    processors = [
        (i, p)
        for i, n in enumerate(names)
        if not isinstance(table.c[n].type, Uuid | Boolean)
        and (p := table.c[n].type.dialect_impl(dst.dialect).bind_processor(dst.dialect))
    ]
    insert = f"INSERT INTO {name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    return _Plan(name, sql, params, insert, processors)


def copy_customers(
    src: Connection,
    dst: Connection,
    numbers: Sequence[str],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Replace the replica's rows of the customers `numbers` by what the server shows of
    them (a sync's pull), in the caller's transactions; how many customers are stored."""
    drop_customers(dst, numbers)
    return load_customers(src, dst, progress, numbers=numbers)[0]


def load_customers(
    src: Connection,
    dst: Connection,
    progress: Callable[[int, int], None] | None = None,
    *,
    numbers: Sequence[str] | None = None,
) -> tuple[int, list[str]]:
    """Every customer row the server shows (of the customers `numbers`; None: all, into an
    empty replica) into `dst`, in the caller's transactions; how many customers, and the
    CREATE statements of the secondary indexes dropped for a load of all, for the caller to
    run once it is done with the server. `progress(table, tables)` hears of every fetch (it
    may raise to cancel).

    A thread reads from the server while this one writes into SQLite: both drivers let go
    of the interpreter while they wait for the server or SQLite works, and the server's
    scans and SQLite's inserts take turns otherwise."""
    indexes = _drop_indexes(dst) if numbers is None else []
    server = src.connection.driver_connection
    sqlite = dst.connection.driver_connection
    assert server is not None and sqlite is not None
    # The policies' costs make the server compile each query to machine code first, half
    # a second a table, which these plain scans never get back.
    server.execute("SET LOCAL jit = off")
    plans = [_plan(src, dst, name, numbers) for name in CUSTOMER_TABLES]
    fetched: queue.Queue[tuple[int, list[Any]] | BaseException | None] = queue.Queue(_AHEAD)
    stop = threading.Event()
    reader = threading.Thread(
        target=_read, args=(server, plans, fetched, stop), name="checkout-reader", daemon=True
    )
    reader.start()
    stored = 0
    try:
        while (item := fetched.get()) is not None:
            if isinstance(item, BaseException):
                raise _as_sqlalchemy(src, item)
            index, rows = item
            plan = plans[index]
            if plan.processors:
                rows = _processed(rows, plan.processors)
            sqlite.executemany(plan.insert, rows)
            if plan.name == "kna1":
                stored += len(rows)
            if progress is not None:
                progress(index, len(plans))
    finally:
        # Before the caller ends the server's transaction: the reader is done with the
        # connection after its fetch under way, if any.
        stop.set()
        reader.join()
    return stored, indexes


def _as_sqlalchemy(src: Connection, exc: BaseException) -> BaseException:
    """An error of the server's driver as SQLAlchemy raises it (a lost connection is an
    OperationalError, which the windows and the command tell as such)."""
    dbapi = src.dialect.loaded_dbapi
    if not isinstance(exc, dbapi.Error):
        return exc
    lost = src.dialect.is_disconnect(exc, src.connection.dbapi_connection, None)
    if lost:
        # As SQLAlchemy does for its own statements: the caller's rollback then does not
        # fail on the dead connection and hide this error behind its own.
        src.invalidate(exc)
    return DBAPIError.instance(
        None, None, exc, dbapi.Error, connection_invalidated=lost, dialect=src.dialect
    )


def _read(
    server: Any,
    plans: Sequence[_Plan],
    out: queue.Queue[tuple[int, list[Any]] | BaseException | None],
    stop: threading.Event,
) -> None:
    """The reader thread: every plan's rows in fetches onto `out`, then None; an error
    instead if one comes. Stops when `stop` is set (the writer failed or was cancelled)."""

    def put(item: tuple[int, list[Any]] | BaseException | None) -> bool:
        while not stop.is_set():
            try:
                out.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    try:
        for index, plan in enumerate(plans):
            with server.cursor(name=f"custmd_checkout_{plan.name}") as cursor:
                cursor.execute(plan.select, plan.params)
                while rows := cursor.fetchmany(_FETCH):
                    if not put((index, rows)):
                        return
        put(None)
    except BaseException as exc:
        put(exc)


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
