"""Enter in a grid cell (bank details, tax classifications, partner functions) takes what was
typed and moves on to the next cell, in one press.

A clerk fills a grid row by row, left to right, as on a paper form: Enter after typing a cell
goes to the next cell of the row, and after the row's last cell to the first cell of the next
row (the empty row that takes the next entry). Enter on a cell not being edited is the screen's
Enter again (check / next screen, as SAP's Enter in a table control). Before, the first Enter
only closed the cell's editor, and a second one was needed to go anywhere.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QTableWidget

from custmd_gui.ui.qtutils import in_cell_editor


class EnterMovesOn(QObject):
    """Event filter on a grid: Enter from its cell editor commits and moves to the next cell.

    The editor's Enter reaches the grid after the editor let it pass (the delegate commits
    only later, queued); making another cell current commits and closes the editor at once
    (QAbstractItemView.currentChanged), so the move needs no second key."""

    def __init__(self, table: QTableWidget) -> None:
        super().__init__(table)
        self.table = table
        table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            editor = QApplication.focusWidget()
            if editor is not None and in_cell_editor(editor) and self.table.isAncestorOf(editor):
                event.accept()
                self.move_on()
                return True
        return False

    def move_on(self) -> None:
        table = self.table
        columns = [c for c in range(table.columnCount()) if not table.isColumnHidden(c)]
        row, column = table.currentRow(), table.currentColumn()
        if not columns or row < 0:
            return
        later = [c for c in columns if c > column]
        if later:
            table.setCurrentCell(row, later[0])  # commits the editor (same row)
        else:
            # Commit first: a row just filled gets the empty row after it only then.
            table.setCurrentCell(row, columns[0])
            if row + 1 < table.rowCount():
                table.setCurrentCell(row + 1, columns[0])
        table.setFocus(Qt.FocusReason.OtherFocusReason)
