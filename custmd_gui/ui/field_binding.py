"""Binds the widgets of a Designer form to the field catalog by objectName (TABLE_FIELD).

The catalog is the single source of a field's label, tooltip, F1 help, length and value help;
the account group's field status decides whether a widget is hidden, read-only or marked
required. Grid tables (KNBK, KNVI, KNVP) are QTableWidgets named after their table, one
column per catalog field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from html import escape

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from custmd_gui.catalog import Catalog, FieldDef
from custmd_gui.domain.field_status import FieldStatus
from custmd_gui.ui.form_rows import form_row
from custmd_gui.ui.grid_enter import EnterMovesOn
from custmd_gui.ui.length_guard import guard_field
from custmd_gui.ui.qtutils import set_flag

Value = str | bool
Editor = QLineEdit | QCheckBox


def tooltip(fd: FieldDef, lang: str) -> str:
    keys = " · F4" if fd.value_help or fd.search_help else ""
    return f"<b>{escape(fd.label.get(lang))}</b> ({fd.key}{keys})<br>{escape(fd.help.get(lang))}"


class _LengthDelegate(QStyledItemDelegate):
    """Cell editors that refuse to go beyond the catalog length, as the line edits do."""

    def __init__(self, columns: list[FieldDef], parent: QTableWidget) -> None:
        super().__init__(parent)
        self.columns = columns
        # What a cell shows while not edited, from its row, column and value: the code with its
        # text (ui/code_texts.py). The item, and so the document, keeps the code alone.
        self.shown: Callable[[int, int, str], str] | None = None

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            fd = self.columns[index.column()]
            guard_field(editor, fd)
            editor.setObjectName(f"{fd.object_name}_editor")
        return editor

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if self.shown is not None and option.text:
            option.text = self.shown(index.row(), index.column(), option.text)


class GridBinding:
    """A table edited as rows of a grid; one empty row at the end takes the next entry."""

    def __init__(self, table: QTableWidget, columns: list[FieldDef]) -> None:
        self.table = table
        self.columns = columns
        self.read_only = False
        table.setColumnCount(len(columns))
        table.setItemDelegate(_LengthDelegate(columns, table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        table.setTabKeyNavigation(False)  # Tab leaves the grid as it leaves any field
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        metrics = table.fontMetrics()
        for i, fd in enumerate(columns):
            width = metrics.horizontalAdvance("M" * min(fd.length, 14)) + 24
            table.setColumnWidth(i, max(width, 90))
        table.itemChanged.connect(self._item_changed)
        self.set_rows([])
        EnterMovesOn(table)  # one Enter commits a cell and goes to the next (ui.grid_enter)

    def column(self, key: str) -> int:
        return next(i for i, fd in enumerate(self.columns) if fd.key == key)

    def show_text(self, shown: Callable[[int, int, str], str]) -> None:
        delegate = self.table.itemDelegate()
        if isinstance(delegate, _LengthDelegate):
            delegate.shown = shown

    def apply_texts(self, lang: str) -> None:
        header = self.table.horizontalHeader()
        metrics = header.fontMetrics()
        for i, fd in enumerate(self.columns):
            item = QTableWidgetItem(fd.label.get(lang))
            item.setToolTip(tooltip(fd, lang))
            self.table.setHorizontalHeaderItem(i, item)
            # A column is never narrower than its title (English titles are the longer ones).
            needed = metrics.horizontalAdvance(fd.label.get(lang)) + 28
            if self.table.columnWidth(i) < needed:
                self.table.setColumnWidth(i, needed)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers
            if read_only
            else QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self._ensure_empty_row()

    def rows(self) -> list[dict[str, str]]:
        """The filled rows as {field name: value}; empty rows are not rows."""
        out = []
        for r in range(self.table.rowCount()):
            values = {fd.name: self.cell(r, c) for c, fd in enumerate(self.columns)}
            if any(values.values()):
                out.append(values)
        return out

    def cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def set_cell(self, row: int, column: int, value: str) -> None:
        item = self.table.item(row, column)
        if item is None:
            self.table.setItem(row, column, QTableWidgetItem(value))
        else:
            item.setText(value)

    def set_rows(self, rows: Iterable[Mapping[str, str]]) -> None:
        table = self.table
        blocked = table.blockSignals(True)
        table.setRowCount(0)
        for values in rows:
            r = table.rowCount()
            table.insertRow(r)
            for c, fd in enumerate(self.columns):
                table.setItem(r, c, QTableWidgetItem(str(values.get(fd.name, ""))))
        table.blockSignals(blocked)
        self._ensure_empty_row()

    def _ensure_empty_row(self) -> None:
        table = self.table
        last = table.rowCount() - 1
        filled = last >= 0 and any(self.cell(last, c) for c in range(len(self.columns)))
        if not self.read_only and (last < 0 or filled):
            table.insertRow(table.rowCount())
        elif self.read_only and last >= 0 and not filled and table.rowCount() > 1:
            table.removeRow(last)

    @Slot(QTableWidgetItem)
    def _item_changed(self, _item: QTableWidgetItem) -> None:
        self._ensure_empty_row()


@dataclass
class ScreenBinding:
    """The catalog fields of one screen: their editors, labels and grids."""

    screen: str
    widget: QWidget
    editors: dict[str, Editor] = field(default_factory=dict)
    labels: dict[str, QLabel] = field(default_factory=dict)
    fields: dict[str, FieldDef] = field(default_factory=dict)
    grids: dict[str, GridBinding] = field(default_factory=dict)

    @classmethod
    def bind(cls, screen: str, widget: QWidget, cat: Catalog) -> ScreenBinding:
        binding = cls(screen, widget)
        for fd in cat:
            if cat.groups[fd.field_group].screen != screen and not (
                screen == "initial" and fd.field_group == "key"
            ):
                continue
            grid = widget.findChild(QTableWidget, fd.table)
            if grid is not None:
                if fd.table not in binding.grids:
                    binding.grids[fd.table] = GridBinding(grid, cat.table(fd.table))
                binding.fields[fd.key] = fd
                continue
            editor = widget.findChild(QWidget, fd.object_name)
            if editor is None:
                continue
            if not isinstance(editor, (QLineEdit, QCheckBox)):
                raise TypeError(f"{fd.object_name}: unsupported editor {type(editor).__name__}")
            binding.editors[fd.key] = editor
            binding.fields[fd.key] = fd
            label = widget.findChild(QLabel, f"label_{fd.object_name}")
            if label is not None:
                binding.labels[fd.key] = label
            if isinstance(editor, QLineEdit):
                guard_field(editor, fd)
        return binding

    # -- texts and status -------------------------------------------------------------------

    def apply_texts(self, lang: str, statuses: Mapping[str, FieldStatus] | None = None) -> None:
        for key, label in self.labels.items():
            fd = self.fields[key]
            text = escape(fd.label.get(lang))
            if statuses and statuses.get(key) is FieldStatus.REQUIRED:
                text += ' <span style="color:#c62828">*</span>'
            label.setText(text)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setToolTip(tooltip(fd, lang))
        for key, editor in self.editors.items():
            editor.setToolTip(tooltip(self.fields[key], lang))
            editor.setWhatsThis(self.fields[key].help.get(lang))
        for grid in self.grids.values():
            grid.apply_texts(lang)
        # The fields of every group box on the screen start at the same x: one label width.
        labels = list(self.labels.values())
        widest = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(widest)

    def apply_status(self, statuses: Mapping[str, FieldStatus]) -> None:
        """Hide suppressed fields, lock display fields, mark required ones."""
        for key, editor in self.editors.items():
            status = statuses.get(key, FieldStatus.OPTIONAL)
            hidden = status is FieldStatus.SUPPRESSED
            label = self.labels.get(key)
            self._set_row_visible(editor, label, not hidden)
            display = status is FieldStatus.DISPLAY
            if isinstance(editor, QLineEdit):
                editor.setReadOnly(display)
                # Tab passes display fields by, as in SAP; a click still selects to copy.
                editor.setFocusPolicy(
                    Qt.FocusPolicy.ClickFocus if display else Qt.FocusPolicy.StrongFocus
                )
            else:
                editor.setEnabled(not display)
            set_flag(editor, "required", status is FieldStatus.REQUIRED)
            set_flag(editor, "display", display)
        for grid in self.grids.values():
            table_statuses = [statuses.get(fd.key) for fd in grid.columns]
            hidden = all(s is FieldStatus.SUPPRESSED for s in table_statuses)
            box = grid.table.parentWidget()
            (box if box is not None and box is not self.widget else grid.table).setVisible(
                not hidden
            )
            grid.set_read_only(all(s is FieldStatus.DISPLAY for s in table_statuses))
            set_flag(
                grid.table,
                "required",
                any(s is FieldStatus.REQUIRED for s in table_statuses),
            )

        # A group box whose fields are all suppressed is not shown as an empty frame.
        for box in self.widget.findChildren(QGroupBox):
            inside: list[QWidget] = [e for e in self.editors.values() if box.isAncestorOf(e)]
            inside += [g.table for g in self.grids.values() if box.isAncestorOf(g.table)]
            if inside and all(w in self._hidden(statuses) for w in inside):
                box.setVisible(False)
            elif inside:
                box.setVisible(True)

    def _hidden(self, statuses: Mapping[str, FieldStatus]) -> list[QWidget]:
        hidden: list[QWidget] = [
            e
            for k, e in self.editors.items()
            if statuses.get(k, FieldStatus.OPTIONAL) is FieldStatus.SUPPRESSED
        ]
        hidden += [
            g.table
            for g in self.grids.values()
            if all(statuses.get(fd.key) is FieldStatus.SUPPRESSED for fd in g.columns)
        ]
        return hidden

    @staticmethod
    def _set_row_visible(editor: QWidget, label: QLabel | None, visible: bool) -> None:
        parent = editor.parentWidget()
        layout = parent.layout() if parent is not None else None
        if isinstance(layout, QFormLayout):
            layout.setRowVisible(form_row(layout, editor), visible)  # also beside its text
        else:
            editor.setVisible(visible)
            if label is not None:
                label.setVisible(visible)

    def is_hidden(self, key: str) -> bool:
        editor = self.editors.get(key)
        return editor is not None and editor.isHidden()

    # -- values -----------------------------------------------------------------------------

    def values(self) -> dict[str, Value]:
        out: dict[str, Value] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QCheckBox):
                out[key] = editor.isChecked()
            else:
                out[key] = editor.text().strip()
        return out

    def set_values(self, values: Mapping[str, Value]) -> None:
        for key, value in values.items():
            editor = self.editors.get(key)
            if isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QLineEdit):
                editor.setText(str(value))

    def clear(self) -> None:
        for editor in self.editors.values():
            if isinstance(editor, QCheckBox):
                editor.setChecked(False)
            else:
                editor.clear()
        for grid in self.grids.values():
            grid.set_rows([])

    def mark_errors(self, keys: set[str]) -> None:
        for key, editor in self.editors.items():
            set_flag(editor, "error", key in keys)
        for grid in self.grids.values():
            set_flag(grid.table, "error", any(fd.key in keys for fd in grid.columns))

    def widget_for(self, key: str) -> QWidget | None:
        if key in self.editors:
            return self.editors[key]
        table = key.split("-", 1)[0]
        grid = self.grids.get(table)
        return grid.table if grid is not None else None

    def field_of(self, widget: QWidget | None) -> FieldDef | None:
        """The catalog field a focused widget edits (also a grid's cell editor)."""
        while widget is not None:
            for key, editor in self.editors.items():
                if editor is widget:
                    return self.fields[key]
            for grid in self.grids.values():
                if grid.table is widget:
                    column = grid.table.currentColumn()
                    return grid.columns[column] if 0 <= column < len(grid.columns) else None
            widget = widget.parentWidget()
        return None

    def grid_of(self, widget: QWidget | None) -> GridBinding | None:
        while widget is not None:
            for grid in self.grids.values():
                if grid.table is widget:
                    return grid
            widget = widget.parentWidget()
        return None
