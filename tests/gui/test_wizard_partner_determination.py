"""Partner determination in the wizard (issue: a ship-to party was given AG/RE/RG/WE pointing
to itself, and could be made the sold-to and payer of another customer in a sales area where
it does not exist and without company-code data), keyboard only, on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableWidget

from custmd_gui.domain.errors import Severity
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.ui.wizard import CustomerWizard
from tests.conftest import example_document
from tests.gui.keyboard import fill, fill_grid_row, key, tab_to
from tests.gui.test_wizard_paths import example, new_customer_from_reference  # noqa: F401
from tests.gui.wizard_steps import enter_initial, grid, press_enter, screen
from tests.partner_documents import ship_to_document

SETUP = Actor("setup")
NEW = "2110380002"  # the customer new_customer_from_reference types


def _rows(table: QTableWidget) -> list[tuple[str, str]]:
    """(function, partner) of the partner grid's filled rows."""
    out = []
    for r in range(table.rowCount()):
        fn, partner = table.item(r, 0), table.item(r, 2)
        if fn is not None and fn.text():
            out.append((fn.text(), partner.text() if partner is not None else ""))
    return out


def _errors(wizard: CustomerWizard) -> list[str]:
    return [p.message.zh for p in wizard.messages.problems if p.severity is Severity.ERROR]


def _other(number: str, name: str, **changes: Any) -> dict[str, Any]:
    """The documents' customer under another number and name (its own partner throughout)."""
    doc = example_document()
    doc["KNA1"].update({"KUNNR": number, "NAME1": name, "NAME3": name})
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = number
    doc["KNVV"][0].update(changes.get("KNVV", {}))
    doc["KNB1"][0].update(changes.get("KNB1", {}))
    return doc


@pytest.fixture
def ship_to(uow_factory: UnitOfWorkFactory) -> str:
    """A ship-to party (1310) in F011/10/01, without company-code data."""
    return create_customer(uow_factory, from_document(ship_to_document("WE")), SETUP).number


def _name_partner(wizard: CustomerWizard, function: str, partner: str) -> None:
    """On the partner screen, type `partner` into the row of `function` (keyboard only)."""
    table = grid(wizard, "KNVP")
    row = [fn for fn, _ in _rows(table)].index(function)
    tab_to(wizard, "KNVP")
    while table.currentRow() > row:  # fill_grid_row moves down only
        QTest.keyClick(table, Qt.Key.Key_Up)
    fill_grid_row(table, row, [function, "", partner])


