"""系统 → 定制 through the GUI (issue 21), on both databases: a payment term added in the
code-list editor is used in XD01, a field group made required in the field-status grid is
required by the wizard, a new interval with its account group numbers a new customer, and
the change documents of those changes are shown in the window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QTableWidget
from pytestqt.qtbot import QtBot

from custmd_gui.domain.field_status import Activity, FieldStatus
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import read_customer
from custmd_gui.services.customizing_cache import CustomizingCache
from custmd_gui.ui.customizing.dialog import CustomizingDialog
from custmd_gui.ui.main import MainWindow
from custmd_gui.ui.wizard import CustomerWizard
from tests.gui import wizard_steps
from tests.gui.keyboard import fill, focused, key, settle
from tests.gui.wizard_steps import enter_initial, press_enter, screen, type_example

ACTOR = Actor("admin_wang")


@pytest.fixture
def cache(uow_factory: UnitOfWorkFactory) -> CustomizingCache:
    """What the main window holds: the dialog refreshes it, new screens read it."""
    return CustomizingCache(uow_factory)


@pytest.fixture
def dialog(
    qtbot: QtBot, uow_factory: UnitOfWorkFactory, cache: CustomizingCache
) -> Iterator[CustomizingDialog]:
    cache.current()
    window = CustomizingDialog(uow_factory, ACTOR, on_changed=cache.refresh)
    qtbot.addWidget(window)
    window.reload()
    window.show()
    qtbot.waitExposed(window)
    yield window


def open_xd01(
    qtbot: QtBot,
    uow_factory: UnitOfWorkFactory,
    cache: CustomizingCache,
    opened: list[CustomerWizard],
) -> CustomerWizard:
    """A new XD01 screen as the main window opens one: with the cache's current customizing."""
    window = CustomerWizard(uow_factory, cache.current(), ACTOR)
    opened.append(window)
    window.show()
    qtbot.waitExposed(window)
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(lambda: (w := focused()) is not None and window.isAncestorOf(w))
    return window


@pytest.fixture
def wizards() -> Iterator[list[CustomerWizard]]:
    opened: list[CustomerWizard] = []
    yield opened
    for window in opened:
        window.keys = None
        window.close()
        window.deleteLater()


def type_row(table: QTableWidget, row: int, values: dict[int, str]) -> None:
    """Type cells of a row: F2 on the cell, the text, Enter (as a user edits a grid)."""
    from tests.gui.keyboard import type_text

    for column, value in values.items():
        table.setFocus()
        table.setCurrentCell(row, column)
        QTest.keyClick(table, Qt.Key.Key_F2)
        editor = focused()
        assert editor is not None and editor is not table
        QTest.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(value)
        QTest.keyClick(editor, Qt.Key.Key_Return)


def click(dialog: CustomizingDialog, name: str) -> None:
    button = dialog.findChild(QPushButton, name)
    assert button is not None, name
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    settle()


def change_lines(dialog: CustomizingDialog) -> list[list[str]]:
    dialog.tabs.setCurrentWidget(dialog.changes)
    return dialog.changes.rows()


def test_a_payment_term_added_in_the_editor_is_used_in_xd01(
    qtbot: QtBot,
    dialog: CustomizingDialog,
    uow_factory: UnitOfWorkFactory,
    cache: CustomizingCache,
    wizards: list[CustomerWizard],
) -> None:
    page = dialog.code_lists
    page.choose("payment_terms")
    assert "KNB1-ZTERM" in page.used_by.text()
    click(dialog, "code_lists_page_add")
    QTest.keyClick(focused(), Qt.Key.Key_Escape)  # the new row's first cell was being edited
    row = page.table.rowCount() - 1
    type_row(page.table, row, {0: "Z099", 2: "发票后99天付款", 3: "99 days after invoice"})
    click(dialog, "code_lists_page_save")
    assert dialog.status.text() == "已保存 1 个条目"
    assert cache.current().has("payment_terms", "Z099")

    wizard = open_xd01(qtbot, uow_factory, cache, wizards)
    type_example(wizard)
    wizard.show_screen("cc_payment")
    fill(wizard, {"KNB1_ZTERM": "Z099"})
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert wizard.statusBar().currentMessage().startswith("客户 2110380001 已"), (
        wizard.messages.problems
    )
    assert read_customer(uow_factory, "2110380001").company_codes[0].payment_terms == "Z099"

    lines = change_lines(dialog)
    mine = [line for line in lines if line[3] == "payment_terms:Z099"]
    assert {(line[1], line[4], line[5], line[7]) for line in mine} >= {
        ("admin_wang", "text_zh", "新增", "发票后99天付款"),
        ("admin_wang", "text_en", "新增", "99 days after invoice"),
    }
    # A code in use: deleting it is refused, naming the customer.
    dialog.tabs.setCurrentWidget(dialog.code_lists)
    page.table.setCurrentCell(row, 0)
    click(dialog, "code_lists_page_delete")
    assert "1 个客户" in dialog.status.text() and "2110380001" in dialog.status.text()
    # 更改凭证 for the chosen entry: only its documents.
    click(dialog, "customizing_history")
    assert dialog.tabs.currentWidget() is dialog.changes
    assert dialog.changes.key_filter.text() == "payment_terms:Z099"
    assert {line[3] for line in dialog.changes.rows()} == {"payment_terms:Z099"}


