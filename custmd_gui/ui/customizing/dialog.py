"""系统 → 定制: the administrator's customizing window (code lists, account groups, number
ranges, field status, change documents). The services refuse everyone else, the server too."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.domain.errors import DomainError
from custmd_gui.services import customizing_maintenance as maintenance
from custmd_gui.ui.customizing.pages import AccountGroupsPage, CodeListsPage, NumberRangesPage, Page
from custmd_gui.ui.customizing.status_page import FieldStatusPage
from custmd_gui.ui.customizing.texts import problem_lines, tr_
from custmd_gui.ui.customizing.transport import Transport
from custmd_gui.ui.qtutils import bring_up, push_button

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory

OBJECT_NAME = "customizing_dialog"
CHANGE_TABLES = ("cust_value", "cust_list", "cust_ktokd", "cust_field_status", "nriv")
CHANGE_COLUMNS = ("time", "user", "table", "key", "field", "indicator", "old", "new")


class ChangesPage(QWidget):
    """更改凭证: who changed which customizing entry when, old and new value, newest first."""

    def __init__(self, factory: UowFactory, actor: Actor, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("customizing_changes_page")
        self.factory, self.actor = factory, actor
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.table_label = QLabel(self)
        self.table_filter = QComboBox(self)
        self.table_filter.setObjectName("customizing_changes_table")
        self.table_label.setBuddy(self.table_filter)
        self.key_label = QLabel(self)
        self.key_filter = QLineEdit(self)
        self.key_filter.setObjectName("customizing_changes_key")
        self.key_filter.setMinimumWidth(260)
        self.key_label.setBuddy(self.key_filter)
        for widget in (self.table_label, self.table_filter, self.key_label, self.key_filter):
            filters.addWidget(widget)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.table_filter.activated.connect(self.reload)
        self.key_filter.returnPressed.connect(self.reload)
        self.table = QTableWidget(0, len(CHANGE_COLUMNS), self)
        self.table.setObjectName("customizing_changes")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("customizing_changes_refresh")
        self.refresh_button.clicked.connect(self.reload)
        row = QHBoxLayout()
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        layout.addLayout(row)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([tr_(f"col.{c}") for c in CHANGE_COLUMNS])
        self.refresh_button.setText(tr_("refresh"))
        self.table_label.setText(tr_("changes.table"))
        self.key_label.setText(tr_("changes.key"))
        self.key_filter.setPlaceholderText(tr_("changes.key_hint"))
        keep = self.table_filter.currentData()
        self.table_filter.clear()
        self.table_filter.addItem(tr_("changes.all"), "")
        for table in CHANGE_TABLES:
            self.table_filter.addItem(f"{tr_(f'table.{table}')} ({table})", table)
        self.table_filter.setCurrentIndex(max(0, self.table_filter.findData(keep)))

    def show_for(self, table: str, key: str) -> None:
        """The documents of one table and key (prefix), newest first."""
        self.table_filter.setCurrentIndex(max(0, self.table_filter.findData(table)))
        self.key_filter.setText(key)
        self.reload()

    @Slot()
    def reload(self) -> None:
        lines = maintenance.customizing_changes(
            self.factory,
            self.actor,
            self.table_filter.currentData() or None,
            self.key_filter.text().strip() or None,
        )
        self.table.setRowCount(len(lines))
        for r, line in enumerate(lines):
            values = (
                line.changed_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                line.username,
                line.table,
                line.key,
                line.field,
                tr_(f"ind.{line.indicator}"),
                line.old or "",
                line.new or "",
            )
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def rows(self) -> list[list[str]]:
        return [
            [
                item.text() if (item := self.table.item(r, c)) is not None else ""
                for c in range(self.table.columnCount())
            ]
            for r in range(self.table.rowCount())
        ]


class CustomizingDialog(QDialog):
    def __init__(
        self,
        factory: UowFactory,
        actor: Actor,
        parent: QWidget | None = None,
        on_changed: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(OBJECT_NAME)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setSizeGripEnabled(True)
        self.factory, self.actor = factory, actor
        self.on_changed = on_changed
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("customizing_tabs")
        self.code_lists = CodeListsPage(factory, actor, self)
        self.account_groups = AccountGroupsPage(factory, actor, self)
        self.number_ranges = NumberRangesPage(factory, actor, self)
        self.field_status = FieldStatusPage(factory, actor, self)
        self.changes = ChangesPage(factory, actor, self)
        self.pages: list[Page] = [
            self.code_lists,
            self.account_groups,
            self.number_ranges,
            self.field_status,
        ]
        for page in (*self.pages, self.changes):
            self.tabs.addTab(page, "")
        layout.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setObjectName("customizing_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom.addWidget(self.status, 1)
        self.transport = Transport(self, factory, actor, self.status.setText, self._saved)
        self.history_button = push_button(self, "customizing_history", self.show_history)
        self.export_button = push_button(self, "customizing_export", self._export)
        self.import_button = push_button(self, "customizing_import", self.transport.ask_import)
        self.close_button = push_button(self, "close_button", self.close)
        for button in (self.history_button, self.export_button, self.import_button):
            bottom.addWidget(button)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)
        for page in self.pages:
            page.said.connect(self.status.setText)
            page.saved.connect(self._saved)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.retranslate()
        self.resize(1100, 660)

    def retranslate(self) -> None:
        self.setWindowTitle(tr_("title"))
        for i, key in enumerate(("lists", "groups", "ranges", "status", "changes")):
            self.tabs.setTabText(i, tr_(f"tab.{key}"))
        self.close_button.setText(tr_("close"))
        self.history_button.setText(tr_("history"))
        self.history_button.setToolTip(tr_("history_hint"))
        self.export_button.setText(tr_("export"))
        self.export_button.setToolTip(tr_("export_hint"))
        self.import_button.setText(tr_("import"))
        for page in self.pages:
            page.retranslate()
        self.changes.retranslate()

    def reload(self) -> None:
        try:
            customizing, levels = maintenance.read_for_maintenance(self.factory, self.actor)
        except DomainError as exc:
            self.status.setText(problem_lines(exc.problems))
            return
        for page in self.pages:
            page.show_data(customizing, levels)
        if self.tabs.currentWidget() is self.changes:
            self.changes.reload()

    @Slot()
    def _saved(self) -> None:
        """Every page shows the new state (a new range is a choice of the account groups),
        and the main window's new screens use it at once."""
        self.reload()
        if self.on_changed is not None:
            self.on_changed()

    @Slot()
    def show_history(self) -> None:
        """The change documents of the entry chosen on the current page (of the page's
        table when none is chosen)."""
        page = self.tabs.currentWidget()
        table, key = page.history_key() if isinstance(page, Page) else ("", "")
        self.tabs.setCurrentWidget(self.changes)
        try:
            self.changes.show_for(table, key)
        except DomainError as exc:
            self.status.setText(problem_lines(exc.problems))

    @Slot()
    def _export(self) -> None:
        on_lists = self.tabs.currentWidget() is self.code_lists
        self.transport.ask_export(self.code_lists.list_id if on_lists else "")

    @Slot(int)
    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.changes:
            try:
                self.changes.reload()
            except DomainError as exc:
                self.status.setText(problem_lines(exc.problems))


def open_customizing_dialog(
    parent: QWidget | None,
    factory: UowFactory,
    actor: Actor,
    on_changed: Callable[[], object] | None = None,
) -> CustomizingDialog:
    """The customizing window (one per main window)."""
    dialog = parent.findChild(CustomizingDialog, OBJECT_NAME) if parent is not None else None
    if dialog is None or dialog.factory is not factory or dialog.actor != actor:
        dialog = CustomizingDialog(factory, actor, parent, on_changed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.reload()
    bring_up(dialog)
    return dialog
