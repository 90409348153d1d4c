"""The wizard's questions: leave with unsaved data, display a customer locked for change,
go on past possible duplicates; each modal, giving the keyboard back to the wizard after."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from custmd_gui.ui import i18n
from custmd_gui.ui.duplicate_dialog import DuplicateChoice, DuplicateDialog

if TYPE_CHECKING:
    from custmd_gui.domain.errors import Problem
    from custmd_gui.services.duplicates import DuplicateHit


def modal(window: QWidget, dialog: QDialog) -> int:
    result = dialog.exec()
    # Some window systems leave no window active after a modal dialog: the clerk's next
    # key must reach the wizard.
    window.activateWindow()
    return result


def confirm_loss(window: QWidget) -> bool:
    """Unsaved data will be lost: True when the clerk leaves anyway (No is the default)."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        QCoreApplication.translate("CustomerWizard", "Unsaved data"),
        QCoreApplication.translate("CustomerWizard", "Unsaved data will be lost. Leave anyway?"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        window,
    )
    box.setObjectName("confirm_loss")
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return modal(window, box) == QMessageBox.StandardButton.Yes


def display_instead(window: QWidget, problem: Problem) -> bool:
    """XD02 refused by someone else's edit lock: True when the clerk displays it instead."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        QCoreApplication.translate("CustomerWizard", "Customer locked"),
        problem.message.get(i18n.language()),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        window,
    )
    box.setObjectName("locked_offer_display")
    box.setInformativeText(
        QCoreApplication.translate("CustomerWizard", "Display the customer instead?")
    )
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    return modal(window, box) == QMessageBox.StandardButton.Yes


def duplicates_choice(window: QWidget, hits: Sequence[DuplicateHit]) -> tuple[DuplicateChoice, str]:
    """The clerk's choice about possible duplicates, and the number chosen to open."""
    dialog = DuplicateDialog(hits, i18n.language(), window)
    modal(window, dialog)
    number = dialog.selected_number() if dialog.choice is DuplicateChoice.OPEN else ""
    return dialog.choice, number