def test_a_field_made_required_in_the_grid_is_required_by_the_wizard(
    qtbot: QtBot,
    dialog: CustomizingDialog,
    uow_factory: UnitOfWorkFactory,
    cache: CustomizingCache,
    wizards: list[CustomerWizard],
) -> None:
    dialog.tabs.setCurrentWidget(dialog.field_status)
    page = dialog.field_status
    page.choose("1110")
    assert page.result("address.english_name", Activity.CREATE) == "可选"
    page.set_status("address.english_name", Activity.CREATE, FieldStatus.REQUIRED)
    assert page.result("address.english_name", Activity.CREATE) == "必输"
    assert page.result("address.english_name", Activity.DISPLAY) == "显示"
    click(dialog, "field_status_page_save")
    assert dialog.status.text() == "已保存 1 个条目"

    wizard = open_xd01(qtbot, uow_factory, cache, wizards)
    enter_initial(wizard, wizard_steps.EXAMPLE_INITIAL)
    assert screen(wizard) == "address"
    name2 = wizard.findChild(type(focused()), "KNA1_NAME2")
    assert name2 is not None and name2.property("required") is True
    press_enter()
    assert "KNA1-NAME2" in {p.field_key for p in wizard.messages.problems}

    lines = change_lines(dialog)
    assert [
        "cust_field_status",
        "1110:address.english_name:create",
        "status",
        "新增",
        "",
        "required",
    ] in [line[2:] for line in lines]


