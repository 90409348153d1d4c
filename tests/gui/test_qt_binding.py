"""The Qt binding itself: a bug in it would take the whole app down, so it is pinned by test."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_void_qt_calls_keep_the_references_to_none(qtbot: QtBot) -> None:
    # PySide6 6.12.0 on Python 3.11 dropped one reference to None per call returning void;
    # after some ten thousand calls Python aborted with "deallocating None".
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("x")
        label.setToolTip("y")
    assert sys.getrefcount(None) - before > -50  # a few for the interpreter's own use
