"""系统 → 导入客户…: import customers from a filled template (services.transfer.import_file),
the GUI of `custmd customer import`.

The file (typed, or chosen with 浏览…), the mode, 试运行 (check only) and 只导入无误的客户, then
导入. The work runs in a worker thread with a progress bar; 取消 stops it between two customers
(each customer is written whole or not at all, so what was written stays and a second run
continues). The result: the summary line, the error workbook written beside the file, and a
table of every problem with sheet, cell, field and message (Ctrl+C copies the rows selected).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.ui import i18n
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP
from custmd_gui.ui.operations import Operation
from custmd_gui.ui.qtutils import bring_up, file_row
from custmd_gui.ui.styles import DONE_STYLE, ERROR_COLOR, ERROR_STYLE, HINT_STYLE, WARNING_COLOR

if TYPE_CHECKING:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory
    from custmd_gui.services.transfer.import_report import ImportReport

OBJECT_NAME = "customer_import"
CONTEXT = "ImportDialog"

TEXTS: dict[str, str] = {
    "title": QT_TRANSLATE_NOOP("ImportDialog", "Import customers - custmd"),
    "file": QT_TRANSLATE_NOOP("ImportDialog", "&File:"),
    "file.placeholder": QT_TRANSLATE_NOOP(
        "ImportDialog", "A filled template: XLSX, CSV, or a folder of CSV files"
    ),
    "browse": QT_TRANSLATE_NOOP("ImportDialog", "&Browse…"),
    "browse.title": QT_TRANSLATE_NOOP("ImportDialog", "Choose the filled template"),
    "browse.filter": QT_TRANSLATE_NOOP(
        "ImportDialog", "Templates (*.xlsx *.csv);;Excel (*.xlsx);;CSV (*.csv);;All files (*)"
    ),
    "hint": QT_TRANSLATE_NOOP(
        "ImportDialog",
        "Write the template with custmd template. Customers are recognised by the previous "
        "account number (KNA1-ALTKN), else by their number: a second import updates or "
        "skips them, never creates them twice.",
    ),
    "mode": QT_TRANSLATE_NOOP("ImportDialog", "&Mode:"),
    "mode.upsert": QT_TRANSLATE_NOOP("ImportDialog", "Create new, update stored customers"),
    "mode.insert": QT_TRANSLATE_NOOP("ImportDialog", "Create new customers only (skip stored)"),
    "mode.update": QT_TRANSLATE_NOOP("ImportDialog", "Update stored customers only"),
    "dry_run": QT_TRANSLATE_NOOP("ImportDialog", "&Test only (write nothing)"),
    "accept": QT_TRANSLATE_NOOP("ImportDialog", "Import the customers &without errors"),
    "accept.tip": QT_TRANSLATE_NOOP(
        "ImportDialog",
        "Without this, nothing is written while any row has an error; with it, the customers "
        "without errors are written and the others are listed",
    ),
    "import": QT_TRANSLATE_NOOP("ImportDialog", "&Import"),
    "cancel": QT_TRANSLATE_NOOP("ImportDialog", "&Cancel"),
    "close": QT_TRANSLATE_NOOP("ImportDialog", "Close"),
    "no_file": QT_TRANSLATE_NOOP("ImportDialog", "Give the file to import."),
    "cancelled": QT_TRANSLATE_NOOP(
        "ImportDialog",
        "Cancelled: the customers written so far stay; import the file again to continue.",
    ),
    "error_file": QT_TRANSLATE_NOOP(
        "ImportDialog",
        "The rows with errors were written to {file}: correct them there and import that file.",
    ),
    "col.sheet": QT_TRANSLATE_NOOP("ImportDialog", "Sheet"),
    "col.cell": QT_TRANSLATE_NOOP("ImportDialog", "Cell"),
    "col.field": QT_TRANSLATE_NOOP("ImportDialog", "Field"),
    "col.severity": QT_TRANSLATE_NOOP("ImportDialog", "Type"),
    "col.message": QT_TRANSLATE_NOOP("ImportDialog", "Problem"),
    "error": QT_TRANSLATE_NOOP("ImportDialog", "Error"),
    "warning": QT_TRANSLATE_NOOP("ImportDialog", "Warning"),
}
_MODES = ("upsert", "insert", "update")


def tr_(key: str) -> str:
    return QCoreApplication.translate(CONTEXT, TEXTS[key])


class ImportDialog(QDialog):
    def __init__(self, factory: UowFactory, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(OBJECT_NAME)
        self.setWindowFlag(Qt.WindowType.Window)
        self.factory = factory
        self.actor = actor
        self.operation: Operation[ImportReport] | None = None
        self._cancel = threading.Event()
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.file_label, self.file_edit, self.browse_button = file_row(
            self, "import_file", self.browse
        )
        self.file_edit.setMinimumWidth(460)
        grid.addWidget(self.file_label, 0, 0)
        grid.addWidget(self.file_edit, 0, 1)
        grid.addWidget(self.browse_button, 0, 2)
        self.mode_label = QLabel(self)
        self.mode_box = QComboBox(self)
        self.mode_box.setObjectName("import_mode")
        self.mode_label.setBuddy(self.mode_box)
        grid.addWidget(self.mode_label, 1, 0)
        grid.addWidget(self.mode_box, 1, 1)
        layout.addLayout(grid)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        layout.addWidget(self.hint)
        self.dry_run = QCheckBox(self)
        self.dry_run.setObjectName("import_dry_run")
        self.accept_good = QCheckBox(self)
        self.accept_good.setObjectName("import_accept")
        layout.addWidget(self.dry_run)
        layout.addWidget(self.accept_good)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("import_progress")
        self.progress.hide()
        layout.addWidget(self.progress)
        self.outcome = QLabel(self)
        self.outcome.setObjectName("import_result")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.outcome)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("import_problems")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        QShortcut(QKeySequence.StandardKey.Copy, self.table, self.copy_selection)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.start_button = QPushButton(self)
        self.start_button.setObjectName("import_start")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("import_cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self._cancel.set)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.close)
        for button in (self.start_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.resize(900, 560)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr_("title"))
        self.file_label.setText(tr_("file"))
        self.file_edit.setPlaceholderText(tr_("file.placeholder"))
        self.browse_button.setText(tr_("browse"))
        self.mode_label.setText(tr_("mode"))
        current = max(self.mode_box.currentIndex(), 0)
        self.mode_box.clear()
        for mode in _MODES:
            self.mode_box.addItem(tr_(f"mode.{mode}"), mode)
        self.mode_box.setCurrentIndex(current)
        self.hint.setText(tr_("hint"))
        self.dry_run.setText(tr_("dry_run"))
        self.accept_good.setText(tr_("accept"))
        self.accept_good.setToolTip(tr_("accept.tip"))
        self.start_button.setText(tr_("import"))
        self.cancel_button.setText(tr_("cancel"))
        self.close_button.setText(tr_("close"))
        self.table.setHorizontalHeaderLabels(
            [tr_(k) for k in ("col.sheet", "col.cell", "col.field", "col.severity", "col.message")]
        )

    @Slot()
    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr_("browse.title"), self.file_edit.text(), tr_("browse.filter")
        )
        if path:
            self.file_edit.setText(path)

    def _busy(self, on: bool) -> None:
        self.progress.setVisible(on)
        for widget in (self.start_button, self.close_button, self.file_edit, self.mode_box):
            widget.setEnabled(not on)
        self.cancel_button.setEnabled(on)

    @Slot()
    def start(self) -> None:
        if self.operation is not None and self.operation.running:
            return
        text = self.file_edit.text().strip()
        if not text:
            self._say(tr_("no_file"), ok=False)
            self.file_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        from custmd_gui.services.transfer.import_file import import_customers
        from custmd_gui.services.transfer.import_report import Mode

        path = Path(text).expanduser()
        mode = Mode(self.mode_box.currentData())
        dry_run, accept = self.dry_run.isChecked(), self.accept_good.isChecked()
        lang = i18n.language()
        self._cancel.clear()
        self.table.setRowCount(0)
        self.outcome.clear()
        self.progress.setRange(0, 0)

        def step(done: int, total: int) -> bool:
            operation.progress((done, total))
            return not self._cancel.is_set()

        def work() -> ImportReport:
            return import_customers(
                self.factory,
                path,
                self.actor,
                mode=mode,
                dry_run=dry_run,
                accept_good_rows=accept,
                progress=step,
                lang=lang,
            )

        # Not busy: the window keeps taking input, so that 取消 can be pressed.
        operation: Operation[ImportReport] = Operation(
            self,
            work,
            busy=False,
            changes=lambda report: [
                n for _, o, n in report.outcomes if n and o.value in ("created", "updated")
            ],
        )
        operation.on_success(self.show_report).on_failure(self._failed)
        operation.on_progress(self._step)
        self._busy(True)
        self.operation = operation.run()

    def _step(self, value: object) -> None:
        assert isinstance(value, tuple)
        done, total = int(value[0]), int(value[1])
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _failed(self, exc: DomainError) -> None:
        self._busy(False)
        lang = i18n.language()
        self._say("\n".join(p.message.get(lang) for p in exc.problems), ok=False)

    def _say(self, text: str, *, ok: bool) -> None:
        self.outcome.setStyleSheet(DONE_STYLE if ok else ERROR_STYLE)
        self.outcome.setText(text)

    def show_report(self, report: ImportReport) -> None:
        from custmd_gui.domain.errors import Severity

        self._busy(False)
        lang = i18n.language()
        lines = [report.summary(lang, error_file=False)]
        if self._cancel.is_set():
            lines.append(tr_("cancelled"))
        if report.error_file is not None:
            lines.append(tr_("error_file").format(file=report.error_file))
        self._say("\n".join(lines), ok=not report.errors)
        self.table.setRowCount(len(report.problems))
        for i, p in enumerate(report.problems):
            error = p.severity is Severity.ERROR
            cell = f"{p.column}{p.row}" if p.row is not None else ""
            values = (
                p.sheet,
                cell,
                p.field_key,
                tr_("error" if error else "warning"),
                p.message.get(lang),
            )
            for j, value in enumerate(values):
                item = QTableWidgetItem(value)
                if j == 3:
                    item.setForeground(QBrush(QColor(ERROR_COLOR if error else WARNING_COLOR)))
                self.table.setItem(i, j, item)

    @Slot()
    def copy_selection(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        text = "\n".join(
            "\t".join(
                item.text() if (item := self.table.item(r, c)) else ""
                for c in range(self.table.columnCount())
            )
            for r in rows
        )
        QGuiApplication.clipboard().setText(text)


def open_import_dialog(parent: QWidget, factory: UowFactory, actor: Actor) -> ImportDialog:
    dialog = ImportDialog(factory, actor, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    bring_up(dialog)
    return dialog
