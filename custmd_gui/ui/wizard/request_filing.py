"""XD01's 提交申请: for a user who must file a maintenance request instead of saving (issue
18: his roles lack skip_review and the customizing's request_required names the create or the
extension), Ctrl+S and the save button run the same checks and duplicate question as the save,
ask the request's reason, and file the screens' data as requests (WizardSession.file_request),
submitted at once. XD02 keeps its save: its service refuses the fields that need a request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from custmd_gui.ui.wizard.dialogs import ask_reason

if TYPE_CHECKING:
    from custmd_gui.domain.requests import Request
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
    if keys is None or session.displaying or session.changing:
        return False
    if session.actor.rights.has(Permission.SKIP_REVIEW):
        return False
    routing = rules(session.customizing)
    if keys.extending is None:
        return routing.needs_request(RequestType.CREATE)
    return routing.needs_request(RequestType.EXTEND_COMPANY_CODE) or routing.needs_request(
        RequestType.EXTEND_SALES_AREA
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
