"""系统 → 删除客户 on a real database (SQLite and PostgreSQL), keyboard first: a flagged customer
without business is archived (a JSON file) and removed after the confirmation; one with
business is refused naming the sales area and stays; saying no removes nothing; the menu
entries follow the rights (an assistant has neither)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTableView, QWidget
from pytestqt.qtbot import QtBot

from custmd_gui.domain.errors import NotFound
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import read_customer
from custmd_gui.services.status import StatusEdit, change_status
from custmd_gui.services.usage import import_usage
from custmd_gui.ui.deletion_dialog import DeletionDialog, open_deletion_dialog, parse_numbers
from tests.gui.keyboard import focused, key, replace_text, tab_to, type_text
from tests.gui.test_status_dialog import NUMBER, OTHERS, WAIT_MS, create_customers
from tests.gui.test_usage_dialog import actor_with_role, open_main_window
from tests.gui.wizard_steps import answer_next_dialog

ADMIN = Actor("admin")


@pytest.fixture
def flagged(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """The example customer and two more; the example customer flagged for deletion."""
    create_customers(uow_factory, more=True)
    change_status(uow_factory, [NUMBER], [StatusEdit(deletion=True)], ADMIN, "误建")
    return uow_factory


@pytest.fixture
def dialog(qtbot: QtBot, flagged: UnitOfWorkFactory) -> Iterator[DeletionDialog]:
    window = open_deletion_dialog(None, flagged, ADMIN)
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is window.numbers_edit)
    yield window
    window.close()


def fill_form(dialog: DeletionDialog, numbers: str, archive: Path, comment: str) -> None:
    """Type the numbers (the focus is in their field), the archive folder and the comment."""
    assert focused() is dialog.numbers_edit
    type_text(numbers)
    tab_to(dialog, "archive_folder")
    replace_text(str(archive))
    tab_to(dialog, "CDHDR_COMMENT")
    type_text(comment)


def press_delete(dialog: DeletionDialog) -> None:
    tab_to(dialog, "delete_button")
    key(Qt.Key.Key_Space)


def exists(factory: UnitOfWorkFactory, number: str) -> bool:
    try:
        read_customer(factory, number)
    except NotFound:
        return False
    return True


def test_numbers_are_separated_by_commas_or_spaces() -> None:
    assert parse_numbers(" 2110380001, 2110380002，2110380003  2110380001;2110380004、") == [
        "2110380001",
        "2110380002",
        "2110380003",
        "2110380004",
    ]


def test_a_flagged_customer_without_business_is_archived_and_removed(
    qtbot: QtBot, dialog: DeletionDialog, flagged: UnitOfWorkFactory, tmp_path: Path
) -> None:
    assert dialog.windowTitle() == "删除客户 - custmd"
    # The default archive folder is the CLI's: archive/ in the app's data folder.
    assert dialog.archive_edit.text().endswith(str(Path("custmd") / "archive"))
    archive = tmp_path / "archive"
    fill_form(dialog, NUMBER, archive, "重复建档")
    asked: list[tuple[str, str, str]] = []

    def confirm(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        default = box.defaultButton()
        asked.append((box.text(), default.text() if default else "", box.informativeText()))
        key(Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # 删除(&D)

    seen = answer_next_dialog(confirm)
    with qtbot.waitSignal(dialog.deleted) as deleted:
        press_delete(dialog)
    assert seen == ["confirm_deletion"]
    [(text, default, info)] = asked
    assert text == f"物理删除以下 1 个客户：{NUMBER}？"
    assert default == "不删除(&N)"
    assert str(archive) in info

    assert deleted.args == ["已删除并归档 1 个客户"]
    assert dialog.message.text() == "已删除并归档 1 个客户"
    assert not exists(flagged, NUMBER)
    [file] = archive.iterdir()
    document = json.loads(file.read_text(encoding="utf-8"))
    assert document["KNA1"]["KUNNR"] == NUMBER
    assert document["KNA1"]["NAME1"] == "东宁广告有限公司"
    table = dialog.removed_table
    assert table.isVisible() and table.rowCount() == 1
    assert [table.item(0, c).text() for c in range(3)] == [NUMBER, "东宁广告有限公司", str(file)]
    # Ready for the next run: the numbers and the comment are gone, the folder stays.
    assert dialog.numbers_edit.text() == "" and dialog.comment_edit.text() == ""
    assert dialog.archive_edit.text() == str(archive)
    assert exists(flagged, OTHERS[0])


def test_a_customer_with_business_is_refused_naming_the_sales_area(
    dialog: DeletionDialog, flagged: UnitOfWorkFactory, tmp_path: Path
) -> None:
    extract = tmp_path / "usage.csv"
    extract.write_text(
        "KUNNR,BUKRS,VKORG,VTWEG,SPART,DOC_COUNT,LAST_DOC_DATE\n"
        f"{NUMBER},,F011,10,01,7,2024-04-30\n",
        encoding="utf-8",
    )
    assert import_usage(flagged, extract, ADMIN).imported == 1
    archive = tmp_path / "archive"
    # Two customers: the second is not flagged. Every reason, nothing removed.
    fill_form(dialog, f"{NUMBER}, {OTHERS[0]}", archive, "清理")
    seen = answer_next_dialog(lambda _box: key(Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier))
    press_delete(dialog)
    assert seen == ["confirm_deletion"]
    lines = dialog.message.text().splitlines()
    assert lines[0] == "没有删除任何客户："
    assert len(lines) == 3
    assert f"客户 {NUMBER} 在销售范围 F011/10/01" in lines[1] and "请冻结该客户" in lines[1]
    assert OTHERS[0] in lines[2] and "没有删除标记" in lines[2]
    assert dialog.message.styleSheet().find("#a00000") >= 0
    assert exists(flagged, NUMBER) and exists(flagged, OTHERS[0])
    assert not archive.exists() or not any(archive.iterdir())
    # What was typed stays for another try.
    assert dialog.numbers_edit.text() == f"{NUMBER}, {OTHERS[0]}"
    assert dialog.comment_edit.text() == "清理"
    assert not dialog.removed_table.isVisible()


def test_saying_no_removes_nothing(
    dialog: DeletionDialog, flagged: UnitOfWorkFactory, tmp_path: Path
) -> None:
    archive = tmp_path / "archive"
    fill_form(dialog, NUMBER, archive, "重复建档")
    seen = answer_next_dialog(lambda _box: key(Qt.Key.Key_Return))  # No is the default
    press_delete(dialog)
    assert seen == ["confirm_deletion"]
    assert dialog.message.text() == "没有删除任何客户"
    assert exists(flagged, NUMBER)
    assert not archive.exists()
    assert dialog.numbers_edit.text() == NUMBER and dialog.comment_edit.text() == "重复建档"


def test_a_missing_comment_is_refused_without_asking(
    dialog: DeletionDialog, flagged: UnitOfWorkFactory, tmp_path: Path
) -> None:
    fill_form(dialog, NUMBER, tmp_path / "archive", "")
    press_delete(dialog)  # no question: a confirmation would hang the test
    assert dialog.message.text() == "没有删除任何客户：\n备注：请填写备注，说明删除的原因"
    assert focused() is dialog.comment_edit
    assert exists(flagged, NUMBER)


def test_f4_lists_the_flagged_customers_and_adds_the_one_picked(
    qtbot: QtBot, dialog: DeletionDialog
) -> None:
    type_text(OTHERS[0])
    listed: list[str] = []

    def pick(help_dialog: QWidget) -> None:
        table = help_dialog.findChild(QTableView, "f4_table")
        assert table is not None
        model = table.model()
        listed.extend(str(model.index(r, 0).data()) for r in range(model.rowCount()))
        key(Qt.Key.Key_Return)

    seen = answer_next_dialog(pick)
    key(Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: bool(seen) and focused() is dialog.numbers_edit, timeout=WAIT_MS)
    assert seen == ["value_help"]
    assert listed == [NUMBER]  # only the customer flagged for deletion
    assert dialog.numbers_edit.text() == f"{OTHERS[0]}、{NUMBER}"
    assert dialog.numbers() == [OTHERS[0], NUMBER]


def test_the_menu_entry_needs_the_delete_right_and_takes_the_flagged_selection(
    qtbot: QtBot, db_url: str, flagged: UnitOfWorkFactory
) -> None:
    window = open_main_window(qtbot, db_url, actor_with_role("zhangsan", "assistant"))
    try:
        assert window.delete_customers_action.text() == "删除客户(&C)…"
        assert window.delete_customers_action in window.system_menu.actions()
        assert not window.delete_customers_action.isEnabled()
    finally:
        window.dispose()
    window = open_main_window(qtbot, db_url, actor_with_role("admin", "administrator"))
    try:
        assert window.delete_customers_action.isEnabled()
        # The customer flagged for deletion among those selected is filled in, not the others.
        qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=WAIT_MS)
        window.table.setFocus()
        window.table.selectAll()
        window.delete_customers_action.trigger()
        deletion = window.findChild(DeletionDialog, "deletion_run")
        assert deletion is not None and deletion.isVisible()
        assert deletion.actor == window.actor
        assert deletion.numbers() == [NUMBER]
        deletion.close()
    finally:
        window.dispose()
