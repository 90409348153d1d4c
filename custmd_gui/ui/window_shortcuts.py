"""A window's own shortcuts before a text field's editing keys.

Qt asks the focused widget first (a ShortcutOverride event) whether it wants a key itself; a
line edit claims the editing keys of the platform's key scheme, and under the X11 scheme of a
Linux desktop those include Ctrl+E (end of line), Ctrl+K, Ctrl+U… So Ctrl+E (XD02) did nothing
while the cursor was in the list's search field. `window_shortcuts_first` installs a filter on
the window's line edits that declines such a claim for any key sequence that is a shortcut of
one of the window's actions: the action runs, as the menu says. Every other key (typing, Ctrl+A,
Ctrl+C, Ctrl+Z…) stays the field's.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget


def _sequence(event: QKeyEvent) -> QKeySequence:
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return QKeySequence(event.key() | modifiers.value)


class WindowShortcutsFirst(QObject):
    """Event filter for the line edits of `window`: the window's action shortcuts win."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window

    def shortcuts(self) -> set[str]:
        """The key sequences of the window's enabled actions (read at each key: the rights and
        the actions may change while the window is open)."""
        found: set[str] = set()
        for action in self.window.findChildren(QAction):
            if action.isEnabled():
                found.update(s.toString() for s in action.shortcuts() if not s.isEmpty())
        return found

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and _sequence(event).toString() in self.shortcuts()
        ):
            # Filtered without being accepted: not overridden, so the shortcut runs.
            event.ignore()
            return True
        return False


def window_shortcuts_first(window: QWidget) -> WindowShortcutsFirst:
    """Install the filter on every line edit the window holds now, and on every editable
    combo box (which keeps the focus itself and hands the ShortcutOverride to its line edit
    directly, past the line edit's filters); returns it (it lives as long as the window)."""
    keeper = WindowShortcutsFirst(window)
    for edit in window.findChildren(QLineEdit):
        edit.installEventFilter(keeper)
    for combo in window.findChildren(QComboBox):
        if combo.isEditable():
            combo.installEventFilter(keeper)
    return keeper
