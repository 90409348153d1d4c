"""XD04 shows the comment of a change document: why finance blocked (XD05), flagged (XD06) or
blocked many customers at once; on a real database (SQLite and PostgreSQL), keyboard first."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.status import StatusEdit, change_status
from custmd_gui.ui import i18n
from custmd_gui.ui.change_documents_dialog import (
    COLUMN_KEYS,
    ChangeDocumentsDialog,
    open_change_documents,
)
from custmd_gui.ui.status_dialog import StatusDialog
from tests.gui.keyboard import focused, key, tab_to, type_text
from tests.gui.test_change_documents_dialog import lines
from tests.gui.test_status_dialog import NUMBER, OTHERS, _open, create_customers, save

WHY = "客户逾期未付款，财务要求冻结"


@pytest.fixture
def xd05(qtbot: QtBot, uow_factory: UnitOfWorkFactory) -> Iterator[StatusDialog]:
    """XD05 on the example customer and two more, the example read."""
    create_customers(uow_factory, more=True)
    yield from _open(qtbot, uow_factory, "block")


def open_xd04(qtbot: QtBot, factory: UnitOfWorkFactory) -> ChangeDocumentsDialog:
    dialog = open_change_documents(None, factory)
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: focused() is dialog.number_edit)
    return dialog


def show(dialog: ChangeDocumentsDialog, number: str) -> None:
    """Type the customer number over what the field holds, and Enter."""
    tab_to(dialog, "KNA1_KUNNR")
    key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(number)
    key(Qt.Key.Key_Return)
    assert focused() is dialog.table


def block_in_xd05(xd05: StatusDialog) -> None:
    """An order block with reason 01 and the central posting block, with WHY, by keyboard."""
    assert focused() is xd05.central_reasons["order"]
    type_text("01")
    tab_to(xd05, "central_posting")
    key(Qt.Key.Key_Space)
    tab_to(xd05, "CDHDR_COMMENT")
    type_text(WHY)
    save()
    assert xd05.message.text() == "已更改 1 个客户，0 个客户无需更改"


def test_xd04_shows_the_block_comment_and_copies_it(
    qtbot: QtBot, xd05: StatusDialog, uow_factory: UnitOfWorkFactory
) -> None:
    block_in_xd05(xd05)
    xd04 = open_xd04(qtbot, uow_factory)
    show(xd04, NUMBER)
    model = xd04.table.model()
    column = COLUMN_KEYS.index("comment")
    assert model.headerData(column, Qt.Orientation.Horizontal) == "备注"
    seen = lines(xd04)
    blocks = [line for line in seen if line["tcode"] == "XD05"]
    assert [line["field_key"] for line in blocks] == ["KNA1-AUFSD", "KNA1-SPERR"]
    # Every line of the block document carries its comment; the create has none.
    assert [line["comment"] for line in blocks] == [WHY, WHY]
    (created,) = [line for line in seen if line["tcode"] == "XD01"]
    assert created["comment"] == ""
    # The column is wide enough to be read, and its tooltip holds the comment whole.
    assert xd04.table.columnWidth(column) >= 60
    assert model.index(0, column).data(Qt.ItemDataRole.ToolTipRole) == WHY
    # No document of this customer was written for a request: no request column.
    assert xd04.table.isColumnHidden(COLUMN_KEYS.index("request"))
    # Ctrl+C: the comment is a cell of each copied line, in its column.
    assert focused() is xd04.table
    key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    key(Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = [line.split("\t") for line in QGuiApplication.clipboard().text().split("\n")]
    assert all(len(cells) == len(COLUMN_KEYS) for cells in copied)
    by_field = {cells[COLUMN_KEYS.index("field_key")]: cells[column] for cells in copied}
    assert by_field == {"KNA1-AUFSD": WHY, "KNA1-SPERR": WHY, "": ""}
    # English: the column's header; the comment stays as typed.
    i18n.set_language("en")
    try:
        qtbot.waitUntil(lambda: xd04.windowTitle() == "Customer change documents (XD04)")
        assert model.headerData(column, Qt.Orientation.Horizontal) == "Comment"
        assert lines(xd04)[0]["comment"] == WHY
    finally:
        i18n.set_language("zh")


def test_mass_block_and_deletion_flag_comments(
    qtbot: QtBot, uow_factory: UnitOfWorkFactory
) -> None:
    """The mass block writes the comment on each customer's document; XD06 its own."""
    create_customers(uow_factory, more=True)
    wangwu = Actor("wangwu")
    change_status(uow_factory, [NUMBER, OTHERS[0]], [StatusEdit(delivery="05")], wangwu, "年末盘点")
    change_status(uow_factory, [NUMBER], [StatusEdit(deletion=True)], wangwu, "客户已注销")
    xd04 = open_xd04(qtbot, uow_factory)
    for number in (NUMBER, OTHERS[0]):
        show(xd04, number)
        by_field = {line["field_key"]: line["comment"] for line in lines(xd04)}
        assert by_field["KNA1-LIFSD"] == "年末盘点", number
    show(xd04, NUMBER)
    newest = lines(xd04)[0]
    assert (newest["tcode"], newest["field_key"], newest["comment"]) == (
        "XD06",
        "KNA1-LOEVM",
        "客户已注销",
    )


def test_xd04_shows_the_request_and_its_reason(
    qtbot: QtBot, uow_factory: UnitOfWorkFactory
) -> None:
    """A customer created by a request's activation: its documents name the request and carry
    the request's reason; a direct change names none."""
    from custmd_gui.domain.authorization import DEFAULT_ROLES, Authorizations
    from custmd_gui.domain.requests import RequestType
    from custmd_gui.domain.sap_document import from_document
    from custmd_gui.services import requests as rq
    from tests.conftest import example_document

    roles = {r.code: r for r in DEFAULT_ROLES}
    assistant = Actor.logged_in(Authorizations.of_roles("wang", [roles["assistant"]]))
    head = Actor.logged_in(Authorizations.of_roles("zhao", [roles["general_maintainer"]]))
    filed = rq.create_request(
        uow_factory,
        assistant,
        RequestType.CREATE,
        from_document(example_document()),
        reason="新客户，需开具发票",
        submit=True,
    )
    rq.approve(uow_factory, head, filed.number)
    rq.activate(uow_factory, head, filed.number)
    change_status(uow_factory, [NUMBER], [StatusEdit(order="01")], Actor("finance"), WHY)
    xd04 = open_xd04(qtbot, uow_factory)
    show(xd04, NUMBER)
    model = xd04.table.model()
    column = COLUMN_KEYS.index("request")
    assert model.headerData(column, Qt.Orientation.Horizontal) == "申请"
    assert not xd04.table.isColumnHidden(column)
    seen = lines(xd04)
    assert [(line["tcode"], line["request"], line["comment"]) for line in seen] == [
        ("XD05", "", WHY),
        ("XD01", filed.number, "新客户，需开具发票"),
    ]
    assert xd04.table.columnWidth(column) >= xd04.fontMetrics().horizontalAdvance(filed.number)
    if shot := os.environ.get("CUSTMD_SHOT"):  # a screenshot to look at
        xd04.resize(1400, 360)
        xd04.grab().save(shot)
