"""The database conditions that mean "not now" turned into one clear message.

Another session holds a lock past the lock timeout, the server cancels a statement after the
statement timeout, ends a transaction left idle too long, or gives up on a serialization
conflict or deadlock; SQLite's writer gives up waiting for the write lock. Each of these rolls
the transaction back: nothing was written and the same request may be made again, which is
what the user is told (DatabaseBusy; TransactionEnded for the client whose own transaction
the server ended). UnitOfWork.__exit__ raises it from the driver's error, so that every
service, the CLI and the windows get it without knowing the driver.
"""

from __future__ import annotations

import re

from sqlalchemy.exc import DBAPIError

from custmd_gui.catalog import Text
from custmd_gui.domain.errors import (
    DATABASE_KEY,
    DatabaseBusy,
    DomainError,
    Problem,
    ServerRefused,
    TransactionEnded,
)

# PostgreSQL SQLSTATEs
LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout, NOWAIT
QUERY_CANCELED = "57014"  # statement_timeout (or a cancel by an administrator)
IDLE_IN_TRANSACTION_TIMEOUT = "25P03"  # idle_in_transaction_session_timeout (FATAL)
SERIALIZATION_FAILURE = "40001"
DEADLOCK_DETECTED = "40P01"
_BUSY = {LOCK_NOT_AVAILABLE, SERIALIZATION_FAILURE, DEADLOCK_DETECTED}
# What the server says when it ends the session (if the SQLSTATE did not reach the client).
_IDLE_TEXT = "idle-in-transaction timeout"
# SQLite's primary result codes for "the database file is locked" by another connection.
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_SQLITE_TEXTS = ("database is locked", "database is busy", "database table is locked")


def _problems(zh: str, en: str) -> list[Problem]:
    return [Problem(DATABASE_KEY, "", Text(zh=zh, en=en))]


def busy() -> DatabaseBusy:
    return DatabaseBusy(
        _problems(
            "客户主数据正在被其他会话写入，请稍后重试（本次没有写入任何数据）",
            "The customer master data is being written by another session; try again in a "
            "moment (nothing was written)",
        )
    )


def statement_cancelled() -> DatabaseBusy:
    return DatabaseBusy(
        _problems(
            "数据库操作超时或被取消，没有写入任何数据，请稍后重试",
            "The database operation took too long or was cancelled; nothing was written, "
            "try again later",
        )
    )


def transaction_ended(*, write: bool) -> TransactionEnded:
    if write:
        return TransactionEnded(
            _problems(
                "保存已中止：与数据库的事务超时已被服务器结束，没有写入任何数据，请重新保存",
                "Save aborted: the server ended the transaction after it waited too long; "
                "nothing was written, save again",
            )
        )
    return TransactionEnded(
        _problems(
            "读取已中止：与数据库的事务超时已被服务器结束，请重试",
            "Reading aborted: the server ended the transaction after it waited too long; try again",
        )
    )


def _driver_error(exc: BaseException) -> BaseException | None:
    if isinstance(exc, DBAPIError):
        return exc.orig or exc
    if type(exc).__module__.split(".")[0] in ("psycopg", "sqlite3"):
        return exc  # the driver's error, not wrapped
    return None


def database_error(exc: BaseException, *, write: bool = False) -> DomainError | None:
    """The message `exc` means to a user (busy, or the server's refusal), or None for an
    error that is a bug, not a condition."""
    return database_busy(exc, write=write) or server_refusal(exc)


# The server's refusals: no privilege (grants, row-level security, migration 0012's check of
# blocks on INSERT) and migration 0012's own checks (SQLSTATE class CM).
_REFUSALS = {"42501", "CM001", "CM002", "CM003", "CM004"}
# Migration 0012's messages start with the field they are about: "KNA1-LAND1：..."
_FIELD = re.compile(r"^([A-Z][A-Z0-9]{1,15}-[A-Z][A-Z0-9_]{1,29})：")


def server_refusal(exc: BaseException) -> ServerRefused | None:
    """The PostgreSQL server refused a write the services let through: a client older or
    other than the app, or a right the app's role grants but the server's group role does
    not (see the README). The server's own words are kept; nothing was written."""
    orig = _driver_error(exc)
    if orig is None or getattr(orig, "sqlstate", None) not in _REFUSALS:
        return None
    said = str(orig).splitlines()[0] if str(orig) else type(orig).__name__
    field = _FIELD.match(said)
    return ServerRefused(
        [
            Problem(
                field.group(1) if field else DATABASE_KEY,
                "",
                Text(
                    zh=f"数据库服务器拒绝了此操作，没有写入任何数据：{said}",
                    en=f"The database server refused this; nothing was written: {said}",
                ),
            )
        ]
    )


def database_busy(exc: BaseException, *, write: bool = False) -> DatabaseBusy | None:
    """The DatabaseBusy that `exc` (SQLAlchemy's error, or the driver's own) means, or None
    for any other error. `write`: whether the transaction was one that writes."""
    orig = _driver_error(exc)
    if orig is None:
        return None
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate == IDLE_IN_TRANSACTION_TIMEOUT or _IDLE_TEXT in str(orig):
        return transaction_ended(write=write)
    if sqlstate in _BUSY:
        return busy()
    if sqlstate == QUERY_CANCELED:
        return statement_cancelled()
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return busy()
    if type(orig).__module__.startswith("sqlite3") and any(t in str(orig) for t in _SQLITE_TEXTS):
        return busy()
    return None
