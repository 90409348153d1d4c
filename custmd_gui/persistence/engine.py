"""Engine factory: a local SQLite file by default, a PostgreSQL URL for the shared mode."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

# Execution option that marks a connection as one that will write (see _sqlite_begin).
WRITE_OPTION = "custmd_write"
# Execution option for maintenance (schema migrations): no statement or lock timeout in its
# transactions on PostgreSQL (see _postgres_begin).
MAINTENANCE_OPTION = "custmd_maintenance"

# Nobody waits forever (README, "Waiting for other sessions"). A unit of work never waits for
# the user while its transaction is open: its statements follow each other within
# milliseconds, a save commits in well under a second, and the search of a million customers
# takes less than 150 ms.
#
# PostgreSQL: how long a statement waits for a lock another session holds (a row of nriv
# while someone draws a number, a customer being saved); then DatabaseBusy, "try again".
LOCK_TIMEOUT_S = 5
# PostgreSQL: a session that sits inside an open transaction without sending anything for
# this long (a client stopped, hung or in a debugger) is ended by the server, which rolls its
# transaction back and frees its locks. Twice the lock timeout: someone waiting for a frozen
# client is told "busy" first and succeeds when trying again a few seconds later.
IDLE_IN_TRANSACTION_TIMEOUT_S = 10
# PostgreSQL: the longest single statement of interactive work (a search, a save, the batch
# statements of the usage import and the deletion run), far above what any of them needs.
# make_engine(statement_timeout=None) leaves it out (benchmarks' loading); migrations run
# without it (MAINTENANCE_OPTION).
STATEMENT_TIMEOUT_S = 60
# SQLite: how long a writer waits for the write lock of another one (BEGIN IMMEDIATE). SQLite
# cannot end a frozen writer's transaction; its writers all get DatabaseBusy until it dies.
SQLITE_BUSY_TIMEOUT_S = 10


def normalize_url(url: str) -> str:
    """Accept what users type: a file path, sqlite:///..., postgresql://... (psycopg 3)."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(
    url: str, *, statement_timeout: float | None = STATEMENT_TIMEOUT_S, **kwargs: Any
) -> Engine:
    """An engine on `url` whose connections keep the waiting limits above; `statement_timeout`
    None: no statement timeout from the app (PostgreSQL)."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        target = make_url(url).database
        if target and target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        # Pooled (SQLAlchemy's default for a file): with no connection open, SQLite would
        # checkpoint the WAL into the file and delete it at every close, i.e. at every unit of
        # work; a kept connection leaves that to the automatic checkpoint. A pooled pysqlite
        # connection may move between threads (SQLAlchemy turns check_same_thread off) but is
        # never used by two at once. engine.dispose() closes them (switching databases).
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    timeouts: dict[str, float] = {
        "lock_timeout": LOCK_TIMEOUT_S,
        "idle_in_transaction_session_timeout": IDLE_IN_TRANSACTION_TIMEOUT_S,
    }
    if statement_timeout is not None:
        timeouts["statement_timeout"] = statement_timeout
    event.listen(engine, "connect", functools.partial(_postgres_connect, timeouts))
    event.listen(engine, "begin", _postgres_begin)
    return engine


# Sets each timeout for the session unless the server's administrator chose it for this
# database or user (ALTER DATABASE / ALTER ROLE ... SET) or the client did (the URL's
# options, PGOPTIONS): those win. A value from postgresql.conf (ALTER SYSTEM) is for every
# application on the server, so the app's own figure wins over it. One round trip.
_SET_TIMEOUTS = """
SELECT set_config(s.name, v.setting, false)
FROM unnest(%(names)s::text[], %(settings)s::text[]) AS v(name, setting)
JOIN pg_settings s ON s.name = v.name
WHERE s.source NOT IN ('database', 'user', 'database user', 'client')
"""


def _postgres_connect(timeouts: dict[str, float], dbapi_connection: Any, _record: Any) -> None:
    names = list(timeouts)
    settings = [f"{round(timeouts[n] * 1000)}ms" for n in names]
    with dbapi_connection.cursor() as cursor:
        cursor.execute(_SET_TIMEOUTS, {"names": names, "settings": settings})
    dbapi_connection.commit()  # a session setting made in a rolled-back transaction is undone


def _postgres_begin(conn: Any) -> None:
    # Migrations may rewrite big tables, and may wait for the locks of the sessions at work
    # (which end within the timeouts above) rather than fail half-way through an upgrade.
    if conn.get_execution_options().get(MAINTENANCE_OPTION, False):
        conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
        conn.exec_driver_sql("SET LOCAL lock_timeout = 0")


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control away from pysqlite so that BEGIN is ours (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # A writer takes the write lock at BEGIN: two deferred transactions that both read and
    # then write would otherwise deadlock, and one of them would fail with "database is locked".
    write = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
