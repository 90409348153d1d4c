"""系统 → 业务使用记录: import an ERP usage extract (services.usage.import_usage) and look up
one customer's register (read_usage). Needs the permission import_usage.

The import page: the file (typed, or chosen with 浏览…), 只导入无误的行 and 导入. The report says
how many rows were read, imported and rejected and lists every problem with its line (the
header is line 1), column (letter and header as the file writes it), the value and what is
wrong, so that the clerk can correct the file from it (Ctrl+C copies the lines selected). While
any row has an error nothing is imported unless 只导入无误的行 is ticked; the dialog says so in
red. The wording is the CLI's (`custmd usage import`).

The register page: a customer number (Enter shows, F4 searches) and its entries per company
code and sales area.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.domain.errors import DomainError, Problem
from custmd_gui.ui import i18n
from custmd_gui.ui.customer_field import CustomerNumberField
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP
from custmd_gui.ui.qtutils import bring_up, error_label, file_row, push_button
from custmd_gui.ui.styles import (
    DONE_STYLE,
    ERROR_COLOR,
    ERROR_STYLE,
    HINT_STYLE,
    REFUSED_STYLE,
    WARNING_COLOR,
    WARNING_STYLE,
)
from custmd_gui.ui.value_help import customer_search

if TYPE_CHECKING:
    from custmd_gui.domain.usage import ExtractProblem, UsageEntry
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory
    from custmd_gui.services.usage import ImportReport


OBJECT_NAME = "usage_import"
CONTEXT = "UsageDialog"

TEXTS: dict[str, str] = {
    "title": QT_TRANSLATE_NOOP("UsageDialog", "Usage register - custmd"),
    "tab.import": QT_TRANSLATE_NOOP("UsageDialog", "Import an e&xtract"),
    "tab.register": QT_TRANSLATE_NOOP("UsageDialog", "&Register of a customer"),
    "file": QT_TRANSLATE_NOOP("UsageDialog", "&File:"),
    "file.placeholder": QT_TRANSLATE_NOOP("UsageDialog", "The extract's path (CSV or XLSX)"),
    "browse": QT_TRANSLATE_NOOP("UsageDialog", "&Browse…"),
    "browse.title": QT_TRANSLATE_NOOP("UsageDialog", "Choose the usage extract"),
    "browse.filter": QT_TRANSLATE_NOOP(
        "UsageDialog", "Extracts (*.csv *.xlsx);;CSV (*.csv);;Excel (*.xlsx);;All files (*)"
    ),
    "hint": QT_TRANSLATE_NOOP(
        "UsageDialog",
        "CSV in UTF-8 or XLSX (first sheet). The first line names the columns: KUNNR, "
        "BUKRS or VKORG, VTWEG and SPART, DOC_COUNT, LAST_DOC_DATE (or their Chinese names).",
    ),
    "accept": QT_TRANSLATE_NOOP("UsageDialog", "Import only the rows &without errors"),
    "accept.tip": QT_TRANSLATE_NOOP(
        "UsageDialog",
        "Without this, nothing is imported while any row has an error; with it, the rows "
        "without errors are imported and the others are listed",
    ),
    "import": QT_TRANSLATE_NOOP("UsageDialog", "&Import"),
    "close": QT_TRANSLATE_NOOP("UsageDialog", "Close"),
    "col.line": QT_TRANSLATE_NOOP("UsageDialog", "Line"),
    "col.column": QT_TRANSLATE_NOOP("UsageDialog", "Column"),
    "col.value": QT_TRANSLATE_NOOP("UsageDialog", "Value"),
    "col.severity": QT_TRANSLATE_NOOP("UsageDialog", "Type"),
    "col.message": QT_TRANSLATE_NOOP("UsageDialog", "Problem"),
    "whole_file": QT_TRANSLATE_NOOP("UsageDialog", "File"),
    "column": QT_TRANSLATE_NOOP("UsageDialog", "{letter} ({header})"),
    "error": QT_TRANSLATE_NOOP("UsageDialog", "Error"),
    "warning": QT_TRANSLATE_NOOP("UsageDialog", "Warning"),
    "summary": QT_TRANSLATE_NOOP(
        "UsageDialog", "{source}: {read} rows read, {imported} imported, {rejected} rejected"
    ),
    "empty": QT_TRANSLATE_NOOP("UsageDialog", "The file holds no rows; nothing was imported."),
    "nothing.rows": QT_TRANSLATE_NOOP(
        "UsageDialog",
        "Nothing was imported. Correct the rows and import again, or tick “Import only the "
        "rows without errors”.",
    ),
    "nothing.file": QT_TRANSLATE_NOOP(
        "UsageDialog", "Nothing was imported. Correct the file and import it again."
    ),
    "partly": QT_TRANSLATE_NOOP(
        "UsageDialog",
        "The rows without errors were imported; the rows listed with errors were not.",
    ),
    "done": QT_TRANSLATE_NOOP("UsageDialog", "Every row was imported."),
    "done.warnings": QT_TRANSLATE_NOOP(
        "UsageDialog", "Every row was imported; see the warnings below."
    ),
    "no_file": QT_TRANSLATE_NOOP("UsageDialog", "Choose the file to import"),
    "missing": QT_TRANSLATE_NOOP("UsageDialog", "No such file: {path}"),
    "unreadable": QT_TRANSLATE_NOOP("UsageDialog", "Cannot read the file: {error}"),
    "field_message": QT_TRANSLATE_NOOP("UsageDialog", "{field}: {message}"),
    "customer": QT_TRANSLATE_NOOP("UsageDialog", "&Customer:"),
    "customer.tip": QT_TRANSLATE_NOOP(
        "UsageDialog", "Customer number; Enter shows its register, F4 searches by name, city, …"
    ),
    "search": QT_TRANSLATE_NOOP("UsageDialog", "Search for a customer (F4)"),
    "show": QT_TRANSLATE_NOOP("UsageDialog", "&Show"),
    "col.kind": QT_TRANSLATE_NOOP("UsageDialog", "Org unit"),
    "col.unit": QT_TRANSLATE_NOOP("UsageDialog", "Code"),
    "col.count": QT_TRANSLATE_NOOP("UsageDialog", "Documents"),
    "col.last": QT_TRANSLATE_NOOP("UsageDialog", "Last document"),
    "col.imported_at": QT_TRANSLATE_NOOP("UsageDialog", "Imported at"),
    "col.source": QT_TRANSLATE_NOOP("UsageDialog", "File"),
    "company_code": QT_TRANSLATE_NOOP("UsageDialog", "Company code"),
    "sales_area": QT_TRANSLATE_NOOP("UsageDialog", "Sales area"),
    "no_number": QT_TRANSLATE_NOOP("UsageDialog", "Enter a customer number (F4 searches)"),
    "no_business": QT_TRANSLATE_NOOP("UsageDialog", "No business registered for customer {number}"),
    "no_business_tip": QT_TRANSLATE_NOOP(
        "UsageDialog",
        "Customer {number}: no documents registered; it counts as unused",
    ),
}


def tr_(key: str) -> str:
    return QCoreApplication.translate(CONTEXT, TEXTS[key])


def field_name(key: str) -> str:
    return i18n.field_name(tr_(key))


def _table(parent: QWidget, name: str, columns: int) -> QTableWidget:
    table = QTableWidget(0, columns, parent)
    table.setObjectName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setHighlightSections(False)
    for column in range(columns - 1):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(columns - 1, QHeaderView.ResizeMode.Stretch)
    copy = QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), table)
    copy.setContext(Qt.ShortcutContext.WidgetShortcut)
    copy.activated.connect(lambda: copy_rows(table))
    return table


def copy_rows(table: QTableWidget) -> str:
    """The selected lines (all when none is selected), tab-separated, onto the clipboard."""
    rows = sorted({index.row() for index in table.selectedIndexes()}) or range(table.rowCount())
    lines = []
    for row in rows:
        cells = [table.item(row, column) for column in range(table.columnCount())]
        lines.append("\t".join(cell.text() if cell is not None else "" for cell in cells))
    text = "\n".join(lines)
    QGuiApplication.clipboard().setText(text)
    return text


def problem_lines(problems: Sequence[Problem]) -> str:
    """A service's refusal (no right, no such customer), one line per problem; the messages
    name the user or the customer themselves."""
    lang = i18n.language()
    return "\n".join(p.message.get(lang) for p in problems)


class UsageDialog(QDialog):
    """The usage register: import an extract, look up a customer's entries."""

    imported = Signal(str)  # the summary line of an import that wrote rows

    def __init__(
        self, uow_factory: UowFactory, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(OBJECT_NAME)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setSizeGripEnabled(True)
        self.factory = uow_factory
        self.actor = actor
        self.report: ImportReport | None = None
        self.report_accepted_good_rows = False  # the box as it was for that import
        self.entries: list[UsageEntry] = []
        self.shown_number = ""

        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("usage_tabs")
        layout.addWidget(self.tabs, 1)
        self._build_import_page()
        self._build_register_page()

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.close_button = push_button(self, "close_button", self.close)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)

        self.retranslate()
        self.resize(860, 540)
        self.file_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- construction ------------------------------------------------------------------------

    def _build_import_page(self) -> None:
        page = QWidget(self)
        page.setObjectName("import_page")
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        self.file_label, self.file_edit, self.browse_button = file_row(
            page, "usage_file", self.browse
        )
        self.file_edit.returnPressed.connect(self.run_import)
        row.addWidget(self.file_label)
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.browse_button)
        layout.addLayout(row)
        self.hint = QLabel(page)
        self.hint.setObjectName("usage_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        layout.addWidget(self.hint)
        row = QHBoxLayout()
        self.accept_box = QCheckBox(page)
        self.accept_box.setObjectName("accept_good_rows")
        self.import_button = push_button(page, "import_button", self.run_import)
        row.addWidget(self.accept_box)
        row.addStretch(1)
        row.addWidget(self.import_button)
        layout.addLayout(row)
        # Refusals of the form (no file, unreadable, no right) under it, naming the field.
        self.error = error_label(page, "usage_error")
        layout.addWidget(self.error)
        self.summary = QLabel(page)
        self.summary.setObjectName("usage_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.verdict = QLabel(page)
        self.verdict.setObjectName("usage_verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.verdict)
        self.problems = _table(page, "problems_table", 5)
        layout.addWidget(self.problems, 1)
        self.tabs.addTab(page, "")
        self.import_page = page
        for first, second in itertools.pairwise(
            [self.file_edit, self.browse_button, self.accept_box, self.import_button, self.problems]
        ):
            QWidget.setTabOrder(first, second)

    def _build_register_page(self) -> None:
        page = QWidget(self)
        page.setObjectName("register_page")
        layout = QVBoxLayout(page)
        row = QGridLayout()
        self.number_label = QLabel(page)
        self.customer_field = CustomerNumberField(
            customer_search(self.factory, self.actor), page, show_name=False
        )
        self.customer_field.chosen.connect(self.show_register)
        self.customer_field.confirmed.connect(self.show_register)
        self.number_edit = self.customer_field.edit
        self.number_label.setBuddy(self.number_edit)
        self.show_button = push_button(page, "show_button", self.show_register)
        row.addWidget(self.number_label, 0, 0)
        row.addWidget(self.customer_field, 0, 1)
        row.addWidget(self.show_button, 0, 2)
        row.setColumnStretch(3, 1)
        layout.addLayout(row)
        self.register_message = QLabel(page)
        self.register_message.setObjectName("register_message")
        self.register_message.setWordWrap(True)
        self.register_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.register_message)
        self.register_table = _table(page, "register_table", 6)
        layout.addWidget(self.register_table, 1)
        self.tabs.addTab(page, "")
        self.register_page = page
        for first, second in itertools.pairwise(
            [self.number_edit, self.show_button, self.register_table]
        ):
            QWidget.setTabOrder(first, second)

    # -- texts -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(tr_("title"))
        self.tabs.setTabText(0, tr_("tab.import"))
        self.tabs.setTabText(1, tr_("tab.register"))
        self.file_label.setText(tr_("file"))
        self.file_edit.setPlaceholderText(tr_("file.placeholder"))
        self.browse_button.setText(tr_("browse"))
        self.hint.setText(tr_("hint"))
        self.accept_box.setText(tr_("accept"))
        self.accept_box.setToolTip(tr_("accept.tip"))
        self.import_button.setText(tr_("import"))
        self.close_button.setText(tr_("close"))
        self.problems.setHorizontalHeaderLabels(
            [tr_(k) for k in ("col.line", "col.column", "col.value", "col.severity", "col.message")]
        )
        self.number_label.setText(tr_("customer"))
        self.number_edit.setToolTip(tr_("customer.tip"))
        self.customer_field.set_help_texts(title=tr_("search"), tip=tr_("search"))
        self.show_button.setText(tr_("show"))
        self.register_table.setHorizontalHeaderLabels(
            [
                tr_(k)
                for k in (
                    "col.kind",
                    "col.unit",
                    "col.count",
                    "col.last",
                    "col.imported_at",
                    "col.source",
                )
            ]
        )
        if self.report is not None:
            self._show_report(self.report)
        if self.shown_number:
            self._show_entries(self.shown_number, self.entries)

    def changeEvent(self, event: QEvent) -> None:
        # The settings dialog installs the other language's translator: follow it.
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- importing ---------------------------------------------------------------------------

    @Slot()
    def browse(self) -> None:
        current = Path(self.file_edit.text().strip()).expanduser()
        start = str(current if current.parent.is_dir() and str(current) != "." else Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, tr_("browse.title"), start, tr_("browse.filter")
        )
        self.activateWindow()
        if path:
            self.file_edit.setText(path)
            self.import_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _refuse(self, message: str, *, field: str = "file") -> None:
        """A refusal of the form: under it, naming the field; what was typed stays."""
        text = tr_("field_message").format(field=field_name(field), message=message)
        self.error.setText(text)
        self.error.show()
        self.file_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _clear_report(self) -> None:
        self.report = None
        self.error.hide()
        self.summary.clear()
        self.verdict.clear()
        self.problems.setRowCount(0)

    @Slot()
    def run_import(self) -> None:
        """Import the file; the report (or why not) below. Nothing is kept from an earlier
        import's report."""
        from custmd_gui.services.usage import import_usage
        from custmd_gui.ui.operations import Operation

        self._clear_report()
        typed = self.file_edit.text().strip()
        if not typed:
            self._refuse(tr_("no_file"))
            return
        path = Path(typed).expanduser()
        if not path.is_file():
            self._refuse(tr_("missing").format(path=typed))
            return
        accept_good_rows = self.accept_box.isChecked()

        def work() -> ImportReport | OSError:
            try:
                return import_usage(
                    self.factory, path, self.actor, accept_good_rows=accept_good_rows
                )
            except OSError as exc:  # the file went or cannot be read: said, not a crash
                return exc

        # In a worker thread (ui.operations): a big extract takes a while to check.
        Operation(self, work).on_success(
            lambda outcome: self._imported(outcome, accept_good_rows)
        ).on_failure(self._import_refused).run()

    def _imported(self, outcome: ImportReport | OSError, accept_good_rows: bool) -> None:
        if isinstance(outcome, OSError):
            self._refuse(tr_("unreadable").format(error=outcome.strerror or outcome))
            return
        report = outcome
        self.report_accepted_good_rows = accept_good_rows
        self._show_report(report)
        if report.imported:
            self.imported.emit(self.summary.text())
        if report.problems:
            self.problems.setFocus(Qt.FocusReason.OtherFocusReason)
            self.problems.selectRow(0)

    def _import_refused(self, exc: DomainError) -> None:  # the right to import
        self.error.setText(problem_lines(exc.problems))
        self.error.show()

    def _show_report(self, report: ImportReport) -> None:
        self.report = report
        self.summary.setText(
            tr_("summary").format(
                source=report.source,
                read=report.rows_read,
                imported=report.imported,
                rejected=report.rejected,
            )
        )
        if report.refused:
            # As the CLI: ticking the box helps only when some rows are right.
            rows_fixable = report.rows_read > report.rejected and not self.report_accepted_good_rows
            self.verdict.setText(tr_("nothing.rows" if rows_fixable else "nothing.file"))
            self.verdict.setStyleSheet(REFUSED_STYLE)
        elif report.rejected:
            self.verdict.setText(tr_("partly"))
            self.verdict.setStyleSheet(WARNING_STYLE)
        elif report.imported:
            self.verdict.setText(tr_("done.warnings" if report.problems else "done"))
            self.verdict.setStyleSheet(DONE_STYLE)
        else:  # a header without rows
            self.verdict.setText(tr_("empty"))
            self.verdict.setStyleSheet(REFUSED_STYLE)
        self._fill_problems(report.problems)

    def _fill_problems(self, problems: Sequence[ExtractProblem]) -> None:
        lang = i18n.language()
        table = self.problems
        table.setRowCount(len(problems))
        for row, p in enumerate(problems):
            if p.letter and p.column:
                column = tr_("column").format(letter=p.letter, header=p.column)
            else:
                column = p.letter
            color = QBrush(QColor(ERROR_COLOR if p.is_error else WARNING_COLOR))
            values = (
                str(p.line) if p.line is not None else tr_("whole_file"),
                column,
                p.value,
                tr_("error" if p.is_error else "warning"),
                p.message.get(lang),
            )
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(p.text(lang))
                if col == 3:
                    item.setForeground(color)
                table.setItem(row, col, item)
        table.resizeRowsToContents()

    # -- the register ------------------------------------------------------------------------

    @Slot()
    def show_register(self) -> None:
        from custmd_gui.services.usage import read_usage

        number = self.customer_field.number()
        self.shown_number = ""
        self.entries = []
        self.register_table.setRowCount(0)
        if not number:
            self._register_error(
                tr_("field_message").format(field=field_name("customer"), message=tr_("no_number"))
            )
            return
        try:
            entries = read_usage(self.factory, number, self.actor)
        except DomainError as exc:
            self._register_error(problem_lines(exc.problems))
            self.number_edit.selectAll()
            return
        self.shown_number, self.entries = number, entries
        self._show_entries(number, entries)

    def _register_error(self, text: str) -> None:
        self.register_message.setText(text)
        self.register_message.setStyleSheet(ERROR_STYLE)
        self.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_entries(self, number: str, entries: Sequence[UsageEntry]) -> None:
        from custmd_gui.domain.usage import OrgKind

        used = [e for e in entries if e.has_business]
        if not entries:
            self.register_message.setText(tr_("no_business").format(number=number))
        elif not used:
            self.register_message.setText(tr_("no_business_tip").format(number=number))
        else:
            text = self.tr("Customer {number}: business in %n org unit(s)", "", len(used))
            self.register_message.setText(text.format(number=number))
        self.register_message.setStyleSheet("")
        table = self.register_table
        table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            kind = "company_code" if e.org_kind is OrgKind.COMPANY_CODE else "sales_area"
            imported_at = f"{e.imported_at.astimezone():%Y-%m-%d %H:%M}" if e.imported_at else ""
            values = (
                tr_(kind),
                e.org_unit,
                str(e.doc_count),
                e.last_doc_date.isoformat() if e.last_doc_date else "",
                imported_at,
                e.source,
            )
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                if col == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(row, col, item)
        table.resizeRowsToContents()


def open_usage_dialog(
    parent: QWidget | None,
    uow_factory: UowFactory,
    actor: Actor,
    *,
    on_imported: Callable[[str], None] | None = None,
) -> UsageDialog:
    """The usage register window (one per main window; `on_imported` connected to a new
    one's `imported`), the focus in the file field."""
    dialog = parent.findChild(UsageDialog, OBJECT_NAME) if parent is not None else None
    if dialog is None or dialog.factory is not uow_factory or dialog.actor != actor:
        dialog = UsageDialog(uow_factory, actor, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if on_imported is not None:
            dialog.imported.connect(on_imported)
    bring_up(dialog)
    dialog.tabs.setCurrentIndex(0)
    dialog.file_edit.setFocus(Qt.FocusReason.OtherFocusReason)
    return dialog
