"""The duplicate check's dialog: possible duplicates, and continue / cancel / open one."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from custmd_gui.services.duplicates import DuplicateHit


class DuplicateChoice(Enum):
    CANCEL = "cancel"
    CONTINUE = "continue"
    OPEN = "open"


class DuplicateDialog(QDialog):
    def __init__(
        self, hits: Sequence[DuplicateHit], lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("duplicates")
        self.setWindowTitle(self.tr("Possible duplicates"))
        self.hits = list(hits)
        self.choice = DuplicateChoice.CANCEL
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "These customers already exist and may be the one you are creating. "
                "Check them before you save."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.table = QTableWidget(len(self.hits), 4, self)
        self.table.setObjectName("duplicate_table")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Customer"), self.tr("Name"), self.tr("City"), self.tr("Why")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        for row, hit in enumerate(self.hits):
            for col, text in enumerate((hit.number, hit.name, hit.city, hit.reason_text(lang))):
                self.table.setItem(row, col, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if self.hits:
            self.table.selectRow(0)
        self.table.doubleClicked.connect(self._open)
        layout.addWidget(self.table, 1)

        buttons = QDialogButtonBox(self)
        self.continue_button = QPushButton(self.tr("&Continue saving"), self)
        self.continue_button.setObjectName("continue_save")
        self.open_button = QPushButton(self.tr("&Open the existing customer"), self)
        self.open_button.setObjectName("open_existing")
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancel_save")
        buttons.addButton(self.continue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.continue_button.clicked.connect(self._continue)
        self.open_button.clicked.connect(self._open)
        self.cancel_button.clicked.connect(self.reject)
        # Saving a duplicate must be a decision: Enter does not do it.
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)
        layout.addWidget(buttons)
        self.resize(760, 360)

    def selected_number(self) -> str:
        row = self.table.currentRow()
        return self.hits[row].number if 0 <= row < len(self.hits) else ""

    @Slot()
    def _continue(self) -> None:
        self.choice = DuplicateChoice.CONTINUE
        self.accept()

    @Slot()
    def _open(self) -> None:
        if self.selected_number():
            self.choice = DuplicateChoice.OPEN
            self.accept()
