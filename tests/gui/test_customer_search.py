"""The search above the customer list: every query class typed into the real main window, the
filters, stale answers dropped, the keyboard (Ctrl+F, Down, Enter, Esc, Tab), and the status
column of the F4 customer search. On SQLite and on PostgreSQL (db_url runs each test twice).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QTableView, QWidget
from pytestqt.qtbot import QtBot

from custmd_gui.domain.model import Customer
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import search as search_service
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.ui.customer_list_model import COLUMNS
from custmd_gui.ui.main import MainWindow
from custmd_gui.ui.wizard import CustomerWizard
from tests.conftest import example_document
from tests.gui.keyboard import focused, key, tab_to, type_text
from tests.gui.wizard_steps import answer_next_dialog

ACTOR = Actor("tester")
WAIT_MS = 30_000
USCC = "91310000631696382C"

DONGNING = "2110380001"  # 东宁广告有限公司, 上海 200000, 021-5555 1234, USCC
HUAXIN = "2110380002"  # 华信电子科技有限公司, 北京 100020, blocked
CHONGQING = "2110380003"  # 重庆长安汽车配件有限公司, 重庆市 400010, mobile
SH_DONGNING = "2110110001"  # 上海东宁广告有限公司
DELETED = "2110380004"  # 东方宁海贸易有限公司, flagged for deletion
EVERYONE = sorted([DONGNING, HUAXIN, CHONGQING, SH_DONGNING, DELETED])


def _customer(number: str, name: str, **kna1: Any) -> Customer:
    """The example customer under another number and name (same org data, so it validates)."""
    doc = example_document()
    doc["KNA1"].update({"KUNNR": number, "NAME1": name, "NAME2": "", "NAME3": name, **kna1})
    office = {"038": "1038", "011": "1011"}[number[3:6]]
    doc["KNVV"][0].update({"VKBUR": office, "VKGRP": office[-3:]})
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = number
    return from_document(doc)


def _create_customers(factory: UnitOfWorkFactory) -> None:
    for customer in (
        _customer(
            DONGNING,
            "东宁广告有限公司",
            SORTL="东宁广告",
            TELF1="021-5555 1234",
            STCD5=USCC,
        ),
        _customer(
            HUAXIN,
            "华信电子科技有限公司",
            SORTL="HUAXIN",
            ORT01="北京",
            REGIO="010",
            PSTLZ="100020",
            TELF1="010-6666 5678",
            AUFSD="01",
        ),
        _customer(
            CHONGQING,
            "重庆长安汽车配件有限公司",
            SORTL="长安汽配",
            ORT01="重庆市",
            REGIO="320",
            PSTLZ="400010",
            TELF1="+86 13912340088",
        ),
        _customer(SH_DONGNING, "上海东宁广告有限公司", SORTL="上海东宁", TELF1="021-7777 4321"),
        _customer(DELETED, "东方宁海贸易有限公司", SORTL="东方宁海", LOEVM="X"),
    ):
        create_customer(factory, customer, ACTOR)


@pytest.fixture
def customers_db(db_url: str) -> str:
    """A fresh database (SQLite or PostgreSQL) holding the five customers above."""
    engine = make_engine(db_url)
    try:
        _create_customers(UnitOfWorkFactory(engine))
    finally:
        engine.dispose()
    return db_url


@pytest.fixture
def window(qtbot: QtBot, customers_db: str) -> Iterator[MainWindow]:
    """The main window on the five customers, the whole list loaded, the focus in the list."""
    win = MainWindow(customers_db)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: win.database_state == "ready", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _settled(win) and win.model.rowCount() == 5, timeout=WAIT_MS)
    win.table.setFocus()
    yield win
    win.dispose()


def _settled(window: MainWindow) -> bool:
    """No typing waits for its pause and the newest query is answered."""
    return not window.search_bar.pending and not window.searcher.busy


def listed(window: MainWindow) -> list[str]:
    model = window.model
    return [model.row(r).number for r in range(model.rowCount())]


def _wait_for(qtbot: QtBot, window: MainWindow, expected: list[str]) -> None:
    try:
        qtbot.waitUntil(lambda: _settled(window) and listed(window) == expected, timeout=WAIT_MS)
    except AssertionError:
        raise AssertionError(
            f"{window.search.text()!r}: listed {listed(window)}, expected {expected}"
        ) from None


def search_for(qtbot: QtBot, window: MainWindow, text: str, expected: list[str]) -> None:
    """Ctrl+F, Esc to empty the field, type `text` as the clerk does; wait for `expected`."""
    QTest.keyClick(focused() or window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focused() is window.search
    key(Qt.Key.Key_Escape)
    assert window.search.text() == ""
    type_text(text)
    assert window.search.text() == text
    _wait_for(qtbot, window, expected)


# Every query class of services.search, typed into the list's search field.
QUERIES: list[tuple[str, str, list[str]]] = [
    ("number prefix", "2110380", [DONGNING, HUAXIN, CHONGQING, DELETED]),
    ("number prefix, other office", "211011", [SH_DONGNING]),
    ("one Chinese character", "宁", [SH_DONGNING, DONGNING, DELETED]),
    ("two Chinese characters", "东宁", [SH_DONGNING, DONGNING]),
    ("search term, Latin", "huaxin", [HUAXIN]),
    ("search term, Chinese", "长安汽配", [CHONGQING]),
    ("pinyin initials", "dngg", [SH_DONGNING, DONGNING]),
    ("pinyin initials, heteronym", "zqca", [CHONGQING]),
    ("city", "北京", [HUAXIN]),
    ("postal code", "400010", [CHONGQING]),
    ("telephone, local number", "55551234", [DONGNING]),
    ("telephone, last four digits", "0088", [CHONGQING]),
    ("tax number (USCC)", USCC, [DONGNING]),
    ("two words", "东宁 211011", [SH_DONGNING]),
    ("nothing", "无此客户", []),
]


def test_every_query_class_from_the_search_field(qtbot: QtBot, window: MainWindow) -> None:
    assert listed(window) == EVERYONE
    assert window.statusBar().currentMessage() == "已加载 5 个客户"
    wrong = {}
    for what, text, expected in QUERIES:
        try:
            search_for(qtbot, window, text, expected)
        except AssertionError as exc:
            wrong[what] = str(exc)
    assert wrong == {}
    # The last query found nothing and says so; the one before one customer.
    assert window.statusBar().currentMessage() == "没有找到客户"
    search_for(qtbot, window, "dngg", [SH_DONGNING, DONGNING])
    assert window.statusBar().currentMessage() == "2 个客户"
    # Esc empties the field: the whole list again, with its own status line.
    key(Qt.Key.Key_Escape)
    _wait_for(qtbot, window, EVERYONE)
    assert window.statusBar().currentMessage() == "已加载 5 个客户"


def test_rows_show_blocked_and_deleted(qtbot: QtBot, window: MainWindow) -> None:
    status = COLUMNS.index("status")
    texts = {
        window.model.row(r).number: window.model.index(r, status).data()
        for r in range(window.model.rowCount())
    }
    assert texts == {
        SH_DONGNING: "",
        DONGNING: "",
        HUAXIN: "冻结",
        CHONGQING: "",
        DELETED: "删除标记",
    }


def _choose(window: MainWindow, name: str, downs: int) -> None:
    """Tab to the filter `name` and move its choice down `downs` times, by keyboard."""
    tab_to(window, name)
    for _ in range(downs):
        key(Qt.Key.Key_Down)


def test_filters(qtbot: QtBot, window: MainWindow) -> None:
    bar = window.search_bar
    # Blocked: 全部, 是, 否.
    assert [bar.blocked.itemText(i) for i in range(bar.blocked.count())] == ["全部", "是", "否"]
    window.search.setFocus()
    _choose(window, "filter_blocked", 1)
    assert bar.blocked.currentText() == "是"
    _wait_for(qtbot, window, [HUAXIN])
    assert window.statusBar().currentMessage() == "1 个客户"
    key(Qt.Key.Key_Down)  # 否
    _wait_for(qtbot, window, [SH_DONGNING, DONGNING, CHONGQING, DELETED])
    # With text: blocked = no and the number prefix 2110380.
    search_for(qtbot, window, "2110380", [DONGNING, CHONGQING, DELETED])
    _choose(window, "filter_deletion_flag", 2)  # not flagged for deletion
    _wait_for(qtbot, window, [DONGNING, CHONGQING])
    # Back to all for blocked and deletion; the company code narrows instead.
    bar.blocked.setCurrentIndex(0)
    bar.deletion_flag.setCurrentIndex(0)
    _wait_for(qtbot, window, [DONGNING, HUAXIN, CHONGQING, DELETED])
    codes = [bar.company_code.itemData(i) for i in range(bar.company_code.count())]
    assert codes == ["", "F001", "F011", "F015"]
    assert bar.company_code.itemText(2) == "F011 浦西分公司"
    window.search.setFocus()
    _choose(window, "filter_company_code", 3)  # F015: none of them
    _wait_for(qtbot, window, [])
    assert window.statusBar().currentMessage() == "没有找到客户"
    key(Qt.Key.Key_Up)  # F011: all of them
    _wait_for(qtbot, window, [DONGNING, HUAXIN, CHONGQING, DELETED])
    # The account group: 1110 has them all, 1310 none.
    groups = [bar.account_group.itemData(i) for i in range(bar.account_group.count())]
    assert groups[:3] == ["", "1110", "1120"] and "1310" in groups
    bar.account_group.setCurrentIndex(groups.index("1310"))
    _wait_for(qtbot, window, [])
    bar.account_group.setCurrentIndex(groups.index("1110"))
    _wait_for(qtbot, window, [DONGNING, HUAXIN, CHONGQING, DELETED])


def test_a_malformed_sales_area_is_refused_and_the_typing_kept(
    qtbot: QtBot, window: MainWindow
) -> None:
    search_for(qtbot, window, "东宁", [SH_DONGNING, DONGNING])
    tab_to(window, "filter_sales_area")
    type_text("F011 10")  # not VKORG/VTWEG/SPART
    message = "销售范围 F011 10 应写成 销售组织/分销渠道/产品组，例如 F011/10/01"
    qtbot.waitUntil(lambda: window.search_bar.error.isVisible(), timeout=WAIT_MS)
    assert window.search_bar.error.text() == message
    assert window.statusBar().currentMessage() == message
    # Nothing was lost: the field, the filter and the list are as they were.
    assert window.search.text() == "东宁"
    assert window.search_bar.sales_area.currentText() == "F011 10"
    assert listed(window) == [SH_DONGNING, DONGNING]
    key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text("F011/10/01")
    _wait_for(qtbot, window, [SH_DONGNING, DONGNING])
    assert window.search_bar.error.isHidden()
    # Typing completes from the sales areas of the customizing.
    key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text("F015/10")
    assert window.search_bar.sales_area.currentText() == "F015/10/01"
    _wait_for(qtbot, window, [])


def test_stale_answers_are_dropped(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clerk types faster than the database answers: a slow answer to an earlier text
    comes after the newest one and must not replace it."""
    real = search_service.search_customers
    release = threading.Event()
    started: list[str] = []
    answered: list[str] = []

    def slow_for_early_texts(
        factory: Any, query: Any, after: str = "", limit: int = 50, actor: Any = None
    ) -> Any:
        started.append(query.text)
        if query.text == "2":
            release.wait(10)  # held until the newest answer is shown
        page = real(factory, query, after, limit, actor)
        answered.append(query.text)
        return page

    monkeypatch.setattr(search_service, "search_customers", slow_for_early_texts)
    found: list[str] = []
    window.searcher.found.connect(lambda _g, values, _p: found.append(values.text))
    window.search.setFocus()
    window.search.setText("2")
    window.search_bar.flush()  # as if the pause had passed
    qtbot.waitUntil(lambda: started == ["2"], timeout=WAIT_MS)
    for text in ("211", "2110380003"):  # typed on while "2" is still searched for
        window.search.setText(text)
        window.search_bar.flush()
    _wait_for(qtbot, window, [CHONGQING])
    assert "2110380003" in answered and "2" not in answered
    release.set()
    # The query for "2" answers now, after the newest one; the window drops its answer.
    qtbot.waitUntil(lambda: "2" in found, timeout=WAIT_MS)
    qtbot.wait(100)
    assert found.index("2110380003") < found.index("2")
    assert window.search.text() == "2110380003"
    assert listed(window) == [CHONGQING]
    assert window.statusBar().currentMessage() == "1 个客户"
    # "211" was overtaken before it could start, or answered and was dropped as well.
    assert set(found) <= {"2", "211", "2110380003"}


