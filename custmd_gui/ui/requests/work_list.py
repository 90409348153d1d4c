"""The work list of the maintenance requests: 我的申请 (filed by the user) and 待我处理
(waiting for him: services.requests.list_requests' inbox), filtered by status and type; Enter
or a double click opens the review view (ui.requests.review). Both lists are read in one
worker call, so each tab shows its count; it reads again whenever a request changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.requests import STATUS_TEXTS, TRANSITIONS, TYPE_TEXTS, Action, Request
from custmd_gui.services.requests import list_requests, withdraw
from custmd_gui.ui import i18n
from custmd_gui.ui.operations import Operation
from custmd_gui.ui.qtutils import bring_up, error_label
from custmd_gui.ui.request_events import request_events
from custmd_gui.ui.requests.texts import t
from custmd_gui.ui.window_layout import KeptWidths, restore_geometry, save_geometry

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory
    from custmd_gui.ui.requests.review import RequestReview

OBJECT_NAME = "request_work_list"
COLUMNS = ("number", "type", "status", "customer", "requester", "org_unit", "changed")
TABS = ("mine", "inbox")
Lists = tuple[list[Request], list[Request]]


def read_lists(uow_factory: UowFactory, actor: Actor) -> Lists:
    """我的申请 and 待我处理 (in a worker thread)."""
    return (
        list_requests(uow_factory, actor, mine=True),
        list_requests(uow_factory, actor, inbox=True),
    )


def _cell(request: Request, column: str, lang: str) -> str:
    if column == "type":
        return TYPE_TEXTS[request.type].get(lang)
    if column == "status":
        return STATUS_TEXTS[request.status].get(lang)
    if column == "changed":
        return f"{request.changed_at.astimezone():%Y-%m-%d %H:%M}"
    return str(getattr(request, column))


class _Table(QTableWidget):
    """Enter opens the current row (a table's Enter would otherwise edit or do nothing)."""

    def __init__(self, owner: RequestWorkList) -> None:
        super().__init__(0, len(COLUMNS), owner)
        self.owner = owner

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.owner.open_current()
            return
        super().keyPressEvent(event)


class RequestWorkList(QWidget):
    def __init__(self, uow_factory: UowFactory, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.factory, self.actor = uow_factory, actor
        self.lists: Lists = ([], [])
        self.shown: list[Request] = []
        self.operation: Operation[Any] | None = None
        self.setObjectName(OBJECT_NAME)
        self.setWindowTitle(t("list.title"))
        lang = i18n.language()
        self.tabs = QTabBar(self)
        self.tabs.setObjectName("request_tabs")
        for key in TABS:
            self.tabs.addTab(t(f"tab.{key}"))
        self.tabs.currentChanged.connect(self._fill)
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("request_status_filter")
        self.status_combo.addItem(t("filter.all"), "")
        for status, text in STATUS_TEXTS.items():
            self.status_combo.addItem(text.get(lang), status.value)
        self.type_combo = QComboBox(self)
        self.type_combo.setObjectName("request_type_filter")
        self.type_combo.addItem(t("filter.all"), "")
        for kind, text in TYPE_TEXTS.items():
            self.type_combo.addItem(text.get(lang), kind.value)
        for combo in (self.status_combo, self.type_combo):
            combo.currentIndexChanged.connect(self._fill)
        self.refresh_button = QPushButton(t("refresh"), self)
        self.refresh_button.clicked.connect(self.refresh)
        self.open_button = QPushButton(t("open"), self)
        self.open_button.clicked.connect(self.open_current)
        # the requester's own steps on his request, without opening it first
        self.correct_button = QPushButton(t("correct"), self)
        self.correct_button.setObjectName("request_correct")
        self.correct_button.clicked.connect(self.correct_current)
        self.withdraw_button = QPushButton(t("withdraw"), self)
        self.withdraw_button.setObjectName("request_withdraw")
        self.withdraw_button.clicked.connect(self.withdraw_current)
        bar = QHBoxLayout()
        for key, combo in (("filter.status", self.status_combo), ("filter.type", self.type_combo)):
            label = QLabel(t(key), self)
            label.setBuddy(combo)
            bar.addWidget(label)
            bar.addWidget(combo)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.open_button)
        bar.addWidget(self.correct_button)
        bar.addWidget(self.withdraw_button)
        self.table = _Table(self)
        self.table.setObjectName("request_table")
        self.table.setHorizontalHeaderLabels([t(f"col.{c}") for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        self.table.itemSelectionChanged.connect(self._set_buttons)
        self.error = error_label(self, "request_list_error")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addLayout(bar)
        layout.addWidget(self.error)
        layout.addWidget(self.table)
        self.setTabOrder(self.table, self.status_combo)
        self.resize(960, 480)
        # As the clerk left it: size, place and the widths dragged (ui.window_layout).
        restore_geometry(self, OBJECT_NAME)
        self.kept = KeptWidths(self.table.horizontalHeader(), COLUMNS, OBJECT_NAME)
        self.kept.restore()
        self._set_buttons()
        request_events().requests_changed.connect(self._request_changed)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        factory, actor = self.factory, self.actor
        self.operation = (
            Operation(self, lambda: read_lists(factory, actor), busy=False)
            .on_success(self._read)
            .on_failure(self._refused)
            .run()
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        # its review views and correction windows are windows of their own: they go with it
        from custmd_gui.ui.requests.correction import corrections
        from custmd_gui.ui.requests.review import RequestReview

        if self.parentWidget() is None and not all(w.close() for w in corrections(self)):
            event.ignore()  # the requester kept his unsaved correction
            return
        for review in self.findChildren(RequestReview):
            review.close()
        if self.isVisible():
            save_geometry(self, OBJECT_NAME)
            self.kept.save()
        super().closeEvent(event)

    @Slot(str)
    def _request_changed(self, _number: str) -> None:
        # a closed list (not yet deleted) no longer reads: its database may be gone
        if self.isVisible():
            self.refresh()

    def _read(self, lists: Lists) -> None:
        if not shiboken6.isValid(self.error):
            return  # the list was closed and deleted while it read
        self.error.hide()
        self.lists = lists
        for index, key in enumerate(TABS):
            self.tabs.setTabText(
                index, t("tab.count").format(name=t(f"tab.{key}"), n=len(lists[index]))
            )
        self._fill()

    def _refused(self, error: DomainError) -> None:
        self.error.setText("\n".join(p.line(i18n.language()) for p in error.problems))
        self.error.show()

    @Slot()
    def _fill(self) -> None:
        status, kind = self.status_combo.currentData(), self.type_combo.currentData()
        lang = i18n.language()
        self.shown = [
            r
            for r in self.lists[self.tabs.currentIndex()]
            if status in ("", r.status.value) and kind in ("", r.type.value)
        ]
        self.table.setRowCount(len(self.shown))
        for row, request in enumerate(self.shown):
            for col, column in enumerate(COLUMNS):
                self.table.setItem(row, col, QTableWidgetItem(_cell(request, column, lang)))
        with self.kept.fitting():  # the columns the clerk dragged stay as they are
            for index in range(len(COLUMNS)):
                if index not in self.kept.dragged:
                    self.table.resizeColumnToContents(index)
        if self.shown:
            self.table.setCurrentCell(0, 0)
        self._set_buttons()

    def current(self) -> Request | None:
        row = self.table.currentRow()
        return self.shown[row] if 0 <= row < len(self.shown) else None

    @Slot()
    def _set_buttons(self) -> None:
        from custmd_gui.wizard.filing import may_correct

        request, user = self.current(), self.actor.user
        self.correct_button.setEnabled(request is not None and may_correct(request, user))
        self.withdraw_button.setEnabled(
            request is not None
            and user == request.requester
            and (request.status, Action.WITHDRAW) in TRANSITIONS
        )

    @Slot()
    def correct_current(self) -> None:
        """The current request on XD01's screens, to correct and submit it again."""
        request = self.current()
        if request is None:
            return
        from custmd_gui.ui.requests.correction import open_correction

        open_correction(self, self.factory, self.actor, request.number, self._refused)

    @Slot()
    def withdraw_current(self) -> None:
        """撤回 the current request of the user's, after asking (it cannot be undone)."""
        request = self.current()
        if request is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            t("withdraw.title"),
            t("withdraw.ask").format(number=request.number),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("request_withdraw_ask")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        factory, actor, number = self.factory, self.actor, request.number
        self.operation = (
            Operation(self, lambda: withdraw(factory, actor, number))
            .on_success(lambda done: request_events().requests_changed.emit(done.number))
            .on_failure(self._refused)
            .run()
        )

    @Slot()
    def open_current(self) -> RequestReview | None:
        request = self.current()
        if request is None:
            return None
        from custmd_gui.ui.requests.review import open_review

        return open_review(self, self.factory, self.actor, request.number)


def open_work_list(
    parent: QWidget | None, uow_factory: UowFactory, actor: Actor
) -> RequestWorkList:
    """The work list (one per main window)."""
    found = parent.findChild(RequestWorkList, OBJECT_NAME) if parent is not None else None
    if found is None or found.factory is not uow_factory or found.actor != actor:
        found = RequestWorkList(uow_factory, actor, parent)
        found.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    else:
        found.refresh()
    bring_up(found)
    return found
