"""Keys of the main window and the wizard (issue 16, "Keys and panel"): the action shortcuts in
the search field, unique Alt mnemonics, XD03 from the list with all segments, the English list
(plural, column titles), the message panel (a click jumps, Ctrl+M, its height) and Enter in a
grid cell. Real windows, real databases (SQLite and PostgreSQL where a database is involved)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSplitter,
    QStyle,
)
from pytestqt.qtbot import QtBot

from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.ui.customer_list_model import COLUMNS
from custmd_gui.ui.main import MainWindow, set_language
from custmd_gui.ui.main_actions import ACTIONS
from custmd_gui.ui.wizard import CustomerWizard
from tests.conftest import example_document
from tests.gui.keyboard import fill, focused, key, tab_to, type_text
from tests.gui.wizard_steps import EXAMPLE_INITIAL, enter_initial, grid, press_enter, screen

ACTOR = Actor("tester")
WAIT_MS = 30_000
ROOT = Path(__file__).resolve().parents[2]
X11_HELPER = "tests.gui.x11_shortcuts"


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("zh")


def _with_example(uow_factory: UnitOfWorkFactory) -> None:
    create_customer(uow_factory, from_document(example_document()), ACTOR)


def _ready(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.database_state == "ready", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.model.pages_fetched >= 1, timeout=WAIT_MS)


# -- the main window: shortcuts in the search field ---------------------------------------------


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Xvfb for the X11 key scheme")
def test_action_shortcuts_run_while_the_cursor_is_in_a_search_field(
    db_url: str, uow_factory: UnitOfWorkFactory
) -> None:
    """Under the X11 key scheme a line edit claims Ctrl+E (end of line): XD02 did nothing from
    the search field. Every action's shortcut must run its action from the search field and
    from the sales-area filter."""
    _with_example(uow_factory)
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["QT_QPA_PLATFORM"] = "xcb"
    result = subprocess.run(
        ["xvfb-run", "-a", sys.executable, "-m", X11_HELPER, db_url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stdout + result.stderr
    report = json.loads(lines[-1])
    assert report["platform"] == "xcb"
    assert report["ctrl_e_is_end_of_line"]  # the scheme in which the defect shows
    expected = {e.shortcut: [e.name] for e in ACTIONS if e.shortcut}
    assert report["pressed"] == {"search": expected, "sales_area": expected}
    assert report["xd02_number"] == "2110380001"


def test_the_search_fields_give_the_window_shortcuts_way(qtbot: QtBot) -> None:
    from custmd_gui.ui.window_shortcuts import WindowShortcutsFirst

    window = MainWindow("sqlite:///:memory:")
    qtbot.addWidget(window)
    keeper = window.findChild(WindowShortcutsFirst)
    assert keeper is not None
    assert {"Ctrl+E", "Ctrl+D", "Ctrl+H", "Ctrl+B", "Ctrl+L", "Ctrl+N", "Ctrl+Shift+B"} <= (
        keeper.shortcuts()
    )
    assert "Ctrl+A" not in keeper.shortcuts()  # select all stays the field's
    window.change_action.setEnabled(False)  # a user without the right: Ctrl+E is the field's
    assert "Ctrl+E" not in keeper.shortcuts()
    window.dispose()


# -- the main window: Alt mnemonics ---------------------------------------------------------------


def _mnemonic(text: str) -> str | None:
    match = re.search(r"&([^&\s])", text.replace("&&", ""))
    return match.group(1).upper() if match else None


def _duplicates(texts: list[str]) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {}
    for text in texts:
        if (letter := _mnemonic(text)) is not None:
            seen.setdefault(letter, []).append(text)
    return {k: v for k, v in seen.items() if len(v) > 1}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_alt_mnemonic_of_the_main_window_is_unique(qtbot: QtBot, lang: str) -> None:
    """Alt+C was both the 客户 menu and the 公司代码 filter. The window's own mnemonics (the
    menu bar, the labels of its fields, buttons, group boxes) are one set; each menu's items,
    live while it is open, another."""
    set_language(lang)
    window = MainWindow("sqlite:///:memory:")
    qtbot.addWidget(window)
    window.retranslate()
    top = [a.text() for a in window.menuBar().actions()]
    top += [label.text() for label in window.findChildren(QLabel) if label.buddy() is not None]
    top += [b.text() for b in window.findChildren(QAbstractButton)]
    top += [g.title() for g in window.findChildren(QGroupBox)]
    assert sum(1 for t in top if _mnemonic(t)) >= 10  # menus and filters were all found
    assert _duplicates(top) == {}
    for menu in window.menus.values():
        items = [a.text() for a in menu.actions() if not a.isSeparator()]
        assert all(_mnemonic(t) for t in items), items
        assert _duplicates(items) == {}
    window.dispose()


# -- the main window: XD03 from the list ----------------------------------------------------------


def test_xd03_from_the_list_opens_the_first_company_code_and_sales_area(
    qtbot: QtBot,
    db_url: str,
    uow_factory: UnitOfWorkFactory,
    open_window: Callable[..., MainWindow],
) -> None:
    _with_example(uow_factory)
    window = open_window(db_url, actor=ACTOR)
    _ready(qtbot, window)
    window.table.setFocus()
    window.table.setCurrentIndex(window.model.index(0, 0))
    window.activateWindow()
    QTest.keyClick(window.table, Qt.Key.Key_Return)
    viewer = window.wizards.get("display")
    assert viewer is not None and viewer.isVisible()
    keys = viewer.keys
    assert keys is not None
    assert (keys.number, keys.company_code, keys.sales_area_key) == (
        "2110380001",
        "F011",
        "F011/10/01",
    )
    # All screens: general data, the company code's and the sales area's.
    assert {"address", "account", "cc_payment", "sales", "shipping", "partner"} <= set(
        viewer.active
    )
    assert viewer.current_screen() == "address"
    # The initial screen (F3) shows the keys taken.
    initial = viewer.initial_values()
    assert (initial["KNB1-BUKRS"], initial["KNVV-VKORG"], initial["KNVV-SPART"]) == (
        "F011",
        "F011",
        "01",
    )


# -- the main window in English -----------------------------------------------------------------


def test_english_status_says_one_customer_loaded(
    qtbot: QtBot,
    english: None,
    db_url: str,
    uow_factory: UnitOfWorkFactory,
    open_window: Callable[..., MainWindow],
) -> None:
    _with_example(uow_factory)
    window = open_window(db_url, actor=ACTOR)
    _ready(qtbot, window)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "", timeout=WAIT_MS)
    assert window.statusBar().currentMessage() == "1 customer loaded"


def _clipped_headers(window: MainWindow) -> list[str]:
    header = window.table.horizontalHeader()
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    metrics = header.fontMetrics()
    clipped = []
    for column, name in enumerate(COLUMNS):
        if name == "name":
            continue  # stretched over the rest of the width
        title = window.model.headerData(column, Qt.Orientation.Horizontal)
        needed = max(header.sectionSizeHint(column), metrics.horizontalAdvance(title) + 2 * margin)
        if header.sectionSize(column) < needed:
            clipped.append(title)
    return clipped


def test_list_headers_fit_their_titles_in_both_languages(qtbot: QtBot) -> None:
    window = MainWindow("sqlite:///:memory:")
    qtbot.addWidget(window)
    window.resize(1366, 728)
    assert _clipped_headers(window) == []
    set_language("en")  # as 文件 → 设置 does
    window.retranslate()
    assert window.model.headerData(COLUMNS.index("account_group"), Qt.Orientation.Horizontal) == (
        "Account group"
    )
    assert _clipped_headers(window) == []
    set_language("zh")
    window.retranslate()
    assert _clipped_headers(window) == []
    window.dispose()


def test_list_headers_fit_when_started_in_english(qtbot: QtBot, english: None) -> None:
    window = MainWindow("sqlite:///:memory:")
    qtbot.addWidget(window)
    assert _clipped_headers(window) == []
    window.dispose()


# -- the wizard's message panel -------------------------------------------------------------------


def _problems_after_save(wizard: CustomerWizard) -> None:
    """The example's keys with a postal code typo and most fields empty: many problems."""
    wizard.resize(1200, 720)  # the wizard's own size, as on a 1366x768 screen
    enter_initial(wizard, EXAMPLE_INITIAL)
    fill(wizard, {"KNA1_NAME1": "东宁广告有限公司", "KNA1_PSTLZ": "2000000"})
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert len(wizard.messages.problems) >= 8, wizard.messages.problems


