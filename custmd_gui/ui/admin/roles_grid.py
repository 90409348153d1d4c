"""The roles tab's grid: a check box centred in every cell, headers wrapped to fit, Enter saves."""

from __future__ import annotations

import re

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFontMetrics, QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
)

from custmd_gui.domain.authorization import Permission

PERMISSIONS: tuple[Permission, ...] = tuple(Permission)
CHANGED = QColor("#fff1b8")  # the background of a cell ticked or unticked but not saved
CODE_ROLE = Qt.ItemDataRole.UserRole  # a header's role or permission code
# Marks a line neither ends with (OPENING) nor starts with (CLOSING).
OPENING = "（("
CLOSING = "）)，、"


def wrapped(text: str, metrics: QFontMetrics, width: int) -> str:
    """`text` in lines no wider than `width` where it can break: between words, and in
    Chinese between characters, but not inside brackets (总部主数据维护员 / （一般数据）) nor
    before a closing mark. A word or bracket wider than `width` stays whole."""
    if " " in text:
        pieces = re.findall(r"\S+\s*", text)
    else:
        opening, closing = re.escape(OPENING), re.escape(CLOSING)
        pieces = re.findall(f"[{opening}][^{closing}]*[{closing}]+|[{opening}]?.[{closing}]*", text)
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if line and metrics.horizontalAdvance((line + piece).rstrip()) > width:
            lines.append(line.rstrip())
            line = piece
        else:
            line += piece
    lines.append(line.rstrip())
    return "\n".join(lines)


class CenteredCheckDelegate(QStyledItemDelegate):
    """A cell that is only a check box, drawn in the middle of the cell (Qt's own sits at the
    left edge, far from the column's header). Space (the view passes it on) or a click on the
    box ticks."""

    def _indicator(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QRect:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        size = style.subElementRect(
            QStyle.SubElement.SE_ItemViewItemCheckIndicator, opt, opt.widget
        ).size()
        return QStyle.alignedRect(opt.direction, Qt.AlignmentFlag.AlignCenter, size, option.rect)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        checked = Qt.CheckState(opt.checkState) == Qt.CheckState.Checked
        # Background, selection and focus frame as usual, without the box at the left...
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        # ...and the box in the middle.
        box = QStyleOptionViewItem(opt)
        box.rect = self._indicator(option, index)
        state = box.state & ~QStyle.StateFlag.State_HasFocus
        state |= QStyle.StateFlag.State_On if checked else QStyle.StateFlag.State_Off
        box.state = state
        style.drawPrimitive(
            QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck, box, painter, opt.widget
        )

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        flags = model.flags(index)
        if not (flags & Qt.ItemFlag.ItemIsUserCheckable and flags & Qt.ItemFlag.ItemIsEnabled):
            return False
        kind = event.type()
        if isinstance(event, QMouseEvent):
            inside = self._indicator(option, index).contains(event.position().toPoint())
            if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
                return inside  # eaten, so that a double click does not open anything
            if kind != QEvent.Type.MouseButtonRelease or not inside:
                return False
            if event.button() != Qt.MouseButton.LeftButton:
                return False
        elif isinstance(event, QKeyEvent):
            if event.key() not in (Qt.Key.Key_Space, Qt.Key.Key_Select):
                return False
        else:
            return False
        checked = Qt.CheckState(index.data(Qt.ItemDataRole.CheckStateRole))
        new = Qt.CheckState.Unchecked if checked == Qt.CheckState.Checked else Qt.CheckState.Checked
        return model.setData(index, new, Qt.ItemDataRole.CheckStateRole)


class RolesGrid(QTableWidget):
    """The grid of the roles tab: Enter asks to save (a dialog has one default button, the
    users page's 保存, so Enter is caught here)."""

    save_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            event.accept()
            self.save_requested.emit()
            return
        super().keyPressEvent(event)
