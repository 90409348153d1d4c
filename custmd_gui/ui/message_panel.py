"""The message panel under the wizard: every problem at once; choosing one jumps to its field."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain.errors import DATABASE_KEY, Problem, Severity

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
    """Lists problems (field label, segment, message); Enter or a double-click chooses one."""

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
        header.resizeSection(0, metrics.horizontalAdvance("Reconciliation account") + 24)
        header.resizeSection(1, metrics.horizontalAdvance("General data F011/10/01") + 24)
        self.itemActivated.connect(self._activated)
        self.problems: list[Problem] = []
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
                    p.segment
                    or (self.tr("General data") if p.field_key in catalog() else ""),
                    p.message.get(lang),
                ]
            )
            item.setData(0, _PROBLEM, p)
            item.setToolTip(2, p.message.get(lang))
            if p.severity is Severity.ERROR:
                item.setForeground(2, Qt.GlobalColor.darkRed)
            self.addTopLevelItem(item)
        first = self.topLevelItem(0)
        if first is not None:
            self.setCurrentItem(first)

    @Slot(QTreeWidgetItem, int)
    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        problem = item.data(0, _PROBLEM)
        if isinstance(problem, Problem):
            self.chosen.emit(problem)
