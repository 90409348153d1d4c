"""用户: the users, listed on the left, the selected (or new) user's form on the right."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.domain.authorization import Role
from custmd_gui.domain.errors import DomainError
from custmd_gui.services import users
from custmd_gui.ui import i18n
from custmd_gui.ui.admin.password_dialog import PasswordDialog
from custmd_gui.ui.admin.texts import comma_list, label_text, problem_lines, tr_
from custmd_gui.ui.length_guard import guard_length
from custmd_gui.ui.qtutils import error_label
from custmd_gui.ui.styles import HINT_STYLE

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory
    from custmd_gui.services.users import UserInfo


class UsersPage(QWidget):
    """The users: list on the left, the selected (or new) user's form on the right."""

    said = Signal(str)  # what was done, for the window's status line

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
        guard_length(self.username, 64)
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
        self.error = error_label(self.box, "user_error")
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
        self.said.emit(text)

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
            "auth_groups": comma_list(self.auth_groups.text()),
            "company_codes": comma_list(self.company_codes.text()),
            "sales_areas": comma_list(self.sales_areas.text()),
        }

    @Slot()
    def save(self) -> None:
        try:
            if self.creating:
                if self.password.text() != self.password2.text():
                    self.error.setText(
                        tr_("field_message").format(
                            field=label_text("password2"), message=tr_("mismatch")
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