def test_keyboard_jump_to_a_number_and_display_it(qtbot: QtBot, window: MainWindow) -> None:
    # Ctrl+F from the list into the search field; a full number and Enter at once, before
    # the pause: the row is selected once the answer is there, and the list has the focus.
    QTest.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focused() is window.search
    type_text(CHONGQING)
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: focused() is window.table, timeout=WAIT_MS)
    assert _settled(window)
    row = window.table.currentIndex().row()
    assert window.model.row(row).number == CHONGQING
    assert window.table.selectionModel().isRowSelected(row)
    # Enter on the row: XD03 of that customer.
    key(Qt.Key.Key_Return)
    viewer = window.wizards.get("display")
    assert viewer is not None and viewer.isVisible()
    name = viewer.findChild(QLineEdit, "KNA1_NAME1")
    assert name is not None and name.text() == "重庆长安汽车配件有限公司"
    viewer.close()


def test_down_goes_to_the_list_and_tab_through_the_filters(
    qtbot: QtBot, window: MainWindow
) -> None:
    search_for(qtbot, window, "东宁", [SH_DONGNING, DONGNING])
    key(Qt.Key.Key_Down)
    assert focused() is window.table
    assert window.table.currentIndex().row() == 0
    key(Qt.Key.Key_Down)
    assert window.model.row(window.table.currentIndex().row()).number == DONGNING
    # Tab order: search field, the filters, the list.
    window.search.setFocus()
    order = []
    for _ in range(6):
        key(Qt.Key.Key_Tab)
        widget = focused()
        assert widget is not None
        order.append(widget.objectName())
    assert order[:5] == [
        "filter_account_group",
        "filter_company_code",
        "filter_sales_area",
        "filter_blocked",
        "filter_deletion_flag",
    ]
    assert order[5] == "customer_list"
    # Esc on an empty field does nothing; the texts say what the filters are.
    labels = [label.text() for label in window.search_bar.filter_labels.values()]
    assert labels == [
        "科目组(&G)：",
        "公司代码(&P)：",
        "销售范围(&A)：",
        "冻结(&L)：",
        "删除标记(&D)：",
    ]
    assert window.search_bar.label.text() == "搜索(&S)："
    assert "助记码" in window.search.placeholderText()


