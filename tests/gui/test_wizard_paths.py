"""The wizard's other paths: create with reference and the head-office extension, the
duplicate dialog's three answers, leaving with F3/Esc (the typing kept for the initial
screen's keys) or closing (nothing written unless confirmed, nothing typed lost unless
confirmed), F1 help."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from custmd_gui.domain.errors import NotFound
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.ui.wizard import CustomerWizard
from tests.conftest import example_document
from tests.gui.keyboard import fill, focused, key, tab_to, type_text
from tests.gui.wizard_steps import answer_next_dialog, enter_initial, press_enter, screen

USCC = "91310000631696382C"  # a valid unified social credit code


@pytest.fixture
def example(uow_factory: UnitOfWorkFactory) -> str:
    """The documents' customer 2110380001 (F011, F011/10/01), stored through the service."""
    return create_customer(uow_factory, from_document(example_document()), Actor("setup")).number


def line_edit(wizard: QWidget, name: str) -> QLineEdit:
    widget = wizard.findChild(QLineEdit, name)
    assert widget is not None, name
    return widget


def customer_count(uow_factory: UnitOfWorkFactory) -> int:
    with uow_factory() as uow:
        return uow.customers.count()


def press(
    k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> Callable[[QWidget], None]:
    return lambda _dialog: key(k, modifier)


# -- create with reference, head-office extension --------------------------------------------


def test_head_office_extension_of_the_documents(
    wizard: CustomerWizard, uow_factory: UnitOfWorkFactory, example: str
) -> None:
    """SD02: the F011 customer into F001/40/01, copied from F011/10/01; sales office 1020,
    sales group 020, shipping conditions 20, plant FW00; no company-code data."""
    enter_initial(
        wizard,
        {
            "KNA1_KUNNR": example,
            "KNVV_VKORG": "F001",
            "KNVV_VTWEG": "40",
            "KNVV_SPART": "01",
            "REF_KUNNR": example,
            "REF_VKORG": "F011",
            "REF_VTWEG": "10",
            "REF_SPART": "01",
        },
    )
    # Extending: the general data are shown, not changed; the first screen is the new segment.
    assert screen(wizard) == "sales", wizard.messages.problems
    assert "扩展" in wizard.windowTitle()
    assert wizard.active == ["address", "control", "payment", "marketing", "sales",
                             "shipping", "billing", "partner"]  # fmt: skip
    name = line_edit(wizard, "KNA1_NAME1")
    assert name.text() == "东宁广告有限公司" and name.isReadOnly()
    # Copied from the reference sales area; the user changes what differs.
    assert line_edit(wizard, "KNVV_VKBUR").text() == "1038"
    fill(wizard, {"KNVV_VKBUR": "1020", "KNVV_VKGRP": "020"})
    press_enter()
    assert screen(wizard) == "shipping", wizard.messages.problems
    assert line_edit(wizard, "KNVV_VSBED").text() == "11"
    fill(wizard, {"KNVV_VSBED": "20", "KNVV_VWERK": "FW00"})
    press_enter()
    assert screen(wizard) == "billing", wizard.messages.problems
    press_enter()
    assert screen(wizard) == "partner", wizard.messages.problems
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert wizard.statusBar().currentMessage() == "客户 2110380001 已在销售范围 F001/40/01 中创建"
    stored = read_customer(uow_factory, example)
    assert [c.company_code for c in stored.company_codes] == ["F011"]
    head, source = stored.sales_area("F001/40/01"), stored.sales_area("F011/10/01")
    assert head is not None and source is not None
    assert (
        head.sales_office,
        head.sales_group,
        head.shipping_conditions,
        head.delivering_plant,
    ) == ("1020", "020", "20", "FW00")
    # Everything else as in the reference area.
    differs = {"sales_org", "distribution_channel", "sales_office", "sales_group",
               "shipping_conditions", "delivering_plant"}  # fmt: skip
    assert head.model_dump(exclude=differs) == source.model_dump(exclude=differs)
    assert customer_count(uow_factory) == 1


def test_create_with_reference_copies_general_data_but_not_the_credit_code(
    wizard: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    document = example_document()
    document["KNA1"]["STCD5"] = USCC
    reference = create_customer(uow_factory, from_document(document), Actor("setup"))
    new_customer_from_reference(wizard, reference.number)
    assert line_edit(wizard, "KNA1_STRAS").text() == reference.general.street
    wizard.show_screen("control")
    assert line_edit(wizard, "KNA1_STCD5").text() == ""  # unique per customer: not copied
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # nothing similar: no question
    assert wizard.statusBar().currentMessage().startswith("客户 2110380002 已在")
    stored = read_customer(uow_factory, "2110380002")
    assert stored.general.name == "宁波海曙文具贸易有限公司"
    assert stored.general.street == reference.general.street
    assert stored.general.tax_number_5 == ""
    assert [p.partner for p in stored.sales_areas[0].partners] == ["2110380002"] * 4


def new_customer_from_reference(
    wizard: CustomerWizard, reference: str, name: str = "宁波海曙文具贸易有限公司"
) -> None:
    """Customer 2110380002 (1110, F011, F011/10/01) copied from `reference`, renamed."""
    enter_initial(
        wizard,
        {
            "KNA1_KTOKD": "1110",
            "KNA1_KUNNR": "2110380002",
            "KNB1_BUKRS": "F011",
            "KNVV_VKORG": "F011",
            "KNVV_VTWEG": "10",
            "KNVV_SPART": "01",
            "REF_KUNNR": reference,
            "REF_BUKRS": "F011",
            "REF_VKORG": "F011",
            "REF_VTWEG": "10",
            "REF_SPART": "01",
        },
    )
    assert screen(wizard) == "address", wizard.messages.problems
    fill(wizard, {"KNA1_NAME1": name})


# -- the duplicate dialog -----------------------------------------------------------------------


def type_similar_customer(wizard: CustomerWizard) -> None:
    """A new 1110 customer whose name differs from the stored one only by city and legal form."""
    new_customer_from_reference(wizard, "2110380001", "上海东宁广告有限责任公司")


def test_duplicate_dialog_cancel_saves_nothing_and_keeps_the_typing(
    wizard: CustomerWizard, uow_factory: UnitOfWorkFactory, example: str
) -> None:
    type_similar_customer(wizard)
    shown: list[list[str]] = []

    def look_and_cancel(dialog: QWidget) -> None:
        table = dialog.findChild(QWidget, "duplicate_table")
        assert table is not None
        shown.append([table.item(r, 0).text() for r in range(table.rowCount())])  # type: ignore[attr-defined]
        key(Qt.Key.Key_Return)  # Enter is Cancel: saving a duplicate must be a decision

    seen = answer_next_dialog(look_and_cancel)
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["duplicates"] and shown == [[example]]
    assert customer_count(uow_factory) == 1
    with pytest.raises(NotFound):
        read_customer(uow_factory, "2110380002")
    assert screen(wizard) == "address"
    assert line_edit(wizard, "KNA1_NAME1").text() == "上海东宁广告有限责任公司"


def test_duplicate_dialog_open_existing_emits_the_number(
    qtbot: QtBot, wizard: CustomerWizard, uow_factory: UnitOfWorkFactory, example: str
) -> None:
    type_similar_customer(wizard)
    seen = answer_next_dialog(press(Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier))
    with qtbot.waitSignal(wizard.open_customer, timeout=5000) as opened:
        key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["duplicates"]
    assert opened.args == [example]
    assert customer_count(uow_factory) == 1


def test_duplicate_dialog_continue_saves(
    wizard: CustomerWizard, uow_factory: UnitOfWorkFactory, example: str
) -> None:
    type_similar_customer(wizard)
    seen = answer_next_dialog(press(Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier))
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["duplicates"]
    assert read_customer(uow_factory, "2110380002").general.name == "上海东宁广告有限责任公司"


# -- leaving: F3, Esc, closing --------------------------------------------------------------------


def type_a_little(wizard: CustomerWizard) -> None:
    enter_initial(
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
    fill(wizard, {"KNA1_NAME1": "东宁广告有限公司", "KNA1_ORT01": "上海"})


@pytest.mark.parametrize("leave", [Qt.Key.Key_F3, Qt.Key.Key_Escape])
def test_back_keeps_the_typing_for_the_same_keys_without_asking(
    wizard: CustomerWizard, uow_factory: UnitOfWorkFactory, leave: Qt.Key
) -> None:
    type_a_little(wizard)
    key(leave)
    # Nothing is lost by going back: nothing to ask.
    assert QApplication.activeModalWidget() is None
    assert screen(wizard) == "initial"
    assert wizard.statusBar().currentMessage() == "已输入的数据已保留：请更正初始屏幕后按 Enter"
    press_enter()  # the same keys: everything typed is back, still unsaved
    assert screen(wizard) == "address"
    assert line_edit(wizard, "KNA1_NAME1").text() == "东宁广告有限公司"
    assert line_edit(wizard, "KNA1_ORT01").text() == "上海"
    assert wizard.is_dirty()
    assert customer_count(uow_factory) == 0


def test_closing_from_the_initial_screen_with_kept_typing_asks_first(
    wizard: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    type_a_little(wizard)
    key(Qt.Key.Key_F3)
    assert screen(wizard) == "initial"
    seen = answer_next_dialog(press(Qt.Key.Key_Return))  # No is the default
    key(Qt.Key.Key_Escape)
    assert seen == ["confirm_loss"] and wizard.isVisible()
    seen = answer_next_dialog(press(Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier))
    key(Qt.Key.Key_Escape)
    assert seen == ["confirm_loss"] and not wizard.isVisible()
    assert customer_count(uow_factory) == 0


def test_back_without_typing_asks_nothing(wizard: CustomerWizard) -> None:
    type_a_little(wizard)
    fill(wizard, {"KNA1_NAME1": "", "KNA1_ORT01": ""})
    key(Qt.Key.Key_F3)
    assert QApplication.activeModalWidget() is None
    assert screen(wizard) == "initial"


def test_closing_with_unsaved_data_asks_first(
    wizard: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    type_a_little(wizard)
    seen = answer_next_dialog(press(Qt.Key.Key_Return))  # No
    assert not wizard.close()
    assert seen == ["confirm_loss"] and wizard.isVisible()
    assert line_edit(wizard, "KNA1_NAME1").text() == "东宁广告有限公司"

    seen = answer_next_dialog(press(Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier))
    assert wizard.close()
    assert seen == ["confirm_loss"] and not wizard.isVisible()
    assert customer_count(uow_factory) == 0


def test_closing_without_unsaved_data_just_closes(wizard: CustomerWizard) -> None:
    assert wizard.close()
    assert QApplication.activeModalWidget() is None


# -- F1 ------------------------------------------------------------------------------------------


def test_f1_explains_the_focused_field(wizard: CustomerWizard) -> None:
    type_a_little(wizard)
    tab_to(wizard, "KNA1_PSTLZ")
    texts: list[str] = []

    def read(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        texts.append(dialog.windowTitle() + "|" + dialog.text())
        key(Qt.Key.Key_Return)

    seen = answer_next_dialog(read)
    key(Qt.Key.Key_F1)
    assert seen == ["field_help"]
    assert texts == ["帮助：邮政编码|邮政编码，按国家规则检查（中国：6 位数字）。"]
    assert wizard.focusWidget() is line_edit(wizard, "KNA1_PSTLZ")


# -- partners by search help; the credit code once only -----------------------------------------


def test_ship_to_partner_chosen_by_customer_search_help(
    wizard: CustomerWizard, uow_factory: UnitOfWorkFactory, example: str
) -> None:
    new_customer_from_reference(wizard, example)
    wizard.show_screen("partner")
    table = wizard.findChild(QTableWidget, "KNVP")
    assert table is not None
    table.setFocus()
    table.setCurrentCell(3, 2)  # WE, partner number
    assert table.item(3, 0).text() == "WE" and table.item(3, 2).text() == "2110380002"

    def search(_dialog: QWidget) -> None:
        type_text("东宁")  # part of the name: the database is searched as the clerk types
        key(Qt.Key.Key_Return)

    seen = answer_next_dialog(search)
    key(Qt.Key.Key_F4)
    assert seen == ["value_help"]
    assert table.item(3, 2).text() == example
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    stored = read_customer(uow_factory, "2110380002")
    partners = {p.partner_function: p.partner for p in stored.sales_areas[0].partners}
    assert partners == {"AG": "2110380002", "RE": "2110380002", "RG": "2110380002", "WE": example}


def test_a_credit_code_already_used_is_an_error_on_save(
    wizard: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    document = example_document()
    document["KNA1"]["STCD5"] = USCC
    create_customer(uow_factory, from_document(document), Actor("setup"))
    new_customer_from_reference(wizard, "2110380001")
    wizard.show_screen("control")
    fill(wizard, {"KNA1_STCD5": USCC})
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    # An error, not a question: no duplicate dialog first.
    messages = [(p.field_key, p.message.zh) for p in wizard.messages.problems]
    assert messages == [
        ("KNA1-STCD5", f"统一社会信用代码 {USCC} 已被客户 2110380001（东宁广告有限公司）使用")
    ]
    assert focused() is line_edit(wizard, "KNA1_STCD5")
    assert customer_count(uow_factory) == 1


# -- undo and redo ------------------------------------------------------------------------------


def test_undo_and_redo_walk_the_fields_back_and_forth(wizard: CustomerWizard) -> None:
    type_a_little(wizard)  # name and city typed on the address screen
    name, city = line_edit(wizard, "KNA1_NAME1"), line_edit(wizard, "KNA1_ORT01")
    tab_to(wizard, "KNA1_LAND1")
    undo = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    key(*undo)  # the field holds nothing of its own to undo: the window's history does
    assert city.text() == "" and name.text() == "东宁广告有限公司"
    assert wizard.focusWidget() is city
    key(*undo)
    assert name.text() == ""
    assert not wizard.is_dirty()  # back where the screen started
    key(Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert name.text() == "东宁广告有限公司" and wizard.is_dirty()


def test_undo_brings_back_a_grid_row_and_its_screen(wizard: CustomerWizard) -> None:
    type_a_little(wizard)
    wizard.show_screen("partner")
    partners = wizard.findChild(QTableWidget, "KNVP")
    assert partners is not None
    partners.item(3, 2).setText("2110380009")  # as an edit of the cell would
    wizard.show_screen("address")
    tab_to(wizard, "KNA1_LAND1")
    key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert screen(wizard) == "partner"
    assert partners.item(3, 2).text() == "2110380001"


def test_typing_in_a_field_is_undone_in_the_field_first(wizard: CustomerWizard) -> None:
    type_a_little(wizard)
    tab_to(wizard, "KNA1_STRAS")
    type_text("长宁路")
    key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert line_edit(wizard, "KNA1_STRAS").text() == ""
    assert line_edit(wizard, "KNA1_ORT01").text() == "上海"  # the window's history untouched
