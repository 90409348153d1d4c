"""XD01 through the GUI: the wizard driven by objectName and keyboard, on both databases."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from custmd_gui.domain.errors import NotFound
from custmd_gui.domain.model import Customer
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import read_customer
from custmd_gui.ui.create_wizard import CustomerWizard
from tests.conftest import example_document
from tests.gui.keyboard import fill, fill_grid_row, focused, key, tab_to, type_text

EXAMPLE_STATUS = "客户 2110380001 已在公司代码 F011 销售范围 F011/10/01 中创建"


@pytest.fixture
def wizard(qtbot: QtBot, uow_factory: UnitOfWorkFactory) -> Iterator[CustomerWizard]:
    with uow_factory() as uow:
        customizing = uow.customizing.load()
    window = CustomerWizard(uow_factory, customizing, Actor("tester"))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None)
    yield window
    # Not qtbot.addWidget: pytest-qt closes its widgets before fixtures tear down, and a
    # wizard with typed data would then wait for an answer to "unsaved data will be lost".
    window.keys = None
    window.close()
    window.deleteLater()


def answer_next_dialog(qtbot: QtBot, act: Callable[[QWidget], None]) -> list[str]:
    """Run `act` on the next modal dialog once it is open and has the keyboard focus.

    Returns the dialog's object name in a list (filled later). A dialog that never gets the
    focus is rejected after a few seconds so that the test fails instead of hanging.
    """
    seen: list[str] = []
    waited = [0]

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        if dialog is None or focus is None or not dialog.isAncestorOf(focus):
            waited[0] += 1
            if dialog is not None and waited[0] > 250:
                seen.append(f"{dialog.objectName()} without focus")
                dialog.close()
                return
            QTimer.singleShot(20, poll)
            return
        seen.append(dialog.objectName())
        act(dialog)

    QTimer.singleShot(0, poll)
    return seen


def press_enter() -> None:
    key(Qt.Key.Key_Return)


def screen(window: CustomerWizard) -> str:
    return window.current_screen()


def enter_initial(window: CustomerWizard, values: dict[str, str]) -> None:
    assert screen(window) == "initial"
    fill(window, values)
    press_enter()


def grid(window: CustomerWizard, name: str) -> QTableWidget:
    table = window.findChild(QTableWidget, name)
    assert table is not None
    return table


EXAMPLE_INITIAL = {
    "KNA1_KTOKD": "1110",
    "KNA1_KUNNR": "2110380001",
    "KNB1_BUKRS": "F011",
    "KNVV_VKORG": "F011",
    "KNVV_VTWEG": "10",
    "KNVV_SPART": "01",
}


def type_example(window: CustomerWizard) -> None:
    """Every value of the source documents, screen by screen, Enter after each."""
    enter_initial(window, EXAMPLE_INITIAL)
    assert screen(window) == "address"
    fill(
        window,
        {
            "KNA1_ANRED": "公司",
            "KNA1_NAME1": "东宁广告有限公司",
            "KNA1_NAME2": "Dong ning Advertise co.",
            "KNA1_NAME3": "东宁广告有限公司",
            "KNA1_SORTL": "东宁广告",
            "KNA1_STRAS": "上海市长宁路262号火炬旅馆4楼",
            "KNA1_PSTLZ": "200000",
            "KNA1_ORT01": "上海",
            "KNA1_LAND1": "CN",
            "KNA1_REGIO": "020",
            "KNA1_SPRAS": "ZH",
        },
    )
    press_enter()
    assert screen(window) == "control", window.messages.problems
    fill(window, {"KNA1_BEGRU": "4002", "KNA1_BRSCH": "0021"})
    press_enter()
    assert screen(window) == "payment", window.messages.problems
    tab_to(window, "KNBK")
    fill_grid_row(grid(window, "KNBK"), 0, ["CN", "F011", "1234567", "工商银行"])
    press_enter()
    assert screen(window) == "marketing", window.messages.problems
    fill(window, {"KNA1_NIELS": "01", "KNA1_GFORM": "01"})
    press_enter()
    assert screen(window) == "account", window.messages.problems
    fill(window, {"KNB1_AKONT": "00", "KNB1_ZUAWA": "003", "KNB1_BEGRU": "1038"})
    press_enter()
    assert screen(window) == "cc_payment", window.messages.problems
    fill(window, {"KNB1_ZTERM": "0001"})
    press_enter()
    assert screen(window) == "sales", window.messages.problems
    fill(
        window,
        {
            "KNVV_BZIRK": "01",
            "KNVV_VKBUR": "1038",
            "KNVV_VKGRP": "038",
            "KNVV_KDGRP": "01",
            "KNVV_BEGRU": "1038",
            "KNVV_WAERS": "CNY",
            "KNVV_KONDA": "10",
            "KNVV_KALKS": "1",
            "KNVV_PLTYP": "01",
            "KNVV_VERSG": "1",
        },
    )
    press_enter()
    assert screen(window) == "shipping", window.messages.problems
    fill(window, {"KNVV_VSBED": "11", "KNVV_VWERK": "F011"})
    press_enter()
    assert screen(window) == "billing", window.messages.problems
    fill(
        window,
        {"KNVV_INCO1": "CIF", "KNVV_INCO2": "Shanghai", "KNVV_ZTERM": "0001", "KNVV_KTGRD": "01"},
    )
    tab_to(window, "KNVI")
    fill_grid_row(grid(window, "KNVI"), 0, ["CN", "MWST", "1"])
    press_enter()
    assert screen(window) == "partner", window.messages.problems


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
        ("KNA1-PSTLZ", "邮政编码 2000000 不符合国家 CN 的规则(6 位数字)")
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
    # Required fields of 1110 on several screens, and the typo, all at once.
    assert {"KNA1-PSTLZ", "KNA1-ORT01", "KNB1-ZUAWA", "KNVV-VKBUR", "KNVV-VSBED"} <= keys
    assert {"address", "account", "sales", "shipping"} <= wizard.error_screens
    step_texts = [wizard.steps.item(i).text() for i in range(wizard.steps.count())]
    assert any("发送" in t and "⚠" in t for t in step_texts)
    # Choose the shipping-conditions message with the keyboard: it opens that screen.
    panel = wizard.messages
    panel.setFocus()
    row = next(i for i, p in enumerate(problems) if p.field_key == "KNVV-VSBED")
    for _ in range(row):
        key(Qt.Key.Key_Down)
    press_enter()
    assert screen(wizard) == "shipping"
    assert focused() is wizard.findChild(QLineEdit, "KNVV_VSBED")
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

    seen = answer_next_dialog(qtbot, pick)
    key(Qt.Key.Key_F4)
    assert seen == ["value_help"]
    region = wizard.findChild(QLineEdit, "KNA1_REGIO")
    assert region.text() == "020"
    # The field keeps the wizard's focus (it has it again once the wizard is active).
    assert wizard.focusWidget() is region