def test_f4_customer_search_marks_blocked_and_leaves_out_deleted(
    qtbot: QtBot, wizard: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    """In XD01 the customer flagged for deletion is not offered (not to be extended or named);
    XD03 offers it with its mark (tests/gui/test_wizard_partner_blocks.py)."""
    _create_customers(uow_factory)
    tab_to(wizard, "KNA1_KUNNR")
    rows: list[list[str]] = []
    headers: list[str] = []

    def look(dialog: QWidget) -> None:
        type_text("2110380")
        table = dialog.findChild(QTableView, "f4_table")
        assert table is not None
        model = table.model()
        qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=WAIT_MS)
        headers.extend(
            str(model.headerData(c, Qt.Orientation.Horizontal))
            for c in range(model.columnCount())
            if not table.isColumnHidden(c)
        )
        for r in range(model.rowCount()):
            rows.append([str(model.index(r, c).data()) for c in range(model.columnCount())])
        key(Qt.Key.Key_Escape)

    seen = answer_next_dialog(look)
    key(Qt.Key.Key_F4)
    assert seen == ["value_help"]
    assert headers == ["客户", "名称", "城市", "状态"]
    assert [(r[0], r[3]) for r in rows] == [
        (DONGNING, ""),
        (HUAXIN, "冻结"),
        (CHONGQING, ""),
    ]
