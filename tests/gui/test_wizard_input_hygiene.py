"""XD01: an invisible character typed into a field is listed like any other problem, naming
field and character, with the typing kept; full-width digits pass as the ASCII they stand for."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit

from custmd_gui.domain.errors import NotFound
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.create import read_customer
from custmd_gui.ui.wizard import CustomerWizard
from tests.gui.keyboard import fill, focused
from tests.gui.wizard_steps import EXAMPLE_INITIAL, enter_initial, press_enter, screen

NAME = "东宁\u200b广告有限公司"  # a zero-width space, as pasted from a web page
STREET = "长宁路\u0007262号"  # a BEL


def test_an_invisible_character_in_a_name_is_listed_and_the_typing_kept(
    wizard: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    enter_initial(wizard, EXAMPLE_INITIAL)
    # Typed as the input method commits it (QInputMethodEvent).
    fill(
        wizard,
        {
            "KNA1_NAME1": NAME,
            "KNA1_STRAS": STREET,
            "KNA1_PSTLZ": "２０００００",
            "KNA1_ORT01": "上海",
        },
    )
    name = wizard.findChild(QLineEdit, "KNA1_NAME1")
    assert name.text() == NAME, "the field did not take the character"
    press_enter()
    assert screen(wizard) == "address"
    panel = wizard.messages
    shown = [
        (p.field_key, panel.topLevelItem(i).text(2))
        for i, p in enumerate(panel.problems)
        if p.field_key in ("KNA1-NAME1", "KNA1-STRAS", "KNA1-PSTLZ")
    ]
    # The full-width postal code is 200000 to the checks: no problem of its own.
    assert shown == [
        ("KNA1-NAME1", "名称含有零宽字符（U+200B），请删除后重新输入"),
        ("KNA1-STRAS", "街道/门牌号含有不可见的控制字符（U+0007），请删除后重新输入"),
    ]
    assert name.property("error") is True
    # As for every problem: the cursor in the field of the first one.
    assert focused() is wizard.findChild(QLineEdit, panel.problems[0].field_key.replace("-", "_"))
    # Nothing typed was changed or dropped.
    assert name.text() == NAME
    assert wizard.findChild(QLineEdit, "KNA1_STRAS").text() == STREET
    assert wizard.findChild(QLineEdit, "KNA1_PSTLZ").text() == "２０００００"
    with pytest.raises(NotFound):
        read_customer(uow_factory, "2110380001")
