"""Driving a window with the keyboard only, as a clerk does: Tab to a field, type, Enter.

Chinese is typed as an input method commits it (QInputMethodEvent): QTest.keyClicks aborts the
process on text outside Latin-1.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableWidget, QWidget


def focused() -> QWidget | None:
    """The widget with the keyboard focus. Right after a modal dialog closes the focus is
    nowhere until the window system activates the window below again: wait for that (a few
    polls only: each None that PySide6 returns here costs a reference to None)."""
    widget = QApplication.focusWidget()
    for _ in range(50):
        if widget is not None:
            break
        QTest.qWait(20)
        widget = QApplication.focusWidget()
    return widget


def tab_to(window: QWidget, name: str, limit: int = 120) -> QWidget:
    """Press Tab until the widget called `name` has the focus; fails if Tab never gets there."""
    for _ in range(limit):
        widget = focused()
        if widget is not None and widget.objectName() == name:
            return widget
        QTest.keyClick(widget or window, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {name}; stuck at {focused()!r}")


def type_text(text: str) -> None:
    """Type into the focused widget; non-Latin-1 text arrives as an input method commit."""
    widget = focused()
    assert widget is not None, "nothing has the focus"
    if text.isascii():
        QTest.keyClicks(widget, text)
        return
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def replace_text(text: str) -> None:
    """Select what the focused field holds and type over it."""
    widget = focused()
    assert widget is not None
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        type_text(text)
    else:
        QTest.keyClick(widget, Qt.Key.Key_Delete)


def key(k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Press a key; a save or listing it started in a worker thread (ui.operations) has
    reported when this returns, as a clerk waits for the status line before going on."""
    widget = focused()
    assert widget is not None, "nothing has the focus"
    QTest.keyClick(widget, k, modifier)
    settle()


def settle(timeout_ms: int = 30_000) -> None:
    """Process events until no operation of ui.operations is running any more."""
    from custmd_gui.ui.operations import idle

    waited = 0
    while not idle():
        assert waited < timeout_ms, "an operation did not report within the timeout"
        QTest.qWait(10)
        waited += 10


def fill(window: QWidget, values: dict[str, str]) -> None:
    """Tab to each field in turn (in the order given) and type its value over what is there."""
    for name, value in values.items():
        tab_to(window, name)
        replace_text(value)


def fill_grid_row(table: QTableWidget, row: int, values: list[str]) -> None:
    """Type one grid row from the first column on: arrows to move, F2 to edit, Enter to
    commit (Enter also moves on to the next cell: ui.grid_enter)."""
    assert focused() is table, f"the grid {table.objectName()} does not have the focus"
    table.setFocus()
    while table.currentRow() < row:
        QTest.keyClick(table, Qt.Key.Key_Down)
    while table.currentRow() > row:
        QTest.keyClick(table, Qt.Key.Key_Up)
    while table.currentColumn() > 0:
        QTest.keyClick(table, Qt.Key.Key_Left)
    for column, value in enumerate(values):
        while table.currentRow() == row and table.currentColumn() < column:
            QTest.keyClick(table, Qt.Key.Key_Right)
        if value == "":
            continue
        QTest.keyClick(table, Qt.Key.Key_F2)
        editor = focused()
        assert editor is not None and editor is not table, "F2 opened no editor"
        QTest.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(value)
        QTest.keyClick(editor, Qt.Key.Key_Return)
        QApplication.processEvents()
