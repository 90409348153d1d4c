"""Undo and redo across the fields of a window (QUndoStack), as a clerk expects from an editor.

Two levels, as in every desktop editor: while the cursor is in a field, Ctrl+Z undoes the
typing in that field (the line edit's own history); once a field has been left, its change is
one step of the window's history, which Ctrl+Z (Ctrl+Y, Ctrl+Shift+Z to redo) walks back and
forth, opening the field's screen and putting the cursor there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from custmd_gui.ui.field_binding import GridBinding, ScreenBinding, Value

Rows = list[dict[str, str]]
# Called before a value is put back: shows the screen of `binding` (the window's business).
ShowScreen = Callable[[ScreenBinding], None]


class _Change(QUndoCommand):
    def __init__(self, history: EditHistory, apply: Callable[[Any], None], old: Any, new: Any):
        super().__init__()
        self.history = history
        self.apply = apply
        self.old = old
        self.new = new
        self.first = True

    def redo(self) -> None:
        if self.first:  # pushed after the user made the change: nothing to do yet
            self.first = False
            return
        self.history.replay(self.apply, self.new)

    def undo(self) -> None:
        self.history.replay(self.apply, self.old)


class EditHistory(QObject):
    """The window's undo stack over the editors and grids of the bindings it watches."""

    def __init__(self, window: QWidget, show_screen: ShowScreen) -> None:
        super().__init__(window)
        self.stack = QUndoStack(self)
        self.show_screen = show_screen
        self.committed: dict[str, Any] = {}  # last value per field key / grid table
        self._replaying = False
        for keys, slot in (
            (QKeySequence.StandardKey.Undo, self.stack.undo),
            (QKeySequence.StandardKey.Redo, self.stack.redo),
        ):
            for sequence in QKeySequence.keyBindings(keys):
                shortcut = QShortcut(sequence, window)
                shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
                shortcut.activated.connect(slot)

    def watch(self, binding: ScreenBinding) -> None:
        for key, editor in binding.editors.items():
            if isinstance(editor, QLineEdit):
                editor.installEventFilter(self)
                editor.editingFinished.connect(lambda b=binding, k=key: self._field_left(b, k))
            elif isinstance(editor, QCheckBox):
                editor.toggled.connect(lambda _on, b=binding, k=key: self._field_left(b, k))
        for table, grid in binding.grids.items():
            grid.table.itemChanged.connect(
                lambda _item, b=binding, t=table, g=grid: self._grid_changed(b, t, g)
            )

    def reset(self, bindings: list[ScreenBinding]) -> None:
        """Start a new history from what the bindings show now."""
        self.stack.clear()
        self.committed = {}
        for binding in bindings:
            self.committed.update(binding.values())
            for table, grid in binding.grids.items():
                self.committed[table] = grid.rows()

    # -- recording -----------------------------------------------------------------------------

    def _field_left(self, binding: ScreenBinding, key: str) -> None:
        if self._replaying or key not in self.committed:
            return
        new = binding.values().get(key, "")
        old = self.committed[key]
        if new == old:
            return
        self.committed[key] = new

        def apply(value: Value, b: ScreenBinding = binding, k: str = key) -> None:
            self.show_screen(b)
            b.set_values({k: value})
            self.committed[k] = value
            editor = b.editors[k]
            editor.setFocus(Qt.FocusReason.OtherFocusReason)

        self.stack.push(_Change(self, apply, old, new))

    def _grid_changed(self, binding: ScreenBinding, table: str, grid: GridBinding) -> None:
        if self._replaying or table not in self.committed:
            return
        new = grid.rows()
        old = self.committed[table]
        if new == old:
            return
        self.committed[table] = new

        def apply(rows: Rows, b: ScreenBinding = binding, t: str = table) -> None:
            self.show_screen(b)
            b.grids[t].set_rows(rows)
            self.committed[t] = rows
            b.grids[t].table.setFocus(Qt.FocusReason.OtherFocusReason)

        self.stack.push(_Change(self, apply, old, new))

    def replay(self, apply: Callable[[Any], None], value: Any) -> None:
        self._replaying = True
        try:
            apply(value)
        finally:
            self._replaying = False

    # -- the two levels --------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A line edit claims Ctrl+Z even with nothing of its own to undo; then it is the
        # window's turn.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(watched, QLineEdit):
            assert isinstance(event, QKeyEvent)
            if event.matches(QKeySequence.StandardKey.Undo) and not watched.isUndoAvailable():
                return True
            if event.matches(QKeySequence.StandardKey.Redo) and not watched.isRedoAvailable():
                return True
        return super().eventFilter(watched, event)
