"""XD01's proposals and derived values (issue 16, item 2), driven by keyboard as an assistant
of responsibility center 1038 (created through the services of the administrator's window):
the initial screen proposes the user's company code, sales area and the next free number, the
data screens the customizing's and the center's values, marked until typed over; the postal
code fills region and city while typing; the save stores what was proposed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.auth import login
from custmd_gui.services.context import Actor
from custmd_gui.services.create import read_customer
from custmd_gui.services.users import create_user, save_department
from custmd_gui.ui.wizard import CustomerWizard
from tests.gui.keyboard import fill, fill_grid_row, focused, key, tab_to, type_text
from tests.gui.wizard_steps import grid, press_enter, screen

PASSWORD = "Geheim-2024!"
SCREENSHOTS = Path(os.environ.get("CUSTMD_SCREENSHOTS", "screenshots"))


@pytest.fixture
def assistant(qtbot: QtBot, uow_factory: UnitOfWorkFactory) -> Iterator[CustomerWizard]:
    """XD01 of lihua, assistant of responsibility center 1038 (department 1038, authorization
    group 1038, company code F011, sales area F011/10/01)."""
    setup = Actor("setup")
    create_user(uow_factory, setup, "admin", password=PASSWORD, roles=["administrator"])
    save_department(uow_factory, setup, "1038", "责任中心 1038")
    create_user(
        uow_factory,
        setup,
        "lihua",
        password=PASSWORD,
        roles=["assistant"],
        auth_groups=["1038"],
        company_codes=["F011"],
        sales_areas=["F011/10/01"],
        department="1038",
    )
    actor = Actor.logged_in(login(uow_factory, "lihua", PASSWORD, "test"))
    with uow_factory() as uow:
        customizing = uow.customizing.load()
    window = CustomerWizard(uow_factory, customizing, actor)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None)
    yield window
    window.keys = None
    window.close()
    window.deleteLater()


def edit(window: CustomerWizard, name: str) -> QLineEdit:
    widget = window.findChild(QLineEdit, name)
    assert widget is not None, name
    return widget


def proposed(window: CustomerWizard, name: str) -> bool:
    return edit(window, name).property("proposed") is True


def test_an_assistant_of_1038_gets_the_proposals_and_the_save_stores_them(
    assistant: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    w = assistant
    # The initial screen: the user's only company code and sales area.
    initial = {"KNB1_BUKRS": "F011", "KNVV_VKORG": "F011", "KNVV_VTWEG": "10", "KNVV_SPART": "01"}
    for name, value in initial.items():
        assert edit(w, name).text() == value and proposed(w, name), name
    assert edit(w, "KNA1_KUNNR").text() == ""
    # An externally numbered group: the next free number of 1038 in F011.
    fill(w, {"KNA1_KTOKD": "1110"})
    assert edit(w, "KNA1_KUNNR").text() == "2110380001" and proposed(w, "KNA1_KUNNR")
    assert "建议值" in edit(w, "KNA1_KUNNR").toolTip()
    SCREENSHOTS.mkdir(exist_ok=True)
    w.grab().save(str(SCREENSHOTS / f"proposals_initial_zh_{uow_factory.engine.dialect.name}.png"))
    press_enter()
    assert screen(w) == "address", w.messages.problems

    fill(
        w,
        {
            "KNA1_ANRED": "公司",
            "KNA1_NAME1": "东宁广告有限公司",
            "KNA1_SORTL": "东宁广告",
            "KNA1_STRAS": "广州市天河路 1 号",
        },
    )
    # NAME3 (the VAT invoice title) follows the name until typed over.
    assert edit(w, "KNA1_NAME3").text() == "东宁广告有限公司" and proposed(w, "KNA1_NAME3")
    tab_to(w, "KNA1_PSTLZ")
    type_text("510000")
    assert edit(w, "KNA1_REGIO").text() == "190" and proposed(w, "KNA1_REGIO")
    assert edit(w, "KNA1_ORT01").text() == "广州" and proposed(w, "KNA1_ORT01")
    assert not proposed(w, "KNA1_NAME1")
    press_enter()
    assert screen(w) == "control", w.messages.problems
    assert edit(w, "KNA1_BEGRU").text() == "1038" and proposed(w, "KNA1_BEGRU")
    fill(w, {"KNA1_BRSCH": "0021"})
    press_enter()
    assert screen(w) == "payment", w.messages.problems
    # A bank row: the account typed, the country and bank key (the branch's code) derived.
    tab_to(w, "KNBK")
    bank = grid(w, "KNBK")
    fill_grid_row(bank, 0, ["", "", "1234567", "工商银行"])
    assert [bank.item(0, c).text() for c in range(4)] == ["CN", "F011", "1234567", "工商银行"]
    assert bank.item(0, 1).font().italic() and not bank.item(0, 2).font().italic()
    press_enter()
    assert screen(w) == "marketing", w.messages.problems
    fill(w, {"KNA1_NIELS": "01", "KNA1_GFORM": "01"})
    press_enter()
    assert screen(w) == "account", w.messages.problems
    for name, value in {"KNB1_AKONT": "00", "KNB1_ZUAWA": "003", "KNB1_BEGRU": "1038"}.items():
        assert edit(w, name).text() == value, name
    press_enter()
    assert screen(w) == "cc_payment", w.messages.problems
    press_enter()
    assert screen(w) == "sales", w.messages.problems
    sales = {
        "KNVV_VKBUR": "1038",
        "KNVV_VKGRP": "038",
        "KNVV_BEGRU": "1038",
        "KNVV_WAERS": "CNY",
        "KNVV_KONDA": "10",
        "KNVV_KALKS": "1",
        "KNVV_PLTYP": "01",
        "KNVV_VERSG": "1",
    }
    for name, value in sales.items():
        assert edit(w, name).text() == value and proposed(w, name), name
    # Typed over: the clerk's value stays and is no longer marked.
    fill(w, {"KNVV_PLTYP": "03"})
    assert edit(w, "KNVV_PLTYP").text() == "03" and not proposed(w, "KNVV_PLTYP")
    assert proposed(w, "KNVV_WAERS")
    w.grab().save(str(SCREENSHOTS / f"proposals_sales_zh_{uow_factory.engine.dialect.name}.png"))
    press_enter()
    assert screen(w) == "shipping", w.messages.problems
    assert edit(w, "KNVV_VSBED").text() == "11" and edit(w, "KNVV_VWERK").text() == "F011"
    press_enter()
    assert screen(w) == "billing", w.messages.problems
    press_enter()
    assert screen(w) == "partner", w.messages.problems
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    stored = read_customer(uow_factory, "2110380001")
    general = stored.general
    assert (general.region, general.city, general.name_3) == ("190", "广州", "东宁广告有限公司")
    assert general.authorization_group == "1038"
    (bank_row,) = stored.bank_details
    assert (bank_row.bank_country, bank_row.bank_key, bank_row.bank_account) == (
        "CN",
        "F011",
        "1234567",
    )
    cc = stored.company_codes[0]
    assert (cc.company_code, cc.sort_key, cc.authorization_group) == ("F011", "003", "1038")
    sa = stored.sales_areas[0]
    assert (sa.segment_key, sa.sales_office, sa.sales_group) == ("F011/10/01", "1038", "038")
    assert (sa.currency, sa.price_group, sa.pricing_procedure) == ("CNY", "10", "1")
    assert (sa.price_list_type, sa.statistics_group, sa.delivering_plant) == ("03", "1", "F011")
    assert sa.authorization_group == "1038"
    # Back on the initial screen for the next customer: the next free number.
    assert screen(w) == "initial"
    assert edit(w, "KNA1_KUNNR").text() == "2110380002" and proposed(w, "KNA1_KUNNR")


def test_typing_over_a_derived_value_keeps_it(assistant: CustomerWizard) -> None:
    w = assistant
    fill(w, {"KNA1_KTOKD": "1110"})
    press_enter()
    assert screen(w) == "address", w.messages.problems
    fill(w, {"KNA1_PSTLZ": "510000"})
    assert (edit(w, "KNA1_REGIO").text(), edit(w, "KNA1_ORT01").text()) == ("190", "广州")
    fill(w, {"KNA1_ORT01": "佛山"})
    assert not proposed(w, "KNA1_ORT01")
    fill(w, {"KNA1_PSTLZ": "200000"})
    # The untouched region follows the postal code; the typed city stays.
    assert (edit(w, "KNA1_REGIO").text(), edit(w, "KNA1_ORT01").text()) == ("020", "佛山")
    assert proposed(w, "KNA1_REGIO")
    SCREENSHOTS.mkdir(exist_ok=True)
    w.grab().save(str(SCREENSHOTS / "proposals_address_zh.png"))


def test_a_group_numbered_internally_takes_the_proposed_number_back(
    assistant: CustomerWizard,
) -> None:
    w = assistant
    fill(w, {"KNA1_KTOKD": "1110"})
    assert edit(w, "KNA1_KUNNR").text() == "2110380001"
    fill(w, {"KNA1_KTOKD": "1310"})  # ship-to parties: internal numbers
    assert edit(w, "KNA1_KUNNR").text() == ""
    press_enter()
    assert screen(w) == "address", w.messages.problems


def test_without_an_organisation_only_the_customizings_proposals(wizard: CustomerWizard) -> None:
    """Single-user mode (no user record): nothing from a responsibility center."""
    assert edit(wizard, "KNB1_BUKRS").text() == ""
    fill(
        wizard,
        {
            "KNA1_KTOKD": "1110",
            "KNA1_KUNNR": "2110380001",
            "KNB1_BUKRS": "F011",
            "KNVV_VKORG": "F011",
            "KNVV_VTWEG": "10",
            "KNVV_SPART": "01",
        },
    )
    press_enter()
    wizard.show_screen("sales")
    assert edit(wizard, "KNVV_VKBUR").text() == "" and edit(wizard, "KNVV_BEGRU").text() == ""
    assert edit(wizard, "KNVV_WAERS").text() == "CNY" and proposed(wizard, "KNVV_WAERS")
