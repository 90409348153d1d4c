"""系统 → 用户管理 / 部门与机构: the administrator's screens (services.users; admin only).

Users: the list (user name, name, department, roles, disabled, locked) and, for the user
selected, the roles (one checkbox per role stored in the database), authorization groups,
company codes and sales areas (comma lists; "*" means all); a new user gets an initial
password typed twice, a department and an organization. 停用/启用 and 重置密码 act on the
selected user.

Roles (角色): a grid of the roles stored in the database (rows) and the permissions (columns),
a check box per cell: Tab reaches the grid, the arrow keys move, Space ticks. 保存 (or Enter)
stores every changed role (services.users.set_role_permissions, one call per role); 还原 reads
them again. Unsaved changes mark the tab and are asked about before the window closes. The
ticks decide what the services allow; on the shared PostgreSQL server the database's own
grants stay fixed per shipped role (the group roles of migration 0008), which the tab says.

Departments and organizations (部门, 机构) as in the process documents: hierarchical codes
(01, 0101 under 01), the code fixed once created, the name editable.

Every refusal of a service is shown under the form, one line per problem, naming the field;
what was typed stays.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.domain.authorization import PERMISSION_TEXTS, Permission, Role
from custmd_gui.domain.errors import DomainError, Problem
from custmd_gui.services import users
from custmd_gui.ui import i18n
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP
from custmd_gui.ui.styles import ERROR_STYLE, HINT_STYLE, WARNING_COLOR

if TYPE_CHECKING:
    from custmd_gui.persistence.unit_of_work import UnitOfWork
    from custmd_gui.persistence.users import ArchiveEntry
    from custmd_gui.services.context import Actor
    from custmd_gui.services.users import UserInfo

UowFactory = Callable[..., "UnitOfWork"]

OBJECT_NAME = "admin_dialog"
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


def _label_text(key: str) -> str:
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
            lines.append(tr_("field_message").format(field=_label_text(field), message=message))
    return "\n".join(lines)


def _comma_list(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


def _error_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class PasswordDialog(QDialog):
    """A new password typed twice (重置密码)."""

    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("password_dialog")
        self.setWindowTitle(tr_("reset_title").format(user=username))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.password = QLineEdit(self)
        self.password.setObjectName("new_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit(self)
        self.password2.setObjectName("new_password2")
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr_("new_password"), self.password)
        form.addRow(tr_("password2"), self.password2)
        layout.addLayout(form)
        self.error = _error_label(self, "password_error")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(360)

    @Slot()
    def _check(self) -> None:
        if self.password.text() != self.password2.text():
            self.error.setText(
                tr_("field_message").format(field=_label_text("password2"), message=tr_("mismatch"))
            )
            self.error.show()
            self.password2.clear()
            self.password2.setFocus()
            return
        self.accept()


class UsersPage(QWidget):
    """The users: list on the left, the selected (or new) user's form on the right."""

    def __init__(self, factory: UowFactory, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.factory = factory
        self.actor = actor
        self.users: list[UserInfo] = []
        self.roles: list[Role] = []  # as stored in the database (services.users.list_roles)
        self.creating = False

        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("users_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(self._row_changed)
        left.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("new_user")
        self.new_button.clicked.connect(self.start_new)
        self.toggle_button = QPushButton(self)
        self.toggle_button.setObjectName("toggle_user")
        self.toggle_button.clicked.connect(self.toggle_disabled)
        self.reset_button = QPushButton(self)
        self.reset_button.setObjectName("reset_password")
        self.reset_button.clicked.connect(self.reset_password)
        for button in (self.new_button, self.toggle_button, self.reset_button):
            row.addWidget(button)
        row.addStretch(1)
        left.addLayout(row)
        layout.addLayout(left, 3)

        self.box = QGroupBox(self)
        form = QFormLayout(self.box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.labels: dict[str, QLabel] = {}

        def line(name: str, *, password: bool = False) -> QLineEdit:
            edit = QLineEdit(self.box)
            edit.setObjectName(name)
            if password:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            return edit

        self.username = line("user_username")
        self.username.setMaxLength(64)
        self.display_name = line("user_display_name")
        self.password = line("user_password", password=True)
        self.password2 = line("user_password2", password=True)
        self.department = QComboBox(self.box)
        self.department.setObjectName("user_department")
        self.organization = QComboBox(self.box)
        self.organization.setObjectName("user_organization")
        self.roles_box = QWidget(self.box)
        self.roles_layout = QGridLayout(self.roles_box)
        self.roles_layout.setContentsMargins(0, 0, 0, 0)
        # One check box per role of the database, made by set_roles (reload).
        self.role_boxes: dict[str, QCheckBox] = {}
        self.auth_groups = line("user_auth_groups")
        self.company_codes = line("user_company_codes")
        self.sales_areas = line("user_sales_areas")
        self.hint = QLabel(self.box)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        rows: list[tuple[str, QWidget]] = [
            ("username", self.username),
            ("display_name", self.display_name),
            ("password", self.password),
            ("password2", self.password2),
            ("department", self.department),
            ("organization", self.organization),
            ("roles", self.roles_box),
            ("auth_groups", self.auth_groups),
            ("company_codes", self.company_codes),
            ("sales_areas", self.sales_areas),
        ]
        for key, widget in rows:
            label = QLabel(self.box)
            if not isinstance(widget, QCheckBox) and key != "roles":
                label.setBuddy(widget)
            self.labels[key] = label
            form.addRow(label, widget)
        form.addRow(self.hint)
        self.form = form
        self.error = _error_label(self.box, "user_error")
        form.addRow(self.error)
        self.save_button = QPushButton(self.box)
        self.save_button.setObjectName("save_user")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        form.addRow(self.save_button)
        layout.addWidget(self.box, 2)
        self._tab_order()
        self.retranslate()

    def _tab_order(self) -> None:
        order: list[QWidget] = [
            self.table,
            self.new_button,
            self.toggle_button,
            self.reset_button,
            self.username,
            self.display_name,
            self.password,
            self.password2,
            self.department,
            self.organization,
            *self.role_boxes.values(),
            self.auth_groups,
            self.company_codes,
            self.sales_areas,
            self.save_button,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def set_roles(self, roles: Sequence[Role]) -> None:
        """The roles the database holds: one check box each (named role_<code>), in order."""
        self.roles = list(roles)
        codes = [r.code for r in self.roles]
        if codes != list(self.role_boxes):
            ticked = {code for code, check in self.role_boxes.items() if check.isChecked()}
            for check in self.role_boxes.values():
                self.roles_layout.removeWidget(check)
                check.setParent(None)
                check.deleteLater()
            self.role_boxes = {}
            for i, code in enumerate(codes):
                check = QCheckBox(self.roles_box)
                check.setObjectName(f"role_{code}")
                check.setChecked(code in ticked)
                self.role_boxes[code] = check
                self.roles_layout.addWidget(check, i // 2, i % 2)
            self._tab_order()
        self._role_texts()

    def _role_texts(self) -> None:
        lang = i18n.language()
        for role in self.roles:
            self.role_boxes[role.code].setText(role.text.get(lang))

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                tr_(k)
                for k in (
                    "col.username",
                    "col.name",
                    "col.department",
                    "col.roles",
                    "col.disabled",
                    "col.locked",
                )
            ]
        )
        for key, label in self.labels.items():
            label.setText(tr_(key))
        self._role_texts()
        self.hint.setText(tr_("list_hint"))
        self.new_button.setText(tr_("new"))
        self.reset_button.setText(tr_("reset"))
        self.save_button.setText(tr_("save"))
        self._update_buttons()

    # -- reading ---------------------------------------------------------------------------

    def reload(self, select: str = "") -> None:
        self.set_roles(users.list_roles(self.factory, self.actor))
        self.users = users.list_users(self.factory, self.actor)
        departments = users.departments(self.factory, self.actor)
        organizations = users.organizations(self.factory, self.actor)
        names = {d.code: d.name for d in departments}
        role_texts = {r.code: r.text.get(i18n.language()) for r in self.roles}
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            department = user.department_code or ""
            if department in names:
                department = f"{department} {names[department]}"
            values = [
                user.username,
                user.display_name,
                department,
                "、".join(role_texts.get(r, r) for r in user.scopes.roles),
                tr_("yes") if user.disabled else "",
                tr_("yes") if user.locked else "",
            ]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.blockSignals(False)
        for combo, entries in ((self.department, departments), (self.organization, organizations)):
            chosen = combo.currentData()
            combo.clear()
            combo.addItem("", "")
            for entry in entries:
                combo.addItem(f"{entry.code} {entry.name}", entry.code)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
        usernames = [u.username for u in self.users]
        if select in usernames:
            self.table.setCurrentCell(usernames.index(select), 0)
        elif self.users and not self.creating:
            self.table.setCurrentCell(max(0, self.table.currentRow()), 0)
        self._show_selected()

    def selected(self) -> UserInfo | None:
        row = self.table.currentRow()
        return self.users[row] if 0 <= row < len(self.users) and not self.creating else None

    @Slot(int, int, int, int)
    def _row_changed(self, row: int, *_: int) -> None:
        if row >= 0:
            self.creating = False  # a user chosen in the list: no longer a new one
        self._show_selected()

    def _show_selected(self) -> None:
        user = self.selected()
        self.error.hide()
        new = self.creating
        self.box.setTitle(tr_("user.new_box") if new else tr_("user.box"))
        for key in ("password", "password2"):
            self.labels[key].setVisible(new)
        self.password.setVisible(new)
        self.password2.setVisible(new)
        self.username.setReadOnly(not new)
        # Name, department and organization are set at creation (no service changes them).
        self.display_name.setReadOnly(not new)
        self.department.setEnabled(new)
        self.organization.setEnabled(new)
        if new:
            return
        if user is None:
            for edit in (self.username, self.display_name):
                edit.clear()
            return
        self.username.setText(user.username)
        self.display_name.setText(user.display_name)
        self.department.setCurrentIndex(max(0, self.department.findData(user.department_code)))
        self.organization.setCurrentIndex(
            max(0, self.organization.findData(user.organization_code))
        )
        for code, check in self.role_boxes.items():
            check.setChecked(code in user.scopes.roles)
        self.auth_groups.setText(", ".join(user.scopes.auth_groups))
        self.company_codes.setText(", ".join(user.scopes.company_codes))
        self.sales_areas.setText(", ".join("/".join(a) for a in user.scopes.sales_areas))
        self._update_buttons()

    def _update_buttons(self) -> None:
        user = self.selected()
        self.toggle_button.setEnabled(user is not None)
        self.reset_button.setEnabled(user is not None)
        self.toggle_button.setText(
            tr_("enable") if user is not None and user.disabled else tr_("disable")
        )

    # -- acting ----------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        dialog = self.window()
        if isinstance(dialog, AdminDialog):
            dialog.status.setText(text)

    def _refused(self, error: DomainError) -> None:
        self.error.setText(problem_lines(error.problems))
        self.error.show()
        widgets: dict[str, QWidget] = {
            "USER-USERNAME": self.username,
            "USER-PASSWORD": self.password,
            "USER-BEGRU": self.auth_groups,
            "USER-BUKRS": self.company_codes,
            "USER-SALES_AREA": self.sales_areas,
            "USER-DEPARTMENT": self.department,
            "USER-ORGANIZATION": self.organization,
        }
        first = widgets.get(error.problems[0].field_key) if error.problems else None
        if first is not None and first.isVisible():
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def start_new(self) -> None:
        """新建用户: an empty form; 保存 creates the user."""
        self.creating = True
        self.table.clearSelection()
        for edit in (
            self.username,
            self.display_name,
            self.password,
            self.password2,
            self.auth_groups,
            self.company_codes,
            self.sales_areas,
        ):
            edit.clear()
        for check in self.role_boxes.values():
            check.setChecked(False)
        self.department.setCurrentIndex(0)
        self.organization.setCurrentIndex(0)
        self._show_selected()
        self._update_buttons()
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)

    def _scopes(self) -> dict[str, list[str]]:
        return {
            "roles": [code for code, check in self.role_boxes.items() if check.isChecked()],
            "auth_groups": _comma_list(self.auth_groups.text()),
            "company_codes": _comma_list(self.company_codes.text()),
            "sales_areas": _comma_list(self.sales_areas.text()),
        }

    @Slot()
    def save(self) -> None:
        try:
            if self.creating:
                if self.password.text() != self.password2.text():
                    self.error.setText(
                        tr_("field_message").format(
                            field=_label_text("password2"), message=tr_("mismatch")
                        )
                    )
                    self.error.show()
                    self.password2.clear()
                    self.password2.setFocus()
                    return
                info = users.create_user(
                    self.factory,
                    self.actor,
                    self.username.text(),
                    password=self.password.text(),
                    display_name=self.display_name.text(),
                    department=self.department.currentData() or None,
                    organization=self.organization.currentData() or None,
                    **self._scopes(),
                )
                self.creating = False
                self._say(tr_("created").format(user=info.username))
            else:
                user = self.selected()
                if user is None:
                    return
                info = users.grant(self.factory, self.actor, user.username, **self._scopes())
                self._say(tr_("saved").format(user=info.username))
        except DomainError as exc:
            self._refused(exc)
            return
        self.reload(select=info.username)

    @Slot()
    def toggle_disabled(self) -> None:
        user = self.selected()
        if user is None:
            return
        try:
            users.set_disabled(self.factory, self.actor, user.username, not user.disabled)
        except DomainError as exc:
            self._refused(exc)
            return
        self._say(tr_("enabled" if user.disabled else "disabled").format(user=user.username))
        self.reload(select=user.username)

    @Slot()
    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = PasswordDialog(user.username, self)
        while dialog.exec():
            try:
                users.reset_password(
                    self.factory, self.actor, user.username, dialog.password.text()
                )
            except DomainError as exc:
                dialog.error.setText(problem_lines(exc.problems))
                dialog.error.show()
                continue
            self._say(tr_("reset_done").format(user=user.username))
            self.reload(select=user.username)
            break


class ArchivePage(QGroupBox):
    """Departments or organizations: the tree of codes and the form of the one chosen."""

    def __init__(
        self, kind: str, factory: UowFactory, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.kind = kind  # "department" | "organization"
        self.factory = factory
        self.actor = actor
        self.entries: list[ArchiveEntry] = []
        layout = QVBoxLayout(self)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName(f"{kind}_tree")
        self.tree.setColumnCount(3 if kind == "department" else 2)
        self.tree.setRootIsDecorated(True)
        self.tree.currentItemChanged.connect(lambda *_: self._show_selected())
        layout.addWidget(self.tree, 1)
        form = QFormLayout()
        self.code = QLineEdit(self)
        self.code.setObjectName(f"{kind}_code")
        self.code.setMaxLength(20)
        self.name = QLineEdit(self)
        self.name.setObjectName(f"{kind}_name")
        self.parent_code = QLineEdit(self)
        self.parent_code.setObjectName(f"{kind}_parent")
        self.code_label, self.name_label, self.parent_label = (
            QLabel(self),
            QLabel(self),
            QLabel(self),
        )
        for label, edit in (
            (self.code_label, self.code),
            (self.name_label, self.name),
            (self.parent_label, self.parent_code),
        ):
            label.setBuddy(edit)
        form.addRow(self.code_label, self.code)
        form.addRow(self.name_label, self.name)
        form.addRow(self.parent_label, self.parent_code)
        self.organization: QComboBox | None = None
        self.organization_label: QLabel | None = None
        if kind == "department":
            self.organization = QComboBox(self)
            self.organization.setObjectName("department_organization")
            self.organization_label = QLabel(self)
            self.organization_label.setBuddy(self.organization)
            form.addRow(self.organization_label, self.organization)
        layout.addLayout(form)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        layout.addWidget(self.hint)
        self.error = _error_label(self, f"{kind}_error")
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(self)
        self.new_button.setObjectName(f"{kind}_new")
        self.new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName(f"{kind}_save")
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton(self)
        self.delete_button.setObjectName(f"{kind}_delete")
        self.delete_button.clicked.connect(self.delete)
        for button in (self.new_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr_(f"{self.kind}.box"))
        headers = [_label_text("code"), _label_text("name")]
        if self.kind == "department":
            headers.append(_label_text("organization"))
        self.tree.setHeaderLabels(headers)
        self.code_label.setText(tr_("code"))
        self.name_label.setText(tr_("name"))
        self.parent_label.setText(tr_("parent"))
        if self.organization_label is not None:
            self.organization_label.setText(tr_("organization"))
        self.hint.setText(tr_("archive.hint"))
        self.new_button.setText(tr_("archive.new"))
        self.save_button.setText(tr_("archive.save"))
        self.delete_button.setText(tr_("archive.delete"))

    def reload(self, select: str = "", organizations: Sequence[ArchiveEntry] = ()) -> None:
        read = users.departments if self.kind == "department" else users.organizations
        self.entries = read(self.factory, self.actor)
        if self.organization is not None:
            self.organization.clear()
            self.organization.addItem("", "")
            for org in organizations:
                self.organization.addItem(f"{org.code} {org.name}", org.code)
        self.tree.blockSignals(True)
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        chosen: QTreeWidgetItem | None = None
        for entry in sorted(self.entries, key=lambda e: (len(e.code), e.code)):
            values = [entry.code, entry.name]
            if self.kind == "department":
                values.append(entry.organization_code or "")
            parent = items.get(entry.parent_code or "")
            item = QTreeWidgetItem(values)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            items[entry.code] = item
            if entry.code == select:
                chosen = item
        self.tree.expandAll()
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        self.tree.blockSignals(False)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        self._show_selected()

    def current(self) -> ArchiveEntry | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        return next((e for e in self.entries if e.code == item.text(0)), None)

    def _show_selected(self) -> None:
        entry = self.current()
        self.error.hide()
        if entry is None:
            self.code.setReadOnly(False)
            self.parent_code.setReadOnly(False)
            return
        self.code.setText(entry.code)
        self.name.setText(entry.name)
        self.parent_code.setText(entry.parent_code or "")
        # The code (and with it the parent) never changes once created.
        self.code.setReadOnly(True)
        self.parent_code.setReadOnly(True)
        if self.organization is not None:
            self.organization.setCurrentIndex(
                max(0, self.organization.findData(entry.organization_code))
            )

    @Slot()
    def start_new(self) -> None:
        parent = self.current()
        self.tree.setCurrentItem(None)  # type: ignore[call-overload]
        self.code.setReadOnly(False)
        self.parent_code.setReadOnly(False)
        self.code.setText(parent.code if parent else "")
        self.parent_code.setText(parent.code if parent else "")
        self.name.clear()
        self.error.hide()
        self.code.setFocus(Qt.FocusReason.OtherFocusReason)
        self.code.end(False)

    @Slot()
    def save(self) -> None:
        code, name = self.code.text().strip(), self.name.text()
        parent = self.parent_code.text().strip() or None
        try:
            if self.kind == "department":
                organization = self.organization.currentData() if self.organization else None
                users.save_department(
                    self.factory,
                    self.actor,
                    code,
                    name,
                    parent=parent,
                    organization=organization or None,
                )
            else:
                users.save_organization(self.factory, self.actor, code, name, parent=parent)
        except DomainError as exc:
            self.error.setText(problem_lines(exc.problems))
            self.error.show()
            return
        self._saved(tr_("archive.saved").format(code=code, name=name.strip()), code)

    @Slot()
    def delete(self) -> None:
        entry = self.current()
        if entry is None:
            return
        try:
            users.delete_archive_entry(self.factory, self.actor, self.kind, entry.code)
        except DomainError as exc:
            self.error.setText(problem_lines(exc.problems))
            self.error.show()
            return
        self._saved(tr_("archive.deleted").format(code=entry.code), "")

    def _saved(self, message: str, select: str) -> None:
        dialog = self.window()
        if isinstance(dialog, AdminDialog):
            dialog.status.setText(message)
            dialog.reload(select_archive=(self.kind, select))


PERMISSIONS: tuple[Permission, ...] = tuple(Permission)
CHANGED = QColor("#fff1b8")  # the background of a cell ticked or unticked but not saved
CODE_ROLE = Qt.ItemDataRole.UserRole  # a header's role or permission code
# Marks a line neither ends with (OPENING) nor starts with (CLOSING).
OPENING = "（("
CLOSING = "）)，、"


def wrapped(text: str, metrics: QFontMetrics, width: int) -> str:
    """`text` in lines no wider than `width` where it can break: between words, and in
    Chinese between characters, but not inside brackets (总部主数据维护员 / （一般数据）) nor
    before a closing mark. A word or bracket wider than `width` stays whole."""
    if " " in text:
        pieces = re.findall(r"\S+\s*", text)
    else:
        opening, closing = re.escape(OPENING), re.escape(CLOSING)
        pieces = re.findall(f"[{opening}][^{closing}]*[{closing}]+|[{opening}]?.[{closing}]*", text)
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if line and metrics.horizontalAdvance((line + piece).rstrip()) > width:
            lines.append(line.rstrip())
            line = piece
        else:
            line += piece
    lines.append(line.rstrip())
    return "\n".join(lines)


class CenteredCheckDelegate(QStyledItemDelegate):
    """A cell that is only a check box, drawn in the middle of the cell (Qt's own sits at the
    left edge, far from the column's header). Space (the view passes it on) or a click on the
    box ticks."""

    def _indicator(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QRect:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        size = style.subElementRect(
            QStyle.SubElement.SE_ItemViewItemCheckIndicator, opt, opt.widget
        ).size()
        return QStyle.alignedRect(opt.direction, Qt.AlignmentFlag.AlignCenter, size, option.rect)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        checked = Qt.CheckState(opt.checkState) == Qt.CheckState.Checked
        # Background, selection and focus frame as usual, without the box at the left...
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        # ...and the box in the middle.
        box = QStyleOptionViewItem(opt)
        box.rect = self._indicator(option, index)
        state = box.state & ~QStyle.StateFlag.State_HasFocus
        state |= QStyle.StateFlag.State_On if checked else QStyle.StateFlag.State_Off
        box.state = state
        style.drawPrimitive(
            QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck, box, painter, opt.widget
        )

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        flags = model.flags(index)
        if not (flags & Qt.ItemFlag.ItemIsUserCheckable and flags & Qt.ItemFlag.ItemIsEnabled):
            return False
        kind = event.type()
        if isinstance(event, QMouseEvent):
            inside = self._indicator(option, index).contains(event.position().toPoint())
            if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
                return inside  # eaten, so that a double click does not open anything
            if kind != QEvent.Type.MouseButtonRelease or not inside:
                return False
            if event.button() != Qt.MouseButton.LeftButton:
                return False
        elif isinstance(event, QKeyEvent):
            if event.key() not in (Qt.Key.Key_Space, Qt.Key.Key_Select):
                return False
        else:
            return False
        checked = Qt.CheckState(index.data(Qt.ItemDataRole.CheckStateRole))
        new = Qt.CheckState.Unchecked if checked == Qt.CheckState.Checked else Qt.CheckState.Checked
        return model.setData(index, new, Qt.ItemDataRole.CheckStateRole)


class RolesGrid(QTableWidget):
    """The grid of the roles tab: Enter asks to save (a dialog has one default button, the
    users page's 保存, so Enter is caught here)."""

    save_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            event.accept()
            self.save_requested.emit()
            return
        super().keyPressEvent(event)


class RolesPage(QWidget):
    """角色: roles (rows) × permissions (columns), a check box in every cell.

    What was ticked stays until 保存 or 还原: a refusal of the services keeps it, and a reload
    of the window (another tab's save, opening 用户管理 again) keeps the rows changed."""

    def __init__(self, factory: UowFactory, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.factory = factory
        self.actor = actor
        self.roles: list[Role] = []
        self.stored: dict[str, frozenset[str]] = {}  # role -> permission codes in the database
        layout = QVBoxLayout(self)
        self.hint = QLabel(self)
        self.hint.setObjectName("roles_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        layout.addWidget(self.hint)
        self.grid = RolesGrid(0, len(PERMISSIONS), self)
        self.grid.setObjectName("roles_grid")
        self.grid.setItemDelegate(CenteredCheckDelegate(self.grid))
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid.setTabKeyNavigation(False)  # Tab leaves the grid; the arrows move in it
        self.grid.setWordWrap(False)
        self.grid.setCornerButtonEnabled(False)
        for header in (self.grid.horizontalHeader(), self.grid.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setHighlightSections(True)
        self.grid.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.grid.verticalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.grid.itemChanged.connect(lambda _item: self._mark())
        self.grid.save_requested.connect(self.save)
        layout.addWidget(self.grid, 1)
        self.error = _error_label(self, "roles_error")
        layout.addWidget(self.error)
        row = QHBoxLayout()
        self.unsaved = QLabel(self)
        self.unsaved.setObjectName("roles_unsaved")
        self.unsaved.setStyleSheet(f"QLabel {{ color: {WARNING_COLOR}; font-weight: bold; }}")
        self.unsaved.hide()
        row.addWidget(self.unsaved)
        row.addStretch(1)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("save_roles")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self)
        self.revert_button.setObjectName("revert_roles")
        self.revert_button.clicked.connect(self.revert)
        row.addWidget(self.save_button)
        row.addWidget(self.revert_button)
        layout.addLayout(row)
        for first, second in itertools.pairwise((self.grid, self.save_button, self.revert_button)):
            QWidget.setTabOrder(first, second)
        self.retranslate()

    # -- showing ---------------------------------------------------------------------------

    def retranslate(self) -> None:
        lang = i18n.language()
        metrics = self.grid.horizontalHeader().fontMetrics()
        # A column is four Chinese characters or one long English word wide: the twelve
        # permissions and the role names fit a 1366 pixel wide screen.
        width = metrics.horizontalAdvance("更改销售" if lang == "zh" else "administer")
        for column, permission in enumerate(PERMISSIONS):
            text = PERMISSION_TEXTS[permission].get(lang)
            item = QTableWidgetItem(wrapped(text, metrics, width))
            item.setData(CODE_ROLE, permission.value)
            item.setToolTip(tr_("roles.permission_tip").format(text=text, code=permission.value))
            self.grid.setHorizontalHeaderItem(column, item)
        self._role_headers()
        self.hint.setText(tr_("roles.hint"))
        self.unsaved.setText(tr_("roles.unsaved"))
        self.save_button.setText(tr_("roles.save"))
        self.revert_button.setText(tr_("roles.revert"))
        self.grid.resizeColumnsToContents()

    def _role_headers(self) -> None:
        lang = i18n.language()
        metrics = self.grid.verticalHeader().fontMetrics()
        sample = "公司代码数据维护员" if lang == "zh" else "General-data maintainer"
        width = metrics.horizontalAdvance(sample)
        for row, role in enumerate(self.roles):
            item = QTableWidgetItem(wrapped(role.text.get(lang), metrics, width))
            item.setData(CODE_ROLE, role.code)
            item.setToolTip(tr_("roles.role_tip").format(code=role.code))
            self.grid.setVerticalHeaderItem(row, item)

    def role_text(self, code: str) -> str:
        role = next((r for r in self.roles if r.code == code), None)
        return role.text.get(i18n.language()) if role is not None else code

    def ticked(self, row: int) -> frozenset[str]:
        """The permission codes ticked in the row of a role."""
        return frozenset(
            permission.value
            for column, permission in enumerate(PERMISSIONS)
            if (item := self.grid.item(row, column)) is not None
            and item.checkState() == Qt.CheckState.Checked
        )

    def changed(self) -> list[str]:
        """The roles whose ticks differ from the database, in the grid's order."""
        return [
            role.code
            for row, role in enumerate(self.roles)
            if self.ticked(row) != self.stored.get(role.code, frozenset())
        ]

    def has_changes(self) -> bool:
        return bool(self.changed())

    def reload(self, *, keep: Collection[str] = ()) -> None:
        """The roles from the database; the rows of the roles in `keep` keep their ticks."""
        typed = {
            role.code: self.ticked(row) for row, role in enumerate(self.roles) if role.code in keep
        }
        current = (self.grid.currentRow(), self.grid.currentColumn())
        self.roles = users.list_roles(self.factory, self.actor)
        self.stored = {r.code: frozenset(p.value for p in r.permissions) for r in self.roles}
        self.grid.blockSignals(True)
        self.grid.setRowCount(len(self.roles))
        for row, role in enumerate(self.roles):
            ticks = typed.get(role.code, self.stored[role.code])
            for column, permission in enumerate(PERMISSIONS):
                item = QTableWidgetItem()
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsUserCheckable
                )
                item.setCheckState(
                    Qt.CheckState.Checked if permission.value in ticks else Qt.CheckState.Unchecked
                )
                self.grid.setItem(row, column, item)
        self.grid.blockSignals(False)
        self._role_headers()
        self.grid.resizeColumnsToContents()
        self.grid.resizeRowsToContents()
        if self.roles:
            self.grid.setCurrentCell(
                min(max(current[0], 0), len(self.roles) - 1), max(current[1], 0)
            )
        self._mark()

    def _mark(self) -> None:
        """Unsaved changes: a changed cell is coloured, the tab says so, a label too."""
        changed = False
        self.grid.blockSignals(True)
        for row, role in enumerate(self.roles):
            stored = self.stored.get(role.code, frozenset())
            for column, permission in enumerate(PERMISSIONS):
                item = self.grid.item(row, column)
                if item is None:
                    continue
                differs = (item.checkState() == Qt.CheckState.Checked) != (
                    permission.value in stored
                )
                changed |= differs
                item.setBackground(QBrush(CHANGED) if differs else QBrush())
        self.grid.blockSignals(False)
        self.unsaved.setVisible(changed)
        dialog = self.window()
        if isinstance(dialog, AdminDialog):
            dialog.mark_roles(changed)

    # -- acting ----------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        dialog = self.window()
        if isinstance(dialog, AdminDialog):
            dialog.status.setText(text)

    @Slot()
    def save(self) -> None:
        """Every changed role by itself: a refused one keeps its ticks and is named under the
        grid; the others are stored. Roles ticked for admin go first, so that admin can move
        from one role to another in one save."""
        rows = {role.code: row for row, role in enumerate(self.roles)}
        changed = sorted(
            self.changed(), key=lambda code: Permission.ADMIN.value not in self.ticked(rows[code])
        )
        self.error.hide()
        if not changed:
            self._say(tr_("roles.nothing"))
            return
        saved: list[str] = []
        refused: list[str] = []
        lines: list[str] = []
        for code in changed:
            permissions = sorted(self.ticked(rows[code]))
            try:
                users.set_role_permissions(self.factory, self.actor, code, permissions)
            except DomainError as exc:
                refused.append(code)
                message = problem_lines(exc.problems)
                lines.append(
                    tr_("field_message").format(field=self.role_text(code), message=message)
                )
                continue
            saved.append(code)
        try:
            self.reload(keep=refused)
        except DomainError as exc:
            lines.append(problem_lines(exc.problems))
        separator = "、" if i18n.language() == "zh" else ", "
        # The status line tells what was stored; nothing stored, nothing to tell.
        roles = separator.join(map(self.role_text, saved))
        self._say(tr_("roles.saved").format(roles=roles) if saved else "")
        if lines:
            self.error.setText("\n".join(lines))
            self.error.show()
        if refused:
            # Back to the first refused role, where the typing is kept.
            row = next(r for r, role in enumerate(self.roles) if role.code == refused[0])
            self.grid.setCurrentCell(row, max(self.grid.currentColumn(), 0))
            self.grid.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def revert(self) -> None:
        """Everything as stored in the database again."""
        self.error.hide()
        try:
            self.reload()
        except DomainError as exc:
            self.error.setText(problem_lines(exc.problems))
            self.error.show()
            return
        self._say(tr_("roles.reverted"))
        self.grid.setFocus(Qt.FocusReason.OtherFocusReason)


class AdminDialog(QDialog):
    """The administrator's window: tabs 用户, 部门与机构 and 角色."""

    def __init__(self, factory: UowFactory, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(OBJECT_NAME)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setSizeGripEnabled(True)
        self.factory = factory
        self.actor = actor
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("admin_tabs")
        self.users_page = UsersPage(factory, actor, self)
        archive = QWidget(self)
        archive_layout = QHBoxLayout(archive)
        self.organizations_page = ArchivePage("organization", factory, actor, archive)
        self.departments_page = ArchivePage("department", factory, actor, archive)
        archive_layout.addWidget(self.organizations_page)
        archive_layout.addWidget(self.departments_page)
        self.roles_page = RolesPage(factory, actor, self)
        self.roles_changed = False
        self.tabs.addTab(self.users_page, "")
        self.tabs.addTab(archive, "")
        self.tabs.addTab(self.roles_page, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        layout.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setObjectName("admin_status")
        bottom.addWidget(self.status, 1)
        self.close_button = QPushButton(self)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)
        self.retranslate()
        self.resize(1000, 620)

    def retranslate(self) -> None:
        self.setWindowTitle(tr_("title"))
        self.tabs.setTabText(0, tr_("tab.users"))
        self.tabs.setTabText(1, tr_("tab.archive"))
        self.close_button.setText(tr_("close"))
        for page in (
            self.users_page,
            self.organizations_page,
            self.departments_page,
            self.roles_page,
        ):
            page.retranslate()
        self.mark_roles(self.roles_changed)

    def mark_roles(self, changed: bool) -> None:
        """The roles tab's text says when it holds unsaved changes: 角色(&L) *."""
        self.roles_changed = changed
        index = self.tabs.indexOf(self.roles_page)
        self.tabs.setTabText(index, tr_("tab.roles") + (" *" if changed else ""))

    @Slot(int)
    def _tab_changed(self, index: int) -> None:
        """On the roles tab the keyboard starts in the grid."""
        focus = QApplication.focusWidget()
        if self.tabs.widget(index) is self.roles_page and (
            focus is None or not self.roles_page.isAncestorOf(focus)
        ):
            self.roles_page.grid.setFocus(Qt.FocusReason.TabFocusReason)

    def reject(self) -> None:
        """Esc, 关闭 and the window's close button: unsaved role changes are asked about
        first (as the wizards ask about unsaved data); "no" keeps the window open."""
        if self.roles_page.has_changes() and not self._confirm_loss():
            return
        super().reject()

    def _confirm_loss(self) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr_("confirm.title"),
            tr_("confirm.text"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("confirm_loss")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        answer = box.exec()
        self.activateWindow()
        return answer == QMessageBox.StandardButton.Yes

    def reload(self, select_archive: tuple[str, str] = ("", "")) -> None:
        """Everything again from the database (refusals of the services show as a line)."""
        try:
            self.users_page.reload()
            self.organizations_page.reload(
                select_archive[1] if select_archive[0] == "organization" else ""
            )
            self.departments_page.reload(
                select_archive[1] if select_archive[0] == "department" else "",
                organizations=self.organizations_page.entries,
            )
            self.roles_page.reload(keep=self.roles_page.changed())
        except DomainError as exc:
            self.status.setText(problem_lines(exc.problems))


def open_admin_dialog(
    parent: QWidget | None, factory: UowFactory, actor: Actor, page: str = "users"
) -> AdminDialog:
    """The admin window (one per main window), on the users, the archive or the roles
    page."""
    dialog = parent.findChild(AdminDialog, OBJECT_NAME) if parent is not None else None
    if dialog is None or dialog.factory is not factory or dialog.actor != actor:
        dialog = AdminDialog(factory, actor, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.reload()
    dialog.tabs.setCurrentIndex({"archive": 1, "roles": 2}.get(page, 0))
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    if page == "archive":
        dialog.organizations_page.tree.setFocus(Qt.FocusReason.OtherFocusReason)
    elif page == "roles":
        dialog.roles_page.grid.setFocus(Qt.FocusReason.OtherFocusReason)
    else:
        dialog.users_page.table.setFocus(Qt.FocusReason.OtherFocusReason)
    return dialog
