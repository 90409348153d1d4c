"""The wizard's questions: leave with unsaved data, keep the typing the corrected initial
screen does not simply take, display a customer locked for change, go on past possible
duplicates; each modal, giving the keyboard back to the wizard after."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from custmd_gui.catalog import Catalog
from custmd_gui.ui import i18n
from custmd_gui.ui.duplicate_dialog import DuplicateChoice, DuplicateDialog

if TYPE_CHECKING:
    from custmd_gui.domain.errors import Problem
    from custmd_gui.services.duplicates import DuplicateHit
    from custmd_gui.wizard.carry_over import CarryOver, Move


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


class Typing(Enum):
    """The clerk's answer about typing the corrected keys do not simply take."""

    KEEP = "keep"  # take it over to the new keys (what cannot be shown is let go)
    DISCARD = "discard"
    CANCEL = "cancel"  # stay on the initial screen, the typing still kept


def keep_typing(window: QWidget, carry: CarryOver, cat: Catalog) -> Typing:
    """Asked before typing on the data screens is discarded: keep it (the default when it can
    be taken over), discard it, or go on correcting the initial screen (Esc)."""
    lines = [_move_line(move) for move in carry.moves]
    if carry.lost:
        lang = i18n.language()
        names = ("、" if lang == "zh" else ", ").join(_name(cat, key, lang) for key in carry.lost)
        lines.append(
            QCoreApplication.translate(
                "CustomerWizard", "Not shown for the new keys, would be discarded: %1"
            ).replace("%1", names)
        )
    box = QMessageBox(
        QMessageBox.Icon.Question,
        QCoreApplication.translate("CustomerWizard", "Typed data"),
        QCoreApplication.translate(
            "CustomerWizard", "The corrected initial screen does not take everything typed so far:"
        )
        + "\n"
        + "\n".join("• " + line for line in lines),
        QMessageBox.StandardButton.NoButton,
        window,
    )
    box.setObjectName("keep_typing")
    keep = None
    if carry.movable:
        box.setInformativeText(
            QCoreApplication.translate(
                "CustomerWizard", "Take what was typed over to the new keys?"
            )
        )
        keep = box.addButton(
            QCoreApplication.translate("CustomerWizard", "&Keep and take over"),
            QMessageBox.ButtonRole.AcceptRole,
        )
    discard = box.addButton(
        QCoreApplication.translate("CustomerWizard", "&Discard"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    cancel = box.addButton(
        QCoreApplication.translate("CustomerWizard", "&Cancel: correct the initial screen"),
        QMessageBox.ButtonRole.RejectRole,
    )
    box.setDefaultButton(keep or cancel)
    box.setEscapeButton(cancel)
    modal(window, box)
    clicked = box.clickedButton()
    if keep is not None and clicked is keep:
        return Typing.KEEP
    return Typing.DISCARD if clicked is discard else Typing.CANCEL


def _move_line(move: Move) -> str:
    if move.segment == "company_code":
        text = QCoreApplication.translate(
            "CustomerWizard", "Company code %1 → %2: %3 field(s) typed"
        )
    elif move.segment == "sales_area":
        text = QCoreApplication.translate("CustomerWizard", "Sales area %1 → %2: %3 field(s) typed")
    else:
        text = QCoreApplication.translate("CustomerWizard", "Customer %1 → %2: %3 field(s) typed")
    none = QCoreApplication.translate("CustomerWizard", "(none)")
    return (
        text.replace("%1", move.old or none)
        .replace("%2", move.new or none)
        .replace("%3", str(len(move.keys)))
    )


def _name(cat: Catalog, key: str, lang: str) -> str:
    """A field's label, a grid table's group."""
    if key in cat:
        return cat.field(key).label.get(lang)
    columns = cat.table(key)
    return cat.groups[columns[0].field_group].label.get(lang) if columns else key


def change_reason(window: QWidget) -> str | None:
    """XD02's save, where the customizing requires a reason (记录变更的原因): the reason
    typed, or None when the clerk cancels the save."""
    return ask_reason(
        window,
        "change_reason",
        QCoreApplication.translate("CustomerWizard", "Reason for the change"),
        QCoreApplication.translate("CustomerWizard", "&Why is the customer changed?"),
        "CDHDR_COMMENT",
    )


def ask_reason(window: QWidget, name: str, title: str, prompt: str, field: str) -> str | None:
    """A required reason in a small dialog (object names `name` and `field` for the tests):
    the text typed, or None when the clerk cancels. OK stays off while the reason is empty."""
    from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

    dialog = QDialog(window)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    label = QLabel(prompt, dialog)
    edit = QLineEdit(dialog)
    edit.setObjectName(field)
    edit.setMaxLength(255)
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("x") * 50)
    label.setBuddy(edit)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setEnabled(False)
    edit.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(label)
    layout.addWidget(edit)
    layout.addWidget(buttons)
    edit.setFocus()
    if modal(window, dialog) != QDialog.DialogCode.Accepted or not edit.text().strip():
        return None
    return edit.text().strip()
