"""XD01's 提交申请: for a user who must file a maintenance request instead of saving (issue
18: his roles lack skip_review and the customizing's request_required names the create or the
extension), Ctrl+S and the save button run the same checks and duplicate question as the save,
ask the request's reason, and file the screens' data as requests (wizard.requesting.file_request),
submitted at once. XD02 saves directly unless what was changed needs a request (the
customizing's field groups: e.g. the name, tax numbers, bank details); then its Ctrl+S files a
change request of the customer as shown.

A filed request comes back to the screens for its requester to correct (`open_request`, from
the work list or the review view): its keys and proposed data filled in, the same checks, and
Ctrl+S submits it again (重新提交 a returned one, 提交申请 a draft) keeping its reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from custmd_gui.ui.wizard.dialogs import ask_reason

if TYPE_CHECKING:
    from custmd_gui.domain.requests import Request
    from custmd_gui.ui.wizard.shell import WizardShell
    from custmd_gui.wizard import WizardSession


@dataclass(frozen=True)
class Filed:
    """The requests the screens' data were filed as."""

    requests: list[Request]


def must_file(session: WizardSession) -> bool:
    """The screens' data go to a request, not to the customer."""
    from custmd_gui.domain.authorization import Permission
    from custmd_gui.domain.requests import RequestType
    from custmd_gui.services.request_rules import rules

    keys = session.keys
    if keys is None or session.displaying:
        return False
    if session.correcting is not None:
        return True
    if session.changing:
        from custmd_gui.wizard.requesting import change_needs_request

        return change_needs_request(session)
    if session.actor.rights.has(Permission.SKIP_REVIEW):
        return False
    routing = rules(session.customizing)
    if keys.extending is None:
        return routing.needs_request(RequestType.CREATE)
    return routing.needs_request(RequestType.EXTEND_COMPANY_CODE) or routing.needs_request(
        RequestType.EXTEND_SALES_AREA
    )


def resubmits(session: WizardSession) -> bool:
    """The save resubmits a returned request."""
    from custmd_gui.domain.requests import RequestStatus

    request = session.correcting
    return request is not None and request.status is RequestStatus.RETURNED


def correction_keys(window: WizardShell, request: Request) -> dict[str, str] | None:
    """The request's keys for the initial screen; the window corrects it from now on. None
    (the problem listed) when XD01's screens cannot show it."""
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.ui import i18n
    from custmd_gui.wizard.filing import initial_values

    try:
        values = initial_values(request)
    except DomainError as error:
        window.messages.show_problems(error.problems, i18n.language())
        return None
    window.session.correcting = request
    return values


def show_request(window: WizardShell, request: Request) -> None:
    """The request's proposed data in place of what the opened screens propose."""
    from custmd_gui.wizard.filing import correction_base, request_document

    session = window.session
    assert session.keys is not None
    session.keys = correction_base(session.keys, request)
    document = request_document(
        session.catalog,
        session.customizing,
        session.keys,
        session.initial,
        session.active,
        request,
    )
    window.screens.show_document(window.active, document)
    window.history.reset([window.binding(s) for s in window.active])
    window.show_screen(window.active[0])
    window.statusBar().showMessage(
        QCoreApplication.translate(
            "CustomerWizard", "Correct request {number}, then press Ctrl+S to submit it again"
        ).format(number=request.number)
    )


def request_reason(window: QWidget) -> str | None:
    """The request's reason (required), or None when the clerk cancels."""
    return ask_reason(
        window,
        "request_reason",
        QCoreApplication.translate("CustomerWizard", "Submit request"),
        QCoreApplication.translate("CustomerWizard", "&Reason for the request:"),
        "REQUEST_REASON",
    )