def test_a_new_interval_numbers_a_customer_of_a_new_account_group(
    qtbot: QtBot,
    dialog: CustomizingDialog,
    uow_factory: UnitOfWorkFactory,
    cache: CustomizingCache,
    wizards: list[CustomerWizard],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ranges = dialog.number_ranges
    dialog.tabs.setCurrentWidget(ranges)
    click(dialog, "number_ranges_page_add")
    QTest.keyClick(focused(), Qt.Key.Key_Escape)
    row = ranges.table.rowCount() - 1
    type_row(
        ranges.table,
        row,
        {0: "06", 2: "1400000000", 3: "1400009999", 5: "出口客户", 6: "Export customers"},
    )
    click(dialog, "number_ranges_page_save")
    assert dialog.status.text() == "已保存 1 个条目", dialog.status.text()

    groups = dialog.account_groups
    dialog.tabs.setCurrentWidget(groups)
    source = [groups.table.value(r, 0) for r in range(groups.table.rowCount())].index("1110")
    groups.table.setCurrentCell(source, 0)
    click(dialog, "account_groups_page_add")  # a copy of 1110's field status
    QTest.keyClick(focused(), Qt.Key.Key_Escape)
    row = groups.table.rowCount() - 1
    type_row(groups.table, row, {0: "1140", 1: "出口客户", 2: "Export customers"})
    groups.table.set_value(row, 3, "06")
    click(dialog, "account_groups_page_save")
    assert dialog.status.text() == "已保存 1 个条目", dialog.status.text()

    wizard = open_xd01(qtbot, uow_factory, cache, wizards)
    monkeypatch.setitem(wizard_steps.EXAMPLE_INITIAL, "KNA1_KTOKD", "1140")
    monkeypatch.setitem(wizard_steps.EXAMPLE_INITIAL, "KNA1_KUNNR", "")
    type_example(wizard)
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "1400000000" in wizard.statusBar().currentMessage(), wizard.messages.problems
    assert read_customer(uow_factory, "1400000000").general.account_group == "1140"

    dialog.reload()  # as 系统 → 定制 does when chosen again
    dialog.tabs.setCurrentWidget(dialog.number_ranges)
    level = [
        ranges.table.value(r, 7)
        for r in range(ranges.table.rowCount())
        if ranges.table.value(r, 0) == "06"
    ]
    assert level == ["1400000000"]  # the current number, read-only
    lines = [line[2:5] for line in change_lines(dialog)]
    assert ["nriv", "06", "tonumber"] in lines and ["cust_ktokd", "1140", "nrrangenr"] in lines


def test_transport_from_the_window_previews_imports_and_refuses_codes_in_use(
    dialog: CustomizingDialog, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    import yaml

    from custmd_gui.domain.sap_document import from_document
    from custmd_gui.services.create import create_customer
    from custmd_gui.services.customizing_transport import ImportPlan
    from tests.conftest import example_document

    file = tmp_path / "terms.yaml"
    assert dialog.transport.export_to(file, ["payment_terms"])
    assert str(file) in dialog.status.text()
    doc = yaml.safe_load(file.read_text(encoding="utf-8"))
    doc["lists"]["payment_terms"]["values"].append({"code": "Z055", "zh": "55天", "en": "55 d"})
    file.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")

    previews: list[ImportPlan] = []
    assert not dialog.transport.import_from(file, lambda plan: previews.append(plan) or False)
    assert [c.line() for c in previews[0].changes] == ["I cust_value payment_terms:Z055  55天"]
    assert dialog.transport.import_from(file, lambda plan: True)
    assert dialog.status.text() == "新增 1，更改 0，删除 0（已导入）"
    dialog.code_lists.choose("payment_terms")
    table = dialog.code_lists.table
    assert "Z055" in [table.value(r, 0) for r in range(table.rowCount())]

    create_customer(uow_factory, from_document(example_document()), ACTOR)
    doc["lists"]["payment_terms"]["values"] = [
        v for v in doc["lists"]["payment_terms"]["values"] if v["code"] != "0001"
    ]
    file.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert not dialog.transport.import_from(file, lambda plan: True)
    assert "1 个客户" in dialog.status.text() and "2110380001" in dialog.status.text()


def test_the_main_window_opens_new_screens_with_the_changed_customizing(
    qtbot: QtBot,
    db_url: str,
    uow_factory: UnitOfWorkFactory,
    open_window: Callable[..., MainWindow],
) -> None:
    from custmd_gui.services.customizing_maintenance import CodeEntry, save_code

    window = open_window(db_url, actor=Actor("tester"))
    qtbot.waitUntil(lambda: window.database_state == "ready", timeout=30_000)
    assert window.database is not None
    window.create_customer()
    first = window.wizards["create"]
    qtbot.waitUntil(first.isVisible)
    assert not first.session.customizing.has("payment_terms", "Z099")
    first.hide()
    # Another client adds a term: seen once the check interval has passed, not before.
    save_code(uow_factory, ACTOR, "payment_terms", CodeEntry("Z099", "99天", "99 days"))
    window.create_customer()
    assert window.wizards["create"] is first
    first.hide()
    window.database.customizing_cache.interval = 0  # the interval has passed
    window.create_customer()
    second = window.wizards["create"]
    qtbot.waitUntil(second.isVisible)
    assert second is not first and second.session.customizing.has("payment_terms", "Z099")
    # 系统 → 定制: what the window saves, its next screens use at once.
    window.database.customizing_cache.interval = 3600
    second.hide()
    window.customizing_action.trigger()
    dialog = window.findChild(CustomizingDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.code_lists.choose("payment_terms")
    dialog.code_lists.table.add_row(["Z098", "", "98天", "98 days", True, ""])
    click(dialog, "code_lists_page_save")
    dialog.close()
    window.create_customer()
    third = window.wizards["create"]
    assert third is not second and third.session.customizing.has("payment_terms", "Z098")
