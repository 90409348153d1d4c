"""The application's news about maintenance requests: whoever shows requests (the work list,
the main window's count) refreshes from `requests_changed` instead of being called."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication


class RequestEvents(QObject):
    requests_changed = Signal(str)  # the request's number


_events: RequestEvents | None = None


def request_events() -> RequestEvents:
    """The one RequestEvents of the application (made on first use, in the GUI thread)."""
    global _events
    if _events is None:
        _events = RequestEvents(QApplication.instance())
    return _events
