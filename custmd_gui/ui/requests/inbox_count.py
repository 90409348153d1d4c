"""待我处理 N in the main window's status bar: how many requests wait for the signed-in user,
read in the background when the session starts and again whenever a request or a customer
changed. Services are imported when it first reads (the window shows before the domain)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QWidget

from custmd_gui.ui.operations import Operation, customer_events
from custmd_gui.ui.request_events import request_events

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory


class InboxCount(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inbox_count")
        self.factory: UowFactory | None = None
        self.actor: Actor | None = None
        self.operation: Operation[int] | None = None
        self.hide()
        request_events().requests_changed.connect(self.refresh)
        customer_events().customers_changed.connect(self.refresh)

    def start(self, uow_factory: UowFactory, actor: Actor) -> None:
        self.factory, self.actor = uow_factory, actor
        self.refresh()

    def stop(self) -> None:
        """The database is let go of: read no more, and let a reading finish first (its
        connection must not outlive the engine)."""
        self.factory = self.actor = None
        if self.operation is not None:
            self.operation.join(10)
        self.hide()

    @Slot()
    def refresh(self, *_ignored: object) -> None:
        factory, actor = self.factory, self.actor
        if factory is None or actor is None:
            return
        from custmd_gui.services.requests import list_requests

        self.operation = (
            Operation(None, lambda: len(list_requests(factory, actor, inbox=True)), busy=False)
            .on_success(self._show)
            # a user without a right to requests has none waiting: no count shown
            .on_failure(lambda _error: self.hide())
            .run()
        )

    def _show(self, count: int) -> None:
        if self.factory is None:  # read before the database was let go of
            return
        from custmd_gui.ui.requests.texts import t

        self.setText(t("inbox.status").format(n=count))
        self.show()
