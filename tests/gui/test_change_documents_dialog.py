"""XD04: the change documents window on a real database (SQLite and PostgreSQL), keyboard only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, delete, event, text

from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import tables
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.change import change_customer, open_for_change
from custmd_gui.services.change_documents import customer_history
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.services.customizing import upgrade_database
from custmd_gui.services.locks import release_lock
from custmd_gui.services.status import StatusEdit, change_status
from custmd_gui.ui import i18n
from custmd_gui.ui.change_documents_dialog import (
    COLUMN_KEYS,
    ChangeDocumentsDialog,
    open_change_documents,
)
from custmd_gui.ui.change_documents_lines import ChangeDocumentsModel, list_lines
from custmd_gui.ui.change_documents_table import DocumentsTable
from custmd_gui.ui.main import MainWindow
from tests.conftest import example_document
from tests.gui.keyboard import focused, key, tab_to, type_text
from tests.gui.wizard_steps import answer_next_dialog

NUMBER = "2110380001"
OLD_NAME = "东宁广告有限公司"
NEW_NAME = "东宁广告传媒有限公司"


def make_history(uow_factory: UnitOfWorkFactory) -> str:
    """Created by zhangsan; then lisi changes the name and the payment terms of F011."""
    create_customer(uow_factory, from_document(example_document()), Actor("zhangsan"))
    lisi = Actor("lisi")
    lock, customer = open_for_change(uow_factory, NUMBER, lisi)
    customer.general.name = NEW_NAME
    customer.company_codes[0].payment_terms = "Z030"
    change_customer(uow_factory, NUMBER, customer, lisi, expected_version=1, lock=lock)
    release_lock(uow_factory, lock)
    return NUMBER


@pytest.fixture
def history(uow_factory: UnitOfWorkFactory) -> str:
    return make_history(uow_factory)


@pytest.fixture
def blocked(uow_factory: UnitOfWorkFactory, history: str) -> str:
    """The history, then wangwu blocks orders (reason 01) and postings centrally (XD05)."""
    edit = StatusEdit(order="01", posting=True)
    change_status(uow_factory, [history], [edit], Actor("wangwu"), "客户逾期未付款")
    return history


@pytest.fixture
def xd04(qtbot: QtBot, uow_factory: UnitOfWorkFactory) -> Iterator[ChangeDocumentsDialog]:
    dialog = open_change_documents(None, uow_factory)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None)
    yield dialog
    dialog.close()


def lines(dialog: ChangeDocumentsDialog) -> list[dict[str, str]]:
    """The table as the clerk sees it: one dict per line, by column."""
    model = dialog.table.model()
    return [
        {key: str(model.index(row, column).data()) for column, key in enumerate(COLUMN_KEYS)}
        for row in range(model.rowCount())
    ]


def show(dialog: ChangeDocumentsDialog, number: str) -> None:
    tab_to(dialog, "KNA1_KUNNR")
    type_text(number)
    key(Qt.Key.Key_Return)


def test_lists_who_changed_what_newest_first(xd04: ChangeDocumentsDialog, history: str) -> None:
    assert xd04.windowTitle() == "客户更改凭证 (XD04)"
    assert focused() is xd04.number_edit
    show(xd04, history)
    assert xd04.name_label.text() == NEW_NAME
    assert focused() is xd04.table  # Enter shows the list and goes there
    seen = lines(xd04)
    name, terms, created = seen
    assert {k: name[k] for k in ("user", "activity", "tcode", "segment", "field")} == {
        "user": "lisi",
        "activity": "更改",
        "tcode": "XD02",
        "segment": "一般数据",
        "field": "名称",
    }
    assert (name["field_key"], name["old"], name["new"]) == ("KNA1-NAME1", OLD_NAME, NEW_NAME)
    assert (terms["segment"], terms["field"], terms["old"], terms["new"]) == (
        "公司代码 F011",
        "付款条件",
        "0001 立即支付",
        "Z030 30天内付款",
    )
    # The create document is one line, as in SAP: who created it and which segments.
    assert (created["user"], created["activity"], created["tcode"]) == ("zhangsan", "创建", "XD01")
    assert created["field"] == "已创建客户"
    assert created["segment"] == "一般数据、公司代码 F011、销售范围 F011/10/01"
    assert created["when"] <= name["when"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", name["when"])
    assert name["when"][:10] == date.today().isoformat()  # local time
    assert xd04.status.text() == "2 个更改凭证，3 行"
    tip = xd04.table.model().index(0, COLUMN_KEYS.index("field")).data(Qt.ItemDataRole.ToolTipRole)
    assert "KNA1-NAME1" in tip


def test_field_filter_typed_in_chinese(xd04: ChangeDocumentsDialog, history: str) -> None:
    show(xd04, history)
    labels = [xd04.field_combo.itemText(i) for i in range(xd04.field_combo.count())]
    assert labels[0] == "全部字段" and "名称 (KNA1-NAME1)" in labels
    assert "付款条件 (KNB1-ZTERM)" in labels and "传真 (KNA1-TELFX)" not in labels
    tab_to(xd04, "field_filter")
    QTest.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text("名称")
    key(Qt.Key.Key_Return)
    assert xd04.field_combo.currentData() == "KNA1-NAME1"
    seen = lines(xd04)
    assert {line["field_key"] for line in seen} == {"KNA1-NAME1"}
    # With a field chosen, the create document shows the field's first value.
    assert [(line["activity"], line["old"], line["new"]) for line in seen] == [
        ("更改", OLD_NAME, NEW_NAME),
        ("创建", "", OLD_NAME),
    ]
    # A technical name works as well; empty means all fields again.
    QTest.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text("zterm")
    key(Qt.Key.Key_Return)
    assert [line["new"] for line in lines(xd04)] == ["Z030 30天内付款", "0001 立即支付"]
    QTest.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    key(Qt.Key.Key_Delete)
    key(Qt.Key.Key_Return)
    assert xd04.field_combo.currentData() is None and len(lines(xd04)) == 3


def test_date_range_and_activity(xd04: ChangeDocumentsDialog, history: str) -> None:
    show(xd04, history)
    assert xd04.date_from.text() == "不限" and xd04.date_to.text() == "不限"
    # Typing a year into the empty "to" date: today's day in 2020, which excludes today.
    tab_to(xd04, "date_to")
    type_text("2020")
    assert xd04.date_to.value() == date.today().replace(year=2020)
    assert lines(xd04) == []
    assert xd04.status.text() == "没有符合条件的更改凭证"
    key(Qt.Key.Key_Delete)  # empty again: no limit
    assert xd04.date_to.value() is None and len(lines(xd04)) == 3
    xd04.date_from.set_value(date.today() + timedelta(days=1))
    assert lines(xd04) == []
    xd04.date_from.set_value(date.today())
    xd04.date_to.set_value(date.today())
    assert len(lines(xd04)) == 3
    # Activity: only the changes.
    tab_to(xd04, "activity_filter")
    key(Qt.Key.Key_End)
    assert xd04.activity_combo.currentText() == "更改"
    assert {line["activity"] for line in lines(xd04)} == {"更改"}
    key(Qt.Key.Key_Home)
    assert len(lines(xd04)) == 3


def test_f4_searches_the_customer(xd04: ChangeDocumentsDialog, history: str) -> None:
    assert focused() is xd04.number_edit

    def search(_dialog: QWidget) -> None:
        type_text("东宁")  # part of the name
        key(Qt.Key.Key_Return)

    seen = answer_next_dialog(search)
    key(Qt.Key.Key_F4)
    assert seen == ["value_help"]
    assert xd04.number_edit.text() == history
    assert len(lines(xd04)) == 3


def test_unknown_customer_and_copy(xd04: ChangeDocumentsDialog, history: str) -> None:
    show(xd04, "2110389999")
    assert xd04.status.text() == "客户 2110389999 不存在"
    assert lines(xd04) == [] and not xd04.field_combo.isEnabled()
    assert focused() is xd04.number_edit
    QTest.keyClick(xd04.number_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(history)
    key(Qt.Key.Key_Return)
    assert focused() is xd04.table
    key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    key(Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text().split("\n")
    assert len(copied) == 3
    first = copied[0].split("\t")
    assert first[1:6] == ["lisi", "更改", "XD02", "一般数据", "名称"]
    old, new = COLUMN_KEYS.index("old"), COLUMN_KEYS.index("new")
    assert [first[old], first[new]] == [OLD_NAME, NEW_NAME]
    assert xd04.status.text() == "已复制 3 行"


def test_chinese_texts_and_english_on_switch(
    qtbot: QtBot, xd04: ChangeDocumentsDialog, history: str
) -> None:
    show(xd04, history)
    texts = [lbl.text() for lbl in xd04.findChildren(QLabel) if lbl.isVisible()]
    texts += [b.text() for b in xd04.findChildren(QAbstractButton) if b.isVisible()]
    model = xd04.table.model()
    texts += [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(len(COLUMN_KEYS))]
    english = [t for t in texts if re.search(r"[A-Za-z]{3,}", re.sub(r"\(&\w\)", "", t))]
    assert english == []
    i18n.set_language("en")  # as the settings dialog does: the window follows by itself
    try:
        qtbot.waitUntil(lambda: xd04.windowTitle() == "Customer change documents (XD04)")
        assert model.headerData(7, Qt.Orientation.Horizontal) == "Old value"
        assert lines(xd04)[0]["field"] == "Name" and lines(xd04)[0]["segment"] == "General data"
        assert xd04.field_combo.itemText(0) == "All fields"
        assert xd04.field_combo.findText("Name (KNA1-NAME1)") > 0
    finally:
        i18n.set_language("zh")
    qtbot.waitUntil(lambda: lines(xd04)[0]["field"] == "名称")


def test_ctrl_h_in_the_main_window_opens_xd04_for_the_selected_customer(
    qtbot: QtBot, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'xd04.sqlite'}"
    engine = make_engine(url)
    upgrade_database(engine)
    make_history(UnitOfWorkFactory(engine))
    engine.dispose()
    window = MainWindow(url)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    try:
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=20_000)
        assert window.change_documents_action.text() == "更改凭证(&O)… (XD04)"
        window.table.setFocus()
        window.table.setCurrentIndex(window.model.index(0, 0))
        window.activateWindow()
        QTest.keyClick(window.table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
        dialog = window.findChild(ChangeDocumentsDialog)
        assert dialog is not None and dialog.isVisible()
        assert dialog.number == NUMBER and len(lines(dialog)) == 3
        # Again: the same window, brought to the front.
        QTest.keyClick(window.table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
        assert window.findChildren(ChangeDocumentsDialog) == [dialog]
    finally:
        window.dispose()


def values(dialog: ChangeDocumentsDialog) -> dict[str, tuple[str, str]]:
    """(old, new) as shown, by technical name (the changes' lines; one per field here)."""
    return {line["field_key"]: (line["old"], line["new"]) for line in lines(dialog)}


def tip(dialog: ChangeDocumentsDialog, field_key: str, column: str) -> str:
    model = dialog.table.model()
    row = next(i for i, line in enumerate(lines(dialog)) if line["field_key"] == field_key)
    return str(model.index(row, COLUMN_KEYS.index(column)).data(Qt.ItemDataRole.ToolTipRole))


def test_codes_show_their_texts_in_chinese_and_english(
    qtbot: QtBot, xd04: ChangeDocumentsDialog, blocked: str
) -> None:
    show(xd04, blocked)
    seen = values(xd04)
    assert seen["KNB1-ZTERM"] == ("0001 立即支付", "Z030 30天内付款")
    assert seen["KNA1-AUFSD"] == ("", "01 信用冻结")  # empty stays empty
    assert seen["KNA1-SPERR"] == ("否", "是")  # a flag
    assert seen["KNA1-NAME1"] == (OLD_NAME, NEW_NAME)  # free text as it is
    assert tip(xd04, "KNB1-ZTERM", "new") == "Z030 30天内付款"
    assert tip(xd04, "KNA1-AUFSD", "new") == "01 信用冻结"
    # The columns show the texts whole.
    metrics = xd04.table.fontMetrics()
    header = xd04.table.horizontalHeader()
    old = COLUMN_KEYS.index("old")
    assert header.sectionSize(old) > metrics.horizontalAdvance("0001 立即支付")
    i18n.set_language("en")  # the settings dialog's switch: no new query needed
    try:
        qtbot.waitUntil(
            lambda: (
                values(xd04).get("KNB1-ZTERM")
                == ("0001 Payable immediately", "Z030 Within 30 days net")
            )
        )
        seen = values(xd04)
        assert seen["KNA1-AUFSD"] == ("", "01 Credit block")
        assert seen["KNA1-SPERR"] == ("No", "Yes")
        assert header.sectionSize(old) > metrics.horizontalAdvance("0001 Payable immediately")
        new = COLUMN_KEYS.index("new")
        assert header.sectionSize(new) > metrics.horizontalAdvance("Z030 Within 30 days net")
    finally:
        i18n.set_language("zh")
    qtbot.waitUntil(lambda: values(xd04).get("KNA1-AUFSD") == ("", "01 信用冻结"))


def test_copy_keeps_code_and_text(xd04: ChangeDocumentsDialog, blocked: str) -> None:
    show(xd04, blocked)
    assert focused() is xd04.table
    key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    key(Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = [line.split("\t") for line in QGuiApplication.clipboard().text().split("\n")]
    old, new = COLUMN_KEYS.index("old"), COLUMN_KEYS.index("new")
    by_field = {cells[COLUMN_KEYS.index("field_key")]: [cells[old], cells[new]] for cells in copied}
    assert by_field["KNB1-ZTERM"] == ["0001 立即支付", "Z030 30天内付款"]
    assert by_field["KNA1-AUFSD"] == ["", "01 信用冻结"]
    assert by_field["KNA1-SPERR"] == ["否", "是"]
    assert xd04.status.text() == f"已复制 {len(copied)} 行"


def test_filter_by_a_field_typed_in_chinese_shows_its_texts(
    xd04: ChangeDocumentsDialog, blocked: str
) -> None:
    show(xd04, blocked)
    tab_to(xd04, "field_filter")
    QTest.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text("中央订单冻结")
    key(Qt.Key.Key_Return)
    assert xd04.field_combo.currentData() == "KNA1-AUFSD"
    assert [(line["tcode"], line["old"], line["new"]) for line in lines(xd04)] == [
        ("XD05", "", "01 信用冻结")
    ]
    QTest.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text("付款条件")
    key(Qt.Key.Key_Return)
    assert xd04.field_combo.currentData() == "KNB1-ZTERM"
    # The create's item shows the first value with its text, the change both.
    assert [(line["activity"], line["old"], line["new"]) for line in lines(xd04)] == [
        ("更改", "0001 立即支付", "Z030 30天内付款"),
        ("创建", "", "0001 立即支付"),
    ]


def test_a_code_gone_from_the_customizing_stays_bare(
    xd04: ChangeDocumentsDialog, history: str, engine: Engine
) -> None:
    show(xd04, history)
    assert values(xd04)["KNB1-ZTERM"] == ("0001 立即支付", "Z030 30天内付款")
    with engine.begin() as conn:  # someone removes payment terms Z030 from the customizing
        if engine.dialect.name == "postgresql":
            # The server refuses to delete a code customers hold (CM004); a customizing
            # restored from elsewhere can still lack it, which this test stands for.
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(
            delete(tables.CodeValueRow).where(
                tables.CodeValueRow.list_id == "payment_terms", tables.CodeValueRow.code == "Z030"
            )
        )
    tab_to(xd04, "KNA1_KUNNR")
    key(Qt.Key.Key_Return)  # Enter again reads the documents again
    assert values(xd04)["KNB1-ZTERM"] == ("0001 立即支付", "Z030")
    assert tip(xd04, "KNB1-ZTERM", "new") == "Z030\n代码 Z030 在定制中不存在（或已删除）"
    assert tip(xd04, "KNB1-ZTERM", "old") == "0001 立即支付"


class DocumentReads:
    """SQL statements on the engine that read change documents (cdhdr), as the database sees
    them: counted by an engine event, nothing mocked."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements: list[str] = []

    def _seen(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if re.search(r"\bcdhdr\b", statement, re.IGNORECASE):
            self.statements.append(statement)

    def __enter__(self) -> DocumentReads:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def test_opening_reads_the_documents_once_and_filters_read_none(
    xd04: ChangeDocumentsDialog, blocked: str, engine: Engine
) -> None:
    with DocumentReads(engine) as reads:
        show(xd04, blocked)
    assert len(lines(xd04)) == 5 and len(reads.statements) == 1
    # The list and the field filter's choices come from that one read.
    assert xd04.field_combo.findData("KNA1-AUFSD") > 0
    with DocumentReads(engine) as reads:
        tab_to(xd04, "activity_filter")
        key(Qt.Key.Key_End)  # 更改
        assert {line["activity"] for line in lines(xd04)} == {"更改"}
        xd04.field_combo.setCurrentIndex(xd04.field_combo.findData("KNB1-ZTERM"))
        assert [line["new"] for line in lines(xd04)] == ["Z030 30天内付款"]
        xd04.date_to.set_value(date.today() - timedelta(days=1))
        assert lines(xd04) == []
    assert reads.statements == []
    with DocumentReads(engine) as reads:
        tab_to(xd04, "KNA1_KUNNR")
        key(Qt.Key.Key_Return)  # Enter again: read again, once
    assert len(reads.statements) == 1


def test_lines_are_made_a_page_at_a_time(
    qtbot: QtBot, uow_factory: UnitOfWorkFactory, blocked: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ChangeDocumentsModel, "PAGE", 2)
    rows = customer_history(uow_factory, blocked).rows()
    model = ChangeDocumentsModel()
    assert model.set_rows(rows, "zh", summarize=True) == 3  # documents
    assert (model.rowCount(), model.total, model.canFetchMore()) == (2, 5, True)
    model.fetchMore()
    assert model.rowCount() == 4
    model.fetchMore()
    assert (model.rowCount(), model.canFetchMore()) == (5, False)
    assert model.lines == list_lines(rows, "zh")
    model.set_rows(rows, "zh", summarize=False)  # a field chosen: the create's items too
    model.fetch_all()
    assert model.rowCount() == model.total == len(rows)
    # Ctrl+End in the table: the last line of all, made for it.
    table = DocumentsTable(model)
    model.set_rows(rows, "zh", summarize=True)
    table.setCurrentIndex(model.index(0, 0))
    end = table.moveCursor(
        QAbstractItemView.CursorAction.MoveEnd, Qt.KeyboardModifier.ControlModifier
    )
    assert (end.row(), model.rowCount()) == (4, 5)


def test_select_all_copies_the_lines_not_made_yet(
    xd04: ChangeDocumentsDialog, blocked: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ChangeDocumentsModel, "PAGE", 2)
    show(xd04, blocked)
    assert xd04.status.text() == "3 个更改凭证，5 行"
    key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    key(Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text().split("\n")
    assert len(copied) == 5 and copied[-1].split("\t")[5] == "已创建客户"
    assert xd04.status.text() == "已复制 5 行"


def test_the_list_refreshes_when_the_customer_changes_elsewhere(
    xd04: ChangeDocumentsDialog, history: str, uow_factory: UnitOfWorkFactory
) -> None:
    """XD04 open on a customer that someone blocks meanwhile: customers_changed (what the
    blocking window emits) brings the new document into the list."""
    from custmd_gui.ui.operations import customers_changed

    show(xd04, history)
    assert len(lines(xd04)) == 3
    change_status(
        uow_factory, [history], [StatusEdit(order="01")], Actor("wangwu"), "客户逾期未付款"
    )
    customers_changed(["2110380003"])  # another customer: nothing to read
    assert len(lines(xd04)) == 3
    customers_changed([history])
    first = lines(xd04)[0]
    assert (first["user"], first["tcode"], first["field_key"]) == ("wangwu", "XD05", "KNA1-AUFSD")
    assert xd04.status.text() == "3 个更改凭证，4 行"
