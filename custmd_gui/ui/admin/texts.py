"""The administrator's window's texts (context AdminDialog) and how its pages word a refusal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from custmd_gui.ui import i18n
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from custmd_gui.domain.errors import Problem

CONTEXT = "AdminDialog"

TEXTS: dict[str, str] = {
    "title": QT_TRANSLATE_NOOP("AdminDialog", "Users and organization - custmd"),
    "tab.users": QT_TRANSLATE_NOOP("AdminDialog", "&Users"),
    "tab.archive": QT_TRANSLATE_NOOP("AdminDialog", "&Departments and organizations"),
    "tab.roles": QT_TRANSLATE_NOOP("AdminDialog", "Ro&les"),
    "col.username": QT_TRANSLATE_NOOP("AdminDialog", "User name"),
    "col.name": QT_TRANSLATE_NOOP("AdminDialog", "Full name"),
    "col.department": QT_TRANSLATE_NOOP("AdminDialog", "Department"),
    "col.roles": QT_TRANSLATE_NOOP("AdminDialog", "Roles"),
    "col.disabled": QT_TRANSLATE_NOOP("AdminDialog", "Disabled"),
    "col.locked": QT_TRANSLATE_NOOP("AdminDialog", "Locked"),
    "yes": QT_TRANSLATE_NOOP("AdminDialog", "Yes"),
    "user.box": QT_TRANSLATE_NOOP("AdminDialog", "User"),
    "user.new_box": QT_TRANSLATE_NOOP("AdminDialog", "New user"),
    "username": QT_TRANSLATE_NOOP("AdminDialog", "User &name"),
    "display_name": QT_TRANSLATE_NOOP("AdminDialog", "Full na&me"),
    "password": QT_TRANSLATE_NOOP("AdminDialog", "Initial &password"),
    "password2": QT_TRANSLATE_NOOP("AdminDialog", "Repeat the pass&word"),
    "department": QT_TRANSLATE_NOOP("AdminDialog", "Depar&tment"),
    "organization": QT_TRANSLATE_NOOP("AdminDialog", "&Organization"),
    "roles": QT_TRANSLATE_NOOP("AdminDialog", "Roles"),
    "auth_groups": QT_TRANSLATE_NOOP("AdminDialog", "Authorization &groups"),
    "company_codes": QT_TRANSLATE_NOOP("AdminDialog", "&Company codes"),
    "sales_areas": QT_TRANSLATE_NOOP("AdminDialog", "&Sales areas"),
    "list_hint": QT_TRANSLATE_NOOP(
        "AdminDialog", "Separate several by commas; * means all (sales area: F011/*/*)"
    ),
    "new": QT_TRANSLATE_NOOP("AdminDialog", "&New user"),
    "save": QT_TRANSLATE_NOOP("AdminDialog", "&Save"),
    "disable": QT_TRANSLATE_NOOP("AdminDialog", "D&isable"),
    "enable": QT_TRANSLATE_NOOP("AdminDialog", "&Enable"),
    "reset": QT_TRANSLATE_NOOP("AdminDialog", "&Reset password…"),
    "close": QT_TRANSLATE_NOOP("AdminDialog", "Close"),
    "mismatch": QT_TRANSLATE_NOOP("AdminDialog", "The two passwords differ"),
    "created": QT_TRANSLATE_NOOP("AdminDialog", "User {user} created"),
    "saved": QT_TRANSLATE_NOOP("AdminDialog", "Authorizations of user {user} saved"),
    "disabled": QT_TRANSLATE_NOOP("AdminDialog", "User {user} disabled"),
    "enabled": QT_TRANSLATE_NOOP("AdminDialog", "User {user} enabled"),
    "reset_done": QT_TRANSLATE_NOOP("AdminDialog", "The password of user {user} was reset"),
    "reset_title": QT_TRANSLATE_NOOP("AdminDialog", "Reset the password of {user}"),
    "new_password": QT_TRANSLATE_NOOP("AdminDialog", "New &password"),
    "field_message": QT_TRANSLATE_NOOP("AdminDialog", "{field}: {message}"),
    "department.box": QT_TRANSLATE_NOOP("AdminDialog", "Departments"),
    "organization.box": QT_TRANSLATE_NOOP("AdminDialog", "Organizations"),
    "code": QT_TRANSLATE_NOOP("AdminDialog", "Code"),
    "name": QT_TRANSLATE_NOOP("AdminDialog", "Name"),
    "parent": QT_TRANSLATE_NOOP("AdminDialog", "Parent code"),
    "archive.new": QT_TRANSLATE_NOOP("AdminDialog", "New"),
    "archive.save": QT_TRANSLATE_NOOP("AdminDialog", "Save"),
    "archive.delete": QT_TRANSLATE_NOOP("AdminDialog", "Delete"),
    "archive.saved": QT_TRANSLATE_NOOP("AdminDialog", "{code} {name} saved"),
    "archive.deleted": QT_TRANSLATE_NOOP("AdminDialog", "{code} deleted"),
    "archive.hint": QT_TRANSLATE_NOOP(
        "AdminDialog",
        "A child's code starts with its parent's code (01 → 0101); codes never change",
    ),
    "roles.save": QT_TRANSLATE_NOOP("AdminDialog", "&Save"),
    "roles.revert": QT_TRANSLATE_NOOP("AdminDialog", "Re&vert"),
    "roles.hint": QT_TRANSLATE_NOOP(
        "AdminDialog",
        "A tick decides what the app's services allow the users of a role. On the shared "
        "PostgreSQL server the database's own grants are fixed per shipped role (group roles "
        "custmd_*) and do not change here: the server still refuses what they do not allow.",
    ),
    "roles.unsaved": QT_TRANSLATE_NOOP("AdminDialog", "Unsaved changes"),
    "roles.saved": QT_TRANSLATE_NOOP("AdminDialog", "Roles saved: {roles}"),
    "roles.nothing": QT_TRANSLATE_NOOP("AdminDialog", "No changes to save"),
    "roles.reverted": QT_TRANSLATE_NOOP("AdminDialog", "The roles were read again"),
    "roles.role_tip": QT_TRANSLATE_NOOP("AdminDialog", "Role {code}"),
    "roles.permission_tip": QT_TRANSLATE_NOOP("AdminDialog", "{text} (permission {code})"),
    "confirm.title": QT_TRANSLATE_NOOP("AdminDialog", "Unsaved changes"),
    "confirm.text": QT_TRANSLATE_NOOP(
        "AdminDialog", "The changes to the roles are not saved and will be lost. Close anyway?"
    ),
}

# The field a problem key names, for "field: message".
FIELD_TEXTS: dict[str, str] = {
    "USER-USERNAME": "username",
    "USER-PASSWORD": "password",
    "USER-ROLES": "roles",
    "USER-BEGRU": "auth_groups",
    "USER-BUKRS": "company_codes",
    "USER-SALES_AREA": "sales_areas",
    "USER-DEPARTMENT": "department",
    "USER-ORGANIZATION": "organization",
    "DEPARTMENT-CODE": "code",
    "DEPARTMENT-NAME": "name",
    "DEPARTMENT-ORGANIZATION": "organization",
    "ORGANIZATION-CODE": "code",
    "ORGANIZATION-NAME": "name",
}


def tr_(key: str) -> str:
    return QCoreApplication.translate(CONTEXT, TEXTS[key])


def label_text(key: str) -> str:
    """A label's text without its accelerator: "用户名(&N)" -> "用户名"."""
    return i18n.field_name(tr_(key))


def problem_lines(problems: Sequence[Problem]) -> str:
    lang = i18n.language()
    lines = []
    for p in problems:
        field = FIELD_TEXTS.get(p.field_key)
        message = p.message.get(lang)
        if field is None:
            lines.append(message)
        else:
            lines.append(tr_("field_message").format(field=label_text(field), message=message))
    return "\n".join(lines)


def comma_list(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