def test_a_new_ship_to_party_gets_only_its_ship_to_line(
    wizard: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    enter_initial(
        wizard, {"KNA1_KTOKD": "1310", "KNVV_VKORG": "F011", "KNVV_VTWEG": "10", "KNVV_SPART": "01"}
    )
    assert screen(wizard) == "address", wizard.messages.problems
    fill(
        wizard,
        {
            "KNA1_NAME1": "长宁收货点",
            "KNA1_SORTL": "长宁收货",
            "KNA1_STRAS": "上海市长宁路 1 号",
            "KNA1_PSTLZ": "200000",
            "KNA1_ORT01": "上海",
            "KNA1_REGIO": "020",
        },
    )
    press_enter()
    while screen(wizard) != "shipping":
        assert not wizard.messages.problems, wizard.messages.problems
        press_enter()
    fill(wizard, {"KNVV_VSBED": "11", "KNVV_VWERK": "F011"})
    press_enter()
    while screen(wizard) != "partner":
        assert not wizard.messages.problems, wizard.messages.problems
        press_enter()
    # The group's partner determination: the ship-to line only, the customer itself (numbered
    # at the save).
    assert _rows(grid(wizard, "KNVP")) == [("WE", "")]
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "已在销售范围 F011/10/01 中创建" in wizard.statusBar().currentMessage()
    number = wizard.statusBar().currentMessage().split()[1]
    stored = read_customer(uow_factory, number)
    assert [(p.partner_function, p.partner) for p in stored.sales_areas[0].partners] == [
        ("WE", number)
    ]


def test_a_ship_to_party_cannot_be_sold_to_or_payer_of_another_customer(
    wizard: CustomerWizard,
    uow_factory: UnitOfWorkFactory,
    example: str,  # noqa: F811
    ship_to: str,
) -> None:
    new_customer_from_reference(wizard, example)
    wizard.show_screen("partner")
    _name_partner(wizard, "AG", ship_to)
    _name_partner(wizard, "RG", ship_to)
    press_enter()
    assert screen(wizard) == "partner"
    assert _errors(wizard) == [
        f"合伙人 {ship_to} 属于科目组 1310，不能作为 AG 售达方；该科目组的客户只能作为：WE 送达方",
        f"合伙人 {ship_to} 属于科目组 1310，不能作为 RG 付款方；该科目组的客户只能作为：WE 送达方",
        f"付款方 {ship_to} 在公司代码 F011（销售范围 F011/10/01 的公司代码）中没有公司代码数据，"
        "不能作为付款方",
    ]
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert _errors(wizard)  # refused, nothing stored
    with uow_factory() as uow:
        assert not uow.customers.exists(NEW)
    # As its ship-to party the ship-to party is right.
    _name_partner(wizard, "AG", NEW)
    _name_partner(wizard, "RG", NEW)
    _name_partner(wizard, "WE", ship_to)
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert wizard.statusBar().currentMessage().startswith(f"客户 {NEW} 已在"), _errors(wizard)
    stored = read_customer(uow_factory, NEW)
    partners = {p.partner_function: p.partner for p in stored.sales_areas[0].partners}
    assert partners == {"AG": NEW, "RE": NEW, "RG": NEW, "WE": ship_to}


def test_a_partner_outside_the_sales_area_is_refused(
    wizard: CustomerWizard,
    uow_factory: UnitOfWorkFactory,
    example: str,  # noqa: F811
) -> None:
    elsewhere = "2110380003"  # in F011/10/02 only
    create_customer(
        uow_factory,
        from_document(_other(elsewhere, "西湖文化有限公司", KNVV={"SPART": "02"})),
        SETUP,
    )
    new_customer_from_reference(wizard, example)
    wizard.show_screen("partner")
    _name_partner(wizard, "WE", elsewhere)
    press_enter()
    assert _errors(wizard) == [
        f"合伙人 {elsewhere} (WE) 在销售范围 F011/10/01 中不存在；请先将其扩展到该销售范围"
    ]
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with uow_factory() as uow:
        assert not uow.customers.exists(NEW)


def test_a_payer_without_company_code_data_there_is_refused(
    wizard: CustomerWizard,
    uow_factory: UnitOfWorkFactory,
    example: str,  # noqa: F811
) -> None:
    payer = "2110380004"  # in F011/10/01, company-code data in F015 only
    create_customer(
        uow_factory, from_document(_other(payer, "华信商贸有限公司", KNB1={"BUKRS": "F015"})), SETUP
    )
    new_customer_from_reference(wizard, example)
    wizard.show_screen("partner")
    _name_partner(wizard, "RG", payer)
    press_enter()
    assert _errors(wizard) == [
        f"付款方 {payer} 在公司代码 F011（销售范围 F011/10/01 的公司代码）中没有公司代码数据，"
        "不能作为付款方"
    ]
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with uow_factory() as uow:
        assert not uow.customers.exists(NEW)
    # The bill-to party needs no company-code data: the same customer is taken there.
    _name_partner(wizard, "RG", NEW)
    _name_partner(wizard, "RE", payer)
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert wizard.statusBar().currentMessage().startswith(f"客户 {NEW} 已在"), _errors(wizard)
    stored = read_customer(uow_factory, NEW)
    partners = {p.partner_function: p.partner for p in stored.sales_areas[0].partners}
    assert partners == {"AG": NEW, "RE": payer, "RG": NEW, "WE": NEW}
