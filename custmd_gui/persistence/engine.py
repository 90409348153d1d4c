"""Engine factory: a local SQLite file by default, a PostgreSQL URL for the shared mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

# Execution option that marks a connection as one that will write (see _sqlite_begin).
WRITE_OPTION = "custmd_write"


def normalize_url(url: str) -> str:
    """Accept what users type: a file path, sqlite:///..., postgresql://... (psycopg 3)."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
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
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control away from pysqlite so that BEGIN is ours (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # A writer takes the write lock at BEGIN: two deferred transactions that both read and
    # then write would otherwise deadlock, and one of them would fail with "database is locked".
    write = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
