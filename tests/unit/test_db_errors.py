"""Which database errors mean "not now, nothing written" (persistence.db_errors), and what the
unit of work raises for them."""

from __future__ import annotations

import sqlite3

import psycopg.errors
import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import IntegrityError, InternalError, OperationalError

from custmd_gui.domain.errors import DatabaseBusy, DomainError, TransactionEnded
from custmd_gui.persistence.db_errors import database_busy
from custmd_gui.persistence.unit_of_work import UnitOfWork

BUSY = "客户主数据正在被其他会话写入，请稍后重试（本次没有写入任何数据）"


def _wrapped(orig: Exception) -> Exception:
    kind = InternalError if isinstance(orig, psycopg.InternalError) else OperationalError
    return kind("UPDATE nriv ...", {}, orig)


@pytest.mark.parametrize(
    "orig",
    [
        psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"),
        psycopg.errors.SerializationFailure("could not serialize access"),
        psycopg.errors.DeadlockDetected("deadlock detected"),
        sqlite3.OperationalError("database is locked"),
    ],
    ids=["55P03", "40001", "40P01", "sqlite-busy"],
)
def test_busy(orig: Exception) -> None:
    error = database_busy(_wrapped(orig), write=True)
    assert type(error) is DatabaseBusy
    assert [(p.field_key, p.message.zh) for p in error.problems] == [("DB", BUSY)]
    assert error.problems[0].message.en.startswith("The customer master data is being written")


def test_statement_timeout() -> None:
    orig = psycopg.errors.QueryCanceled("canceling statement due to statement timeout")
    error = database_busy(_wrapped(orig))
    assert type(error) is DatabaseBusy
    assert error.problems[0].message.zh == "数据库操作超时或被取消，没有写入任何数据，请稍后重试"


@pytest.mark.parametrize(
    "orig",
    [
        psycopg.errors.IdleInTransactionSessionTimeout(
            "terminating connection due to idle-in-transaction timeout"
        ),
        # the connection already gone, only the server's last words left
        psycopg.OperationalError(
            "consuming input failed: terminating connection due to idle-in-transaction timeout"
        ),
    ],
    ids=["25P03", "closed"],
)
def test_the_server_ended_the_transaction(orig: Exception) -> None:
    saving = database_busy(_wrapped(orig), write=True)
    assert isinstance(saving, TransactionEnded)
    assert saving.problems[0].message.zh.startswith("保存已中止：")
    reading = database_busy(_wrapped(orig), write=False)
    assert isinstance(reading, TransactionEnded)
    assert reading.problems[0].message.zh.startswith("读取已中止：")


@pytest.mark.parametrize(
    "exc",
    [
        IntegrityError("INSERT ...", {}, psycopg.errors.UniqueViolation("duplicate key")),
        OperationalError("SELECT 1", {}, sqlite3.OperationalError("no such table: kna1")),
        ValueError("database is locked"),  # not the database's own error
        DomainError([]),
    ],
)
def test_other_errors_are_left_alone(exc: Exception) -> None:
    assert database_busy(exc) is None


def test_the_unit_of_work_raises_it_from_the_driver_error() -> None:
    engine = create_engine("sqlite://")
    orig = _wrapped(sqlite3.OperationalError("database is locked"))
    with pytest.raises(DatabaseBusy) as raised, UnitOfWork(engine, write=True):
        raise orig
    assert raised.value.__cause__ is orig
    with pytest.raises(ValueError), UnitOfWork(engine):
        raise ValueError("stays as it is")


def test_the_servers_refusals_become_messages_naming_the_field() -> None:
    from custmd_gui.domain.errors import ServerRefused
    from custmd_gui.persistence.db_errors import database_error

    class Refusal(Exception):
        sqlstate = "CM002"

    Refusal.__module__ = "psycopg.errors"
    error = database_error(Refusal("KNA1-LAND1：国家 XX 不在定制的代码表中 / KNA1-LAND1: XX ..."))
    assert isinstance(error, ServerRefused)
    assert error.problems[0].field_key == "KNA1-LAND1"
    assert "没有写入任何数据" in error.problems[0].message.zh
    Refusal.sqlstate = "42501"
    error = database_error(Refusal("permission denied for table knb1"))
    assert error is not None and error.problems[0].field_key == "DB"
    Refusal.sqlstate = "23505"  # a unique violation is a bug, not a user's condition
    assert database_error(Refusal("duplicate key")) is None
