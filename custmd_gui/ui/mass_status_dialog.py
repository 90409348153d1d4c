"""The mass block/unblock of the customers selected in the list (Ctrl+Shift+B): one
change_status call for all of them, all changed or none and why."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError
from custmd_gui.services.context import Actor
from custmd_gui.services.status import (
    COMMENT_KEY,
    Level,
    StatusEdit,
    StatusReport,
    change_status,
    changed_numbers,
)
from custmd_gui.ui import i18n, icons
from custmd_gui.ui.operations import Operation
from custmd_gui.ui.status_widgets import (
    KINDS,
    ReasonCombo,
    comment_and_message,
    problem_lines,
)

if TYPE_CHECKING:
    from custmd_gui.services.ports import UowFactory


MASS_OBJECT_NAME = "mass_status"


class MassStatusDialog(QDialog):
    """Block or unblock the customers selected in the list, in one transaction."""

    applied = Signal(str)  # the summary

    def __init__(
        self,
        uow_factory: UowFactory,
        customizing: Customizing,
        actor: Actor,
        numbers: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(MASS_OBJECT_NAME)
        self.setWindowIcon(icons.icon("mass_block"))
        self.factory = uow_factory
        self.customizing = customizing
        self.actor = actor
        self.numbers = list(numbers)
        self.summary = ""

        layout = QVBoxLayout(self)
        self.chosen_label = QLabel(self)
        self.chosen_label.setObjectName("chosen")
        self.chosen_label.setWordWrap(True)
        layout.addWidget(self.chosen_label)

        self.block_radio = QRadioButton(self)
        self.block_radio.setObjectName("block_radio")
        self.block_radio.setChecked(True)
        self.unblock_radio = QRadioButton(self)
        self.unblock_radio.setObjectName("unblock_radio")
        group = QButtonGroup(self)
        group.addButton(self.block_radio)
        group.addButton(self.unblock_radio)
        layout.addWidget(self.block_radio)

        self.block_box = QWidget(self)
        grid = QGridLayout(self.block_box)
        grid.setContentsMargins(24, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        self.reason_labels: dict[str, QLabel] = {}
        self.reasons: dict[str, ReasonCombo] = {}
        for column, kind in enumerate(KINDS):
            label = QLabel(self.block_box)
            combo = ReasonCombo(customizing, self.block_box)
            combo.setObjectName(f"central_{kind}")
            label.setBuddy(combo)
            grid.addWidget(label, 0, column)
            grid.addWidget(combo, 1, column)
            self.reason_labels[kind] = label
            self.reasons[kind] = combo
        self.posting_box = QCheckBox(self.block_box)
        self.posting_box.setObjectName("central_posting")
        grid.addWidget(self.posting_box, 2, 0, 1, len(KINDS))
        grid.setColumnStretch(len(KINDS), 1)
        layout.addWidget(self.block_box)
        layout.addWidget(self.unblock_radio)
        self.block_radio.toggled.connect(self.block_box.setEnabled)

        self.comment_label, self.comment_edit, self.message = comment_and_message(self, layout)
        self.message.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout.addStretch(1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.run_button = QPushButton(icons.icon("execute"), "", self)
        self.run_button.setObjectName("run_button")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(icons.icon("cancel"), "", self)
        self.cancel_button.setObjectName("cancel_button")
        self.cancel_button.clicked.connect(self.reject)
        for button in (self.run_button, self.cancel_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        run = QShortcut(QKeySequence("Ctrl+S"), self)
        run.activated.connect(self.run)

        chain: list[QWidget] = [
            self.block_radio,
            *self.reasons.values(),
            self.posting_box,
            self.unblock_radio,
            self.comment_edit,
            self.run_button,
            self.cancel_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.retranslate()
        self.resize(max(620, self.sizeHint().width()), self.sizeHint().height())
        self.reasons["order"].setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        n = len(self.numbers)
        self.setWindowTitle(self.tr("Mass block/unblock (XD05)"))
        shown = self.tr(", ").join(self.numbers[:8]) + (self.tr(", …") if n > 8 else "")
        self.chosen_label.setText(self.tr("%n customer(s) selected: ", "", n) + shown)
        self.block_radio.setText(self.tr("&Block centrally (blank = leave as it is)"))
        self.unblock_radio.setText(self.tr("&Unblock everything (every level)"))
        for kind, text in zip(
            KINDS,
            (self.tr("&Order block:"), self.tr("&Delivery block:"), self.tr("B&illing block:")),
            strict=True,
        ):
            self.reason_labels[kind].setText(text)
        self.posting_box.setText(self.tr("&Posting block (all company codes)"))
        self.comment_label.setText(self.tr("Co&mment:"))
        self.comment_edit.setPlaceholderText(self.tr("Required: why (e.g. overdue payments)"))
        self.run_button.setText(self.tr("&Execute (Ctrl+S)"))
        self.cancel_button.setText(self.tr("Cancel"))
        for combo in self.reasons.values():
            combo.fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def edits(self) -> list[StatusEdit]:
        if self.unblock_radio.isChecked():
            return [StatusEdit.unblock_everything()]
        order, delivery, billing = (self.reasons[kind].value() or None for kind in KINDS)
        posting = True if self.posting_box.isChecked() else None
        return [StatusEdit(Level.CENTRAL, "", order, delivery, billing, posting)]

    @Slot()
    def run(self) -> None:
        """One change_status call for all the customers, in a worker thread (ui.operations):
        all changed, or none and why."""
        numbers, edits, comment = self.numbers, self.edits(), self.comment_edit.text()
        Operation(
            self,
            lambda: change_status(
                self.factory, numbers, edits, self.actor, comment, customizing=self.customizing
            ),
            changes=changed_numbers,
        ).on_success(self._applied).on_failure(self._refused).run()

    def _applied(self, report: StatusReport) -> None:
        self.summary = report.summary(i18n.language())
        self.applied.emit(self.summary)
        self.accept()

    def _refused(self, exc: DomainError) -> None:
        self.message.say(problem_lines(exc.problems), "error")
        if any(p.field_key == COMMENT_KEY for p in exc.problems):
            self.comment_edit.setFocus(Qt.FocusReason.OtherFocusReason)
