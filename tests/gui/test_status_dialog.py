"""XD05/XD06 and the mass block on a real database (SQLite and PostgreSQL), keyboard first:
block a customer centrally and for one sales area, see the marks in the list and in XD03,
unblock it, read the change documents; refusals (comment, edit lock, stale) keep the typing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, select

from custmd_gui.domain.model import Customer
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import tables
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.change_documents import change_documents
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.services.locks import acquire_lock, release_lock
from custmd_gui.services.status import StatusEdit, change_status, read_status
from custmd_gui.ui import i18n
from custmd_gui.ui.change_documents_dialog import ChangeDocumentsDialog
from custmd_gui.ui.customer_list_model import COLUMNS
from custmd_gui.ui.main import MainWindow
from custmd_gui.ui.mass_status_dialog import MassStatusDialog
from custmd_gui.ui.status_dialog import StatusDialog, open_status_dialog
from tests.conftest import example_document
from tests.gui.keyboard import focused, key, settle, tab_to, type_text
from tests.gui.test_change_documents_dialog import lines
from tests.gui.wizard_steps import answer_next_dialog

WAIT_MS = 30_000
NUMBER = "2110380001"
AREA = "F011/10/01"
OTHERS = ("2110380002", "2110380003")


def _customer(number: str, name: str, **kna1: Any) -> Customer:
    """The example customer under another number and name (same org data, so it validates)."""
    doc = example_document()
    doc["KNA1"].update({"KUNNR": number, "NAME1": name, "NAME3": name, **kna1})
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = number
    return from_document(doc)


def create_customers(factory: UnitOfWorkFactory, *, more: bool = False) -> None:
    create_customer(factory, from_document(example_document()), Actor("zhangsan"))
    if more:
        create_customer(factory, _customer(OTHERS[0], "华信电子科技有限公司"), Actor("zhangsan"))
        create_customer(
            factory, _customer(OTHERS[1], "重庆长安汽车配件有限公司", AUFSD="01"), Actor("zhangsan")
        )


def status_documents(factory: UnitOfWorkFactory, number: str = NUMBER) -> list[tuple[str, ...]]:
    """(tcode, field, segment, old, new) of the XD05/XD06 documents, oldest first."""
    return [
        (r.tcode, r.field_key, r.segment, r.old or "", r.new or "")
        for r in change_documents(factory, number)
        if r.tcode in ("XD05", "XD06")
    ]


@pytest.fixture
def xd05(qtbot: QtBot, uow_factory: UnitOfWorkFactory) -> Iterator[StatusDialog]:
    """XD05 on the example customer, read, the focus in its first block."""
    create_customers(uow_factory)
    yield from _open(qtbot, uow_factory, "block")


@pytest.fixture
def xd06(qtbot: QtBot, uow_factory: UnitOfWorkFactory) -> Iterator[StatusDialog]:
    create_customers(uow_factory)
    yield from _open(qtbot, uow_factory, "deletion")


def _open(qtbot: QtBot, factory: UnitOfWorkFactory, mode: str) -> Iterator[StatusDialog]:
    with factory() as uow:
        customizing = uow.customizing.load()
    dialog = open_status_dialog(
        None, factory, customizing, Actor("wangwu"), "deletion" if mode == "deletion" else "block"
    )
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: focused() is dialog.number_edit)
    type_text(NUMBER)
    key(Qt.Key.Key_Return)
    yield dialog
    dialog.close()


def save() -> None:
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def comment(dialog: QWidget, text: str) -> None:
    tab_to(dialog, "CDHDR_COMMENT")
    type_text(text)


def comments(engine: Engine, number: str = NUMBER) -> list[tuple[str, str]]:
    """(tcode, comment) of the customer's change documents, oldest first."""
    with engine.connect() as conn:
        return [
            (r.tcode, r.comment)
            for r in conn.execute(
                select(tables.ChangeHeader.tcode, tables.ChangeHeader.comment)
                .where(tables.ChangeHeader.objectid == number)
                .order_by(tables.ChangeHeader.udate)
            )
        ]


# -- the acceptance test of the issue --------------------------------------------------------


@pytest.fixture
def window(qtbot: QtBot, db_url: str, uow_factory: UnitOfWorkFactory) -> Iterator[MainWindow]:
    """The main window on the example customer and two more (2110380003 blocked already)."""
    create_customers(uow_factory, more=True)
    win = MainWindow(db_url)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: win.database_state == "ready", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: win.model.rowCount() == 3 and not win.searcher.busy, timeout=WAIT_MS)
    win.table.setFocus()
    win.table.setCurrentIndex(win.model.index(0, 0))
    yield win
    win.dispose()


def list_status(window: MainWindow, row: int = 0) -> str:
    return str(window.model.index(row, COLUMNS.index("status")).data() or "")


