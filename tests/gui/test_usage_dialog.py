"""系统 → 导入业务使用记录 on a real database (SQLite and PostgreSQL) with real CSV and XLSX
files, keyboard first: a bad row is listed with its line and column and nothing is imported;
with 只导入无误的行 the good rows are; a clean XLSX is imported whole and the customer's register
shows it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget
from pytestqt.qtbot import QtBot

from custmd_gui.domain.authorization import DEFAULT_ROLES, Authorizations
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.usage import usage_of_customers
from custmd_gui.ui import i18n
from custmd_gui.ui.main import MainWindow
from custmd_gui.ui.usage_dialog import UsageDialog, copy_rows, open_usage_dialog
from tests.gui.keyboard import focused, key, replace_text, tab_to, type_text
from tests.gui.test_status_dialog import NUMBER, OTHERS, WAIT_MS, create_customers

HUAXIN = OTHERS[0]
HEADER = "KUNNR,BUKRS,VKORG,VTWEG,SPART,DOC_COUNT,LAST_DOC_DATE\n"
# Line 3 (the header is line 1) has a negative count in column F.
WITH_A_BAD_ROW = (
    HEADER
    + f"{NUMBER},F011,,,,12,2024-05-01\n"
    + f"{HUAXIN},F011,,,,-5,2024-05-01\n"
    + f"{NUMBER},,F011,10,01,7,2024-04-30\n"
)


@pytest.fixture
def dialog(qtbot: QtBot, uow_factory: UnitOfWorkFactory) -> Iterator[UsageDialog]:
    create_customers(uow_factory, more=True)
    window = open_usage_dialog(None, uow_factory, Actor("admin"))
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is window.file_edit)
    yield window
    window.close()


def register(factory: UnitOfWorkFactory) -> dict[tuple[str, str, str], tuple[int, date | None]]:
    with factory() as uow:
        found = usage_of_customers(uow, [NUMBER, *OTHERS])
    return {
        (e.number, e.org_kind.value, e.org_unit): (e.doc_count, e.last_doc_date)
        for entries in found.values()
        for e in entries
    }


def rows(table: QTableWidget) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_a_bad_row_is_listed_and_nothing_imported_until_the_good_rows_are_accepted(
    qtbot: QtBot, dialog: UsageDialog, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    assert dialog.windowTitle() == "业务使用记录 - custmd"
    extract = tmp_path / "usage.csv"
    extract.write_text(WITH_A_BAD_ROW, encoding="utf-8")
    type_text(str(extract))
    key(Qt.Key.Key_Return)  # Enter in the file field imports

    assert dialog.summary.text() == "usage.csv：读取 3 行，导入 0 行，拒绝 1 行"
    assert dialog.verdict.text().startswith("没有导入任何数据。")
    assert "只导入无误的行" in dialog.verdict.text()
    assert [dialog.problems.horizontalHeaderItem(c).text() for c in range(5)] == [
        "行",
        "列",
        "值",
        "类型",
        "问题",
    ]
    assert rows(dialog.problems) == [["3", "F（DOC_COUNT）", "-5", "错误", "凭证数不能为负数"]]
    assert focused() is dialog.problems  # the clerk reads the problems next
    assert copy_rows(dialog.problems) == "3\tF（DOC_COUNT）\t-5\t错误\t凭证数不能为负数"
    assert QApplication.clipboard().text() == copy_rows(dialog.problems)
    assert register(uow_factory) == {}
    assert dialog.file_edit.text() == str(extract)  # kept for the next try

    # Accept the good rows: Space on the box, then the Import button.
    tab_to(dialog, "accept_good_rows")
    key(Qt.Key.Key_Space)
    assert dialog.accept_box.isChecked()
    with qtbot.waitSignal(dialog.imported) as imported:
        tab_to(dialog, "import_button")
        key(Qt.Key.Key_Space)
    assert imported.args == ["usage.csv：读取 3 行，导入 2 行，拒绝 1 行"]
    assert dialog.verdict.text() == "无误的行已导入；下面列出的有错误的行没有导入。"
    assert [r[0] for r in rows(dialog.problems)] == ["3"]
    assert register(uow_factory) == {
        (NUMBER, "BUKRS", "F011"): (12, date(2024, 5, 1)),
        (NUMBER, "VKORG/VTWEG/SPART", "F011/10/01"): (7, date(2024, 4, 30)),
    }


def test_a_clean_xlsx_is_imported_and_the_register_shows_it(
    qtbot: QtBot, dialog: UsageDialog, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        ["客户编号", "公司代码", "销售组织", "分销渠道", "产品组", "凭证数", "最后凭证日期"]
    )
    # As Excel keeps them: numbers as numbers (channel 10, division 1), dates as dates.
    sheet.append([int(HUAXIN), "F011", None, None, None, 3, datetime(2024, 3, 1)])
    sheet.append([int(HUAXIN), None, "F011", 10, 1, 2, datetime(2024, 2, 29)])
    extract = tmp_path / "usage_2024-06.xlsx"
    book.save(extract)

    type_text(str(extract))
    key(Qt.Key.Key_Return)
    assert dialog.summary.text() == "usage_2024-06.xlsx：读取 2 行，导入 2 行，拒绝 0 行"
    assert dialog.verdict.text() == "每一行都已导入。"
    assert dialog.problems.rowCount() == 0
    assert register(uow_factory) == {
        (HUAXIN, "BUKRS", "F011"): (3, date(2024, 3, 1)),
        (HUAXIN, "VKORG/VTWEG/SPART", "F011/10/01"): (2, date(2024, 2, 29)),
    }

    # The register page (Alt+R): the customer's entries, Enter shows them.
    key(Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.tabs.currentIndex() == 1)
    tab_to(dialog, "KNA1_KUNNR")
    type_text(HUAXIN)
    key(Qt.Key.Key_Return)
    assert dialog.register_message.text() == f"客户 {HUAXIN}：在 2 个组织单位有业务"
    table = rows(dialog.register_table)
    assert [r[:4] for r in table] == [
        ["公司代码", "F011", "3", "2024-03-01"],
        ["销售范围", "F011/10/01", "2", "2024-02-29"],
    ]
    assert {r[5] for r in table} == {"usage_2024-06.xlsx"}

    # A customer without entries is said so; an unknown one is refused, the typing kept.
    replace_text(NUMBER)
    key(Qt.Key.Key_Return)
    assert dialog.register_message.text() == f"客户 {NUMBER} 没有登记的业务"
    assert dialog.register_table.rowCount() == 0
    replace_text("2110389999")
    key(Qt.Key.Key_Return)
    assert "不存在" in dialog.register_message.text()
    assert dialog.number_edit.text() == "2110389999"


def test_no_file_or_a_missing_one_is_said_under_the_form(
    dialog: UsageDialog, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    key(Qt.Key.Key_Return)
    assert dialog.error.isVisible()
    assert dialog.error.text() == "文件：请选择要导入的文件"
    missing = tmp_path / "nowhere.csv"
    type_text(str(missing))
    key(Qt.Key.Key_Return)
    assert dialog.error.text() == f"文件：文件不存在：{missing}"
    assert dialog.file_edit.text() == str(missing)
    assert focused() is dialog.file_edit
    assert register(uow_factory) == {}


def test_the_report_follows_a_language_switch(
    qtbot: QtBot, dialog: UsageDialog, tmp_path: Path
) -> None:
    extract = tmp_path / "usage.csv"
    extract.write_text(WITH_A_BAD_ROW, encoding="utf-8")
    type_text(str(extract))
    key(Qt.Key.Key_Return)
    i18n.set_language("en")  # what the settings dialog does
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Usage register - custmd")
    assert dialog.summary.text() == "usage.csv: 3 rows read, 0 imported, 1 rejected"
    assert dialog.verdict.text().startswith("Nothing was imported.")
    assert rows(dialog.problems) == [
        ["3", "F (DOC_COUNT)", "-5", "Error", "The document count must not be negative"]
    ]


def actor_with_role(user: str, role: str) -> Actor:
    roles = {r.code: r for r in DEFAULT_ROLES}
    return Actor.logged_in(Authorizations.of_roles(user, [roles[role]]))


def open_main_window(qtbot: QtBot, db_url: str, actor: Actor) -> MainWindow:
    """The main window of `actor` (a session given, no login), its list loaded."""
    window = MainWindow(db_url, actor=actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.database_state == "ready", timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: window.model.rowCount() > 0 and not window.searcher.busy, timeout=WAIT_MS
    )
    return window


def test_the_menu_entry_needs_the_import_right(
    qtbot: QtBot, db_url: str, uow_factory: UnitOfWorkFactory
) -> None:
    create_customers(uow_factory)
    window = open_main_window(qtbot, db_url, actor_with_role("zhangsan", "assistant"))
    try:
        assert window.usage_action.text() == "导入业务使用记录(&I)…"
        assert window.usage_action in window.system_menu.actions()
        assert not window.usage_action.isEnabled()
    finally:
        window.dispose()
    window = open_main_window(qtbot, db_url, actor_with_role("admin", "administrator"))
    try:
        assert window.usage_action.isEnabled()
        window.usage_action.trigger()
        usage = window.findChild(UsageDialog, "usage_import")
        assert usage is not None and usage.isVisible()
        assert usage.actor == window.actor
        usage.close()
    finally:
        window.dispose()
