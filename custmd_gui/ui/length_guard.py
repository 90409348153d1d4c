"""Line edits and grid cells never cut what is typed or pasted at a field's length.

QLineEdit.setMaxLength cuts silently: a 20-digit bank account pasted into an 18-character
field became 18 digits and was saved wrong. A LengthGuard instead refuses the key or the paste
that would make the text longer than the length, whole, and says so where the clerk looks (the
window's status bar and a tip at the field): the field, its length, how long the text would
have been and, from the catalog, the field that takes the rest (SAP: the bank account's digits
beyond 18 go into the bank reference). Text the program puts in (a stored value, a copied
reference) is kept whole: the checks report what is too long, naming the field.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QPoint
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QLabel, QLineEdit, QMainWindow, QToolTip, QWidget

from custmd_gui.catalog import FieldDef, catalog
from custmd_gui.ui import i18n

# How long the status bar keeps the message (ms).
MESSAGE_MS = 10_000

Describe = Callable[[], tuple[str, str]]  # (the field as the clerk knows it, the rest's field)


class LengthGuard(QValidator):
    """The validator of one line edit: an edit by the user that would leave more than `length`
    characters, without shortening the text, is refused and announced."""

    def __init__(self, edit: QLineEdit, length: int, describe: Describe) -> None:
        super().__init__(edit)
        self.edit = edit
        self.length = length
        self.describe = describe
        self.message = ""  # the last refusal, as shown
        self._last = edit.text()  # the text before the edit being validated
        edit.textChanged.connect(self._changed)

    def _changed(self, text: str) -> None:
        self._last = text

    def validate(self, text: str, pos: int) -> object:
        # A text set by the program (no undo history yet: setText clears it) is never
        # refused; nor is an edit that shortens a text already too long, so it can be mended.
        if (
            len(text) <= self.length
            or len(text) < len(self._last)
            or text == self._last
            or not self.edit.isUndoAvailable()
        ):
            return QValidator.State.Acceptable
        self._refused(len(text))
        return QValidator.State.Invalid

    def _refused(self, would_be: int) -> None:
        name, rest = self.describe()
        message = (
            QCoreApplication.translate(
                "LengthGuard",
                "%1 takes at most %2 characters; with this input it would have %3, so it "
                "was not taken (nothing was cut).",
            )
            .replace("%1", name)
            .replace("%2", str(self.length))
            .replace("%3", str(would_be))
        )
        if rest:
            # The space between the sentences is the translation's (none in Chinese).
            message += QCoreApplication.translate("LengthGuard", " Put the rest into %1.").replace(
                "%1", rest
            )
        self.message = message
        window = self.edit.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, MESSAGE_MS)
        QToolTip.showText(self.edit.mapToGlobal(QPoint(0, self.edit.height())), message, self.edit)


def guard_field(edit: QLineEdit, fd: FieldDef) -> LengthGuard:
    """Guard an editor of a catalog field: its label, key and overflow field name it."""

    def describe() -> tuple[str, str]:
        lang = i18n.language()
        rest = catalog().field(fd.overflow) if fd.overflow else None
        overflow = _named(rest.label.get(lang), rest.key) if rest else ""
        return _named(fd.label.get(lang), fd.key), overflow

    return guard(edit, fd.length, describe)


def guard_length(edit: QLineEdit, length: int) -> LengthGuard:
    """Guard a line edit outside the catalog; named by the label whose buddy it is."""
    return guard(edit, length, lambda: (_label_of(edit), ""))


def guard(edit: QLineEdit, length: int, describe: Describe) -> LengthGuard:
    # No maxLength: QLineEdit cuts even setText() at it.
    edit.setMaxLength(32767)
    validator = LengthGuard(edit, length, describe)
    edit.setValidator(validator)
    return validator


def guard_of(edit: QObject | None) -> LengthGuard | None:
    if isinstance(edit, QLineEdit):
        validator = edit.validator()
        return validator if isinstance(validator, LengthGuard) else None
    return None


def _named(label: str, key: str) -> str:
    return (
        QCoreApplication.translate("LengthGuard", "%1 (%2)").replace("%1", label).replace("%2", key)
    )


def _label_of(edit: QLineEdit) -> str:
    window: QWidget = edit.window()
    for label in window.findChildren(QLabel):
        if label.buddy() is edit:
            return label.text().replace("&", "").rstrip(":：").strip()
    return edit.accessibleName() or edit.placeholderText() or edit.objectName()
