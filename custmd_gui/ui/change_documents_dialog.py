"""XD04: a customer's change documents — who changed which field when, from what to what.

A window of its own (not modal): the customer number with F4 search help, filters by field,
date range and activity, and the list newest first. A create (or extend) document is one line,
as in SAP; with a field chosen in the filter its items appear too, showing the first value.

Showing a customer reads all its change documents once, with the customizing their values
read in (the service's customer_history); the filters choose among them in memory and the
list is made a page at a time (change_documents_lines), rows and texts only for the lines
made, so a long history opens fast and a filter answers at once. Enter again reads again:
what others changed meanwhile.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.catalog import Text
from custmd_gui.domain.errors import DomainError
from custmd_gui.services.change_documents import (
    CustomerHistory,
    HistoryRecord,
    customer_history,
    filter_records,
)
from custmd_gui.ui import i18n
from custmd_gui.ui.change_documents_lines import COLUMN_KEYS, COLUMNS, ChangeDocumentsModel
from custmd_gui.ui.change_documents_table import DocumentsTable
from custmd_gui.ui.customer_field import CustomerNumberField
from custmd_gui.ui.open_date_edit import OpenDateEdit
from custmd_gui.ui.operations import customer_events
from custmd_gui.ui.styles import ERROR_STYLE
from custmd_gui.ui.value_help import HelpEntry
from custmd_gui.ui.window_layout import restore_geometry, save_geometry

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory


OBJECT_NAME = "change_documents"
# The tests read the table by these keys from here, where they always were.
__all__ = ["COLUMN_KEYS", "OBJECT_NAME", "ChangeDocumentsDialog", "open_change_documents"]


class ChangeDocumentsDialog(QDialog):
    """XD04 for one customer at a time; filters apply as soon as they change."""

    loaded = Signal(str)  # the customer number whose documents are listed

    def __init__(
        self, uow_factory: UowFactory, parent: QWidget | None = None, actor: Actor | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(OBJECT_NAME)
        customer_events().customers_changed.connect(self._customers_changed)
        # The logged-in user: a customer the user may not see is "not found" here too.
        self.actor = actor
        self.setWindowFlag(Qt.WindowType.Window)
        self.setSizeGripEnabled(True)
        self.factory = uow_factory
        self.number = ""  # the customer listed
        self.history: CustomerHistory | None = None  # the customer's documents, as read
        self.chosen: list[HistoryRecord] = []  # their items the filters choose
        self.fields: list[tuple[str, Text]] = []  # (key, label) of the field filter
        self.queried: tuple[object, ...] | None = None  # number and filters of the list shown
        self.fitted: tuple[str, str] | None = None  # customer and language the widths fit

        layout = QVBoxLayout(self)
        top = QGridLayout()
        top.setHorizontalSpacing(8)
        self.number_label = QLabel(self)
        # F4 lists the customers flagged for deletion too: their history is still here.
        self.customer_field = CustomerNumberField(self._search_customers, self)
        self.customer_field.chosen.connect(self._customer_chosen)
        self.number_edit = self.customer_field.edit
        self.name_label = self.customer_field.name_label
        self.number_label.setBuddy(self.number_edit)
        self.show_button = QPushButton(self)
        self.show_button.setObjectName("show_button")
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self._show_clicked)
        top.addWidget(self.number_label, 0, 0)
        top.addWidget(self.customer_field, 0, 1, 1, 8)

        self.field_label = QLabel(self)
        self.field_combo = QComboBox(self)
        self.field_combo.setObjectName("field_filter")
        self.field_combo.setEditable(True)
        self.field_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.field_combo.setMinimumContentsLength(22)
        self.field_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        completer = QCompleter(self.field_combo.model(), self.field_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.field_combo.setCompleter(completer)
        self.field_edit = self.field_combo.lineEdit()
        assert self.field_edit is not None
        self.field_edit.setObjectName("field_filter_text")
        self.field_label.setBuddy(self.field_combo)
        self.from_label = QLabel(self)
        self.date_from = OpenDateEdit(self)
        self.date_from.setObjectName("date_from")
        self.from_label.setBuddy(self.date_from)
        self.to_label = QLabel(self)
        self.date_to = OpenDateEdit(self)
        self.date_to.setObjectName("date_to")
        self.to_label.setBuddy(self.date_to)
        self.activity_label = QLabel(self)
        self.activity_combo = QComboBox(self)
        self.activity_combo.setObjectName("activity_filter")
        self.activity_label.setBuddy(self.activity_combo)
        top.addWidget(self.field_label, 1, 0)
        top.addWidget(self.field_combo, 1, 1)
        top.addWidget(self.from_label, 1, 2)
        top.addWidget(self.date_from, 1, 3)
        top.addWidget(self.to_label, 1, 4)
        top.addWidget(self.date_to, 1, 5)
        top.addWidget(self.activity_label, 1, 6)
        top.addWidget(self.activity_combo, 1, 7)
        top.addWidget(self.show_button, 1, 8)
        top.setColumnStretch(9, 1)
        layout.addLayout(top)

        self.model = ChangeDocumentsModel(self)
        self.table = DocumentsTable(self.model, self)
        self.table.setObjectName("documents")
        layout.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom.addWidget(self.status, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.close)
        for button in self.buttons.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter shows the documents, it never closes
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        copy = QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), self.table)
        copy.setContext(Qt.ShortcutContext.WidgetShortcut)
        copy.activated.connect(self.copy_selection)
        # Enter in the number field: the default button (Show).
        self.field_combo.currentIndexChanged.connect(self._filters_changed)
        self.field_edit.editingFinished.connect(self._field_typed)
        self.date_from.dateChanged.connect(self._filters_changed)
        self.date_to.dateChanged.connect(self._filters_changed)
        self.activity_combo.currentIndexChanged.connect(self._filters_changed)

        self.setTabOrder(self.number_edit, self.field_combo)
        self.setTabOrder(self.field_combo, self.date_from)
        self.setTabOrder(self.date_from, self.date_to)
        self.setTabOrder(self.date_to, self.activity_combo)
        self.setTabOrder(self.activity_combo, self.show_button)
        self.setTabOrder(self.show_button, self.table)

        self.retranslate()
        self._set_filters_enabled(False)
        self.resize(1280, 560)
        # As the clerk left it: size, place and the widths dragged (ui.window_layout).
        restore_geometry(self, OBJECT_NAME)
        self.table.kept.restore()
        self.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Customer change documents (XD04)"))
        self.number_label.setText(self.tr("&Customer:"))
        self.number_edit.setToolTip(self.tr("Customer number; F4 searches by name, city, …"))
        self.show_button.setText(self.tr("&Show"))
        self.field_label.setText(self.tr("&Field:"))
        self.field_combo.setToolTip(
            self.tr("Only this field; type part of its name or technical name")
        )
        self.from_label.setText(self.tr("F&rom:"))
        self.to_label.setText(self.tr("&To:"))
        date_tip = self.tr("Empty means no limit; Delete empties it, Alt+Down opens the calendar")
        for edit in (self.date_from, self.date_to):
            edit.setSpecialValueText(self.tr("any"))
            edit.setToolTip(date_tip)
        self.activity_label.setText(self.tr("&Activity:"))
        chosen = self.activity_combo.currentData()
        self.activity_combo.blockSignals(True)
        self.activity_combo.clear()
        for text, data in (
            (self.tr("All"), None),
            (self.tr("Create"), "create"),
            (self.tr("Extend"), "extend"),
            (self.tr("Change"), "change"),
        ):
            self.activity_combo.addItem(text, data)
        self.activity_combo.setCurrentIndex(max(self.activity_combo.findData(chosen), 0))
        self.activity_combo.blockSignals(False)
        self.table.setToolTip(self.tr("Ctrl+C copies the selected lines"))
        self._fill_field_combo()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self.table.fit_samples()
        self.fitted = None
        if self.number:
            self._show_rows()

    def changeEvent(self, event: QEvent) -> None:
        # The settings dialog installs the other language's translator: follow it.
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.isVisible():
            save_geometry(self, OBJECT_NAME)
            self.table.kept.save()
        if self.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose):
            # The window's Python side lives until the cycle collector finds it (its signal
            # connections hold it); the rows of a long history need not wait with it.
            self.history, self.chosen = None, []
            self.model.set_lines([])
        super().closeEvent(event)

    # -- loading -----------------------------------------------------------------------------

    def load(self, number: str) -> bool:
        """List the documents of customer `number`; False (and a message) if there is none."""
        number = number.strip()
        self.number_edit.setText(number)
        if not number:
            self._message(self.tr("Enter a customer number (F4 searches)"), error=True)
            return False
        lang = i18n.language()
        try:
            history = customer_history(self.factory, number, actor=self.actor)
        except DomainError as exc:
            self.number = ""
            self.queried = None
            self.history, self.chosen = None, []
            self.model.set_lines([])
            self.customer_field.set_name("")
            self._set_filters_enabled(False)
            self._message("; ".join(p.message.get(lang) for p in exc.problems), error=True)
            self.number_edit.selectAll()
            return False
        self.number = number
        self._take(history)
        self._set_filters_enabled(True)
        self.refresh(force=True)
        self.loaded.emit(number)
        return True

    @Slot(list)
    def _customers_changed(self, numbers: list[str]) -> None:
        """The customer listed was changed, blocked or flagged in some window: its new
        change documents appear, the filters as they are."""
        if self.number and self.number in numbers and self.isVisible():
            self.reread()

    def reread(self) -> None:
        """The customer listed read again (what others changed meanwhile), filters kept."""
        if not self.number:
            return
        try:
            history = customer_history(self.factory, self.number, actor=self.actor)
        except DomainError as exc:
            self.queried = None
            self.history, self.chosen = None, []
            self.model.set_lines([])
            lang = i18n.language()
            self._message("; ".join(p.message.get(lang) for p in exc.problems), error=True)
            return
        self._take(history)
        self.refresh(force=True)

    def _take(self, history: CustomerHistory) -> None:
        self.customer_field.set_name(history.name)
        self.history = history
        self.fields = history.fields
        self._fill_field_combo()

    def _fill_field_combo(self) -> None:
        chosen = self.field_combo.currentData()
        self.field_combo.blockSignals(True)
        self.field_combo.clear()
        self.field_combo.addItem(self.tr("All fields"), None)
        lang = i18n.language()
        for key, label in self.fields:
            self.field_combo.addItem(f"{label.get(lang)} ({key})", key)
        self.field_combo.setCurrentIndex(max(self.field_combo.findData(chosen), 0))
        self.field_combo.blockSignals(False)

    def filters(self) -> tuple[str | None, date | None, date | None, str | None]:
        """(field key, from, to, activity) as chosen; None where not limited."""
        field = self.field_combo.currentData()
        activity = self.activity_combo.currentData()
        return (
            str(field) if field else None,
            self.date_from.value(),
            self.date_to.value(),
            str(activity) if activity else None,
        )

    def refresh(self, *, force: bool = False) -> None:
        """The lines the filters as they are now choose (unless that list is shown already),
        from the documents read: a filter asks the database nothing."""
        if not self.number:
            return
        query = (self.number, *self.filters())
        if query == self.queried and not force:
            return
        self.queried = query
        field, date_from, date_to, activity = self.filters()
        self.chosen = filter_records(
            self.history.records if self.history is not None else [],
            field=field,
            date_from=date_from,
            date_to=date_to,
            activity=activity,
        )
        self._show_rows()

    def _show_rows(self) -> None:
        field = self.field_combo.currentData()
        lang = i18n.language()
        if self.history is None:
            documents = self.model.set_rows([], lang, summarize=True)
        else:
            documents = self.model.set_items(
                self.chosen, self.history.make_row, lang, summarize=not field
            )
        if documents and self.fitted != (self.number, lang):
            self.table.fit_contents()
            self.fitted = (self.number, lang)
        if documents:
            self.table.selectRow(0)
            self.table.scrollToTop()
            self._message(
                self.tr("%n change documents", "", documents)
                + self.tr(", ")
                + self.tr("%n lines", "", self.model.total)
            )
        else:
            self._message(self.tr("No change documents match the selection"))

    def _message(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "")

    def _set_filters_enabled(self, enabled: bool) -> None:
        for widget in (self.field_combo, self.date_from, self.date_to, self.activity_combo):
            widget.setEnabled(enabled)

    # -- slots -------------------------------------------------------------------------------

    @Slot()
    def _show_clicked(self) -> None:
        number = self.customer_field.number()
        if number == self.number and number:
            self.reread()  # Enter again: what others changed meanwhile
        elif self.load(number):
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _filters_changed(self) -> None:
        self.refresh()

    @Slot()
    def _field_typed(self) -> None:
        """What was typed into the field filter: a label, a technical name or a unique part
        of one picks that field; empty means all fields."""
        typed = self.field_combo.currentText().strip()
        current = self.field_combo.currentIndex()
        if current >= 0 and self.field_combo.itemText(current) == typed:
            index = current
        else:
            index = self._match_field(typed)
        if index < 0:
            self._message(self.tr("No field matches “{text}”").format(text=typed), error=True)
            return
        self.field_combo.setCurrentIndex(index)
        self.refresh()

    def _match_field(self, typed: str) -> int:
        if not typed:
            return 0
        folded = typed.casefold()
        lang = i18n.language()
        for i, (key, label) in enumerate(self.fields, start=1):
            if folded in (key.casefold(), label.get(lang).casefold()):
                return i
        for i, (key, _label) in enumerate(self.fields, start=1):
            if key.casefold().endswith("-" + folded):  # NAME1 for KNA1-NAME1
                return i
        hits = [
            i
            for i in range(self.field_combo.count())
            if folded in self.field_combo.itemText(i).casefold()
        ]
        return hits[0] if len(hits) == 1 else -1

    @Slot(str)
    def _customer_chosen(self, number: str) -> None:
        """F4 picked a customer: its documents at once."""
        self.load(number)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _search_customers(self, text: str) -> list[HelpEntry]:
        from custmd_gui.services.search import search_help

        rows = search_help(self.factory, text, 50, include_flagged=True, actor=self.actor)
        return [HelpEntry(r.number, r.name, r.city) for r in rows]

    @Slot()
    def copy_selection(self) -> None:
        """Ctrl+C: the selected lines, tab-separated."""
        rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        if not rows:
            return
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.model.as_text(rows))
        self._message(self.tr("%n lines copied", "", len(rows)))


def open_change_documents(
    parent: QWidget | None, uow_factory: UowFactory, number: str = "", actor: Actor | None = None
) -> ChangeDocumentsDialog:
    """XD04 for `number` (or for a number still to enter): the parent's window if it has one
    open already, else a new one. Returns the window, shown and in front."""
    dialog = None
    if parent is not None:
        dialog = parent.findChild(ChangeDocumentsDialog, OBJECT_NAME)
    if dialog is None or dialog.factory is not uow_factory or dialog.actor != actor:
        dialog = ChangeDocumentsDialog(uow_factory, parent, actor)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if number:
        dialog.load(number)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    if number and dialog.number == number:
        dialog.table.setFocus(Qt.FocusReason.OtherFocusReason)
    else:
        dialog.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)
    return dialog
