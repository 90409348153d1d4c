"""系统 → 用户管理: the roles come from the database, on SQLite and on PostgreSQL.

The users page offers the roles of the database (services.users.list_roles), not the shipped
defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QTableWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from custmd_gui.catalog import Text
from custmd_gui.domain.authorization import Role
from custmd_gui.persistence.tables import AppRole
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import users
from custmd_gui.services.context import Actor
from custmd_gui.ui.admin_dialog import AdminDialog
from custmd_gui.ui.main import MainWindow
from tests.gui.keyboard import focused, key, tab_to
from tests.gui.test_login_and_rights import PASSWORD, WAIT_MS, _session

SETUP = Actor("setup")  # unrestricted: the system's own setup


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


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[Callable[..., MainWindow]]:
    windows: list[MainWindow] = []

    def _open(url: str, **kwargs: Any) -> MainWindow:
        window = MainWindow(url, **kwargs)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield _open
    for window in windows:
        window.dispose()


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
