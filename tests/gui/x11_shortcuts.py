"""Run by test_keys_and_panel under Xvfb: the main window's action shortcuts pressed in its text
fields with the X11 key scheme of a Linux desktop (the offscreen platform of the other tests has
the Windows scheme, in which a line edit claims none of them).

    python -m tests.gui.x11_shortcuts DATABASE_URL

Prints one JSON object: whether the scheme binds Ctrl+E to "end of line" at all, the actions
each key ran per field, and the customer XD02 opened with on Ctrl+E.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from custmd_gui.services.context import Actor
from custmd_gui.ui.main import MainWindow, set_language
from custmd_gui.ui.main_actions import ACTIONS

WAIT_MS = 30_000


def _wait(condition: Callable[[], bool], timeout_ms: int = WAIT_MS, what: str = "") -> None:
    """Process events until `condition()`. Sleeps between rounds instead of QTest.qWait: qWait
    keeps the interpreter lock, and the worker opening the database would hardly ever run."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out: {what}")
        time.sleep(0.02)
        QApplication.processEvents()


def main(url: str) -> None:
    app = QApplication([])
    set_language("zh")
    window = MainWindow(url, actor=Actor("tester"))
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.activateWindow()
    _wait(lambda: window.database_state == "ready", what="the database")
    _wait(lambda: window.model.rowCount() > 0, what=f"the list ({window.database_state})")
    window.table.setCurrentIndex(window.model.index(0, 0))  # the customer XD02 takes

    ran: list[str] = []
    for entry in ACTIONS:
        action = window.menu_actions[entry.name]
        action.triggered.disconnect()  # only recorded: no window may take the focus yet
        action.triggered.connect(lambda *_, name=entry.name: ran.append(name))

    sales_area = window.search_bar.sales_area.lineEdit()
    assert sales_area is not None
    fields: dict[str, QLineEdit] = {"search": window.search, "sales_area": sales_area}
    shortcuts = [e.shortcut for e in ACTIONS if e.shortcut]
    pressed: dict[str, dict[str, list[str]]] = {}
    for name, field in fields.items():
        field.setFocus()
        # An editable combo box keeps the focus itself and hands the keys to its line edit.
        holder = field.parentWidget() if name == "sales_area" else field
        assert holder is not None

        def has_focus(holder: QWidget = holder) -> bool:
            return QApplication.focusWidget() is holder

        _wait(has_focus, what=name)
        field.setText("abc")
        field.setCursorPosition(0)
        pressed[name] = {}
        for shortcut in shortcuts:
            ran.clear()
            QTest.keySequence(holder, QKeySequence(shortcut))
            pressed[name][shortcut] = list(ran)

    # Ctrl+E for real: XD02 with the customer selected in the list.
    change = window.menu_actions["change_action"]
    change.triggered.disconnect()
    change.triggered.connect(lambda *_: window.change_current_row())
    window.search.setFocus()
    _wait(lambda: QApplication.focusWidget() is window.search, what="search")
    QTest.keyClick(window.search, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    editor = window.wizards.get("change")
    number = editor.initial_values().get("KNA1-KUNNR", "") if editor is not None else None

    end_of_line = QKeySequence.keyBindings(QKeySequence.StandardKey.MoveToEndOfLine)
    print(
        json.dumps(
            {
                "platform": app.platformName(),
                "ctrl_e_is_end_of_line": any(s.toString() == "Ctrl+E" for s in end_of_line),
                "pressed": pressed,
                "xd02_number": number,
            }
        ),
        flush=True,
    )
    if editor is not None:
        editor.keys = None
    window.dispose()


if __name__ == "__main__":
    main(sys.argv[1])
