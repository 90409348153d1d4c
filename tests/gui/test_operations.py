"""ui.operations: a service call in a worker thread, its outcome back on the GUI thread, the
window painting meanwhile, and one customers_changed signal after a change."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from custmd_gui.domain.errors import DomainError
from custmd_gui.ui.operations import Operation, customer_events


def test_the_window_keeps_processing_events_while_the_call_runs(qtbot: QtBot) -> None:
    window = QLineEdit()
    qtbot.addWidget(window)
    window.show()
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    threads: dict[str, Any] = {}
    results: list[str] = []
    changed: list[list[str]] = []
    customer_events().customers_changed.connect(changed.append)

    def work() -> str:
        threads["work"] = threading.current_thread()
        time.sleep(0.6)  # a slow link
        return "2110380001"

    def done(number: str) -> None:
        threads["done"] = threading.current_thread()
        results.append(number)

    op = Operation(window, work, changes=lambda number: [number]).on_success(done).run()
    assert op.running
    QTest.keyClicks(window, "abc")  # no typing into what is being saved
    assert window.text() == ""
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    timer.stop()
    assert threads["work"] is not threading.main_thread()
    assert threads["done"] is threading.main_thread()
    assert len(ticks) >= 10, ticks  # ~30 at 20 ms during 0.6 s; a frozen loop gives 0
    customer_events().customers_changed.disconnect(changed.append)
    assert changed == [["2110380001"]]
    QTest.keyClicks(window, "abc")  # once it reported, the window takes typing again
    assert window.text() == "abc"


def test_a_refusal_goes_to_on_failure_and_anything_else_to_the_crash_hook(
    qtbot: QtBot, monkeypatch: Any
) -> None:
    refusals: list[DomainError] = []

    def refuse() -> None:
        raise DomainError.single("KNA1-NAME1", "请输入名称", "Enter the name")

    Operation(None, refuse).on_failure(refusals.append).run().wait()
    assert [p.field_key for p in refusals[0].problems] == ["KNA1-NAME1"]
    crashes: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _t, exc, _tb: crashes.append(exc))

    def bug() -> None:
        raise ZeroDivisionError("boom")

    Operation(None, bug).on_failure(refusals.append).run().wait()
    assert len(refusals) == 1 and isinstance(crashes[0], ZeroDivisionError)
    assert QApplication.overrideCursor() is None  # the busy cursor is gone again
