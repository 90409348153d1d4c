"""A request's attachments in its review view (a scan of the business licence): the list,
添加 (a file dialog; the services' size limit checked before the file is read, refused in
Chinese), 打开 (a copy in a temporary folder, opened by the desktop), 另存为 (a copy where the
user says) and 删除. Adding and removing only while the request may be edited: by its
requester while it is a draft or returned, by a reviewer while it is in review (the services
decide; their refusal is said in red). Every call runs in a worker thread (ui.operations)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.requests import (
    TRANSITIONS,
    Action,
    AttachmentInfo,
    Request,
    RequestStatus,
    attachment_problems,
)
from custmd_gui.services import requests as rq
from custmd_gui.ui.operations import Operation
from custmd_gui.ui.requests.texts import t

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory

COLUMNS = ("att.name", "att.size", "att.by", "att.at")


def may_attach(request: Request, user: str) -> bool:
    """Whether the add and remove buttons are enabled: the status allows it and the user is
    the requester of a draft or returned request, or someone else reviewing it."""
    if (request.status, Action.ATTACH) not in TRANSITIONS:
        return False
    if request.status is RequestStatus.IN_REVIEW:
        return user != request.requester
    return user == request.requester


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


class AttachmentsPanel(QWidget):
    """The list and its buttons; `changed` after an attachment was added or removed,
    `refused` with what the services or the file system refused (the review says it)."""

    changed = Signal()
    refused = Signal(object)  # DomainError
    said = Signal(str)  # what was done, for the review's info line

    def __init__(
        self, uow_factory: UowFactory, actor: Actor, number: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.factory, self.actor, self.number = uow_factory, actor, number
        self.shown: list[AttachmentInfo] = []
        self.operation: Operation[Any] | None = None
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("review_attachments")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setHorizontalHeaderLabels([t(c) for c in COLUMNS])
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        self.table.itemSelectionChanged.connect(self._set_buttons)
        self.buttons: dict[str, QPushButton] = {}
        column = QVBoxLayout()
        for key, slot in (
            ("add", self._ask_add),
            ("open", self.open_current),
            ("save", self._ask_save),
            ("remove", self.remove_current),
        ):
            button = QPushButton(t(f"att.{key}"), self)
            button.setObjectName(f"attachment_{key}")
            button.clicked.connect(slot)
            self.buttons[key] = button
            column.addWidget(button)
        column.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.table, 1)
        row.addLayout(column)
        self.editable = False
        self._set_buttons()

    def show_request(self, request: Request | None) -> None:
        self.shown = list(request.attachments) if request is not None else []
        self.editable = request is not None and may_attach(request, self.actor.user)
        self.table.setRowCount(len(self.shown))
        for row, info in enumerate(self.shown):
            cells = (
                info.name,
                size_text(info.size),
                info.added_by,
                f"{info.added_at.astimezone():%Y-%m-%d %H:%M}",
            )
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if self.shown:
            self.table.setCurrentCell(0, 0)
        self._set_buttons()

    def current(self) -> AttachmentInfo | None:
        row = self.table.currentRow()
        return self.shown[row] if 0 <= row < len(self.shown) else None

    @Slot()
    def _set_buttons(self) -> None:
        chosen = self.current() is not None
        self.buttons["add"].setEnabled(self.editable)
        self.buttons["remove"].setEnabled(self.editable and chosen)
        self.buttons["open"].setEnabled(chosen)
        self.buttons["save"].setEnabled(chosen)

    def _run(self, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        self.operation = (
            Operation(self.window(), work).on_success(then).on_failure(self.refused.emit).run()
        )

    # -- adding and removing --------------------------------------------------------------

    @Slot()
    def _ask_add(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, t("att.add_title"))
        if path:
            self.add_file(Path(path))

    def add_file(self, path: Path) -> None:
        """Attach the file at `path`: too big, empty or unreadable it is refused before it is
        read whole (the services check again)."""
        try:
            size = path.stat().st_size
        except OSError as error:
            self.refused.emit(_file_error(path, error))
            return
        if problems := attachment_problems(path.name, size):
            self.refused.emit(DomainError(problems))
            return
        try:
            content = path.read_bytes()
        except OSError as error:
            self.refused.emit(_file_error(path, error))
            return
        factory, actor, number = self.factory, self.actor, self.number

        def added(info: AttachmentInfo) -> None:
            self.said.emit(t("att.added").format(name=info.name))
            self.changed.emit()

        self._run(lambda: rq.attach(factory, actor, number, path.name, content), added)

    @Slot()
    def remove_current(self) -> None:
        info = self.current()
        if info is None or not self.editable:
            return
        factory, actor, number = self.factory, self.actor, self.number

        def removed(name: str) -> None:
            self.said.emit(t("att.removed").format(name=name))
            self.changed.emit()

        self._run(lambda: rq.remove_attachment(factory, actor, number, info.id), removed)

    # -- reading --------------------------------------------------------------------------

    def _content(self, then: Callable[[tuple[str, bytes]], None]) -> None:
        info = self.current()
        if info is None:
            return
        factory, actor, number = self.factory, self.actor, self.number
        self._run(lambda: rq.attachment(factory, actor, number, info.id), then)

    @Slot()
    def _ask_save(self) -> None:
        info = self.current()
        if info is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, t("att.save_title"), info.name)
        if path:
            self.save_copy(Path(path))

    def save_copy(self, target: Path) -> None:
        """The current attachment's bytes written to `target`."""

        def write(found: tuple[str, bytes]) -> None:
            if self._write(target, found[1]):
                self.said.emit(t("att.saved").format(path=target))

        self._content(write)

    @Slot()
    def open_current(self) -> None:
        """A copy in a temporary folder of its own, opened by the desktop's program for it."""

        def show(found: tuple[str, bytes]) -> None:
            name, content = found
            target = Path(tempfile.mkdtemp(prefix="custmd-")) / Path(name).name
            if self._write(target, content):
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
                self.said.emit(t("att.opened").format(path=target))

        self._content(show)

    def _write(self, target: Path, content: bytes) -> bool:
        try:
            target.write_bytes(content)
        except OSError as error:
            self.refused.emit(_file_error(target, error))
            return False
        return True


def _file_error(path: Path, error: OSError) -> DomainError:
    reason = error.strerror or str(error)
    return DomainError.single(
        "REQUEST-ATTACHMENT",
        f"文件 {path} 无法读写：{reason}",
        f"Cannot read or write {path}: {reason}",
    )
