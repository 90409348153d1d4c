"""Service calls off the GUI thread, and the one signal that customers changed.

On a slow link to the shared server a save or a long listing takes seconds; run on the GUI
thread it would freeze the window (no repaint, no typing, "not responding"). An `Operation`
runs one service call in a worker thread of Qt's global pool and hands its outcome back to
the GUI thread: the result to `on_success`, a refusal (DomainError, which the services raise
for everything a user can act on) to `on_failure`, anything else to the crash handler
(`sys.excepthook`, see ui/crash.py), as an exception in a slot would go. Anki's
CollectionOp/QueryOp are the model.

While it runs, the window that started it takes no keyboard or mouse input (what was typed
is what is being saved) but keeps painting and processing events, and shows the busy
cursor. An operation that changed customers says which: `customers_changed` of
`customer_events()` is emitted once with their numbers, after `on_success`, and whatever
shows customers (the list, an XD03 window, a dialog) refreshes from it instead of being
called point to point.

Services open their own unit of work per call; a worker thread never shares a session with
the GUI thread (the engine's pool hands each thread its own connection).
"""

from __future__ import annotations

import contextlib
import itertools
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
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


class _Dispatcher(QObject):
    """The one receiver of every worker's outcome: lives in the GUI thread as long as the
    application, so a signal a worker emits is queued to that thread, and no QObject is
    ever deleted by a worker thread (a relay per operation could be, when the worker let
    go of it last: that crashed the process)."""

    finished = Signal(int, bool, object)  # operation id, ok, result or exc_info
    progressed = Signal(int, object)  # operation id, value

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)

    @Slot(int, bool, object)
    def _finished(self, op_id: int, ok: bool, outcome: object) -> None:
        operation = _running.pop(op_id, None)
        if operation is not None:
            operation._report(ok, outcome)

    @Slot(int, object)
    def _progressed(self, op_id: int, value: object) -> None:
        operation = _running.get(op_id)
        if operation is not None and operation._progress is not None:
            operation._progress(value)


_dispatcher: _Dispatcher | None = None


class _InputBlocker(QObject):
    """Swallows the keyboard and mouse input of windows whose operation runs: what was
    typed is what is being saved. An event filter rather than setEnabled(False), which
    would grey every widget and repaint the whole window twice per save, and move the
    focus."""

    _INPUT = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.KeyRelease,
            QEvent.Type.ShortcutOverride,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick,
            QEvent.Type.Wheel,
            QEvent.Type.InputMethod,
        }
    )

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self.held: dict[QWidget, int] = {}

    def hold(self, window: QWidget) -> None:
        app = QApplication.instance()
        if not self.held and app is not None:
            app.installEventFilter(self)
        self.held[window] = self.held.get(window, 0) + 1

    def release(self, window: QWidget) -> None:
        count = self.held.pop(window, 0) - 1
        if count > 0:
            self.held[window] = count
        app = QApplication.instance()
        if not self.held and app is not None:
            app.removeEventFilter(self)

    def blocks(self, widget: QWidget) -> bool:
        return widget.window() in self.held

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._INPUT and isinstance(watched, QWidget) and self.blocks(watched):
            # An accepted shortcut override keeps Ctrl+S and friends from firing meanwhile.
            event.accept()
            return True
        return False


_input_blocker: _InputBlocker | None = None


def _blocker() -> _InputBlocker:
    global _input_blocker
    if _input_blocker is None:
        _input_blocker = _InputBlocker(QApplication.instance())
    return _input_blocker


def _dispatch() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None:
        _dispatcher = _Dispatcher(QApplication.instance())
    return _dispatcher


class _Job(QRunnable):
    def __init__(
        self, op_id: int, work: Callable[[], Any], dispatcher: _Dispatcher, done: threading.Event
    ) -> None:
        super().__init__()
        self.op_id = op_id
        self.work: Callable[[], Any] | None = work
        self.dispatcher = dispatcher
        self.done = done

    def run(self) -> None:
        work, self.work = self.work, None  # the operation keeps it; let go of it here
        assert work is not None
        try:
            outcome: tuple[bool, object] = (True, work())
        except BaseException:
            outcome = (False, sys.exc_info())
        del work
        # RuntimeError: the dispatcher is gone (the app quit while the job ran).
        with contextlib.suppress(RuntimeError):
            self.dispatcher.finished.emit(self.op_id, *outcome)
        self.done.set()


# Operations under way by id; kept here so that nothing collects them before they report.
_running: dict[int, Operation[Any]] = {}
_ids = itertools.count(1)


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
        self._done = threading.Event()
        self._id = next(_ids)
        self._held: QWidget | None = None

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
        if _dispatcher is not None:
            with contextlib.suppress(RuntimeError):
                _dispatcher.progressed.emit(self._id, value)

    @property
    def running(self) -> bool:
        """Started and not yet reported to the GUI thread."""
        return self._id in _running

    def join(self, timeout: float | None = None) -> bool:
        """Block until the work's thread is done with it (shutting down); True if it is.
        Its outcome still reaches the GUI thread through the event loop."""
        return self._done.wait(timeout)

    def run(self) -> Operation[T]:
        """Start the call; returns at once. Its outcome arrives through the event loop."""
        dispatcher = _dispatch()
        if self.busy:
            self._hold()
        _running[self._id] = self
        QThreadPool.globalInstance().start(_Job(self._id, self.work, dispatcher, self._done))
        return self

    def _hold(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        if self.parent is not None:
            # The window as it is now: it may be gone by the time the work reports.
            self._held = self.parent.window()
            _blocker().hold(self._held)

    def _release(self) -> None:
        QGuiApplication.restoreOverrideCursor()
        if self._held is not None:
            _blocker().release(self._held)
            self._held = None

    def _report(self, ok: bool, outcome: object) -> None:
        """In the GUI thread, once: the work's result, refusal or crash."""
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
        if isinstance(info[1], DomainError) and self._failure is not None:
            self._failure(info[1])
        else:
            self._crash(info)

    def wait(self) -> None:
        """For scripts and tests: process events until the operation has reported."""
        process_until(lambda: not self.running)


def process_until(done: Callable[[], bool]) -> None:
    """Process events until `done()` (for scripts and tests that wait for operations).

    While an operation's work runs, it waits on that work's thread without holding the
    interpreter (polling the event loop meanwhile would take the GIL from the very work it
    waits for); then it processes the events that deliver the outcome. Not a nested
    QEventLoop: windows deleted meanwhile are deleted as usual."""
    app = QApplication.instance()
    while not done() and app is not None:
        working = [op for op in _running.values() if not op._done.is_set()]
        if working:
            working[0].join(0.05)
        else:
            time.sleep(0.0002)
        app.processEvents()
