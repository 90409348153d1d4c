"""XD01, keyboard only: the consistency rules stop Enter on the screen of the field they name
(sales office 1038 in F015/20/01, plant F011 in F015, region 020 上海 with postal code 510000
and city 广州), a city outside its region warns once; a foreign customer (US, region NY) is
accepted, F4 offering the country's regions. On SQLite and PostgreSQL (the wizard fixture)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from custmd_gui.domain.errors import NotFound, Severity
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.create import read_customer
from custmd_gui.ui.value_help import ValueHelpDialog
from custmd_gui.ui.wizard import CustomerWizard
from tests.gui.keyboard import fill, key, tab_to, type_text
from tests.gui.wizard_steps import (
    EXAMPLE_INITIAL,
    answer_next_dialog,
    enter_initial,
    press_enter,
    screen,
    type_example,
)

F015_INITIAL = {
    "KNA1_KTOKD": "1110",
    "KNA1_KUNNR": "2155010001",  # digits 2-3: branch 15, digits 4-6: sales group 501
    "KNB1_BUKRS": "F015",
    "KNVV_VKORG": "F015",
    "KNVV_VTWEG": "20",
    "KNVV_SPART": "01",
}
SALES = {
    "KNVV_BZIRK": "05",
    "KNVV_KDGRP": "01",
    "KNVV_WAERS": "CNY",
    "KNVV_KONDA": "10",
    "KNVV_KALKS": "1",
    "KNVV_PLTYP": "01",
    "KNVV_VERSG": "1",
}
ADDRESS = {
    "KNA1_ANRED": "公司",
    "KNA1_NAME1": "东宁广告有限公司",
    "KNA1_NAME3": "东宁广告有限公司",
    "KNA1_SORTL": "东宁广告",
    "KNA1_STRAS": "上海市长宁路262号",
    "KNA1_PSTLZ": "200000",
    "KNA1_ORT01": "上海",
    "KNA1_LAND1": "CN",
    "KNA1_REGIO": "020",
    "KNA1_SPRAS": "ZH",
}


def shown(wizard: CustomerWizard) -> list[tuple[str, Severity, str]]:
    """The message panel's lines: field, severity and the text the clerk reads."""
    panel = wizard.messages
    lines = []
    for i, p in enumerate(panel.problems):
        item = panel.topLevelItem(i)
        assert item is not None
        lines.append((p.field_key, p.severity, item.text(2)))
    return lines


def line_edit(wizard: QWidget, name: str) -> QLineEdit:
    widget = wizard.findChild(QLineEdit, name)
    assert widget is not None, name
    return widget


