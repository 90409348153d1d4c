"""系统 → 用户管理 → 角色: the roles of the database × the permissions, configured in the admin
window with the keyboard, on SQLite and on PostgreSQL.

A tick saved is what services.users.list_roles reads and what a user of the role holds at the
next login; the only role that administers users keeps admin (the refusal names the role,
keeps the typing, and the other changed roles are stored); 还原 reads the roles again; closing
with unsaved changes asks. The users page offers the roles of the database, not the shipped
defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QMessageBox, QTableWidget, QTabWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from custmd_gui.catalog import Text
from custmd_gui.domain.authorization import PERMISSION_TEXTS, Permission, Role
from custmd_gui.persistence.tables import AppRole
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import users
from custmd_gui.services.auth import login
from custmd_gui.services.context import Actor
from custmd_gui.ui.admin.dialog import AdminDialog
from custmd_gui.ui.main import MainWindow
from tests.gui.keyboard import focused, key, tab_to
from tests.gui.test_login_and_rights import PASSWORD, WAIT_MS, _session
from tests.gui.wizard_steps import answer_next_dialog

SETUP = Actor("setup")  # unrestricted: the system's own setup
ALT = Qt.KeyboardModifier.AltModifier
CODE = Qt.ItemDataRole.UserRole


@pytest.fixture
def people(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """An administrator (the first user must be one) and an auditor."""
    everything: dict[str, Any] = {
        "auth_groups": ["*"],
        "company_codes": ["*"],
        "sales_areas": ["*/*/*"],
    }
    users.create_user(
        uow_factory, SETUP, "admin", password=PASSWORD, roles=["administrator"], **everything
    )
    users.create_user(
        uow_factory,
        SETUP,
        "shenji",
        password=PASSWORD,
        display_name="审计",
        roles=["auditor"],
        **everything,
    )
    return uow_factory


def _admin_window(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    backend: str,
    db_url: str,
    factory: UnitOfWorkFactory,
) -> AdminDialog:
    """系统 → 用户管理 opened by the administrator, logged in as on each backend."""
    window = _session(qtbot, open_window, backend, db_url, factory, "admin")
    window.users_action.trigger()
    dialog = window.findChild(AdminDialog, "admin_dialog")
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isActiveWindow(), timeout=WAIT_MS)
    return dialog


def _roles_tab(qtbot: QtBot, dialog: AdminDialog) -> QTableWidget:
    """Alt+L: the roles tab, the keyboard in the grid."""
    key(Qt.Key.Key_L, ALT)
    grid = dialog.findChild(QTableWidget, "roles_grid")
    assert grid is not None
    qtbot.waitUntil(lambda: focused() is grid, timeout=WAIT_MS)
    return grid


def _rows(grid: QTableWidget) -> list[str]:
    return [grid.verticalHeaderItem(r).data(CODE) for r in range(grid.rowCount())]


def _columns(grid: QTableWidget) -> list[str]:
    return [grid.horizontalHeaderItem(c).data(CODE) for c in range(grid.columnCount())]


def _go_to(grid: QTableWidget, role: str, permission: Permission) -> None:
    """The arrow keys to the cell of `role` and `permission`."""
    assert focused() is grid
    row, column = _rows(grid).index(role), _columns(grid).index(permission.value)
    for _ in range(2 * (grid.rowCount() + grid.columnCount())):
        if grid.currentRow() != row:
            key(Qt.Key.Key_Down if grid.currentRow() < row else Qt.Key.Key_Up)
        elif grid.currentColumn() != column:
            key(Qt.Key.Key_Right if grid.currentColumn() < column else Qt.Key.Key_Left)
        else:
            return
    raise AssertionError(f"the arrows never reached {role} / {permission}")


def _ticked(grid: QTableWidget, role: str, permission: Permission) -> bool:
    item = grid.item(_rows(grid).index(role), _columns(grid).index(permission.value))
    return item.checkState() == Qt.CheckState.Checked


def _stored(factory: UnitOfWorkFactory) -> dict[str, frozenset[Permission]]:
    return {r.code: r.permissions for r in users.list_roles(factory, SETUP)}


def _roles_tab_text(dialog: AdminDialog) -> str:
    tabs = dialog.findChild(QTabWidget, "admin_tabs")
    return tabs.tabText(tabs.indexOf(dialog.roles_page))


def test_a_permission_ticked_is_stored_and_the_users_of_the_role_hold_it(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    backend: str,
    db_url: str,
    people: UnitOfWorkFactory,
) -> None:
    before = login(people, "shenji", PASSWORD, "test")
    assert not before.allows(Permission.CHANGE_GENERAL)
    stored_before = _stored(people)

    dialog = _admin_window(qtbot, open_window, backend, db_url, people)
    grid = _roles_tab(qtbot, dialog)
    assert _roles_tab_text(dialog) == "角色(&L)"
    # Rows: the roles of the database with their texts; columns: the permissions.
    assert _rows(grid) == list(stored_before)
    auditor = grid.verticalHeaderItem(_rows(grid).index("auditor"))
    assert auditor.text().replace("\n", "") == "审计（只读）"
    headers = [
        grid.horizontalHeaderItem(c).text().replace("\n", "") for c in range(len(Permission))
    ]
    assert headers == [PERMISSION_TEXTS[p].zh for p in Permission]
    assert grid.horizontalHeaderItem(0).toolTip() == "显示客户（权限 display）"
    for role, permissions in stored_before.items():
        for permission in Permission:
            assert _ticked(grid, role, permission) == (permission in permissions)
    hint = dialog.findChild(QLabel, "roles_hint")
    assert hint.isVisible() and "PostgreSQL" in hint.text() and "custmd_" in hint.text()
    # Explicit tab order: the grid, 保存, 还原.
    key(Qt.Key.Key_Tab)
    assert focused().objectName() == "save_roles"
    key(Qt.Key.Key_Tab)
    assert focused().objectName() == "revert_roles"
    tab_to(dialog, "roles_grid")

    _go_to(grid, "auditor", Permission.CHANGE_GENERAL)
    key(Qt.Key.Key_Space)
    assert _ticked(grid, "auditor", Permission.CHANGE_GENERAL)
    assert _roles_tab_text(dialog) == "角色(&L) *"
    assert dialog.findChild(QLabel, "roles_unsaved").isVisible()
    assert _stored(people) == stored_before  # not yet

    key(Qt.Key.Key_Return)  # saves
    assert not dialog.findChild(QLabel, "roles_error").isVisible()
    assert dialog.findChild(QLabel, "admin_status").text() == "已保存角色：审计（只读）"
    assert _roles_tab_text(dialog) == "角色(&L)"
    assert not dialog.findChild(QLabel, "roles_unsaved").isVisible()
    stored = _stored(people)
    assert stored["auditor"] == {Permission.DISPLAY, Permission.CHANGE_GENERAL}
    assert {r: p for r, p in stored.items() if r != "auditor"} == {
        r: p for r, p in stored_before.items() if r != "auditor"
    }
    # The auditor's next login holds the right (and only that one more).
    after = Actor.logged_in(login(people, "shenji", PASSWORD, "test"))
    assert after.rights.allows(Permission.CHANGE_GENERAL)
    assert after.rights.permissions == before.permissions | {Permission.CHANGE_GENERAL}


def test_the_only_administering_role_keeps_admin_and_revert_restores(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    backend: str,
    db_url: str,
    people: UnitOfWorkFactory,
) -> None:
    stored_before = _stored(people)
    dialog = _admin_window(qtbot, open_window, backend, db_url, people)
    grid = _roles_tab(qtbot, dialog)
    _go_to(grid, "finance", Permission.FLAG)
    key(Qt.Key.Key_Space)
    _go_to(grid, "administrator", Permission.ADMIN)
    key(Qt.Key.Key_Space)
    assert not _ticked(grid, "administrator", Permission.ADMIN)
    key(Qt.Key.Key_S, ALT)  # 保存(&S); a button's mnemonic clicks animated

    error = dialog.findChild(QLabel, "roles_error")
    qtbot.waitUntil(error.isVisible, timeout=WAIT_MS)
    assert error.text() == (
        "系统管理员：角色 administrator 是唯一可以管理用户的角色，不能去掉 admin 权限"
    )
    stored = _stored(people)
    # Nothing of the refused role is stored; the other changed role is.
    assert stored["administrator"] == stored_before["administrator"] == frozenset(Permission)
    assert stored["finance"] == stored_before["finance"] | {Permission.FLAG}
    assert dialog.findChild(QLabel, "admin_status").text() == "已保存角色：财务（冻结/解冻）"
    # The typing is kept, the keyboard back at the refused role, the tab still marked.
    assert not _ticked(grid, "administrator", Permission.ADMIN)
    assert _ticked(grid, "finance", Permission.FLAG)
    assert dialog.roles_page.changed() == ["administrator"]
    assert _roles_tab_text(dialog) == "角色(&L) *"
    assert focused() is grid
    assert _rows(grid)[grid.currentRow()] == "administrator"

    # Closing with unsaved changes asks; "no" (the default) keeps the window.
    seen = answer_next_dialog(lambda _box: key(Qt.Key.Key_Return))
    key(Qt.Key.Key_Escape)
    assert seen == ["confirm_loss"]
    assert dialog.isVisible()
    assert not _ticked(grid, "administrator", Permission.ADMIN)

    # 还原: the roles as stored.
    key(Qt.Key.Key_V, ALT)
    qtbot.waitUntil(lambda: _ticked(grid, "administrator", Permission.ADMIN), timeout=WAIT_MS)
    assert _ticked(grid, "finance", Permission.FLAG)
    assert dialog.roles_page.changed() == []
    assert not error.isVisible()
    assert _roles_tab_text(dialog) == "角色(&L)"
    assert _stored(people) == stored
    # Nothing left to ask about: Esc closes.
    assert focused() is grid
    key(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_admin_moves_from_one_role_to_another_in_one_save(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    backend: str,
    db_url: str,
    people: UnitOfWorkFactory,
) -> None:
    """The role that gains admin is saved first, so the other may then lose it."""
    dialog = _admin_window(qtbot, open_window, backend, db_url, people)
    grid = _roles_tab(qtbot, dialog)
    _go_to(grid, "administrator", Permission.ADMIN)
    key(Qt.Key.Key_Space)
    _go_to(grid, "auditor", Permission.ADMIN)
    key(Qt.Key.Key_Space)
    key(Qt.Key.Key_Return)
    assert not dialog.findChild(QLabel, "roles_error").isVisible()
    stored = _stored(people)
    assert Permission.ADMIN not in stored["administrator"]
    assert stored["auditor"] == {Permission.DISPLAY, Permission.ADMIN}
    assert dialog.roles_page.changed() == []


def test_the_users_page_offers_the_roles_of_the_database(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    backend: str,
    db_url: str,
    people: UnitOfWorkFactory,
) -> None:
    with people(write=True) as uow:
        uow.users.seed_roles(
            [Role("sales_manager", Text(zh="销售经理", en="Sales manager"), frozenset())]
        )
        uow.session.execute(
            update(AppRole).where(AppRole.code == "auditor").values(text_zh="内部审计")
        )
        uow.commit()
    roles = users.list_roles(people, SETUP)
    assert "sales_manager" in [r.code for r in roles]

    dialog = _admin_window(qtbot, open_window, backend, db_url, people)
    boxes = {
        box.objectName(): box.text()
        for box in dialog.findChildren(QCheckBox)
        if box.objectName().startswith("role_")
    }
    assert boxes == {f"role_{r.code}": r.text.zh for r in roles}
    assert boxes["role_auditor"] == "内部审计"
    table = dialog.findChild(QTableWidget, "users_table")
    listed = {table.item(r, 0).text(): table.item(r, 3).text() for r in range(table.rowCount())}
    assert listed == {"admin": "系统管理员", "shenji": "内部审计"}

    # Keyboard only: the auditor gets the new role.
    assert focused() is table
    key(Qt.Key.Key_Down)
    assert dialog.findChild(QWidget, "user_username").text() == "shenji"
    tab_to(dialog, "role_sales_manager")
    key(Qt.Key.Key_Space)
    key(Qt.Key.Key_Return)
    assert dialog.findChild(QLabel, "admin_status").text() == "已保存用户 shenji 的权限"
    assert set(users.read_user(people, SETUP, "shenji").scopes.roles) == {
        "auditor",
        "sales_manager",
    }
    row = [table.item(r, 0).text() for r in range(table.rowCount())].index("shenji")
    assert set(table.item(row, 3).text().split("、")) == {"内部审计", "销售经理"}

    # The roles tab has the new role as a row, with its text.
    grid = _roles_tab(qtbot, dialog)
    assert _rows(grid) == [r.code for r in roles]
    header = grid.verticalHeaderItem(_rows(grid).index("sales_manager"))
    assert header.text() == "销售经理"
    assert not any(_ticked(grid, "sales_manager", p) for p in Permission)


def test_quitting_with_unsaved_roles_asks_first(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    backend: str,
    db_url: str,
    people: UnitOfWorkFactory,
) -> None:
    """The main window asks through the admin window, as it asks through a wizard: "no" keeps
    the app (or the database) and the ticks; "yes" quits without storing them."""
    stored = _stored(people)
    dialog = _admin_window(qtbot, open_window, backend, db_url, people)
    window = dialog.parent()
    assert isinstance(window, MainWindow)
    grid = _roles_tab(qtbot, dialog)
    _go_to(grid, "finance", Permission.FLAG)
    key(Qt.Key.Key_Space)
    assert dialog.roles_page.changed() != []

    seen = answer_next_dialog(lambda _box: key(Qt.Key.Key_Return))  # 否 is the default
    assert not window.close()
    assert seen == ["confirm_loss"]
    assert window.isVisible() and dialog.isVisible()
    assert _ticked(grid, "finance", Permission.FLAG)
    # Switching to another database asks the same; "no" stays on this one.
    url = window.url
    seen = answer_next_dialog(lambda _box: key(Qt.Key.Key_Return))
    window.switch_database("sqlite:///elsewhere.sqlite")
    assert seen == ["confirm_loss"]
    assert window.url == url and window.database is not None and dialog.isVisible()

    def yes(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        box.button(QMessageBox.StandardButton.Yes).click()

    seen = answer_next_dialog(yes)
    assert window.close()
    assert seen == ["confirm_loss"]
    assert not window.isVisible()
    assert _stored(people) == stored  # the ticks were let go, not stored
