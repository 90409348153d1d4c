"""XD01's save while another session holds what it needs (a real lock, on both databases):
a message on the screen, not the crash dialog, and everything typed stays for Ctrl+S again."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import Engine, text

from custmd_gui.domain.errors import NotFound
from custmd_gui.persistence.engine import LOCK_TIMEOUT_S, SQLITE_BUSY_TIMEOUT_S, is_sqlite
from custmd_gui.persistence.unit_of_work import UnitOfWork, UnitOfWorkFactory
from custmd_gui.services.create import read_customer
from custmd_gui.ui.wizard import CustomerWizard
from tests.gui.keyboard import key
from tests.gui.wizard_steps import screen, type_example

BUSY = "客户主数据正在被其他会话写入，请稍后重试（本次没有写入任何数据）"


def test_a_save_into_a_busy_database_says_so_and_keeps_the_typing(
    wizard: CustomerWizard, engine: Engine, uow_factory: UnitOfWorkFactory
) -> None:
    type_example(wizard)
    where = screen(wizard)
    # Another session: SQLite's write lock; on PostgreSQL a lock on kna1 that lets readers
    # (the duplicate check) through but makes the insert wait.
    holder = UnitOfWork(engine, write=True).__enter__()
    try:
        if is_sqlite(engine):
            holder.session.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: the write lock
        else:
            holder.session.execute(text("LOCK TABLE kna1 IN EXCLUSIVE MODE"))
        start = time.monotonic()
        key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        waited = time.monotonic() - start
    finally:
        holder.__exit__(None, None, None)
    limit = SQLITE_BUSY_TIMEOUT_S if is_sqlite(engine) else LOCK_TIMEOUT_S
    assert limit - 0.5 <= waited <= limit + 5, waited
    assert wizard.statusBar().currentMessage() == BUSY
    assert [p.message.zh for p in wizard.messages.problems] == [BUSY]
    assert screen(wizard) == where  # not sent to another screen
    name = wizard.findChild(QLineEdit, "KNA1_NAME1")
    assert name is not None and name.text() == "东宁广告有限公司"
    with pytest.raises(NotFound):
        read_customer(uow_factory, "2110380001")
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # the other session has finished
    assert wizard.statusBar().currentMessage().startswith("客户 2110380001 已")
    assert read_customer(uow_factory, "2110380001").general.name == "东宁广告有限公司"
