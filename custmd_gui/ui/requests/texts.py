"""The words of the request screens (context RequestScreens): English sources marked for
lupdate, translated where shown (resources/i18n: Chinese by default, English as written)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP

CONTEXT = "RequestScreens"
T: dict[str, str] = {
    "list.title": QT_TRANSLATE_NOOP("RequestScreens", "Maintenance requests"),
    "tab.mine": QT_TRANSLATE_NOOP("RequestScreens", "My requests"),
    "tab.inbox": QT_TRANSLATE_NOOP("RequestScreens", "Waiting for me"),
    "tab.count": QT_TRANSLATE_NOOP("RequestScreens", "{name} ({n})"),
    "filter.status": QT_TRANSLATE_NOOP("RequestScreens", "&Status"),
    "filter.type": QT_TRANSLATE_NOOP("RequestScreens", "T&ype"),
    "filter.all": QT_TRANSLATE_NOOP("RequestScreens", "(all)"),
    "refresh": QT_TRANSLATE_NOOP("RequestScreens", "&Refresh"),
    "open": QT_TRANSLATE_NOOP("RequestScreens", "&Open"),
    "correct": QT_TRANSLATE_NOOP("RequestScreens", "Correct (&M)…"),
    "withdraw": QT_TRANSLATE_NOOP("RequestScreens", "&Withdraw"),
    "withdraw.title": QT_TRANSLATE_NOOP("RequestScreens", "Withdraw request"),
    "withdraw.ask": QT_TRANSLATE_NOOP(
        "RequestScreens", "Withdraw request {number}? It cannot be submitted again."
    ),
    "col.number": QT_TRANSLATE_NOOP("RequestScreens", "Number"),
    "col.type": QT_TRANSLATE_NOOP("RequestScreens", "Type"),
    "col.status": QT_TRANSLATE_NOOP("RequestScreens", "Status"),
    "col.customer": QT_TRANSLATE_NOOP("RequestScreens", "Customer"),
    "col.requester": QT_TRANSLATE_NOOP("RequestScreens", "Requester"),
    "col.org_unit": QT_TRANSLATE_NOOP("RequestScreens", "Org unit"),
    "col.changed": QT_TRANSLATE_NOOP("RequestScreens", "Changed"),
    "inbox.status": QT_TRANSLATE_NOOP("RequestScreens", "Waiting for me: {n}"),
    "review.title": QT_TRANSLATE_NOOP("RequestScreens", "Request {number}"),
    "review.data": QT_TRANSLATE_NOOP("RequestScreens", "Requested data"),
    "review.field": QT_TRANSLATE_NOOP("RequestScreens", "Field"),
    "review.section": QT_TRANSLATE_NOOP("RequestScreens", "Part"),
    "review.proposed": QT_TRANSLATE_NOOP("RequestScreens", "Requested"),
    "review.current": QT_TRANSLATE_NOOP("RequestScreens", "Current"),
    "review.duplicates": QT_TRANSLATE_NOOP("RequestScreens", "Duplicate check"),
    "review.no_duplicates": QT_TRANSLATE_NOOP("RequestScreens", "No possible duplicate found"),
    "review.history": QT_TRANSLATE_NOOP("RequestScreens", "History"),
    "review.attachments": QT_TRANSLATE_NOOP("RequestScreens", "Attachments"),
    "hist.at": QT_TRANSLATE_NOOP("RequestScreens", "At"),
    "hist.user": QT_TRANSLATE_NOOP("RequestScreens", "User"),
    "hist.action": QT_TRANSLATE_NOOP("RequestScreens", "Action"),
    "hist.comment": QT_TRANSLATE_NOOP("RequestScreens", "Comment"),
    "att.name": QT_TRANSLATE_NOOP("RequestScreens", "File"),
    "att.size": QT_TRANSLATE_NOOP("RequestScreens", "Size"),
    "att.by": QT_TRANSLATE_NOOP("RequestScreens", "Added by"),
    "att.at": QT_TRANSLATE_NOOP("RequestScreens", "Added"),
    "att.add": QT_TRANSLATE_NOOP("RequestScreens", "A&ttach…"),
    "att.open": QT_TRANSLATE_NOOP("RequestScreens", "Ope&n"),
    "att.save": QT_TRANSLATE_NOOP("RequestScreens", "&Save a copy…"),
    "att.remove": QT_TRANSLATE_NOOP("RequestScreens", "&Delete"),
    "att.add_title": QT_TRANSLATE_NOOP("RequestScreens", "Attach a file"),
    "att.save_title": QT_TRANSLATE_NOOP("RequestScreens", "Save a copy of the attachment"),
    "att.added": QT_TRANSLATE_NOOP("RequestScreens", "Attached {name}"),
    "att.removed": QT_TRANSLATE_NOOP("RequestScreens", "Removed {name}"),
    "att.saved": QT_TRANSLATE_NOOP("RequestScreens", "Saved {path}"),
    "att.opened": QT_TRANSLATE_NOOP("RequestScreens", "Opened {path}"),
    "review.comment": QT_TRANSLATE_NOOP("RequestScreens", "&Comment / reason"),
    "review.reason_needed": QT_TRANSLATE_NOOP("RequestScreens", "Enter the reason to {action}"),
    "review.done": QT_TRANSLATE_NOOP("RequestScreens", "Request {number}: {status}"),
    "review.pdf": QT_TRANSLATE_NOOP("RequestScreens", "&Print…"),
    "review.pdf_saved": QT_TRANSLATE_NOOP("RequestScreens", "Exported {path}"),
    "review.pdf_failed": QT_TRANSLATE_NOOP("RequestScreens", "Cannot write {path}: {error}"),
    "review.header": QT_TRANSLATE_NOOP(
        "RequestScreens",
        "{type} · {status} · requester {requester} ({org_unit}) · customer {customer}",
    ),
    "review.reason": QT_TRANSLATE_NOOP("RequestScreens", "Reason: {reason}"),
    "btn.review": QT_TRANSLATE_NOOP("RequestScreens", "Start re&view"),
    "btn.return": QT_TRANSLATE_NOOP("RequestScreens", "Return (&B)"),
    "btn.reject": QT_TRANSLATE_NOOP("RequestScreens", "Re&ject"),
    "btn.approve": QT_TRANSLATE_NOOP("RequestScreens", "&Approve"),
    "btn.activate": QT_TRANSLATE_NOOP("RequestScreens", "Activat&e"),
    "btn.submit": QT_TRANSLATE_NOOP("RequestScreens", "S&ubmit"),
    "btn.resubmit": QT_TRANSLATE_NOOP("RequestScreens", "Res&ubmit"),
    "btn.withdraw": QT_TRANSLATE_NOOP("RequestScreens", "&Withdraw"),
}


def t(key: str) -> str:
    return QCoreApplication.translate(CONTEXT, T[key])
