"""How tall the wizard's message panel is in its splitter: tall enough for the problems listed.

A fixed panel of about five rows at 1366x768 hid most of a long list of problems after Ctrl+S.
The panel now takes one row per problem, at least MIN_ROWS and at most MAX_ROWS, and never more
than MAX_SHARE of the splitter: the screen above keeps most of the room (it scrolls when tall,
so no field is lost). Once the user drags the splitter, the panel keeps the user's size.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QSplitter, QTreeWidget

MIN_ROWS = 4  # with few problems or none: as before
MAX_ROWS = 10
MAX_SHARE = 0.45  # of the splitter's height


class PanelSizer:
    """Sizes `panel` (a list widget placed in a vertical QSplitter) by the rows it lists."""

    def __init__(self, panel: QTreeWidget) -> None:
        self.panel = panel
        self.user_sized = False
        self._splitter: QSplitter | None = None

    def splitter(self) -> QSplitter | None:
        parent = self.panel.parentWidget()
        if not isinstance(parent, QSplitter):
            return None
        if parent is not self._splitter:
            self._splitter = parent
            parent.splitterMoved.connect(self._moved)
        return parent

    @Slot(int, int)
    def _moved(self, _pos: int, _index: int) -> None:
        self.user_sized = True

    def row_height(self) -> int:
        panel = self.panel
        if panel.topLevelItemCount():
            return max(panel.sizeHintForRow(0), panel.fontMetrics().height())
        return panel.fontMetrics().height() + 8

    def height_for(self, rows: int) -> int:
        """The panel's height that shows `rows` rows under its header, without scrolling."""
        panel = self.panel
        header = panel.header().sizeHint().height() if not panel.isHeaderHidden() else 0
        scroll_bar = panel.horizontalScrollBar()
        bar = scroll_bar.sizeHint().height() if scroll_bar.isVisible() else 0
        return header + rows * self.row_height() + 2 * panel.frameWidth() + bar + 2

    def fit(self, problems: int) -> None:
        """Make room for `problems` rows (within the limits above)."""
        splitter = self.splitter()
        if splitter is None or self.user_sized or not splitter.isVisible():
            return  # not laid out yet: the panel fits itself when shown (MessagePanel)
        sizes = splitter.sizes()
        total = sum(sizes)
        if total <= 0:
            return
        index = splitter.indexOf(self.panel)
        rows = min(max(problems, MIN_ROWS), MAX_ROWS)
        while rows > 1 and self.height_for(rows) > total * MAX_SHARE:
            rows -= 1  # whole rows only: no half row at the bottom
        wanted = self.height_for(rows)
        if wanted == sizes[index]:
            return
        rest = total - wanted
        others = [i for i in range(len(sizes)) if i != index]
        old_rest = sum(sizes[i] for i in others)
        new_sizes = list(sizes)
        for i in others:  # in their proportions; all to the first when all were collapsed
            new_sizes[i] = sizes[i] * rest // old_rest if old_rest else 0
        if not old_rest and others:
            new_sizes[others[0]] = rest
        new_sizes[index] = wanted
        splitter.setSizes(new_sizes)