def _row_of(wizard: CustomerWizard, field_key: str) -> int:
    return next(i for i, p in enumerate(wizard.messages.problems) if p.field_key == field_key)


def test_a_single_click_on_a_message_jumps_to_its_field(wizard: CustomerWizard) -> None:
    _problems_after_save(wizard)
    assert "单击" in wizard.statusBar().currentMessage()
    panel = wizard.messages
    item = panel.topLevelItem(_row_of(wizard, "KNVV-VKBUR"))
    assert item is not None
    panel.scrollToItem(item)
    rect = panel.visualItemRect(item)
    QTest.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert screen(wizard) == "sales"
    assert focused() is wizard.findChild(QLineEdit, "KNVV_VKBUR")


def test_ctrl_m_enters_the_panel_enter_jumps_esc_goes_back(wizard: CustomerWizard) -> None:
    _problems_after_save(wizard)
    said = wizard.statusBar().currentMessage()
    current = screen(wizard)
    field = focused()
    assert field is not None and field is not wizard.messages
    # Ctrl+M, Esc: back where the cursor was, on the same screen (Esc is not "back" here).
    key(Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert focused() is wizard.messages
    key(Qt.Key.Key_Escape)
    assert focused() is field and screen(wizard) == current and wizard.keys is not None
    # Ctrl+M, Down to the sales-office message, Enter: its field, nothing checked.
    key(Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert wizard.messages.currentItem() is wizard.messages.topLevelItem(0)
    for _ in range(_row_of(wizard, "KNVV-VKBUR")):
        key(Qt.Key.Key_Down)
    assert screen(wizard) == current  # moving through the list does not jump yet
    press_enter()
    assert screen(wizard) == "sales"
    assert focused() is wizard.findChild(QLineEdit, "KNVV_VKBUR")
    # The Enter ended in the panel: the sales screen was not checked on top of the jump.
    assert wizard.statusBar().currentMessage() == said


def test_ctrl_m_is_free_among_the_wizard_keys(wizard: CustomerWizard) -> None:
    from PySide6.QtGui import QShortcut

    sequences = [s.key().toString() for s in wizard.findChildren(QShortcut)]
    assert sequences.count("Ctrl+M") == 1


def _visible_rows(wizard: CustomerWizard) -> int:
    panel = wizard.messages
    return panel.viewport().height() // panel.sizeHintForRow(0)


def test_the_panel_shows_more_rows_when_there_are_problems(
    qtbot: QtBot, wizard: CustomerWizard
) -> None:
    """About five rows at 1366x768 hid most of the problems; now at least eight show (or all,
    when fewer), without the screen above giving up most of its room."""
    _problems_after_save(wizard)
    problems = len(wizard.messages.problems)
    assert _visible_rows(wizard) >= min(problems, 8)
    # The screen above keeps most of the room, and the field the cursor is in stays in view.
    scroll = wizard.screens.scrolls[screen(wizard)]
    assert scroll.height() > wizard.messages.height()
    field = focused()
    assert field is not None
    top_left = field.mapTo(scroll.viewport(), field.rect().topLeft())
    assert top_left.y() >= 0 and top_left.y() + field.height() <= scroll.viewport().height()
    # No problems any more (back to the initial screen): the panel is small again.
    wizard.keys = None
    wizard.show_initial()
    assert _visible_rows(wizard) <= 5


def test_a_panel_the_user_sized_keeps_its_size(qtbot: QtBot, wizard: CustomerWizard) -> None:
    splitter = wizard.messages.parentWidget()
    assert isinstance(splitter, QSplitter)
    handle = splitter.handle(1)
    start = handle.rect().center()
    QTest.mousePress(handle, Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(handle, start - QPoint(0, 60))
    QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=start - QPoint(0, 60))
    assert wizard.messages.sizer.user_sized
    before = wizard.messages.height()
    _problems_after_save(wizard)
    assert wizard.messages.height() == before


# -- Enter in a grid cell -------------------------------------------------------------------------


def test_one_enter_commits_a_grid_cell_and_moves_on(wizard: CustomerWizard) -> None:
    """A clerk fills a row left to right: Enter after typing goes to the next cell, after the
    row's last cell to the next row's first; Enter on a cell not edited checks the screen."""
    enter_initial(wizard, EXAMPLE_INITIAL)
    wizard.show_screen("payment")
    tab_to(wizard, "KNBK")
    bank = grid(wizard, "KNBK")
    bank.setCurrentCell(0, 0)
    values = ["CN", "102290012345", "6222021234567890", "东宁广告有限公司", "12"]
    assert len(values) == bank.columnCount()
    for column, value in enumerate(values):
        assert (bank.currentRow(), bank.currentColumn()) == (0, column)
        key(Qt.Key.Key_F2)
        editor = focused()
        assert editor is not None and editor is not bank and bank.isAncestorOf(editor)
        type_text(value)
        key(Qt.Key.Key_Return)  # once
        assert focused() is bank, "the cell's editor is closed"
        cell = bank.item(0, column)
        assert cell is not None and cell.text() == value
        assert screen(wizard) == "payment"
    # After the row's last cell: the first cell of the empty row that takes the next entry.
    assert (bank.currentRow(), bank.currentColumn()) == (1, 0)
    assert bank.rowCount() == 2
    # Enter on a cell not being edited is the screen's Enter: the screen is checked.
    key(Qt.Key.Key_Return)
    assert screen(wizard) != "payment" or wizard.messages.problems
