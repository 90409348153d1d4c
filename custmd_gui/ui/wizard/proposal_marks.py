"""How the wizard window shows proposals (custmd_gui.wizard.proposals): the fields that still
hold a proposal the clerk has not touched are italic and blue, with a tooltip saying so; what
is derived while typing (region and city from the postal code, ...) is put into the fields.

The rules are the session's; this module only hands it what was typed and shows the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QLineEdit, QTableWidgetItem

from custmd_gui.ui import i18n
from custmd_gui.ui.field_binding import GridBinding, ScreenBinding, tooltip
from custmd_gui.ui.qtutils import set_flag
from custmd_gui.wizard.proposals import Cell, Changes, WizardProposals

if TYPE_CHECKING:
    from custmd_gui.ui.wizard.shell import WizardShell

# The window's style sheet takes these rules when it is made (WizardShell's `style`).
STYLE = """
QLineEdit[proposed="true"] { font-style: italic; color: #1a5fb4; }
"""
_PROPOSED_COLOR = QColor("#1a5fb4")


def proposed_note() -> str:
    return QCoreApplication.translate("ProposalMarks", "Proposed value: type over it to change it")


class ProposalMarks(QObject):
    """Watches the window's fields for typing and marks the proposed ones."""

    def __init__(self, window: WizardShell) -> None:
        super().__init__(window)
        self.window = window
        self._watched: set[str] = set()
        self._busy = False  # putting derived values in: not the clerk's typing
        # Undo and redo put values back without typing: what derives from them follows.
        window.history.stack.indexChanged.connect(self._replayed)

    @property
    def proposals(self) -> WizardProposals:
        return self.window.session.proposals

    # -- watching ---------------------------------------------------------------------------

    def _watch(self) -> None:
        for screen, binding in self.window.bindings.items():
            if screen in self._watched:
                continue
            self._watched.add(screen)
            for key, editor in binding.editors.items():
                if not isinstance(editor, QLineEdit):
                    continue
                if screen == "initial":
                    editor.textEdited.connect(lambda _t, k=key: self._initial_typed(k))
                else:
                    editor.textEdited.connect(lambda _t, k=key: self._typed(k))
            for table, grid in binding.grids.items():
                grid.table.itemChanged.connect(
                    lambda item, t=table, g=grid: self._cell_typed(t, g, item)
                )

    # -- the initial screen -----------------------------------------------------------------

    def initial_shown(self) -> None:
        """The initial screen (again): propose the user's company code, sales area and, with
        an externally numbered account group, the next free number."""
        self._watch()
        values = self.window.screens.initial_values()
        changes = self.proposals.initial_values(values, stored=self.window.stored)
        if changes:
            self.window.screens.set_initial(changes)
        self.refresh()

    def _initial_typed(self, key: str) -> None:
        self.proposals.initial_touched(key)
        if key in ("KNA1-KTOKD", "KNB1-BUKRS"):
            self.initial_shown()  # the number depends on the group and the company code
        else:
            self.refresh()

    # -- the data screens -------------------------------------------------------------------

    def opened(self) -> None:
        """The data screens show a new document: mark what was proposed."""
        self._watch()
        self.refresh()

    def _replayed(self, _index: int) -> None:
        if not self._busy and self.window.keys is not None:
            self._derive()

    def _typed(self, key: str) -> None:
        if self._busy or self.window.keys is None:
            return
        self.proposals.touched(key)
        self._derive()

    def _cell_typed(self, table: str, grid: GridBinding, item: QTableWidgetItem) -> None:
        if self._busy or self.window.keys is None:
            return
        row = self._document_row(grid, item.row())
        if row is not None:
            self.proposals.cell_touched((table, row, grid.columns[item.column()].name))
        self._derive()

    def _derive(self) -> None:
        session = self.window.session
        session.update(self.window.collect())
        self._show(self.proposals.derive(session.document))
        self.refresh()

    def _show(self, changes: Changes) -> None:
        if not changes:
            return
        self._busy = True
        try:
            for screen, binding in self.window.bindings.items():
                if screen == "initial":
                    continue
                binding.set_values(
                    {k: v for k, v in changes.fields.items() if k in binding.editors}
                )
                for (table, row, name), value in changes.cells.items():
                    grid = binding.grids.get(table)
                    if grid is not None:
                        self._set_cell(grid, row, name, value)
            # Derived values are not the clerk's steps: Ctrl+Z walks back what was typed.
            committed = self.window.history.committed
            for key, value in changes.fields.items():
                if key in committed:
                    committed[key] = value
            for table in {cell[0] for cell in changes.cells}:
                if table in committed:
                    committed[table] = self.window.collect().get(table, [])
        finally:
            self._busy = False

    @staticmethod
    def _table_rows(grid: GridBinding) -> list[int]:
        """The grid's rows that are rows of the document (filled ones), in order."""
        return [
            r
            for r in range(grid.table.rowCount())
            if any(grid.cell(r, c) for c in range(len(grid.columns)))
        ]

    def _document_row(self, grid: GridBinding, table_row: int) -> int | None:
        rows = self._table_rows(grid)
        return rows.index(table_row) if table_row in rows else None

    def _set_cell(self, grid: GridBinding, row: int, name: str, value: str) -> None:
        rows = self._table_rows(grid)
        if row < len(rows):
            column = next(i for i, fd in enumerate(grid.columns) if fd.name == name)
            grid.set_cell(rows[row], column, value)

    # -- marking ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Mark every field (and grid cell) that still holds its proposal; unmark the rest."""
        proposals = self.proposals
        initial = self.window.bindings.get("initial")
        if initial is not None:
            values = self.window.screens.initial_values()
            self._mark(initial, lambda k: proposals.initial_proposed(k, values))
        if self.window.keys is None:
            return
        doc = self.window.collect()
        for screen, binding in self.window.bindings.items():
            if screen == "initial" or screen not in self.window.active:
                continue
            self._mark(binding, lambda k: proposals.is_proposed(k, doc))
            for table, grid in binding.grids.items():
                rows = self._table_rows(grid)
                for r in range(grid.table.rowCount()):
                    for c, fd in enumerate(grid.columns):
                        item = grid.table.item(r, c)
                        if item is None:
                            continue
                        cell: Cell = (table, rows.index(r) if r in rows else -1, fd.name)
                        self._mark_item(item, proposals.cell_proposed(cell, doc))

    def _mark(self, binding: ScreenBinding, proposed: Callable[[str], bool]) -> None:
        lang = i18n.language()
        for key, editor in binding.editors.items():
            on = proposed(key)
            was = bool(editor.property("proposed"))
            set_flag(editor, "proposed", on)
            if on or was:
                text = tooltip(binding.fields[key], lang)
                editor.setToolTip(f"<i>{proposed_note()}</i><br>{text}" if on else text)

    def _mark_item(self, item: QTableWidgetItem, on: bool) -> None:
        if bool(item.font().italic()) == on:
            return
        self._busy = True  # changing the look fires itemChanged too
        try:
            font = QFont(item.font())
            font.setItalic(on)
            item.setFont(font)
            item.setForeground(QBrush(_PROPOSED_COLOR) if on else QBrush())
            item.setToolTip(proposed_note() if on else "")
        finally:
            self._busy = False
