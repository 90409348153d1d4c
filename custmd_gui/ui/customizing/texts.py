"""The customizing window's texts (context CustomizingDialog)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from custmd_gui.ui import i18n
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from custmd_gui.domain.errors import Problem

CONTEXT = "CustomizingDialog"

TEXTS: dict[str, str] = {
    "title": QT_TRANSLATE_NOOP("CustomizingDialog", "Customizing - custmd"),
    "tab.lists": QT_TRANSLATE_NOOP("CustomizingDialog", "&Code lists"),
    "tab.groups": QT_TRANSLATE_NOOP("CustomizingDialog", "&Account groups"),
    "tab.ranges": QT_TRANSLATE_NOOP("CustomizingDialog", "&Number ranges"),
    "tab.status": QT_TRANSLATE_NOOP("CustomizingDialog", "&Field status"),
    "tab.changes": QT_TRANSLATE_NOOP("CustomizingDialog", "Change &documents"),
    "col.code": QT_TRANSLATE_NOOP("CustomizingDialog", "Code"),
    "col.parent": QT_TRANSLATE_NOOP("CustomizingDialog", "Parent"),
    "col.text_zh": QT_TRANSLATE_NOOP("CustomizingDialog", "Chinese text"),
    "col.text_en": QT_TRANSLATE_NOOP("CustomizingDialog", "English text"),
    "col.active": QT_TRANSLATE_NOOP("CustomizingDialog", "Active"),
    "col.attrs": QT_TRANSLATE_NOOP("CustomizingDialog", "Attributes"),
    "col.range": QT_TRANSLATE_NOOP("CustomizingDialog", "Number range"),
    "col.akont": QT_TRANSLATE_NOOP("CustomizingDialog", "Reconciliation account"),
    "col.kind": QT_TRANSLATE_NOOP("CustomizingDialog", "Numbering"),
    "col.from": QT_TRANSLATE_NOOP("CustomizingDialog", "From number"),
    "col.to": QT_TRANSLATE_NOOP("CustomizingDialog", "To number"),
    "col.rule": QT_TRANSLATE_NOOP("CustomizingDialog", "External rule"),
    "col.level": QT_TRANSLATE_NOOP("CustomizingDialog", "Current number"),
    "col.field_group": QT_TRANSLATE_NOOP("CustomizingDialog", "Field group"),
    "col.screen": QT_TRANSLATE_NOOP("CustomizingDialog", "Screen"),
    "col.result": QT_TRANSLATE_NOOP("CustomizingDialog", "Result: {activity}"),
    "col.time": QT_TRANSLATE_NOOP("CustomizingDialog", "Changed at"),
    "col.user": QT_TRANSLATE_NOOP("CustomizingDialog", "User"),
    "col.table": QT_TRANSLATE_NOOP("CustomizingDialog", "Table"),
    "col.key": QT_TRANSLATE_NOOP("CustomizingDialog", "Key"),
    "col.field": QT_TRANSLATE_NOOP("CustomizingDialog", "Field"),
    "col.indicator": QT_TRANSLATE_NOOP("CustomizingDialog", "Change"),
    "col.old": QT_TRANSLATE_NOOP("CustomizingDialog", "Old value"),
    "col.new": QT_TRANSLATE_NOOP("CustomizingDialog", "New value"),
    "internal": QT_TRANSLATE_NOOP("CustomizingDialog", "internal"),
    "external": QT_TRANSLATE_NOOP("CustomizingDialog", "external"),
    "status.required": QT_TRANSLATE_NOOP("CustomizingDialog", "Required"),
    "status.optional": QT_TRANSLATE_NOOP("CustomizingDialog", "Optional"),
    "status.display": QT_TRANSLATE_NOOP("CustomizingDialog", "Display"),
    "status.suppressed": QT_TRANSLATE_NOOP("CustomizingDialog", "Suppressed"),
    "activity.create": QT_TRANSLATE_NOOP("CustomizingDialog", "Create"),
    "activity.change": QT_TRANSLATE_NOOP("CustomizingDialog", "Change"),
    "activity.display": QT_TRANSLATE_NOOP("CustomizingDialog", "Display"),
    "ind.I": QT_TRANSLATE_NOOP("CustomizingDialog", "added"),
    "ind.U": QT_TRANSLATE_NOOP("CustomizingDialog", "changed"),
    "ind.D": QT_TRANSLATE_NOOP("CustomizingDialog", "deleted"),
    "used_by": QT_TRANSLATE_NOOP("CustomizingDialog", "Value help of: {fields}"),
    "used_by_none": QT_TRANSLATE_NOOP("CustomizingDialog", "Used by no field of the catalog"),
    "group": QT_TRANSLATE_NOOP("CustomizingDialog", "Account &group"),
    "status_hint": QT_TRANSLATE_NOOP(
        "CustomizingDialog",
        "The result combines the account group's status with the activity's: suppressed > "
        "display > required > optional; display shows every field read-only.",
    ),
    "add": QT_TRANSLATE_NOOP("CustomizingDialog", "New &entry"),
    "save": QT_TRANSLATE_NOOP("CustomizingDialog", "&Save"),
    "delete": QT_TRANSLATE_NOOP("CustomizingDialog", "De&lete"),
    "where_used": QT_TRANSLATE_NOOP("CustomizingDialog", "&Where used"),
    "refresh": QT_TRANSLATE_NOOP("CustomizingDialog", "&Refresh"),
    "close": QT_TRANSLATE_NOOP("CustomizingDialog", "Close"),
    "saved": QT_TRANSLATE_NOOP("CustomizingDialog", "{n} entries saved"),
    "nothing": QT_TRANSLATE_NOOP("CustomizingDialog", "Nothing changed"),
    "deleted": QT_TRANSLATE_NOOP("CustomizingDialog", "{code} deleted"),
    "not_used": QT_TRANSLATE_NOOP("CustomizingDialog", "{code} is used by no customer"),
    "used": QT_TRANSLATE_NOOP(
        "CustomizingDialog", "{code} is used by {n} customers ({numbers}) in {fields}"
    ),
    "export": QT_TRANSLATE_NOOP("CustomizingDialog", "E&xport…"),
    "import": QT_TRANSLATE_NOOP("CustomizingDialog", "&Import…"),
    "export_title": QT_TRANSLATE_NOOP("CustomizingDialog", "Export customizing"),
    "import_title": QT_TRANSLATE_NOOP("CustomizingDialog", "Import customizing"),
    "yaml_filter": QT_TRANSLATE_NOOP("CustomizingDialog", "Customizing (*.yaml *.yml)"),
    "file_failed": QT_TRANSLATE_NOOP("CustomizingDialog", "{file}: {error}"),
    "exported": QT_TRANSLATE_NOOP("CustomizingDialog", "Exported to {file}"),
    "import_question": QT_TRANSLATE_NOOP(
        "CustomizingDialog", "Import this file? {summary}\n\nThe details list every change."
    ),
    "export_hint": QT_TRANSLATE_NOOP(
        "CustomizingDialog",
        "Export: on the code lists page the list shown, on the other pages everything",
    ),
    "history": QT_TRANSLATE_NOOP("CustomizingDialog", "C&hange documents"),
    "history_hint": QT_TRANSLATE_NOOP(
        "CustomizingDialog", "The change documents of the entry chosen on this page"
    ),
    "changes.table": QT_TRANSLATE_NOOP("CustomizingDialog", "&Table"),
    "changes.key": QT_TRANSLATE_NOOP("CustomizingDialog", "&Key starts with"),
    "changes.key_hint": QT_TRANSLATE_NOOP("CustomizingDialog", "e.g. payment_terms:Z030"),
    "changes.all": QT_TRANSLATE_NOOP("CustomizingDialog", "All tables"),
    "table.cust_value": QT_TRANSLATE_NOOP("CustomizingDialog", "Code list values"),
    "table.cust_list": QT_TRANSLATE_NOOP("CustomizingDialog", "Code lists"),
    "table.cust_ktokd": QT_TRANSLATE_NOOP("CustomizingDialog", "Account groups"),
    "table.cust_field_status": QT_TRANSLATE_NOOP("CustomizingDialog", "Field status"),
    "table.nriv": QT_TRANSLATE_NOOP("CustomizingDialog", "Number ranges"),
    "select_row": QT_TRANSLATE_NOOP("CustomizingDialog", "Select an entry first"),
    "bad_attrs": QT_TRANSLATE_NOOP(
        "CustomizingDialog", "Row {row}: attributes are written key=value; key=value"
    ),
}


def tr_(key: str) -> str:
    return QCoreApplication.translate(CONTEXT, TEXTS[key])


def problem_lines(problems: Sequence[Problem]) -> str:
    lang = i18n.language()
    return "\n".join(f"{p.field_key}: {p.message.get(lang)}" for p in problems)
