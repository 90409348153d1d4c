"""Unexpected exceptions: written to the log file, shown to the clerk, and the app keeps running.

`install()` replaces `sys.excepthook` (which PySide6 also calls for exceptions raised inside
slots and overridden virtual methods) and `threading.excepthook`. The traceback goes to
`custmd.log` in the per-user log folder; a message box names that file. The box is shown
without a nested event loop, from the GUI thread (exceptions in worker threads are passed over
by a queued signal), so the crash handler itself never blocks or re-enters the code that failed.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from custmd_gui import settings

LOG_NAME = settings.LOG_NAME
LOGGER = logging.getLogger("custmd")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

# Shown when no translator is handed in (tr_ of custmd_gui.ui.main is the normal source).
_FALLBACK = {
    "crash.title": "意外错误",
    "crash.text": "发生了意外错误，详细信息已写入日志文件：{path}",
}


def log_file() -> Path:
    return settings.log_file()


def _file_handler(path: Path) -> logging.FileHandler:
    """The one file handler of the `custmd` logger for `path` (added once)."""
    for handler in LOGGER.handlers:
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == path:
            return handler
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s")
    )
    LOGGER.addHandler(handler)
    if LOGGER.level == logging.NOTSET or LOGGER.level > logging.INFO:
        LOGGER.setLevel(logging.INFO)
    return handler


def summary(exc: BaseException) -> str:
    """One line naming the exception: `ValueError: boom`."""
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


class CrashHandler(QObject):
    """Owns the installed hooks; `uninstall()` puts the previous ones back."""

    _report = Signal(str)

    def __init__(
        self, tr: Callable[[str], str] | None = None, parent_window: QWidget | None = None
    ) -> None:
        super().__init__()
        self._tr = tr or _FALLBACK.__getitem__
        self.parent_window = parent_window
        self.path = log_file()
        self._handler = _file_handler(self.path)
        self._boxes: list[QMessageBox] = []
        self._previous_sys = sys.excepthook
        self._previous_threading = threading.excepthook
        # Queued when emitted from another thread: the box is always built in the GUI thread.
        self._report.connect(self._show_box, Qt.ConnectionType.AutoConnection)

    def install(self) -> CrashHandler:
        sys.excepthook = self._sys_hook
        threading.excepthook = self._threading_hook
        return self

    def uninstall(self) -> None:
        if sys.excepthook == self._sys_hook:
            sys.excepthook = self._previous_sys
        if threading.excepthook == self._threading_hook:
            threading.excepthook = self._previous_threading
        LOGGER.removeHandler(self._handler)
        self._handler.close()

    # -- hooks -------------------------------------------------------------------------------

    def _sys_hook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous_sys(exc_type, exc, tb)
            return
        self.report((exc_type, exc, tb))

    def _threading_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        self.report((args.exc_type, args.exc_value, args.exc_traceback))

    def report(self, info: ExcInfo) -> None:
        """Log an exception with its traceback and tell the user; safe from any thread."""
        exc_type, exc, tb = info
        LOGGER.error("unexpected error", exc_info=(exc_type, exc, tb))
        self._handler.flush()
        traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
        if QApplication.instance() is not None:
            self._report.emit(summary(exc))

    # -- the message box ---------------------------------------------------------------------

    @Slot(str)
    def _show_box(self, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            self._tr("crash.title"),
            self._tr("crash.text").format(path=self.path),
            QMessageBox.StandardButton.Ok,
            self.parent_window,
        )
        box.setInformativeText(text)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setWindowModality(Qt.WindowModality.ApplicationModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._boxes.append(box)
        box.finished.connect(lambda _result: self._forget(box))
        # show(), not exec(): no nested event loop inside an exception hook.
        box.show()

    def _forget(self, box: QMessageBox) -> None:
        if box in self._boxes:
            self._boxes.remove(box)

    @property
    def open_boxes(self) -> list[QMessageBox]:
        return list(self._boxes)


def install(
    tr: Callable[[str], str] | None = None, parent_window: QWidget | None = None
) -> CrashHandler:
    """Install the crash hooks; needs a QApplication for the message box."""
    return CrashHandler(tr, parent_window).install()
