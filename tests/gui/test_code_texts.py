"""Texts beside codes (issue 16): the text of the code typed beside every coded field, in the
UI language, in the grids (partner functions and names, tax texts), in XD03 and in F4; the
document keeps the codes alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStyleOptionViewItem, QTableView, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from custmd_gui.domain.field_status import Activity
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.ui import i18n
from custmd_gui.ui.operations import customers_changed
from custmd_gui.ui.wizard import CustomerWizard
from tests.conftest import example_document
from tests.gui.keyboard import fill, focused, key
from tests.gui.wizard_steps import (
    EXAMPLE_INITIAL,
    answer_next_dialog,
    enter_initial,
    press_enter,
    screen,
)


def text_beside(window: QWidget, field: str) -> str:
    """The text shown beside the line edit `field` (its object name)."""
    label = window.findChild(QLabel, f"text_{field}")
    assert label is not None, f"no text beside {field}"
    assert label.isVisible(), f"the text beside {field} is hidden"
    return label.text()


def shown(table: QTableWidget, row: int, column: int) -> str:
    """What a grid cell shows while not edited (as its delegate paints it)."""
    option = QStyleOptionViewItem()
    index = table.model().index(row, column)
    table.itemDelegate().initStyleOption(option, index)  # type: ignore[attr-defined]
    return str(option.text)


def go_to(window: CustomerWizard, target: str) -> None:
    """Leaf through the screens unchecked (Ctrl+PgDown) to `target`."""
    for _ in range(len(window.active)):
        if screen(window) == target:
            return
        key(Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert screen(window) == target


@pytest.fixture
def english() -> Iterator[None]:
    yield
    i18n.set_language("zh")


def test_industry_text_follows_typing_and_language(
    qtbot: QtBot, wizard: CustomerWizard, english: None
) -> None:
    enter_initial(wizard, EXAMPLE_INITIAL)
    go_to(wizard, "control")
    fill(wizard, {"KNA1_BRSCH": "0021"})
    assert text_beside(wizard, "KNA1_BRSCH") == "广告业"
    fill(wizard, {"KNA1_BRSCH": "9999"})  # not in the customizing: no text (the check says)
    assert text_beside(wizard, "KNA1_BRSCH") == ""
    fill(wizard, {"KNA1_BRSCH": "0021"})
    assert wizard.collect()["KNA1-BRSCH"] == "0021"  # the document holds the code alone

    i18n.set_language("en")  # as the settings dialog does: the window follows by itself
    qtbot.waitUntil(lambda: text_beside(wizard, "KNA1_BRSCH") == "Advertising")
    assert wizard.collect()["KNA1-BRSCH"] == "0021"


def test_sales_office_region_and_initial_screen_show_their_texts(
    wizard: CustomerWizard,
) -> None:
    fill(wizard, EXAMPLE_INITIAL)  # the initial screen's codes read with their texts too
    assert text_beside(wizard, "KNA1_KTOKD") == "国内直销"
    assert text_beside(wizard, "KNVV_VTWEG") != ""
    press_enter()
    fill(wizard, {"KNA1_LAND1": "CN", "KNA1_REGIO": "020"})
    assert text_beside(wizard, "KNA1_LAND1") == "中国"
    assert text_beside(wizard, "KNA1_REGIO") == "上海"
    fill(wizard, {"KNA1_LAND1": "DE"})  # 020 is a region of CN: no text for another country
    assert text_beside(wizard, "KNA1_REGIO") == ""
    go_to(wizard, "sales")
    fill(wizard, {"KNVV_VKBUR": "1038", "KNVV_VKGRP": "038"})
    assert text_beside(wizard, "KNVV_VKBUR") == "责任中心 1038"
    assert text_beside(wizard, "KNVV_VKGRP") == "责任中心 1038"
    assert wizard.collect()["KNVV-VKBUR"] == "1038"


def test_partner_table_shows_function_texts_and_names(wizard: CustomerWizard) -> None:
    enter_initial(wizard, EXAMPLE_INITIAL)
    fill(wizard, {"KNA1_NAME1": "东宁广告有限公司"})
    go_to(wizard, "partner")
    table = wizard.findChild(QTableWidget, "KNVP")
    assert table is not None
    binding = wizard.binding("partner").grids["KNVP"]
    functions = [shown(table, r, binding.column("KNVP-PARVW")) for r in range(4)]
    assert functions == ["AG 售达方", "RE 收票方", "RG 付款方", "WE 送达方"]
    # The items, and so the document, hold the codes alone.
    assert [row["partner_function"] for row in binding.rows()] == ["AG", "RE", "RG", "WE"]
    partner = binding.column("KNVP-KUNN2")
    binding.set_cell(0, partner, "2110380001")  # the customer itself: the name typed
    assert shown(table, 0, partner) == "2110380001 东宁广告有限公司"
    assert wizard.collect()["KNVP"][0]["partner"] == "2110380001"


def test_partner_name_is_read_again_once_the_customer_exists(
    qtbot: QtBot, wizard: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    enter_initial(wizard, EXAMPLE_INITIAL)
    go_to(wizard, "partner")
    table = wizard.findChild(QTableWidget, "KNVP")
    assert table is not None
    binding = wizard.binding("partner").grids["KNVP"]
    partner = binding.column("KNVP-KUNN2")
    binding.set_cell(2, partner, "2110380009")  # the payer: not created yet
    qtbot.wait(50)
    assert shown(table, 2, partner) == "2110380009"
    payer = example_document()
    payer["KNA1"].update({"KUNNR": "2110380009", "NAME1": "东宁广告付款中心"})
    for p in payer["KNVV"][0]["KNVP"]:
        p["KUNN2"] = "2110380009"
    create_customer(uow_factory, from_document(payer), Actor("setup"))
    customers_changed(["2110380009"])  # as a save in another window tells
    qtbot.waitUntil(lambda: shown(table, 2, partner) == "2110380009 东宁广告付款中心")


def test_display_shows_the_texts_of_a_stored_customer(
    qtbot: QtBot, uow_factory: UnitOfWorkFactory, english: None
) -> None:
    create_customer(uow_factory, from_document(example_document()), Actor("setup"))
    # A second customer, the first one's payer: its name comes from the database.
    payer = example_document()
    payer["KNA1"].update({"KUNNR": "2110380002", "NAME1": "东宁广告付款中心"})
    for p in payer["KNVV"][0]["KNVP"]:
        p["KUNN2"] = "2110380002"
    create_customer(uow_factory, from_document(payer), Actor("setup"))
    with uow_factory() as uow:
        customizing = uow.customizing.load()
    viewer = CustomerWizard(uow_factory, customizing, Actor("auditor"), activity=Activity.DISPLAY)
    viewer.show()
    qtbot.waitExposed(viewer)
    try:
        assert viewer.display("2110380002", "F011", "F011/10/01")
        # The number on the initial screen reads with the customer's name.
        name = viewer.findChild(QLabel, "text_KNA1_KUNNR")
        assert name is not None and name.text() == "东宁广告付款中心"
        viewer.show_screen("control")
        assert text_beside(viewer, "KNA1_BRSCH") == "广告业"
        viewer.show_screen("sales")
        assert text_beside(viewer, "KNVV_VKBUR") == "责任中心 1038"
        viewer.show_screen("partner")
        table = viewer.findChild(QTableWidget, "KNVP")
        assert table is not None
        qtbot.waitUntil(lambda: shown(table, 0, 2) == "2110380002 东宁广告付款中心")
        assert shown(table, 0, 0) == "AG 售达方"
        billing = viewer.binding("billing").grids["KNVI"]
        viewer.show_screen("billing")
        tax = [shown(billing.table, 0, c) for c in range(3)]
        assert tax == ["CN 中国", "MWST 增值税", "1 应税"]

        i18n.set_language("en")
        viewer.show_screen("control")
        qtbot.waitUntil(lambda: text_beside(viewer, "KNA1_BRSCH") == "Advertising")
        viewer.show_screen("sales")
        assert text_beside(viewer, "KNVV_VKBUR") == "Responsibility center 1038"
        assert shown(table, 0, 0) == "AG Sold-to party"
    finally:
        viewer.close()
        viewer.deleteLater()


def test_value_help_lists_codes_with_texts_in_the_ui_language(
    wizard: CustomerWizard, english: None
) -> None:
    enter_initial(wizard, EXAMPLE_INITIAL)
    go_to(wizard, "control")
    fill(wizard, {"KNA1_BRSCH": ""})
    lines: list[tuple[str, str]] = []

    def read(dialog: QWidget) -> None:
        view = dialog.findChild(QTableView, "f4_table")
        assert view is not None
        model = view.model()
        lines.extend(
            (str(model.index(r, 0).data()), str(model.index(r, 1).data()))
            for r in range(model.rowCount())
        )
        dialog.close()

    answer_next_dialog(read)
    key(Qt.Key.Key_F4)
    assert ("0021", "广告业") in lines

    i18n.set_language("en")
    lines.clear()
    assert focused() is not None
    answer_next_dialog(read)
    key(Qt.Key.Key_F4)
    assert ("0021", "Advertising") in lines
