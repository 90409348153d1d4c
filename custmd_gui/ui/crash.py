"""Unexpected exceptions: written to the log file, shown to the clerk, and the app keeps running.

`install()` replaces `sys.excepthook` (which PySide6 also calls for exceptions raised inside
slots and overridden virtual methods) and `threading.excepthook`. The traceback goes to
`custmd.log` in the per-user log folder (custmd_gui.logs, which also points the fault handler
there); a message box names that file. Its **复制报告** button copies the report — the
traceback, the versions and the database (ui.about) and the log file's path — for the clerk to
paste into a mail to support; **显示详情…** shows the same report. The box is shown without a
nested event loop, from the GUI thread (exceptions in worker threads are passed over by a
queued signal), so the crash handler itself never blocks or re-enters the code that failed.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from custmd_gui import logs, settings

LOG_NAME = settings.LOG_NAME
LOGGER = logging.getLogger("custmd")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

# Shown when no translator is handed in (tr_ of custmd_gui.ui.main is the normal source).
_FALLBACK = {
    "crash.title": "意外错误",
    "crash.text": "发生了意外错误，详细信息已写入日志文件：{path}",
    "crash.copy": "复制报告",
    "crash.copied": "报告已复制到剪贴板",
}


def log_file() -> Path:
    return settings.log_file()


def summary(exc: BaseException) -> str:
    """One line naming the exception: `ValueError: boom`."""
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


class CrashHandler(QObject):
    """Owns the installed hooks; `uninstall()` puts the previous ones back."""

    _report = Signal(str, str)  # the exception in one line, its traceback

    def __init__(
        self, tr: Callable[[str], str] | None = None, parent_window: QWidget | None = None
    ) -> None:
        super().__init__()
        self._tr = tr or _FALLBACK.__getitem__
        self.parent_window = parent_window
        self._traces = logs.setup()
        self.path = self._traces.log_file or log_file()
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
        self._traces.close()

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
        if self._traces.handler is not None:
            self._traces.handler.flush()
        traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
        if QApplication.instance() is not None:
            self._report.emit(summary(exc), "".join(traceback.format_exception(exc_type, exc, tb)))

    def report_text(self, stack: str) -> str:
        """What 复制报告 copies: the traceback, the versions and database (as 关于 shows them)
        and the log file, where the lines before the error are."""
        from custmd_gui.ui import about

        window = self.parent_window
        url = getattr(window, "url", None)
        rows = about.environment_rows(
            url if isinstance(url, str) else None, demo=bool(getattr(window, "demo", False))
        )
        when = time.strftime("%Y-%m-%d %H:%M:%S")
        return f"{stack.rstrip()}\n\n{about.as_text(rows)}\nLog: {self.path}\nTime: {when}\n"

    # -- the message box ---------------------------------------------------------------------

    @Slot(str, str)
    def _show_box(self, text: str, stack: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            self._tr("crash.title"),
            self._tr("crash.text").format(path=self.path),
            QMessageBox.StandardButton.Ok,
            self.parent_window,
        )
        box.setInformativeText(text)
        report = self.report_text(stack)
        box.setDetailedText(report)
        copy = box.addButton(self._tr("crash.copy"), QMessageBox.ButtonRole.ActionRole)
        copy.setObjectName("crash_copy")
        # A message box closes on any of its buttons; this one only copies: the box's own
        # connection to it goes, ours stays.
        copy.clicked.disconnect()
        copy.clicked.connect(lambda: self._copy(box, report))
        box.setDefaultButton(QMessageBox.StandardButton.Ok)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setWindowModality(Qt.WindowModality.ApplicationModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._boxes.append(box)
        box.finished.connect(lambda _result: self._forget(box))
        # show(), not exec(): no nested event loop inside an exception hook.
        box.show()

    def _copy(self, box: QMessageBox, report: str) -> None:
        QGuiApplication.clipboard().setText(report)
        copied = self._tr("crash.copied")
        if copied not in box.informativeText():
            box.setInformativeText(f"{box.informativeText()}\n{copied}")

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
