"""An editable grid of customizing entries: text, check-box and choice columns, the key
column fixed once stored, and which rows the user changed (what 保存 sends)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)


@dataclass(frozen=True)
class Column:
    title: Callable[[], str]  # translated when the window is (re)translated
    kind: str = "text"  # text, check, choice, fixed (never editable)
    # choice: (stored value, shown text) pairs, texts translated when shown
    choices: Callable[[], Sequence[tuple[str, str]]] = field(default=lambda: ())
    width: int = 0


class EditTable(QTableWidget):
    def __init__(self, name: str, columns: Sequence[Column], parent: QWidget | None = None) -> None:
        super().__init__(0, len(columns), parent)
        self.setObjectName(name)
        self.columns = list(columns)
        self.changed: set[int] = set()
        self.stored_rows = 0  # rows read from the database; rows below are new
        self._loading = False
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.itemChanged.connect(self._item_changed)
        for i, column in enumerate(self.columns):
            if column.width:
                self.setColumnWidth(i, column.width)
        self.retranslate()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([c.title() for c in self.columns])
        for row in range(self.rowCount()):
            for col, column in enumerate(self.columns):
                combo = self.cellWidget(row, col)
                if isinstance(combo, QComboBox):
                    for i, (_value, text) in enumerate(column.choices()):
                        combo.setItemText(i, text)

    def load(self, rows: Sequence[Sequence[object]]) -> None:
        """Show stored entries (a value per column: str, or bool for a check column)."""
        self._loading = True
        try:
            self.setRowCount(0)
            for values in rows:
                self._append(values, stored=True)
            self.stored_rows = len(rows)
            self.changed.clear()
        finally:
            self._loading = False
        self.horizontalHeader().resizeSections(QHeaderView.ResizeMode.ResizeToContents)

    def add_row(self, values: Sequence[object] | None = None) -> int:
        """A new entry at the end, its first cell being edited."""
        self._loading = True
        try:
            # A new entry starts active (ticked), everything else empty.
            blank = [c.kind == "check" or "" for c in self.columns]
            row = self._append(values or blank, stored=False)
        finally:
            self._loading = False
        self.changed.add(row)
        self.setCurrentCell(row, 0)
        first = self.item(row, 0)
        if first is not None:
            self.editItem(first)
        return row

    def _append(self, values: Sequence[object], *, stored: bool) -> int:
        row = self.rowCount()
        self.insertRow(row)
        for col, (column, value) in enumerate(zip(self.columns, values, strict=True)):
            item = QTableWidgetItem()
            flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
            fixed = column.kind == "fixed" or (stored and col == 0)
            if column.kind == "check":
                item.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
            else:
                item.setText(str(value))
                item.setFlags(flags if fixed else flags | Qt.ItemFlag.ItemIsEditable)
            self.setItem(row, col, item)
            if column.kind == "choice":
                combo = QComboBox(self)
                combo.setObjectName(f"{self.objectName()}_{row}_{col}")
                for choice, text in column.choices():
                    combo.addItem(text, choice)
                combo.setCurrentIndex(max(0, combo.findData(str(value))))
                combo.currentIndexChanged.connect(lambda _i, r=row: self._mark(r))
                self.setCellWidget(row, col, combo)
        return row

    def value(self, row: int, col: int) -> str:
        combo = self.cellWidget(row, col)
        if isinstance(combo, QComboBox):
            return str(combo.currentData())
        item = self.item(row, col)
        return item.text().strip() if item is not None else ""

    def checked(self, row: int, col: int) -> bool:
        item = self.item(row, col)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    def set_value(self, row: int, col: int, value: str) -> None:
        combo = self.cellWidget(row, col)
        if isinstance(combo, QComboBox):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        elif (item := self.item(row, col)) is not None:
            item.setText(value)

    def changed_rows(self) -> list[int]:
        return sorted(self.changed)

    @Slot(QTableWidgetItem)
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if not self._loading:
            self._mark(item.row())

    def _mark(self, row: int) -> None:
        if not self._loading:
            self.changed.add(row)
