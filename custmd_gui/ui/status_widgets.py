"""What XD05/XD06 and the mass block dialog share: the block-reason box, the comment with the
message line under it, and problems worded with their fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import Problem
from custmd_gui.services.status import (
    COMMENT_KEY,
    REASONS,
)
from custmd_gui.ui import i18n, icons
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP
from custmd_gui.ui.length_guard import guard_length
from custmd_gui.ui.message_panel import field_label
from custmd_gui.ui.styles import ERROR_STYLE, WARNING_STYLE

if TYPE_CHECKING:
    pass


KINDS = ("order", "delivery", "billing")  # the sales blocks, in SAP's column order


def widget_key(key: str) -> str:
    """An object name part for a company code or sales area: F011/10/01 -> F011_10_01."""
    return key.replace("/", "_")


_COMMENT = QT_TRANSLATE_NOOP("StatusDialog", "Comment")
_FIELD_MESSAGE = QT_TRANSLATE_NOOP("StatusDialog", "{field}: {message}")


def problem_lines(problems: Sequence[Problem]) -> str:
    """Every problem on its own line, naming its field (and segment) in the UI language."""
    lang = i18n.language()
    lines = []
    for p in problems:
        if p.field_key == COMMENT_KEY:  # not a catalog field: the dialog's own label
            label = QCoreApplication.translate("StatusDialog", _COMMENT)
        else:
            label = field_label(p.field_key, lang)
        if p.segment:
            label = f"{label} {p.segment}"
        text = QCoreApplication.translate("StatusDialog", _FIELD_MESSAGE)
        lines.append(text.format(field=label, message=p.message.get(lang)))
    return "\n".join(lines)


class MessageLine(QLabel):
    """The line that says what was done or why not, with the icon of what it says beside it
    (`mark`): an error and a warning in their colours, a success in the normal one."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("status")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mark = QLabel(parent)
        self.mark.setObjectName("status_icon")
        self.mark.setFixedSize(16, 16)
        self.mark.hide()
        self.kind = ""

    def say(self, text: str, kind: str = "") -> None:
        """`kind`: "error", "warning", "success" or "" (no icon); an empty text, none."""
        self.kind = kind if text else ""
        self.setText(text)
        self.setStyleSheet({"error": ERROR_STYLE, "warning": WARNING_STYLE}.get(kind, ""))
        if self.kind:
            self.mark.setPixmap(icons.icon(self.kind).pixmap(16, 16))
        self.mark.setVisible(bool(self.kind))


def comment_and_message(
    dialog: QDialog, layout: QVBoxLayout
) -> tuple[QLabel, QLineEdit, MessageLine]:
    """The required comment (stored on the change document) and, under it, the line that
    says what was done or why not: the same at the foot of XD05/XD06 and of the mass dialog."""
    row = QHBoxLayout()
    label = QLabel(dialog)
    edit = QLineEdit(dialog)
    edit.setObjectName("CDHDR_COMMENT")
    guard_length(edit, 255)
    label.setBuddy(edit)
    row.addWidget(label)
    row.addWidget(edit, 1)
    layout.addLayout(row)
    message = MessageLine(dialog)
    line = QHBoxLayout()
    line.addWidget(message.mark, 0, Qt.AlignmentFlag.AlignTop)
    line.addWidget(message, 1)
    layout.addLayout(line)
    return label, edit, message


class ReasonCombo(QComboBox):
    """A block reason: blank (no block, or in a mass action: leave as is) or a reason of the
    customizing, shown as "01 信用冻结"; typing the code picks it, Delete empties it."""

    def __init__(self, customizing: Customizing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.customizing = customizing
        # Compact in the grid (a long English reason is elided); the list opens wide enough.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)
        self.fill()

    def fill(self) -> None:
        """The reasons in the current language (again after a language switch)."""
        chosen = self.value()
        lang = i18n.language()
        self.blockSignals(True)
        self.clear()
        self.addItem("", "")
        for reason in self.customizing.values(REASONS):
            self.addItem(f"{reason.code} {reason.text.get(lang)}", reason.code)
        self.blockSignals(False)
        self.set_value(chosen)
        metrics = self.view().fontMetrics()
        widest = max(metrics.horizontalAdvance(self.itemText(i)) for i in range(self.count()))
        self.view().setMinimumWidth(widest + 32)

    def value(self) -> str:
        return str(self.currentData() or "")

    def set_value(self, code: str) -> None:
        index = self.findData(code)
        if index < 0:  # a reason no longer in the customizing: show it as it is stored
            self.addItem(code, code)
            index = self.count() - 1
        self.setCurrentIndex(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.setCurrentIndex(0)
            return
        super().keyPressEvent(event)
