"""角色: the roles (rows) by the permissions (columns), ticked in a grid and saved role by role."""

from __future__ import annotations

import itertools
from collections.abc import Collection
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.domain.authorization import PERMISSION_TEXTS, Permission, Role
from custmd_gui.domain.errors import DomainError
from custmd_gui.services import users
from custmd_gui.ui import i18n
from custmd_gui.ui.admin.roles_grid import (
    CHANGED,
    CODE_ROLE,
    PERMISSIONS,
    CenteredCheckDelegate,
    RolesGrid,
    wrapped,
)
from custmd_gui.ui.admin.texts import problem_lines, tr_
from custmd_gui.ui.qtutils import error_label
from custmd_gui.ui.styles import HINT_STYLE, WARNING_COLOR

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory


class RolesPage(QWidget):
    """角色: roles (rows) × permissions (columns), a check box in every cell.

    What was ticked stays until 保存 or 还原: a refusal of the services keeps it, and a reload
    of the window (another tab's save, opening 用户管理 again) keeps the rows changed."""

    said = Signal(str)  # what was done, for the window's status line
    changes_marked = Signal(bool)  # whether unsaved changes are there (the tab says so)

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
        self.error = error_label(self, "roles_error")
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
        self.changes_marked.emit(changed)

    # -- acting ----------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.said.emit(text)

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
