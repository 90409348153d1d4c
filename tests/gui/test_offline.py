"""Offline laptops in the window (issue 19), against a real PostgreSQL server and a real replica
file: 文件 → 离线工作… checks the user's server out and opens the replica (离线 with the last
sync, what offline cannot do disabled with the replica's reason); a customer created in XD01
and one changed in XD02 offline; 文件 → 同步 pushes and pulls, and the one conflict (the
street changed on the server meanwhile) is resolved in the conflict dialog with an edited
value typed in Chinese."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from custmd_gui.domain.field_status import Activity
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.auth import authorizations_of
from custmd_gui.services.change_documents import change_documents
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.offline_checkout import open_replica, replica_status
from custmd_gui.settings import load_settings
from custmd_gui.ui.main import MainWindow
from custmd_gui.ui.offline import CheckoutDialog, SyncDialog
from custmd_gui.ui.offline_conflicts import ConflictDialog
from tests.gui.keyboard import fill, focused, replace_text, settle
from tests.gui.wizard_steps import enter_initial, screen, type_example
from tests.integration.offline_support import Server, edit, new_customer, pg

__all__ = ["pg"]  # the fixture

STORED = "2110380002"  # on the server before the checkout; changed on both sides
CREATED = "2110380001"  # typed in XD01 offline (type_example)


def _open_ready(open_window: Callable[..., MainWindow], qtbot: QtBot, url: str) -> MainWindow:
    window = open_window(url)
    qtbot.waitUntil(lambda: window.database_state == "ready", timeout=60_000)
    settle()
    return window


def _click(dialog: object, name: str) -> None:
    button = dialog.findChild(QPushButton, name)  # type: ignore[attr-defined]
    assert button is not None and button.isEnabled(), name
    button.click()


def test_checkout_work_offline_and_sync_with_a_conflict_resolved_in_the_dialog(
    pg: Server, qtbot: QtBot, open_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    setup = UnitOfWorkFactory(pg.owner)
    rng = random.Random(5)
    create_customer(setup, new_customer(rng, STORED), Actor("setup"))
    window = _open_ready(open_window, qtbot, pg.url("laptop1"))
    assert window.offline_action.isEnabled() and not window.sync_action.isEnabled()
    assert not window.offline_label.isVisible()

    # 文件 → 离线工作…: the replica file, a block of 7 numbers, 签出; the window opens it.
    window.offline_action.trigger()
    dialog = window.findChild(CheckoutDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.file_edit.text().endswith(".sqlite")  # the per-user data folder's default
    replica_file = tmp_path / "laptop.sqlite"
    dialog.file_edit.setText(str(replica_file))
    dialog.block_size.setValue(7)
    _click(dialog, "start_button")
    qtbot.waitUntil(lambda: window.url == f"sqlite:///{replica_file}", timeout=60_000)
    qtbot.waitUntil(lambda: window.database_state == "ready", timeout=60_000)
    settle()
    replica = open_replica(replica_file)
    pg.engines.append(replica.engine)
    saved = load_settings()  # the next start, away from the network, opens the replica
    assert (saved.database, saved.sqlite_path) == ("local", str(replica_file))
    assert set(replica_status(replica).numbers_left.values()) == {7}  # the block size chosen

    # 离线 with the last sync; what a replica refuses is disabled with its reason.
    assert window.offline_label.isVisible()
    assert window.offline_label.text().startswith("离线 · 上次同步：")
    assert "离线" in window.windowTitle()
    assert window.sync_action.isEnabled() and not window.offline_action.isEnabled()
    assert not window.users_action.isEnabled()
    assert "离线时不能维护用户和角色" in window.users_action.statusTip()
    assert not window.delete_customers_action.isEnabled()
    assert "离线时不能物理删除客户" in window.delete_customers_action.toolTip()
    assert not window.menu_actions["requests_action"].isEnabled()
    assert "离线时不能提交或处理维护申请" in window.menu_actions["requests_action"].toolTip()
    assert window.create_action.isEnabled() and window.change_action.isEnabled()

    # Offline XD01: a new customer, saved into the replica and its outbox.
    window.create_customer()
    wizard = window.wizards["create"]
    wizard.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None)
    type_example(wizard)
    assert wizard.save(), wizard.messages.problems
    settle()
    assert read_customer(replica, CREATED).general.number == CREATED
    wizard.keys = None
    wizard.close()

    # Offline XD02: the street of the stored customer.
    window.change_customer(STORED)
    editor = window.wizards["change"]
    assert editor.activity is Activity.CHANGE
    editor.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None)
    if screen(editor) == "initial":
        enter_initial(editor, {"KNA1_KUNNR": STORED})
    assert screen(editor) == "address", editor.messages.problems
    fill(editor, {"KNA1_STRAS": "本机街 1 号"})
    assert editor.save(), editor.messages.problems
    settle()
    editor.keys = None
    editor.close()
    assert replica_status(replica).waiting == 2

    # Meanwhile on the server: the same street, another value.
    office = pg.factory("office")
    with office() as uow:
        office_actor = Actor.logged_in(authorizations_of(uow, pg.users["office"]))
        customizing = uow.customizing.load()
    edit(office, office_actor, STORED, {"KNA1-STRAS": "服务器街 2 号"}, customizing)

    # 文件 → 同步: the create goes through, the street is the one conflict.
    window.sync_action.trigger()
    sync_dialog = window.findChild(SyncDialog)
    assert sync_dialog is not None
    settle(60_000)
    conflicts = window.findChild(ConflictDialog)
    assert conflicts is not None and conflicts.isVisible()
    assert "已上传 2 项更改" in sync_dialog.step.text()
    assert "新冲突 1 个" in sync_dialog.step.text()
    assert read_customer(setup, CREATED).general.number == CREATED
    assert conflicts.table.rowCount() == 1
    row = [conflicts.table.item(0, c).text() for c in range(6)]
    assert row[0] == STORED and "KNA1-STRAS" in row[1]
    assert (row[3], row[4]) == ("本机街 1 号", "服务器街 2 号")

    assert row[5] == "双方都更改了此字段"

    # 编辑… with a value too long for the field: the server's check refuses it, naming
    # the field; the conflict stays.
    _click(conflicts, "edit_button")
    conflicts.edit_dialog.edit.setText("长" * 61)
    conflicts.edit_dialog.accept()
    settle(60_000)
    assert conflicts.table.rowCount() == 1
    assert conflicts.error.isVisible() and "街道" in conflicts.error.text()
    assert read_customer(setup, STORED).general.street == "服务器街 2 号"

    # 编辑…: a third value, typed in Chinese, resolved on the server.
    _click(conflicts, "edit_button")
    value_dialog = conflicts.edit_dialog
    value_dialog.activateWindow()
    value_dialog.edit.setFocus()
    qtbot.waitUntil(lambda: focused() is value_dialog.edit)
    replace_text("协商街 3 号")
    assert value_dialog.edit.text() == "协商街 3 号"
    value_dialog.accept()
    settle(60_000)
    assert conflicts.table.rowCount() == 0, conflicts.error.text()
    assert not conflicts.error.isVisible()
    assert read_customer(setup, STORED).general.street == "协商街 3 号"
    assert read_customer(replica, STORED).general.street == "协商街 3 号"  # pulled
    status = replica_status(replica)
    assert (status.waiting, status.conflicts) == (0, 0)
    docs = [d for d in change_documents(setup, STORED) if d.field_key == "KNA1-STRAS"]
    assert [d.new for d in docs][-2:] == ["服务器街 2 号", "协商街 3 号"]  # nothing lost
    conflicts.close()
    sync_dialog.close()
    QApplication.processEvents()
    assert window.offline_label.isVisible()  # still offline, the last sync now


def test_a_cancelled_checkout_leaves_no_file_and_the_window_online(
    pg: Server, qtbot: QtBot, open_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    window = _open_ready(open_window, qtbot, pg.url("laptop1"))
    url = window.url
    window.offline_action.trigger()
    dialog = window.findChild(CheckoutDialog)
    assert dialog is not None
    replica_file = tmp_path / "cancelled.sqlite"
    dialog.file_edit.setText(str(replica_file))
    _click(dialog, "start_button")
    assert not dialog.start_button.isEnabled()
    _click(dialog, "cancel_button")  # heard at the first chunk of customers
    assert dialog.step.text() == "正在取消…"
    settle(60_000)
    assert dialog.step.text() == "签出已取消，未留下副本文件"
    assert dialog.isVisible() and dialog.start_button.isEnabled()
    assert not replica_file.exists()
    assert window.url == url and window.offline_action.isEnabled()
    # A file that exists already is refused with a message, nothing overwritten.
    replica_file.write_text("keep")
    _click(dialog, "start_button")
    settle(60_000)
    assert dialog.error.isVisible() and "已存在" in dialog.error.text()
    assert replica_file.read_text() == "keep"
    _click(dialog, "cancel_button")
    assert not dialog.isVisible()


def test_a_server_out_of_reach_is_a_message_not_a_crash(qtbot: QtBot, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    # Port 9 (discard) on this machine: nothing listens, the connection is refused.
    dialog = CheckoutDialog("postgresql+psycopg://nobody@127.0.0.1:9/custmd", "x", "u", parent)
    dialog.file_edit.setText(str(tmp_path / "r.sqlite"))
    dialog.show()
    _click(dialog, "start_button")
    settle(60_000)
    assert dialog.error.isVisible()
    assert dialog.error.text().startswith("无法连接服务器或连接中断：")
    assert dialog.start_button.isEnabled() and not (tmp_path / "r.sqlite").exists()
