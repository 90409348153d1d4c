"""F4 value help: a list of codes with their texts, filtered as the user types, picked with Enter.

Two sources: a fixed list (a code list of the customizing, filtered in memory) or a search
callable (customers, searched in the database as the user types; their status column shows a
blocked or deleted customer before it is picked).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.listing import CustomerListRow
    from custmd_gui.services.ports import UowFactory


@dataclass(frozen=True, slots=True)
class HelpEntry:
    code: str
    text: str
    extra: str = ""  # a third column: the city of a customer, the parent of a code
    status: str = ""  # a fourth, of the customer search: blocked, marked for deletion


def customer_entries(rows: Iterable[CustomerListRow]) -> list[HelpEntry]:
    """The customer search's lines: number, name, city and whether it is blocked or deleted."""

    def status(row: CustomerListRow) -> str:
        parts = []
        if row.blocked:
            parts.append(QCoreApplication.translate("ValueHelpDialog", "Blocked"))
        elif row.partly_blocked:
            parts.append(QCoreApplication.translate("ValueHelpDialog", "Partly blocked"))
        if row.deletion_flag:
            parts.append(QCoreApplication.translate("ValueHelpDialog", "Marked for deletion"))
        elif row.partly_flagged:
            parts.append(
                QCoreApplication.translate("ValueHelpDialog", "Partly marked for deletion")
            )
        return QCoreApplication.translate("ValueHelpDialog", ", ").join(parts)

    return [HelpEntry(r.number, r.name, r.city, status(r)) for r in rows]


Search = Callable[[str], Sequence[HelpEntry]]


def customer_search(
    uow_factory: UowFactory, actor: Actor, *, flagged_only: bool = False
) -> Search:
    """The customer search of an F4 help: the customers `actor` may see (with `flagged_only`
    only those carrying the central deletion flag), 50 at a time."""

    def find(text: str) -> list[HelpEntry]:
        from custmd_gui.services.search import CustomerQuery, Either, search_customers

        query = CustomerQuery(text, deletion_flag=Either.YES if flagged_only else Either.ANY)
        rows = search_customers(uow_factory, query, limit=50, actor=actor).rows
        return customer_entries(rows)

    return find


class ValueHelpDialog(QDialog):
    """Shows `entries` (or what `search` finds) and returns the chosen code."""

    def __init__(
        self,
        title: str,
        entries: Sequence[HelpEntry] = (),
        *,
        current: str = "",
        search: Search | None = None,
        headers: tuple[str, str, str] | None = None,
        search_at_once: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """`search_at_once`: search before anything is typed (a short list of candidates,
        such as the customers flagged for deletion)."""
        super().__init__(parent)
        self.setObjectName("value_help")
        self.setWindowTitle(title)
        self._search = search
        self._chosen = ""
        self._chosen_text = ""
        code_h, text_h, extra_h = headers or (self.tr("Code"), self.tr("Description"), "")

        layout = QVBoxLayout(self)
        hint = QLabel(self.tr("&Search by code or text; Enter picks the selected line:"), self)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("f4_filter")
        self.filter.setClearButtonEnabled(True)
        hint.setBuddy(self.filter)
        layout.addWidget(hint)
        layout.addWidget(self.filter)

        self.model = QStandardItemModel(0, 4, self)
        self.model.setHorizontalHeaderLabels([code_h, text_h, extra_h, self.tr("Status")])
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.table = QTableView(self)
        self.table.setObjectName("f4_table")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rows = self.table.verticalHeader()
        rows.hide()
        # Compact rows: a long code list shows two dozen lines at once, not nine.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        if not extra_h:
            self.table.hideColumn(2)
        if search is None:
            self.table.hideColumn(3)
        self.table.doubleClicked.connect(self._pick)
        layout.addWidget(self.table, 1)

        self.count = QLabel(self)
        layout.addWidget(self.count)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self._run_search)
        self.filter.textChanged.connect(self._filter_changed)
        self.filter.installEventFilter(self)
        self.resize(560, 420)
        self.filter.setFocus(Qt.FocusReason.OtherFocusReason)

        if search is None:
            self._fill(entries)
        self._select_code(current)
        if search is not None and (current or search_at_once):
            self.filter.setText(current)
            self._timer.stop()  # setText started it: search once, now
            self._run_search()

    # -- data -------------------------------------------------------------------------------

    def _fill(self, entries: Sequence[HelpEntry]) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for e in entries:
            row = [QStandardItem(t) for t in (e.code, e.text, e.extra, e.status)]
            if e.status:  # a customer not to pick lightly
                for item in row:
                    item.setForeground(QBrush(QColor("#b00020")))
                    item.setToolTip(e.status)
            self.model.appendRow(row)
        self._update_count()

    def _update_count(self) -> None:
        self.count.setText(self.tr("%n entries", "", self.proxy.rowCount()))
        if self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _select_code(self, code: str) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data() == code:
                self.table.selectRow(row)
                self.table.scrollTo(self.proxy.index(row, 0))
                return
        if self.proxy.rowCount():
            self.table.selectRow(0)

    @Slot(str)
    def _filter_changed(self, text: str) -> None:
        if self._search is not None:
            self._timer.start()
            return
        self.proxy.setFilterFixedString(text.strip())
        self.table.clearSelection()
        self.table.setCurrentIndex(QModelIndex())
        self._update_count()

    @Slot()
    def _run_search(self) -> None:
        if self._search is None:
            return
        self._fill(self._search(self.filter.text().strip()))
        self.table.setCurrentIndex(QModelIndex())
        self._update_count()

    # -- picking ----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The filter keeps the focus; arrows move the selection, Enter picks.
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._move(key)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive():
                    self._timer.stop()
                    self._run_search()
                self._accept_selected()
                return True
        return super().eventFilter(watched, event)

    def _move(self, key: int) -> None:
        rows = self.proxy.rowCount()
        if not rows:
            return
        current = self.table.currentIndex().row()
        step = {
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_PageDown: 10,
            Qt.Key.Key_PageUp: -10,
        }[Qt.Key(key)]
        row = min(max(current + step, 0), rows - 1) if current >= 0 else 0
        self.table.selectRow(row)

    @Slot()
    def _accept_selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        self._pick(index)

    @Slot(QModelIndex)
    def _pick(self, index: QModelIndex | QPersistentModelIndex) -> None:
        self._chosen = str(self.proxy.index(index.row(), 0).data() or "")
        self._chosen_text = str(self.proxy.index(index.row(), 1).data() or "")
        if self._chosen:
            self.accept()

    def chosen(self) -> str:
        return self._chosen

    def chosen_text(self) -> str:
        """The text of the line picked: a code's description, a customer's name."""
        return self._chosen_text
