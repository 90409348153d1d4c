"""What the screens file instead of a save (issue 18): the requests a WizardSession's data
make, and whether XD02's change must go to a request. Kept apart from the session, whose
screens and checks do not depend on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from custmd_gui.domain.change_document import diff_customers
from custmd_gui.wizard.filing import corrected, filings
from custmd_gui.wizard.status import changeable_tables

if TYPE_CHECKING:
    from custmd_gui.domain.requests import Request
    from custmd_gui.wizard.session import WizardSession


def file_request(session: WizardSession, reason: str, *, submit: bool = True) -> list[Request]:
    """The screens' data as maintenance requests instead of a save (issue 18): XD01 a
    create request, or one extension request per new company code and sales area; XD02 a
    change request of the whole customer as shown. Submitted at once unless `submit` is
    False; DomainError (every problem, nothing filed) as the services refuse. A request
    being corrected (`correcting`) takes the screens' data and is submitted again."""
    from custmd_gui.services.requests import create_request, edit_request

    keys = session.keys
    if keys is None or session.displaying:
        return []
    found = filings(keys, session.build(), session.changed_customer() if session.changing else None)
    if (request := session.correcting) is not None:
        document = corrected(found, request)
        number = request.number
        return [
            edit_request(session.factory, session.actor, number, document=document, submit=submit)
        ]
    return [
        create_request(session.factory, session.actor, kind, doc, reason=reason, submit=submit)
        for kind, doc in found
    ]


def change_needs_request(session: WizardSession) -> bool:
    """XD02: the screens changed a field the user may only request (a segment he may
    not change but may request a change of), or one whose change needs a maintenance
    request (the customizing's field groups) while he may not skip review: Ctrl+S files
    a change request instead of the save that the change service would refuse."""
    keys = session.keys
    if not session.changing or keys is None or keys.extending is None:
        return False
    from custmd_gui.services.request_rules import change_request_problems

    changes = diff_customers(keys.extending, session.changed_customer().with_number(keys.number))
    direct = changeable_tables(session.actor, keys)
    return any(c.table not in direct for c in changes) or bool(
        change_request_problems(session.actor, session.customizing, changes)
    )
