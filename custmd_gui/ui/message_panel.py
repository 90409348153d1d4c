"""The message panel under the wizard: every problem at once; choosing one jumps to its field.

A click on a message jumps, as the status bar says. From the keyboard, Ctrl+M goes into the
panel, Up/Down move, Enter jumps and Esc goes back to the field the cursor came from. The panel
grows with the problems listed (ui.message_panel_size), and shrinks again when they are gone.
"""

from __future__ import annotations

from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain.errors import DATABASE_KEY, Problem, Severity
from custmd_gui.ui import icons
from custmd_gui.ui.message_panel_size import PanelSizer
from custmd_gui.ui.wizard_keys import MESSAGES_KEY

# Into the panel from anywhere in its window (the wizard's key table: ui.wizard_keys).
FOCUS_KEY = MESSAGES_KEY

_PROBLEM = Qt.ItemDataRole.UserRole + 1
# Problems that are about no field: what the Field column calls them.
_NOT_FIELDS = {
    DATABASE_KEY: Text(zh="数据库", en="Database"),
    "AUTH": Text(zh="权限", en="Authorization"),
}


def field_label(key: str, lang: str) -> str:
    cat = catalog()
    if key in cat:
        return cat.field(key).label.get(lang)
    return _NOT_FIELDS[key].get(lang) if key in _NOT_FIELDS else key


class MessagePanel(QTreeWidget):
    """Lists problems (field label, segment, message); a click, or Enter, chooses one."""

    chosen = Signal(object)  # Problem

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messages")
        self.setColumnCount(3)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(True)
        # Fixed starting widths (a long field label fits; the user may drag): widths that
        # follow the contents would leave the headers squeezed while the panel is empty.
        metrics = self.fontMetrics()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, metrics.horizontalAdvance("Reconciliation account") + 44)
        header.resizeSection(1, metrics.horizontalAdvance("General data F011/10/01") + 24)
        self.itemActivated.connect(self._activated)  # Enter, a double-click
        self.itemClicked.connect(self._activated)  # a single click jumps too
        self.problems: list[Problem] = []
        self._came_from: QWidget | None = None  # where Esc goes back to
        shortcut = QShortcut(QKeySequence(FOCUS_KEY), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self.enter_panel)
        self.sizer = PanelSizer(self)
        self.retranslate()

    def retranslate(self) -> None:
        self.setHeaderLabels([self.tr("Field"), self.tr("Segment"), self.tr("Message")])

    def show_problems(self, problems: Sequence[Problem], lang: str) -> None:
        self.clear()
        self.problems = list(problems)
        for p in self.problems:
            item = QTreeWidgetItem(
                [
                    field_label(p.field_key, lang),
                    p.segment or (self.tr("General data") if p.field_key in catalog() else ""),
                    p.message.get(lang),
                ]
            )
            item.setData(0, _PROBLEM, p)
            item.setToolTip(2, p.message.get(lang))
            item.setIcon(0, icons.icon(p.severity.value))  # "error" or "warning"
            if p.severity is Severity.ERROR:
                item.setForeground(2, Qt.GlobalColor.darkRed)
            self.addTopLevelItem(item)
        first = self.topLevelItem(0)
        if first is not None:
            self.setCurrentItem(first)
        self.sizer.fit(len(self.problems))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.sizer.fit(len(self.problems))  # problems listed while the window was hidden

    @Slot()
    def enter_panel(self) -> None:
        """Ctrl+M: into the list of messages, on its current one (nothing when it is empty)."""
        if not self.topLevelItemCount() or self.hasFocus():
            return
        self._came_from = QApplication.focusWidget()
        item = self.currentItem() or self.topLevelItem(0)
        if item is None:
            return
        self.setCurrentItem(item)
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.scrollToItem(item)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter on a message and Esc end here: the window would take them for "check / next"
        # and "back". Enter in an empty list is the window's: Tab reached it, Enter checks.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item = self.currentItem()
            if item is None:
                event.ignore()
                return
            event.accept()
            self._activated(item, 0)
            return
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self._go_back()
            return
        super().keyPressEvent(event)

    def _go_back(self) -> None:
        came_from = self._came_from
        self._came_from = None
        if came_from is not None and shiboken6.isValid(came_from) and came_from.isVisible():
            came_from.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.focusNextChild()

    @Slot(QTreeWidgetItem, int)
    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        problem = item.data(0, _PROBLEM)
        if isinstance(problem, Problem):
            self._came_from = None
            self.chosen.emit(problem)