def header(window: MainWindow, company_code: str = "F011", area: str = AREA) -> str:
    window.display_customer_segments(NUMBER, company_code, area)
    viewer = window.wizards["display"]
    text = viewer.header.text()
    viewer.close()
    return text


def test_block_centrally_and_for_a_sales_area_then_unblock(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.block_action.text() == "冻结/解冻(&B)… (XD05)"
    assert window.block_action.shortcut().toString() == "Ctrl+B"
    assert list_status(window) == ""
    QTest.keyClick(window.table, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(StatusDialog, "status_xd05")
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "冻结/解冻客户 (XD05)"
    # The selected row's customer is read at once; the focus is in its first block.
    assert dialog.number_edit.text() == NUMBER and dialog.name_label.text() == "东宁广告有限公司"
    qtbot.waitUntil(lambda: focused() is dialog.central_reasons["order"])
    level = dialog.grid_widget.findChild(QWidget, "level_sales_area_F011_10_01")
    assert level is not None and level.text().startswith("销售范围 F011/10/01")
    assert set(dialog.company_code_boxes) == {"F011"} and set(dialog.area_reasons) == {AREA}
    reasons = dialog.central_reasons["order"]
    assert [reasons.itemText(i) for i in range(3)] == ["", "01 信用冻结", "02 客户无业务"]

    type_text("01")  # typing the code picks the reason
    assert reasons.value() == "01"
    tab_to(dialog, "sales_area_F011_10_01_delivery")
    type_text("03")
    comment(dialog, "客户逾期未付款")
    save()
    assert dialog.message.text() == "已更改 1 个客户，0 个客户无需更改"
    assert dialog.comment_edit.text() == ""  # the next action needs its own reason
    # Read again: the stored blocks, the new version.
    assert dialog.status is not None and dialog.status.version == 2
    assert dialog.central_reasons["order"].value() == "01"
    assert dialog.area_reasons[AREA]["delivery"].value() == "03"

    # The list reloads and marks the customer; XD03 shows the blocks in its header.
    qtbot.waitUntil(lambda: list_status(window) == "冻结", timeout=WAIT_MS)
    assert window.statusBar().currentMessage() == "已更改 1 个客户，0 个客户无需更改"
    marks = header(window)
    assert "订单冻结 01" in marks and "销售范围 F011/10/01 交货冻结 03" in marks

    # Unblock everything (Alt+U), with a comment.
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isActiveWindow())
    dialog.comment_edit.setFocus()
    type_text("已收到货款")
    key(Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)  # a button's mnemonic clicks animated
    qtbot.waitUntil(lambda: dialog.central_reasons["order"].value() == "")
    assert dialog.message.text() == "已更改 1 个客户，0 个客户无需更改"
    assert dialog.area_reasons[AREA]["delivery"].value() == ""
    qtbot.waitUntil(lambda: list_status(window) == "", timeout=WAIT_MS)
    assert "冻结" not in header(window)

    # Two XD05 documents: who blocked what, then the unblocking, each with its comment.
    assert window.database is not None
    factory = window.database.factory
    assert status_documents(factory) == [
        ("XD05", "KNA1-AUFSD", "", "", "01"),
        ("XD05", "KNVV-LIFSD", AREA, "", "03"),
        ("XD05", "KNA1-AUFSD", "", "01", ""),
        ("XD05", "KNVV-LIFSD", AREA, "03", ""),
    ]
    assert comments(window.database.engine) == [
        ("XD01", ""),
        ("XD05", "客户逾期未付款"),
        ("XD05", "已收到货款"),
    ]
    # And in XD04.
    window.change_documents(NUMBER)
    xd04 = window.findChild(ChangeDocumentsDialog)
    assert xd04 is not None
    seen = [(line["tcode"], line["field_key"], line["old"], line["new"]) for line in lines(xd04)]
    # The reasons with their texts, as XD05 shows them.
    assert seen[:2] == [
        ("XD05", "KNA1-AUFSD", "01 信用冻结", ""),
        ("XD05", "KNVV-LIFSD", "03 呆账", ""),
    ]
    assert ("XD05", "KNA1-AUFSD", "", "01 信用冻结") in seen


# -- refusals ----------------------------------------------------------------------------------


def test_missing_comment_is_refused_and_the_typing_stays(
    xd05: StatusDialog, uow_factory: UnitOfWorkFactory
) -> None:
    assert focused() is xd05.central_reasons["order"]
    type_text("02")
    tab_to(xd05, "central_posting")
    key(Qt.Key.Key_Space)
    save()
    assert xd05.message.text() == "备注：请填写备注，说明冻结、解冻或删除标记的原因"
    assert xd05.message.kind == "error" and xd05.message.mark.isVisible()  # the error icon
    assert focused() is xd05.comment_edit
    assert xd05.central_reasons["order"].value() == "02" and xd05.central_posting is not None
    assert xd05.central_posting.isChecked()
    assert status_documents(uow_factory) == []
    assert not read_status(uow_factory, NUMBER).blocked
    # With a comment the same typing is saved.
    type_text("资料待审核")
    save()
    assert xd05.message.text() == "已更改 1 个客户，0 个客户无需更改"
    assert xd05.message.kind == "success" and xd05.message.mark.isVisible()
    assert status_documents(uow_factory) == [
        ("XD05", "KNA1-AUFSD", "", "", "02"),
        ("XD05", "KNA1-SPERR", "", "", "X"),
    ]


def test_customer_in_xd02_is_refused(qtbot: QtBot, uow_factory: UnitOfWorkFactory) -> None:
    create_customers(uow_factory)
    lock = acquire_lock(uow_factory, NUMBER, Actor("lisi"))
    dialog = next(_open(qtbot, uow_factory, "block"))
    try:
        locked = f"客户 {NUMBER} 正在被用户 lisi 处理"
        assert dialog.message.text() == locked  # said when read, before any typing
        assert dialog.message.kind == "warning"
        tab_to(dialog, "sales_area_F011_10_01_billing")
        type_text("05")
        comment(dialog, "财务要求")
        save()
        assert dialog.message.text() == f"客户：{locked}"
        assert dialog.area_reasons[AREA]["billing"].value() == "05"
        assert dialog.comment_edit.text() == "财务要求"
        assert status_documents(uow_factory) == []
        # Once lisi is done, the same Ctrl+S saves.
        release_lock(uow_factory, lock)
        save()
        assert dialog.message.text() == "已更改 1 个客户，0 个客户无需更改"
        assert read_status(uow_factory, NUMBER).sales_areas[AREA][0].billing == "05"
    finally:
        dialog.close()


def test_changed_meanwhile_is_refused(xd05: StatusDialog, uow_factory: UnitOfWorkFactory) -> None:
    change_status(uow_factory, [NUMBER], [StatusEdit(posting=True)], Actor("lisi"), "别处冻结")
    type_text("01")
    comment(xd05, "逾期")
    save()
    assert "在您打开后已被更改" in xd05.message.text()
    assert xd05.central_reasons["order"].value() == "01"
    assert read_status(uow_factory, NUMBER).central.order == ""
    # Enter in the number field reads it again: lisi's posting block is there.
    tab_to(xd05, "KNA1_KUNNR")
    key(Qt.Key.Key_Return)
    assert xd05.central_posting is not None and xd05.central_posting.isChecked()


def test_unknown_customer_and_typed_number_not_read(xd05: StatusDialog) -> None:
    tab_to(xd05, "KNA1_KUNNR")
    key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text("2110389999")
    save()  # a number typed but not read: nothing is saved for the old one
    assert xd05.message.text() == "请先按回车读取客户 2110389999"
    key(Qt.Key.Key_Return)
    assert xd05.message.text() == "客户：客户 2110389999 不存在"
    assert xd05.status is None and xd05.editors() == [] and xd05.name_label.text() == ""


# -- XD06 --------------------------------------------------------------------------------------


def test_deletion_flags_set_and_removed(
    qtbot: QtBot, xd06: StatusDialog, uow_factory: UnitOfWorkFactory
) -> None:
    assert xd06.windowTitle() == "设置删除标记 (XD06)"
    assert xd06.rule_label.isVisible()
    assert xd06.rule_label.text() == "有业务数据的客户不能删除，只能冻结"
    assert focused() is xd06.central_deletion
    key(Qt.Key.Key_Space)
    tab_to(xd06, "sales_area_F011_10_01_deletion")
    key(Qt.Key.Key_Space)
    comment(xd06, "客户已注销")
    save()
    assert xd06.message.text() == "已更改 1 个客户，0 个客户无需更改"
    status = read_status(uow_factory, NUMBER)
    assert status.deletion and status.sales_areas[AREA][1] and not status.company_codes["F011"][1]
    assert status_documents(uow_factory) == [
        ("XD06", "KNA1-LOEVM", "", "", "X"),
        ("XD06", "KNVV-LOEVM", AREA, "", "X"),
    ]
    # Remove every flag (Alt+R), again with a comment.
    comment(xd06, "误操作")
    key(Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not read_status(uow_factory, NUMBER).flagged)
    settle()  # the button (Alt+R) saves in a worker thread: wait for it to report
    assert xd06.central_deletion is not None and not xd06.central_deletion.isChecked()
    assert status_documents(uow_factory)[2:] == [
        ("XD06", "KNA1-LOEVM", "", "X", ""),
        ("XD06", "KNVV-LOEVM", AREA, "X", ""),
    ]


# -- the mass block ----------------------------------------------------------------------------


def test_mass_block_of_three_selected_customers(qtbot: QtBot, window: MainWindow) -> None:
    assert window.database is not None
    factory = window.database.factory
    # Shift+Down selects; Enter still displays the current customer (XD03).
    key(Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    key(Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert window._selected_numbers() == [NUMBER, *OTHERS]
    key(Qt.Key.Key_Return)
    viewer = window.wizards["display"]
    assert viewer.isVisible() and viewer.keys is not None
    assert viewer.keys.extending is not None and viewer.keys.extending.number == OTHERS[1]
    viewer.close()
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is window.table)
    assert window._selected_numbers() == [NUMBER, *OTHERS]

    lock = acquire_lock(factory, OTHERS[0], Actor("lisi"))
    key(Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.findChild(MassStatusDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "批量冻结/解冻 (XD05)"
    assert dialog.chosen_label.text() == f"已选择 3 个客户：{NUMBER}、{OTHERS[0]}、{OTHERS[1]}"
    qtbot.waitUntil(lambda: focused() is dialog.reasons["order"])
    type_text("01")
    tab_to(dialog, "CDHDR_COMMENT")
    type_text("年末信用审查")
    # One customer is in XD02: the whole action is refused, every refusal named.
    save()
    assert dialog.isVisible()
    assert dialog.message.text() == f"客户：客户 {OTHERS[0]} 正在被用户 lisi 处理"
    assert status_documents(factory) == [] and status_documents(factory, OTHERS[0]) == []
    release_lock(factory, lock)
    save()
    # Closed: the save reported through the event loop, which also deleted the dialog.
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    message = "已更改 2 个客户，1 个客户无需更改"
    assert window.statusBar().currentMessage() == message
    qtbot.waitUntil(
        lambda: [list_status(window, r) for r in range(3)] == ["冻结"] * 3, timeout=WAIT_MS
    )
    assert window.statusBar().currentMessage() == message  # kept through the reload
    assert status_documents(factory) == [("XD05", "KNA1-AUFSD", "", "", "01")]
    assert status_documents(factory, OTHERS[1]) == []  # already blocked so: no document

    # Unblock everything for all three.
    window.table.selectAll()
    window.mass_block()
    dialog = window.findChild(MassStatusDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: focused() is dialog.reasons["order"])
    key(Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.unblock_radio.isChecked)
    assert not dialog.reasons["order"].isEnabled()
    tab_to(dialog, "CDHDR_COMMENT")
    type_text("审查结束")
    save()
    assert window.statusBar().currentMessage() == "已更改 3 个客户，0 个客户无需更改"
    qtbot.waitUntil(lambda: [list_status(window, r) for r in range(3)] == [""] * 3, timeout=WAIT_MS)
    assert comments(window.database.engine, OTHERS[1]) == [
        ("XD01", ""),
        ("XD05", "审查结束"),
    ]


def test_chinese_texts_and_english_on_switch(qtbot: QtBot, xd05: StatusDialog) -> None:
    texts = [xd05.windowTitle(), xd05.comment_edit.placeholderText()]
    texts += [w.text() for w in xd05.findChildren(QLabel) if w.isVisible()]
    texts += [b.text() for b in xd05.findChildren(QAbstractButton) if b.isVisible()]
    english = [t for t in texts if re.search(r"[A-Za-z]{3,}", t.replace("Ctrl", ""))]
    assert english == []
    i18n.set_language("en")  # as the settings dialog does: the window follows by itself
    try:
        qtbot.waitUntil(lambda: xd05.windowTitle() == "Block/unblock customer (XD05)")
        assert xd05.central_reasons["order"].itemText(1) == "01 Credit block"
        level = xd05.grid_widget.findChild(QLabel, "level_central")
        assert level is not None and level.text().startswith("Central")
    finally:
        i18n.set_language("zh")
    qtbot.waitUntil(lambda: xd05.save_button.text() == "保存(&S) (Ctrl+S)")


def test_f4_finds_a_customer_flagged_for_deletion(
    xd06: StatusDialog, uow_factory: UnitOfWorkFactory
) -> None:
    """XD06 is where flags are removed: its search help lists flagged customers too."""
    change_status(uow_factory, [NUMBER], [StatusEdit(deletion=True)], Actor("lisi"), "注销")
    tab_to(xd06, "KNA1_KUNNR")
    key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    key(Qt.Key.Key_Delete)

    def search(_dialog: QWidget) -> None:
        type_text("东宁")
        key(Qt.Key.Key_Return)

    seen = answer_next_dialog(search)
    key(Qt.Key.Key_F4)
    assert seen == ["value_help"]
    assert xd06.number_edit.text() == NUMBER
    assert xd06.central_deletion is not None and xd06.central_deletion.isChecked()
    assert focused() is xd06.central_deletion
