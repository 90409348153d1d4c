"""A date field that may be left empty, for XD04's date range."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCalendarWidget, QDateEdit, QWidget


class OpenDateEdit(QDateEdit):
    """A date that may be left empty (no limit): shown as the special text at its minimum.

    Delete empties it; typing a digit into the empty field starts from today; the calendar
    (Alt+Down) opens on the current month instead of the minimum's."""

    OPEN = QDate(1900, 1, 1)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(self.OPEN)
        self.setDate(self.OPEN)
        calendar = self.calendarWidget()
        calendar.installEventFilter(self)

    def value(self) -> date | None:
        current = self.date()
        if current == self.OPEN:
            return None
        return date(current.year(), current.month(), current.day())

    def set_value(self, value: date | None) -> None:
        if value is None:
            self.setDate(self.OPEN)
        else:
            self.setDate(QDate(value.year, value.month, value.day))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete:
            self.set_value(None)
            return
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and self.value() is None:
            # QDateTimeEdit swallows Tab on its special text: the field would trap the focus.
            forward = event.key() == Qt.Key.Key_Tab and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            QWidget.focusNextPrevChild(self, forward)
            return
        if self.value() is None and event.text().isdigit():
            self.setDate(QDate.currentDate())
            self.setSelectedSection(QDateEdit.Section.YearSection)
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QCalendarWidget)
            and event.type() == QEvent.Type.Show
            and self.value() is None
        ):
            today = QDate.currentDate()
            watched.setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)
