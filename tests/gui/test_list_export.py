"""客户 → 导出列表 (Ctrl+Shift+E) in the real main window on both databases: the list's current
search and filters go to the file chosen, with the list's columns and headings; XLSX or CSV
by the name typed; a file that cannot be written is said in the window, naming it."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from custmd_gui.ui import list_export, operations
from custmd_gui.ui.main import MainWindow
from tests.gui import test_customer_search as search_tests
from tests.gui.keyboard import focused, key, type_text
from tests.gui.test_customer_search import (
    DELETED,
    DONGNING,
    HUAXIN,
    SH_DONGNING,
    WAIT_MS,
    search_for,
)

# The main window on the five customers of the search tests (their fixtures, used here).
customers_db = search_tests.customers_db
window = search_tests.window

HEADINGS = ["客户", "名称", "搜索条款", "城市", "科目组", "电话", "状态"]


def _export_to(qtbot: QtBot, window: MainWindow, path: Path, shot: str = "") -> None:
    """Ctrl+Shift+E, type the file's name in the chooser, Enter; wait for the worker."""
    QTest.keyClick(
        focused() or window,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    chooser = window.findChild(QFileDialog, list_export.OBJECT_NAME)
    qtbot.waitUntil(lambda: chooser is not None and chooser.isVisible(), timeout=WAIT_MS)
    assert chooser is not None
    assert chooser.selectedFiles()[0].endswith(".xlsx")  # proposed: customers-DATE.xlsx
    # The keyboard is in the chooser's file name.
    qtbot.waitUntil(lambda: (w := focused()) is not None and w.window() is chooser)
    key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(str(path))
    if shot:
        chooser.grab().save(shot)
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.findChild(QFileDialog, list_export.OBJECT_NAME) is None, timeout=WAIT_MS
    )
    qtbot.waitUntil(operations.idle, timeout=WAIT_MS)
    window.activateWindow()  # the offscreen platform gives the keyboard back on request only
    qtbot.waitUntil(lambda: focused() is not None)


def test_ctrl_shift_e_exports_the_searched_list(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    search_for(qtbot, window, "宁", [SH_DONGNING, DONGNING, DELETED])
    Path("screenshots").mkdir(exist_ok=True)
    action = window.export_list_action
    assert action.isEnabled() and action.shortcut().toString() == "Ctrl+Shift+E"
    assert action in window.customer_menu.actions() and action.text() == "导出列表(&X)…"
    window.customer_menu.popup(window.mapToGlobal(window.rect().topLeft()))
    qtbot.waitUntil(window.customer_menu.isVisible)
    window.customer_menu.grab().save("screenshots/list_export_menu.png")
    window.customer_menu.hide()
    path = tmp_path / "东宁客户.xlsx"
    _export_to(qtbot, window, path, shot="screenshots/list_export_chooser.png")
    assert window.statusBar().currentMessage() == "已导出 3 个客户到 东宁客户.xlsx"
    window.grab().save("screenshots/list_export_done.png")
    ws = openpyxl.load_workbook(path).active
    assert ws is not None
    rows = [[c or "" for c in r] for r in ws.iter_rows(values_only=True)]
    assert rows[0] == HEADINGS
    assert [r[0] for r in rows[1:]] == [SH_DONGNING, DONGNING, DELETED]
    assert rows[2][:5] == [DONGNING, "东宁广告有限公司", "东宁广告", "上海", "1110"]
    assert rows[3][6] == "删除标记"

    # A CSV file by its name; the whole list once the search is emptied.
    search_for(qtbot, window, "", sorted([SH_DONGNING, DONGNING, DELETED, HUAXIN, "2110380003"]))
    csv_path = tmp_path / "all.csv"
    _export_to(qtbot, window, csv_path)
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[0] == HEADINGS and len(lines) == 6
    assert [r[6] for r in lines if r[0] == HUAXIN] == ["冻结"]


def test_a_file_that_cannot_be_written_is_said(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    (tmp_path / "taken.xlsx").mkdir()  # a folder where the file would go
    path = tmp_path / "taken.xlsx" / "sub" / "x.xlsx"
    list_export.run(window, path).wait()
    assert window.banner.isVisible()
    assert str(path) in window.banner.text() and "无法写入" in window.banner.text()
    assert not list(tmp_path.rglob("*.tmp"))
