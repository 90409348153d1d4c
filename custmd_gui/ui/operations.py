"""Service calls off the GUI thread, and the one signal that customers changed.

On a slow link to the shared server a save or a long listing takes seconds; run on the GUI
thread it would freeze the window (no repaint, no typing, "not responding"). An `Operation`
runs one service call in a worker thread of Qt's global pool and hands its outcome back to
the GUI thread: the result to `on_success`, a refusal (DomainError, which the services raise
for everything a user can act on) to `on_failure`, anything else to the crash handler
(`sys.excepthook`, see ui/crash.py), as an exception in a slot would go. Anki's
CollectionOp/QueryOp are the model.

While it runs, the window that started it takes no input (what was typed is what is being
saved) but keeps painting and processing events, and shows the busy cursor. An operation
that changed customers says which: `customer_events().customers_changed` is emitted once
with their numbers, after `on_success`, and whatever shows customers (the list, an XD03
window, a dialog) refreshes from it instead of being called point to point.

Services open their own unit of work per call; a worker thread never shares a session with
the GUI thread (the engine's pool hands each thread its own connection).
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:  # the domain (pydantic, the catalog) is not loaded before the window shows
    from custmd_gui.domain.errors import DomainError

T = TypeVar("T")


class CustomerEvents(QObject):
    """The application's news about customers."""

    # The numbers of the customers created, changed, blocked or deleted ([]: not known which).
    customers_changed = Signal(list)


_events: CustomerEvents | None = None


def customer_events() -> CustomerEvents:
    """The one CustomerEvents of the application (made on first use, in the GUI thread)."""
    global _events
    if _events is None:
        _events = CustomerEvents(QApplication.instance())
    return _events


def customers_changed(numbers: Sequence[str]) -> None:
    """Tell every view that these customers changed (from the GUI thread)."""
    customer_events().customers_changed.emit(list(numbers))


class _Relay(QObject):
    """Lives in the GUI thread: a signal emitted from the worker is queued to it."""

    finished = Signal(bool, object)  # ok, result or exc_info
    progress = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay, done: threading.Event) -> None:
        super().__init__()
        self.work = work
        self.relay = relay
        self.done = done

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException:
            outcome: tuple[bool, object] = (False, sys.exc_info())
        else:
            outcome = (True, result)
        # RuntimeError: the relay is gone (the app quit while the job ran).
        with contextlib.suppress(RuntimeError):
            self.relay.finished.emit(*outcome)
        self.done.set()


# Operations under way; kept here so that nothing collects them before they report.
_running: set[Operation[Any]] = set()


def idle() -> bool:
    """No operation is running (for scripts and tests that wait for one to report)."""
    return not _running


class Operation(Generic[T]):
    """One service call in a worker thread (see the module).

    `changes` names the customers the result changed (for customers_changed); None: the
    call changes no customer. `busy`: the parent takes no input and the cursor says so
    while it runs (off for work in the background: opening the database at start-up, a
    search as one types, a connection test). The work may report how far it got with
    `progress(value)`, from its thread; `on_progress` gets each value in the GUI thread."""

    def __init__(
        self,
        parent: QWidget | None,
        work: Callable[[], T],
        *,
        changes: Callable[[T], Sequence[str]] | None = None,
        busy: bool = True,
    ) -> None:
        self.parent = parent
        self.work = work
        self.changes = changes
        self.busy = busy
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[DomainError], None] | None = None
        self._progress: Callable[[object], None] | None = None
        self._crash: Callable[[Any], None] = lambda info: sys.excepthook(*info)
        self._relay: _Relay | None = None
        self._focus: QWidget | None = None
        self._done = threading.Event()

    def on_success(self, callback: Callable[[T], None]) -> Operation[T]:
        self._success = callback
        return self

    def on_failure(self, callback: Callable[[DomainError], None]) -> Operation[T]:
        self._failure = callback
        return self

    def on_crash(self, callback: Callable[[Any], None]) -> Operation[T]:
        """Who gets the exc_info of an error that is no refusal (default: the crash hook)."""
        self._crash = callback
        return self

    def on_progress(self, callback: Callable[[object], None]) -> Operation[T]:
        self._progress = callback
        return self

    def progress(self, value: object) -> None:
        """From the work's thread: hand `value` to on_progress in the GUI thread."""
        relay = self._relay
        if relay is not None:
            with contextlib.suppress(RuntimeError):
                relay.progress.emit(value)

    @property
    def running(self) -> bool:
        """Started and not yet reported to the GUI thread."""
        return self in _running

    def join(self, timeout: float | None = None) -> bool:
        """Block until the work's thread is done with it (shutting down); True if it is.
        Its outcome still reaches the GUI thread through the event loop."""
        return self._done.wait(timeout)

    def run(self) -> Operation[T]:
        """Start the call; returns at once. Its outcome arrives through the event loop."""
        relay = _Relay()
        relay.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        relay.progress.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        self._relay = relay
        if self.busy:
            self._hold()
        _running.add(self)
        QThreadPool.globalInstance().start(_Job(self.work, relay, self._done))
        return self

    def _hold(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        if self.parent is not None:
            self._focus = QApplication.focusWidget()
            self.parent.setEnabled(False)

    def _release(self) -> None:
        QGuiApplication.restoreOverrideCursor()
        if self.parent is not None:
            self.parent.setEnabled(True)
            if self._focus is not None and self._focus.isVisible():
                self._focus.setFocus()

    @Slot(object)
    def _progressed(self, value: object) -> None:
        if self._progress is not None and self in _running:
            self._progress(value)

    @Slot(bool, object)
    def _finished(self, ok: bool, outcome: object) -> None:
        _running.discard(self)
        self._relay = None
        if self.busy:
            self._release()
        if ok:
            result: T = outcome  # type: ignore[assignment]
            if self._success is not None:
                self._success(result)
            if self.changes is not None:
                customers_changed(self.changes(result))
            return
        from custmd_gui.domain.errors import DomainError

        info: Any = outcome
        exc = info[1]
        if isinstance(exc, DomainError) and self._failure is not None:
            self._failure(exc)
        else:
            self._crash(info)

    def wait(self) -> None:
        """For scripts and tests: process events until the operation has reported."""
        process_until(lambda: not self.running)


def process_until(done: Callable[[], bool]) -> None:
    """Process events until `done()` (for scripts and tests that wait for operations)."""
    app = QApplication.instance()
    while not done() and app is not None:
        app.processEvents()
        QThreadPool.globalInstance().waitForDone(10)