def skip_to(wizard: CustomerWizard, target: str) -> None:
    """Ctrl+PgDown, the unchecked next screen, until `target` shows."""
    for _ in range(len(wizard.active)):
        if screen(wizard) == target:
            return
        key(Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert screen(wizard) == target


# -- organization ------------------------------------------------------------------------------


def test_sales_office_of_another_sales_organization_is_refused(wizard: CustomerWizard) -> None:
    """The issue's defect: sales office 1038 (of F011) accepted in sales area F015/20/01."""
    enter_initial(wizard, F015_INITIAL)
    skip_to(wizard, "sales")
    fill(wizard, {**SALES, "KNVV_VKBUR": "1038", "KNVV_VKGRP": "038", "KNVV_BEGRU": "1038"})
    press_enter()
    assert screen(wizard) == "sales"
    assert shown(wizard) == [
        (
            "KNVV-VKBUR",
            Severity.ERROR,
            "销售办事处 1038（责任中心 1038）属于销售组织 F011，"
            "不属于本销售范围的销售组织 F015（广州分公司）",
        )
    ]
    assert line_edit(wizard, "KNVV_VKBUR").property("error") is True
    assert line_edit(wizard, "KNVV_VKBUR").text() == "1038"  # the typing kept
    # The office of F015, and a group of another office: the group is named now.
    fill(wizard, {"KNVV_VKBUR": "1501", "KNVV_VKGRP": "038"})
    press_enter()
    assert screen(wizard) == "sales"
    ((field, severity, text),) = shown(wizard)
    assert (field, severity) == ("KNVV-VKGRP", Severity.ERROR)
    assert text.startswith("销售组 038（责任中心 1038）属于销售办事处 1038")
    fill(wizard, {"KNVV_VKGRP": "501"})
    press_enter()
    assert screen(wizard) == "shipping", shown(wizard)


def test_plant_of_another_sales_organization_is_refused(wizard: CustomerWizard) -> None:
    """The issue's defect: plant F011 accepted in F015."""
    enter_initial(wizard, F015_INITIAL)
    skip_to(wizard, "shipping")
    fill(wizard, {"KNVV_VSBED": "11", "KNVV_VWERK": "F011"})
    press_enter()
    assert screen(wizard) == "shipping"
    assert shown(wizard) == [
        (
            "KNVV-VWERK",
            Severity.ERROR,
            "交货工厂 F011（浦西分公司工厂）不是销售组织 F015（广州分公司）的工厂；可选：F015",
        )
    ]
    fill(wizard, {"KNVV_VWERK": "F015"})
    press_enter()
    assert screen(wizard) == "billing", shown(wizard)


# -- address -----------------------------------------------------------------------------------


def test_region_that_is_not_the_postal_codes_is_refused(wizard: CustomerWizard) -> None:
    """The issue's defect: region 020 上海 with postal code 510000 and city 广州."""
    enter_initial(wizard, EXAMPLE_INITIAL)
    fill(wizard, {**ADDRESS, "KNA1_PSTLZ": "510000", "KNA1_ORT01": "广州", "KNA1_REGIO": "020"})
    press_enter()
    assert screen(wizard) == "address"
    assert shown(wizard) == [
        (
            "KNA1-REGIO",
            Severity.ERROR,
            "地区 020（上海）与邮政编码 510000 不符：邮政编码 510000 属于地区 190（广东）",
        ),
        (
            "KNA1-ORT01",
            Severity.WARNING,
            "城市 广州 不在地区 020（上海）内，而在地区 190（广东）；请检查城市和地区",
        ),
    ]
    press_enter()  # an error is not passed by pressing again
    assert screen(wizard) == "address"
    fill(wizard, {"KNA1_REGIO": "190"})
    press_enter()
    assert screen(wizard) == "control", shown(wizard)


def test_city_outside_the_region_warns_once(wizard: CustomerWizard) -> None:
    """A warning, as in SAP: the first Enter stops on it, the second goes on."""
    enter_initial(wizard, EXAMPLE_INITIAL)
    fill(wizard, {**ADDRESS, "KNA1_PSTLZ": "310000", "KNA1_ORT01": "苏州", "KNA1_REGIO": "130"})
    press_enter()
    assert screen(wizard) == "address"
    ((field, severity, text),) = shown(wizard)
    assert (field, severity) == ("KNA1-ORT01", Severity.WARNING)
    assert text == "城市 苏州 不在地区 130（浙江）内，而在地区 100（江苏）；请检查城市和地区"
    assert wizard.statusBar().currentMessage() == "请检查警告；再次按 Enter 继续"
    press_enter()
    assert screen(wizard) == "control"


# -- regions of other countries ----------------------------------------------------------------


def test_foreign_customer_takes_its_region_from_f4_and_is_saved(
    wizard: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    """The issue's defect: country US, region NY was refused, and F4 offered nothing. (The
    documents' customer moved abroad, so its account group 1110 requires the region; the
    foreign groups such as 1120 leave it optional, for countries without regions.)"""
    type_example(wizard)
    wizard.show_screen("address")
    fill(
        wizard,
        {
            "KNA1_STRAS": "350 Fifth Avenue",
            "KNA1_PSTLZ": "10118",
            "KNA1_ORT01": "New York",
            "KNA1_LAND1": "US",
        },
    )
    tab_to(wizard, "KNA1_REGIO")
    offered: list[tuple[str, str]] = []

    def pick(dialog: QWidget) -> None:
        assert isinstance(dialog, ValueHelpDialog)
        model = dialog.model
        offered.extend(
            (model.item(row, 0).text(), model.item(row, 1).text())
            for row in range(model.rowCount())
        )
        type_text("纽约")  # the text, as the input method commits it
        key(Qt.Key.Key_Return)

    seen = answer_next_dialog(pick)
    key(Qt.Key.Key_F4)
    assert seen == ["value_help"]
    # The regions of the country typed, and only those: the 50 states and DC.
    assert len(offered) == 51
    assert ("NY", "纽约州") in offered and ("DC", "哥伦比亚特区") in offered
    assert not any(code == "020" for code, _ in offered)
    assert line_edit(wizard, "KNA1_REGIO").text() == "NY"
    press_enter()
    assert screen(wizard) == "control", shown(wizard)

    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert wizard.statusBar().currentMessage().startswith("客户 2110380001 已在"), shown(wizard)
    stored = read_customer(uow_factory, "2110380001")
    assert (stored.general.country, stored.general.region, stored.general.city) == (
        "US",
        "NY",
        "New York",
    )


def test_nothing_is_saved_while_a_rule_is_broken(
    wizard: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    """Ctrl+S checks every screen: the plant of another organization stops the save."""
    type_example(wizard)
    wizard.show_screen("shipping")
    fill(wizard, {"KNVV_VWERK": "F015"})
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert [(f, s) for f, s, _ in shown(wizard)] == [("KNVV-VWERK", Severity.ERROR)]
    with pytest.raises(NotFound):
        read_customer(uow_factory, "2110380001")
