"""KNBK-BKREF, the reference details of a bank account (the digits beyond BANKN's 18), through
the windows: typed in XD01, shown in XD03, changed in XD02 with a change document that
`custmd customer changes` lists; on both databases."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from custmd_gui.domain.field_status import Activity
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import tables
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.ui.wizard import CustomerWizard
from tests.conftest import example_document
from tests.e2e.test_cli import custmd
from tests.gui.keyboard import fill_grid_row, focused, key, tab_to
from tests.gui.wizard_steps import enter_initial, grid, screen, type_example

NUMBER = "2110380001"
# A 20-digit account of a Chinese bank: 18 digits in BANKN, the last two in BKREF.
ACCOUNT, REFERENCE = "622202100012345678", "90"
KEYS = {
    "KNA1_KUNNR": NUMBER,
    "KNB1_BUKRS": "F011",
    "KNVV_VKORG": "F011",
    "KNVV_VTWEG": "10",
    "KNVV_SPART": "01",
}


def _window(qtbot: QtBot, uow_factory: UnitOfWorkFactory, activity: Activity) -> CustomerWizard:
    with uow_factory() as uow:
        customizing = uow.customizing.load()
    window = CustomerWizard(uow_factory, customizing, Actor("zhangsan"), activity=activity)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None)
    return window


@pytest.fixture
def windows(qtbot: QtBot, uow_factory: UnitOfWorkFactory) -> Iterator[list[CustomerWizard]]:
    opened: list[CustomerWizard] = []
    yield opened
    for window in opened:
        window.keys = None  # nothing to ask at teardown
        window.close()
        window.deleteLater()


def _bank_cell(window: CustomerWizard, column_key: str) -> str:
    binding = window.binding("payment").grids["KNBK"]
    return binding.cell(0, binding.column(column_key))


def test_typed_in_xd01_saved_and_shown_in_xd03(
    qtbot: QtBot,
    wizard: CustomerWizard,
    uow_factory: UnitOfWorkFactory,
    windows: list[CustomerWizard],
) -> None:
    type_example(wizard)
    wizard.show_screen("payment")
    tab_to(wizard, "KNBK")
    bank = grid(wizard, "KNBK")
    headers = [bank.horizontalHeaderItem(c).text() for c in range(bank.columnCount())]
    assert headers[-1] == "参考明细"
    fill_grid_row(bank, 0, ["CN", "F011", ACCOUNT, "工商银行", REFERENCE])
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert screen(wizard) == "initial", wizard.messages.problems

    (stored,) = read_customer(uow_factory, NUMBER).bank_details
    assert (stored.bank_account, stored.reference_details) == (ACCOUNT, REFERENCE)
    with uow_factory() as uow:
        column = uow.session.scalar(select(tables.Knbk.bkref).where(tables.Knbk.kunnr == NUMBER))
    assert column == REFERENCE

    wizard.close()  # the keyboard goes to the one window open, as for the clerk
    viewer = _window(qtbot, uow_factory, Activity.DISPLAY)
    windows.append(viewer)
    enter_initial(viewer, KEYS)
    viewer.show_screen("payment")
    assert _bank_cell(viewer, "KNBK-BANKN") == ACCOUNT
    assert _bank_cell(viewer, "KNBK-BKREF") == REFERENCE


def test_changed_in_xd02_with_a_change_document(
    qtbot: QtBot, uow_factory: UnitOfWorkFactory, db_url: str, windows: list[CustomerWizard]
) -> None:
    document = example_document()
    document["KNBK"][0].update({"BANKN": ACCOUNT, "BKREF": "12"})
    create_customer(uow_factory, from_document(document), Actor("setup"))
    editor = _window(qtbot, uow_factory, Activity.CHANGE)
    windows.append(editor)
    enter_initial(editor, KEYS)
    editor.show_screen("payment")
    assert _bank_cell(editor, "KNBK-BKREF") == "12"
    tab_to(editor, "KNBK")
    fill_grid_row(grid(editor, "KNBK"), 0, ["", "", "", "", REFERENCE])
    assert editor.save(), editor.messages.problems
    (bank,) = read_customer(uow_factory, NUMBER).bank_details
    assert bank.reference_details == REFERENCE

    shown = custmd(
        "customer", "changes", NUMBER, "--field", "KNBK-BKREF", "--format", "json", "--db", db_url
    )
    assert shown.returncode == 0, shown.stderr
    rows = json.loads(shown.stdout)
    changed = [r for r in rows if r["TCODE"] == "XD02"]
    assert [(r["FNAME"], r["VALUE_OLD"], r["VALUE_NEW"]) for r in changed] == [
        ("KNBK-BKREF", "12", REFERENCE)
    ]
    assert changed[0]["LABEL"] == {"zh": "参考明细", "en": "Reference details"}
    assert (changed[0]["TABNAME"], changed[0]["ROW"]) == ("KNBK", f"CN/F011/{ACCOUNT}")
