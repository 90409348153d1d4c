"""The engine specifics of backup and restore (services.backup holds the use cases).

SQLite: the online backup API (sqlite3.Connection.backup) in ONE step: it reads the whole
database inside one read transaction, i.e. one consistent snapshot, while the app keeps
writing (WAL mode: readers never block writers). A step-wise copy would restart whenever
another connection writes, and might never end on a busy database; a plain file copy misses
what is still in the -wal file (that lost a committed customer in a test).

PostgreSQL: pg_dump / pg_restore in their custom format, found on PATH. The password never
reaches a command line (other users of the machine read those in the process list): it goes
to a temporary passfile (PGPASSFILE, mode 0600) deleted right afterwards. pg_dump reads the
snapshot of a transaction kept open here (pg_export_snapshot), in which the rows are counted
too: the counts in the manifest are those of the dump, however busy the server is.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import URL, make_url

from custmd_gui.persistence.tables import Base

# Tables whose rows a backup leaves out of its counts and a restore empties: an edit lock
# belongs to a window open at backup time, which the restored database never saw.
TRANSIENT_TABLES = ("edit_lock",)


class ToolMissing(Exception):
    """A PostgreSQL client program is not on PATH; `tool` names it."""

    def __init__(self, tool: str) -> None:
        super().__init__(tool)
        self.tool = tool


class ToolFailed(Exception):
    """pg_dump or pg_restore ended with an error; the message is the tool's."""


def counted_tables() -> list[str]:
    """The tables whose row counts a manifest holds (every table of the schema but the
    transient ones), in a stable order."""
    return sorted(t.name for t in Base.metadata.sorted_tables if t.name not in TRANSIENT_TABLES)


def row_counts(conn: Connection) -> dict[str, int]:
    """Rows per counted table that exists (an older schema lacks the newer tables)."""
    present = set(inspect(conn).get_table_names())
    return {
        name: int(conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one())
        for name in counted_tables()
        if name in present
    }


def revision_of(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None if value is None else str(value)


def clear_transient(conn: Connection) -> None:
    present = set(inspect(conn).get_table_names())
    for name in TRANSIENT_TABLES:
        if name in present:
            conn.execute(text(f'DELETE FROM "{name}"'))


# -- SQLite -----------------------------------------------------------------------------------


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for another database or an in-memory one."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


@contextlib.contextmanager
def _sqlite(path: Path, *, timeout: float = 10.0) -> Iterator[sqlite3.Connection]:
    # mode=rw: never create an empty database where a file was expected.
    conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=timeout)
    try:
        yield conn
    finally:
        conn.close()


def sqlite_snapshot(source: Path, target: Path) -> None:
    """Copy the database `source` to the new file `target` with the online backup API, in
    one step (see the module), then switch the copy to a rollback journal so that it is a
    single self-contained file."""
    with _sqlite(source) as src:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()


def sqlite_integrity(path: Path) -> list[str]:
    """PRAGMA integrity_check's complaints about the SQLite file `path` ([] when "ok");
    sqlite3.DatabaseError when it is no database."""
    with _sqlite(path) as conn:
        results = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
    return [] if results == ["ok"] else results


def sqlite_counts(path: Path) -> tuple[dict[str, int], str | None]:
    """The row counts and the schema revision of the SQLite file `path`."""
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return row_counts(conn), revision_of(conn)
    finally:
        engine.dispose()


def sqlite_take_over(path: Path) -> None:
    """Checkpoint the live database `path` and switch it to a rollback journal: afterwards
    the file alone holds everything (no -wal to be mistaken for the restored file's).
    sqlite3.OperationalError ("database is locked") while another program has it open."""
    with _sqlite(path, timeout=2.0) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()
        if mode is None or str(mode[0]).lower() != "delete":
            raise sqlite3.OperationalError("database is locked")


def sqlite_set_rollback_journal(path: Path) -> None:
    with _sqlite(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")


def sqlite_fingerprint(path: Path) -> str:
    """Sizes and modification times of the database and its -wal file: any committed write
    changes one of them (a changed fingerprint without a change costs one backup too many)."""
    parts = []
    for file in (path, path.with_name(path.name + "-wal")):
        try:
            st = file.stat()
        except FileNotFoundError:
            parts.append("-")
            continue
        parts.append(f"{st.st_size}:{st.st_mtime_ns}")
    return "/".join(parts)


# -- PostgreSQL -------------------------------------------------------------------------------


def find_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(name)
    return path


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


@contextlib.contextmanager
def _libpq(url: str) -> Iterator[tuple[str, dict[str, str]]]:
    """The connection URI without the password, and the environment with a passfile that
    holds it (see the module)."""
    parsed = make_url(url)
    password = parsed.password
    # Built anew: URL.set(password=None) keeps the password ("None" means "unchanged").
    uri = URL.create(
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    ).render_as_string(hide_password=False)
    env = {k: v for k, v in os.environ.items() if k not in ("PGPASSWORD", "PGPASSFILE")}
    if password is None:
        yield uri, env
        return
    fd, name = tempfile.mkstemp(prefix="custmd-pgpass-")
    try:
        os.chmod(name, 0o600)
        host = parsed.host or "*"
        line = ":".join(
            _escape(str(v))
            for v in (host, parsed.port or "*", parsed.database or "*", parsed.username or "*")
        )
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(f"{line}:{_escape(str(password))}\n")
        env["PGPASSFILE"] = name
        yield uri, env
    finally:
        Path(name).unlink(missing_ok=True)


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip() or f"exit status {done.returncode}"
        raise ToolFailed(message)


def pg_dump(
    engine: Engine, url: str, target: Path, on_counted: Callable[[dict[str, int], str], None]
) -> None:
    """Dump the database of `url` to `target` (custom format); `on_counted` receives the row
    counts and schema revision of the very snapshot dumped."""
    tool = find_tool("pg_dump")
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            # pg_dump may take long: the exporting transaction must outlive it idle.
            conn.exec_driver_sql("SET LOCAL idle_in_transaction_session_timeout = 0")
            conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
            snapshot = str(conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one())
            on_counted(row_counts(conn), revision_of(conn) or "")
            with _libpq(url) as (uri, env):
                _run(
                    [
                        tool,
                        "--no-password",  # never a prompt on a terminal no one watches
                        "--format=custom",
                        f"--snapshot={snapshot}",
                        f"--file={target}",
                        uri,
                    ],
                    env,
                )


def pg_restore(url: str, source: Path) -> None:
    """Restore the custom-format dump `source` into the (empty) database of `url`, in one
    transaction: an error leaves the database as empty as it was. The objects belong to the
    role restoring (--no-owner); the grants to the custmd group roles come back with them."""
    tool = find_tool("pg_restore")
    with _libpq(url) as (uri, env):
        _run(
            [
                tool,
                "--no-password",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={uri}",
                str(source),
            ],
            env,
        )


def pg_is_empty(conn: Connection) -> bool:
    """No table in the schemas the app uses (public)."""
    return not inspect(conn).get_table_names()
