"""系统 → 备份… / 恢复… in the main window (offscreen): a backup into a file, then a restore that
asks first (default No), lets go of the database, replaces it and opens it again."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import migrate
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.settings import automatic_backup_dir
from custmd_gui.ui.backup_dialog import BackupDialog
from custmd_gui.ui.main import MainWindow
from custmd_gui.ui.operations import process_until
from tests.conftest import example_document
from tests.gui.keyboard import key
from tests.gui.wizard_steps import answer_next_dialog

WAIT_MS = 30_000
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def _dialog(window: MainWindow) -> BackupDialog:
    dialog = window.findChild(BackupDialog, "backup_dialog")
    assert dialog is not None
    return dialog


def _ready(qtbot: QtBot, window: MainWindow, rows: int) -> None:
    qtbot.waitUntil(
        lambda: window.database_state == "ready" and window.model.rowCount() == rows,
        timeout=WAIT_MS,
    )


def test_backup_then_restore_from_the_system_menu(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    sqlite_template: Path,
    tmp_path: Path,
) -> None:
    live = tmp_path / "custmd.sqlite"
    shutil.copyfile(sqlite_template, live)
    engine = make_engine(f"sqlite:///{live}")
    factory = UnitOfWorkFactory(engine)
    create_customer(factory, from_document(example_document()), Actor("admin"))
    window = open_window(f"sqlite:///{live}")
    _ready(qtbot, window, 1)
    # The session's start made the day's automatic backup, in the per-user data folder.
    qtbot.waitUntil(lambda: any(automatic_backup_dir().rglob("*.custmd-backup")), timeout=WAIT_MS)
    assert [a.text() for a in window.system_menu.actions()][-2:] == ["备份(&B)…", "恢复(&R)…"]
    assert window.backup_action.isEnabled() and window.restore_action.isEnabled()

    window.backup_action.trigger()
    dialog = _dialog(window)
    assert dialog.windowTitle() == "备份数据库 - custmd"
    assert dialog.file_edit.text().endswith(".custmd-backup")
    backup = tmp_path / "saved" / "b.custmd-backup"
    dialog.file_edit.setText(str(backup))
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "backup_dialog.png"))
    dialog.start_button.click()
    assert dialog.progress.isVisible()
    dialog.grab().save(str(SHOTS / "backup_dialog_running.png"))
    assert dialog.operation is not None
    dialog.operation.wait()
    head = migrate.SCHEMA_HEAD
    assert dialog.outcome.text() == f"备份已写入：{backup}（1 个客户，结构版本 {head}）"
    assert backup.is_file()
    qtbot.wait(50)
    dialog.grab().save(str(SHOTS / "backup_dialog_done.png"))
    dialog.close()

    # A customer made after the backup: the restore takes it away again.
    doc = example_document()
    doc["KNA1"].update(
        {
            "KUNNR": "2110380002",
            "NAME1": "华信电子有限公司",
            "NAME3": "华信电子有限公司",
            "SORTL": "华信",
        }
    )
    for partner in doc["KNVV"][0]["KNVP"]:
        partner["KUNN2"] = "2110380002"
    create_customer(factory, from_document(doc), Actor("admin"))
    engine.dispose()
    window.start_search()
    _ready(qtbot, window, 2)

    window.restore_action.trigger()
    dialog = _dialog(window)
    assert dialog.windowTitle() == "恢复数据库 - custmd"
    dialog.file_edit.setText(str(backup))
    dialog.grab().save(str(SHOTS / "restore_dialog.png"))

    # First "no" (the default, Enter): nothing happens.
    asked: list[str] = []

    def refuse(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        default = box.defaultButton()
        asked.append(default.text() if default else "")
        box.grab().save(str(SHOTS / "restore_question.png"))
        key(Qt.Key.Key_Return)

    seen = answer_next_dialog(refuse)
    dialog.start_button.click()
    assert seen == ["confirm_restore"] and asked == ["不恢复(&N)"]
    assert window.database_state == "ready" and dialog.operation is None

    def accept(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        assert "1 个客户" in box.text()
        key(Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # 恢复(&R)

    seen = answer_next_dialog(accept)
    dialog.start_button.click()
    assert seen == ["confirm_restore"]
    assert dialog.operation is not None
    dialog.operation.wait()
    assert dialog.outcome.text().startswith("已恢复："), dialog.outcome.text()
    assert "custmd.sqlite.before-restore" in dialog.outcome.text()
    qtbot.wait(50)  # the label's new height laid out
    dialog.grab().save(str(SHOTS / "restore_dialog_done.png"))
    # The window opened the database again: the list is the backup's.
    _ready(qtbot, window, 1)
    process_until(lambda: window.model.rowCount() == 1)
    assert window.model.index(0, 0).data() == "2110380001"
    assert (tmp_path / "custmd.sqlite.before-restore").is_file()
    dialog.close()


def test_restore_on_a_shared_database_says_how(qtbot: QtBot) -> None:
    dialog = BackupDialog("restore", "postgresql://chief@db.example/custmd", None, Actor("chief"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.start_button.isEnabled()
    assert "createdb" in dialog.info.text()
    assert "custmd db restore" in dialog.info.text()
    dialog.grab().save(str(SHOTS / "restore_dialog_server.png"))
