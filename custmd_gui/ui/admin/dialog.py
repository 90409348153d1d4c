"""The administrator's window: tabs 用户, 部门与机构 and 角色 (one per main window)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.domain.errors import DomainError
from custmd_gui.ui.admin.archive_page import ArchivePage
from custmd_gui.ui.admin.roles_page import RolesPage
from custmd_gui.ui.admin.texts import problem_lines, tr_
from custmd_gui.ui.admin.users_page import UsersPage
from custmd_gui.ui.qtutils import bring_up

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory

OBJECT_NAME = "admin_dialog"


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
        # The pages report to the window: what was done, and unsaved role changes.
        self.users_page.said.connect(self.status.setText)
        self.roles_page.said.connect(self.status.setText)
        self.roles_page.changes_marked.connect(self.mark_roles)
        self.organizations_page.saved.connect(self._archive_saved)
        self.departments_page.saved.connect(self._archive_saved)
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

    @Slot(str, str, str)
    def _archive_saved(self, message: str, kind: str, code: str) -> None:
        """A department or organization saved or deleted: said, and every page read again
        (the department's organizations follow), the one chosen selected."""
        self.status.setText(message)
        self.reload(select_archive=(kind, code))

    @Slot(bool)
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
    bring_up(dialog)
    if page == "archive":
        dialog.organizations_page.tree.setFocus(Qt.FocusReason.OtherFocusReason)
    elif page == "roles":
        dialog.roles_page.grid.setFocus(Qt.FocusReason.OtherFocusReason)
    else:
        dialog.users_page.table.setFocus(Qt.FocusReason.OtherFocusReason)
    return dialog
