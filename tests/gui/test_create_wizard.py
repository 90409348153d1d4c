"""XD01 through the GUI: the wizard driven by objectName and keyboard, on both databases."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from custmd_gui.domain.errors import NotFound
from custmd_gui.domain.model import Customer
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.create import read_customer
from custmd_gui.ui import icons
from custmd_gui.ui.wizard import CustomerWizard
from tests.conftest import example_document
from tests.gui.keyboard import fill, focused, key, tab_to, type_text
from tests.gui.wizard_steps import (
    EXAMPLE_INITIAL,
    answer_next_dialog,
    enter_initial,
    grid,
    press_enter,
    screen,
    type_example,
)

EXAMPLE_STATUS = "客户 2110380001 已在公司代码 F011 销售范围 F011/10/01 中创建"


def _comparable(customer: Customer) -> dict[str, object]:
    return customer.model_dump(exclude={"version"})


def test_example_customer_through_the_keyboard(
    wizard: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    type_example(wizard)
    # The partner screen proposes the customer itself in the four functions.
    partners = grid(wizard, "KNVP")
    assert [partners.item(r, 0).text() for r in range(4)] == ["AG", "RE", "RG", "WE"]
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert wizard.statusBar().currentMessage() == EXAMPLE_STATUS
    stored = read_customer(uow_factory, "2110380001")
    expected = from_document(example_document())
    assert _comparable(stored) == _comparable(expected)
    # Back on the initial screen, ready for the next customer of the same organisation.
    assert screen(wizard) == "initial"
    initial = wizard.bindings["initial"].values()
    assert initial["KNA1-KTOKD"] == "1110" and initial["KNA1-KUNNR"] == ""


def test_english_status_message(
    qtbot: QtBot, uow_factory: UnitOfWorkFactory, wizard: CustomerWizard
) -> None:
    from custmd_gui.ui import i18n

    i18n.set_language("en")
    try:
        wizard.retranslate()
        type_example(wizard)
        key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert wizard.statusBar().currentMessage() == (
            "Customer 2110380001 has been created in company code F011 and sales area F011/10/01"
        )
    finally:
        i18n.set_language("zh")


def test_postal_code_typo_is_flagged_on_the_address_screen(
    wizard: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    enter_initial(wizard, EXAMPLE_INITIAL)
    fill(wizard, {"KNA1_NAME1": "东宁广告有限公司", "KNA1_PSTLZ": "2000000", "KNA1_ORT01": "上海"})
    press_enter()
    assert screen(wizard) == "address"
    problems = wizard.messages.problems
    assert [(p.field_key, p.message.zh) for p in problems if p.field_key == "KNA1-PSTLZ"] == [
        ("KNA1-PSTLZ", "邮政编码 2000000 不符合国家 CN 的规则（6 位数字）")
    ]
    postal = wizard.findChild(QLineEdit, "KNA1_PSTLZ")
    assert postal.property("error") is True
    assert focused() is wizard.findChild(QLineEdit, problems[0].field_key.replace("-", "_"))
    # What was typed is still there.
    assert wizard.findChild(QLineEdit, "KNA1_NAME1").text() == "东宁广告有限公司"
    assert postal.text() == "2000000"
    with pytest.raises(NotFound):
        read_customer(uow_factory, "2110380001")


def test_save_shows_every_problem_and_a_message_jumps_to_its_field(
    wizard: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    enter_initial(wizard, EXAMPLE_INITIAL)
    fill(wizard, {"KNA1_NAME1": "东宁广告有限公司", "KNA1_PSTLZ": "2000000"})
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    problems = wizard.messages.problems
    keys = {p.field_key for p in problems}
    # Required fields of 1110 on several screens, and the typo, all at once (the sort key
    # and the shipping data are proposed for 1110 in F011: no longer missing).
    assert {"KNA1-PSTLZ", "KNA1-ORT01", "KNB1-BEGRU", "KNVV-VKBUR", "KNVV-BEGRU"} <= keys
    assert {"address", "account", "sales"} <= wizard.error_screens
    # The screens with errors carry the error icon in the step list, and only they.
    error_icon = icons.icon("error").cacheKey()
    marked = {
        str(item.data(Qt.ItemDataRole.UserRole))
        for item in (wizard.steps.item(i) for i in range(wizard.steps.count()))
        if item.icon().cacheKey() == error_icon
    }
    assert marked == set(wizard.error_screens) & {
        str(wizard.steps.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(wizard.steps.count())
    }
    assert {"address", "account", "sales"} <= marked
    # Each message carries its severity's icon.
    for i, problem in enumerate(problems):
        item = wizard.messages.topLevelItem(i)
        assert item.icon(0).cacheKey() == icons.icon(problem.severity.value).cacheKey()
    # Choose the sales office's message with the keyboard: it opens that screen.
    panel = wizard.messages
    panel.setFocus()
    row = next(i for i, p in enumerate(problems) if p.field_key == "KNVV-VKBUR")
    for _ in range(row):
        key(Qt.Key.Key_Down)
    press_enter()
    assert screen(wizard) == "sales"
    assert focused() is wizard.findChild(QLineEdit, "KNVV_VKBUR")
    assert focused().property("error") is True
    with pytest.raises(NotFound):
        read_customer(uow_factory, "2110380001")
    # Nothing typed was lost by the failed save.
    assert wizard.findChild(QLineEdit, "KNA1_PSTLZ").text() == "2000000"


def test_f4_picks_a_value_with_the_keyboard(qtbot: QtBot, wizard: CustomerWizard) -> None:
    enter_initial(wizard, EXAMPLE_INITIAL)
    tab_to(wizard, "KNA1_REGIO")

    def pick(dialog: QWidget) -> None:
        # The search field has the focus: type part of a text, Enter takes the selected line.
        type_text("上海")
        key(Qt.Key.Key_Return)

    seen = answer_next_dialog(pick)
    key(Qt.Key.Key_F4)
    assert seen == ["value_help"]
    region = wizard.findChild(QLineEdit, "KNA1_REGIO")
    assert region.text() == "020"
    # The field keeps the wizard's focus (it has it again once the wizard is active).
    assert wizard.focusWidget() is region
