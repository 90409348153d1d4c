"""系统 → 导入客户…: a filled template with a bad customer is listed (sheet, cell, field,
message) and nothing is written; with 只导入无误的客户 the good customer is written; the
progress bar and the 取消 button while it runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from custmd_gui.persistence.tables import Kna1
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.ui.import_dialog import ImportDialog, open_import_dialog
from tests.gui.test_usage_dialog import rows
from tests.integration.test_import import _internal, _workbook


@pytest.fixture
def dialog(qtbot: QtBot, uow_factory: UnitOfWorkFactory) -> Iterator[ImportDialog]:
    window = open_import_dialog(None, uow_factory, Actor("admin"))  # type: ignore[arg-type]
    qtbot.waitExposed(window)
    yield window
    window.close()


def _count(factory: UnitOfWorkFactory) -> int:
    with factory() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Kna1)) or 0)


def _run(qtbot: QtBot, dialog: ImportDialog) -> None:
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.operation is not None
    dialog.operation.wait()


def test_errors_listed_then_good_customers_accepted(
    qtbot: QtBot, dialog: ImportDialog, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    bad = _internal("B-1", "坏客户有限公司")
    bad["general"][0]["KNA1-BRSCH"] = "ZZZZ"
    path = _workbook(
        uow_factory, tmp_path / "customers.xlsx", [_internal("G-1", "好客户有限公司"), bad]
    )
    dialog.file_edit.setText(str(path))
    _run(qtbot, dialog)
    assert _count(uow_factory) == 0
    listed = rows(dialog.table)
    assert ["一般数据 KNA1", "T5", "KNA1-BRSCH", "错误", "行业 ZZZZ 不存在，请按 F4 选择"] in listed
    assert "错误 1 条" in dialog.outcome.text() and "customers.errors.xlsx" in dialog.outcome.text()
    assert dialog.start_button.isEnabled() and not dialog.cancel_button.isEnabled()
    qtbot.wait(50)  # the layout takes the report's height
    Path("screenshots").mkdir(exist_ok=True)
    dialog.grab().save("screenshots/import_dialog_errors.png")
    dialog.accept_good.setChecked(True)
    _run(qtbot, dialog)
    assert _count(uow_factory) == 1
    assert "创建 1 个" in dialog.outcome.text()


def test_cancel_stops_between_customers(
    qtbot: QtBot, dialog: ImportDialog, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    customers = [_internal(f"C-{i}", f"取消测试{i}号有限公司") for i in range(12)]
    path = _workbook(uow_factory, tmp_path / "many.xlsx", customers)
    dialog.file_edit.setText(str(path))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.cancel_button.isEnabled() and not dialog.start_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.progress.value() >= 1, timeout=60000)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.operation is not None
    dialog.operation.wait()
    assert 1 <= _count(uow_factory) < 12
    assert "已取消" in dialog.outcome.text()
