"""The main window's action table (ui.main_actions): the menus and shortcuts are built from it,
its permissions are the domain's, and a transaction code finds and runs its action."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from custmd_gui.domain.authorization import Authorizations, Permission
from custmd_gui.services.context import Actor
from custmd_gui.ui import main_actions
from custmd_gui.ui.main import MainWindow
from custmd_gui.ui.main_actions import ACTIONS, MENUS, by_tcode

WAIT_MS = 30_000


def test_the_table_is_consistent() -> None:
    names = [a.name for a in ACTIONS]
    assert len(names) == len(set(names))
    tcodes = [a.tcode for a in ACTIONS if a.tcode]
    assert sorted(tcodes) == ["XD01", "XD02", "XD03", "XD04", "XD05", "XD06"]
    for action in ACTIONS:
        assert action.menu in (*MENUS, "")
        assert all(Permission(p) for p in action.permissions)  # ValueError if unknown
        assert action.text or not action.menu  # whatever is in a menu has a text
        if action.tcode:
            assert action.permissions, action.name  # a transaction is always guarded
    shortcuts = [a.shortcut for a in ACTIONS if a.shortcut]
    assert len(shortcuts) == len(set(shortcuts))  # Ctrl+/ (command field) collides with none
    assert by_tcode(" xd02 ") is by_tcode("XD02") is not None
    assert by_tcode("XD99") is None


def test_menus_and_shortcuts_come_from_the_table(qtbot: QtBot) -> None:
    window = MainWindow("sqlite:///:memory:")
    qtbot.addWidget(window)
    menus = [getattr(window, f"{key}_menu") for key in MENUS]
    assert [m.menuAction() for m in menus] == window.menuBar().actions()
    for key, menu in zip(MENUS, menus, strict=True):
        in_menu = [a for a in menu.actions() if not a.isSeparator()]
        assert [a.objectName() for a in in_menu] == [a.name for a in ACTIONS if a.menu == key]
    for entry in ACTIONS:
        action = getattr(window, entry.name)
        assert isinstance(action, QAction) and action.objectName() == entry.name
        assert action.shortcut().toString() == entry.shortcut
        if not entry.menu:
            assert action in window.actions()  # a window-wide shortcut
    # Nobody signed in yet: only the administrator's batch work is disabled.
    assert [a.name for a in ACTIONS if not getattr(window, a.name).isEnabled()] == [
        a.name for a in ACTIONS if a.needs_user
    ]
    window.dispose()


def test_rights_follow_the_table(qtbot: QtBot) -> None:
    window = MainWindow("sqlite:///:memory:")
    qtbot.addWidget(window)
    rights = Authorizations("auditor", frozenset({Permission.DISPLAY}))
    main_actions.apply_rights(window, rights)
    enabled = {a.name for a in ACTIONS if getattr(window, a.name).isEnabled()}
    assert enabled == {
        "settings_action",
        "offline_action",  # sync_action only on a replica
        "exit_action",
        "display_action",
        "change_documents_action",
        "export_list_action",
        "user_guide_action",
        "shortcuts_action",
        "kpi_action",
        "requests_action",
        "about_action",
        "find_action",
        "command_action",
    }
    window.dispose()


def test_a_transaction_code_runs_its_action(
    qtbot: QtBot, db_url: str, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window(db_url, actor=Actor("tester"))
    qtbot.waitUntil(lambda: window.database_state == "ready", timeout=WAIT_MS)
    assert main_actions.trigger(window, "xd01")
    qtbot.waitUntil(lambda: "create" in window.wizards and window.wizards["create"].isVisible())
    window.create_action.setEnabled(False)  # as for a user without the right
    window.wizards["create"].hide()
    assert not main_actions.trigger(window, "XD01")
    assert not window.wizards["create"].isVisible()
    assert not main_actions.trigger(window, "XX99")
