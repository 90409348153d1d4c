"""A requester's returned request (or draft) opened on XD01's screens (a change request: on
XD02's) to correct it and submit it again (ui.wizard.request_filing.open_request), from the
work list or the review view. The request and the customizing are read in a worker thread;
one window per request, a window of the top-level window that asked for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.requests import Request
from custmd_gui.services.customizing import read_customizing
from custmd_gui.services.requests import read_request
from custmd_gui.ui.operations import Operation
from custmd_gui.ui.qtutils import bring_up

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory
    from custmd_gui.ui.wizard import CustomerWizard


def window_name(number: str) -> str:
    return f"request_wizard_{number}"


def _top(widget: QWidget) -> QWidget:
    while (above := widget.parentWidget()) is not None:
        widget = above
    return widget


def open_correction(
    parent: QWidget,
    uow_factory: UowFactory,
    actor: Actor,
    number: str,
    refused: Callable[[DomainError], None],
) -> Operation[tuple[Request, Customizing]]:
    """Read the request and open it on the screens (an open one is brought up); `refused`
    hears what the services or the screens refuse (not the requester's, not correctable)."""
    owner = _top(parent)

    def read() -> tuple[Request, Customizing]:
        return read_request(uow_factory, actor, number), read_customizing(uow_factory)

    def show(found: tuple[Request, Customizing]) -> None:
        from custmd_gui.ui.wizard import CustomerWizard
        from custmd_gui.wizard.filing import may_correct, not_correctable

        request, customizing = found
        if not may_correct(request, actor.user):
            refused(not_correctable(request, actor.user))
            return
        wizard = owner.findChild(CustomerWizard, window_name(number))
        if wizard is None:
            from custmd_gui.domain.field_status import Activity
            from custmd_gui.domain.requests import RequestType

            # a change request on XD02's screens, under the customer's edit lock
            activity = Activity.CHANGE if request.type is RequestType.CHANGE else Activity.CREATE
            wizard = CustomerWizard(uow_factory, customizing, actor, owner, activity=activity)
            wizard.setObjectName(window_name(number))
            wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            wizard.open_request(request)
        bring_up(wizard)

    return Operation(parent, read).on_success(show).on_failure(refused).run()


def corrections(window: QWidget) -> list[CustomerWizard]:
    """The correction windows open under `window`'s top-level window."""
    from custmd_gui.ui.wizard import CustomerWizard

    return [
        w
        for w in _top(window).findChildren(CustomerWizard)
        if w.objectName().startswith("request_wizard_")
    ]
