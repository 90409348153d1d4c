"""Correcting the initial screen keeps the typing (issue 16: after correcting the company code
and the sales organization everything typed on the company-code and sales-area screens was
gone without a warning). F3 goes back without losing anything; Enter with corrected keys puts
back what still applies and asks (default: keep) before anything typed is discarded. On both
databases."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget

from custmd_gui.ui.wizard import CustomerWizard
from tests.gui.keyboard import fill, key
from tests.gui.wizard_steps import EXAMPLE_INITIAL, answer_next_dialog, press_enter, screen

TYPED = {
    "address": {"KNA1_NAME1": "东宁广告有限公司", "KNA1_ORT01": "上海"},
    "account": {"KNB1_ZUAWA": "001", "KNB1_BEGRU": "1038"},
    "sales": {"KNVV_KDGRP": "01", "KNVV_BEGRU": "1038"},
}


def text(wizard: QWidget, name: str) -> str:
    edit = wizard.findChild(QLineEdit, name)
    assert edit is not None, name
    return edit.text()


def type_on_three_screens(wizard: CustomerWizard) -> None:
    """The documents' keys, then a little on a general, a company-code and a sales screen."""
    fill(wizard, EXAMPLE_INITIAL)
    press_enter()
    assert screen(wizard) == "address"
    for page, values in TYPED.items():
        wizard.show_screen(page)
        fill(wizard, values)


def back(wizard: CustomerWizard) -> None:
    """F3: to the initial screen without a question (nothing is lost yet). A question all the
    same (the old code asked "unsaved data will be lost") is noted and turned down."""
    asked: list[str] = []

    def watch() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            asked.append(dialog.objectName())
            dialog.reject()

    QTimer.singleShot(300, watch)
    key(Qt.Key.Key_F3)
    QTest.qWait(400)
    assert asked == []
    assert screen(wizard) == "initial"


def correct_initial(wizard: CustomerWizard, values: dict[str, str]) -> None:
    assert screen(wizard) == "initial"
    fill(wizard, values)


def typed_now(wizard: CustomerWizard) -> dict[str, str]:
    return {name: text(wizard, name) for values in TYPED.values() for name in values}


def everything_typed() -> dict[str, str]:
    return {name: value for values in TYPED.values() for name, value in values.items()}


def test_correcting_company_code_and_sales_org_keeps_everything_after_asking(
    wizard: CustomerWizard,
) -> None:
    type_on_three_screens(wizard)
    texts: list[str] = []

    def read_and_keep(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        texts.append(dialog.text())
        key(Qt.Key.Key_Return)  # the default: keep

    back(wizard)
    correct_initial(wizard, {"KNB1_BUKRS": "F015", "KNVV_VKORG": "F015"})
    seen = answer_next_dialog(read_and_keep)
    press_enter()
    assert seen == ["keep_typing"]
    assert texts == [
        "更正后的初始屏幕不能直接沿用已输入的全部数据：\n"
        "• 公司代码 F011 → F015：已输入 2 个字段\n"
        "• 销售范围 F011/10/01 → F015/10/01：已输入 2 个字段"
    ]
    assert screen(wizard) == "address"
    assert wizard.keys is not None and wizard.keys.company_code == "F015"
    assert typed_now(wizard) == everything_typed()
    assert wizard.is_dirty()  # typed, not saved


def test_only_the_company_code_changed_keeps_the_sales_area_data_and_discard_works(
    wizard: CustomerWizard,
) -> None:
    type_on_three_screens(wizard)
    texts: list[str] = []

    def read_and_discard(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        texts.append(dialog.text())
        key(Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # 放弃(&D)

    back(wizard)
    correct_initial(wizard, {"KNB1_BUKRS": "F015"})
    seen = answer_next_dialog(read_and_discard)
    press_enter()
    assert seen == ["keep_typing"]
    # Asked about the company-code data only: the sales area is still F011/10/01.
    assert texts == [
        "更正后的初始屏幕不能直接沿用已输入的全部数据：\n• 公司代码 F011 → F015：已输入 2 个字段"
    ]
    # Discarded: the new company code shows its own proposal (sort key 003), nothing typed.
    kept = everything_typed() | {"KNB1_ZUAWA": "003", "KNB1_BEGRU": ""}
    assert typed_now(wizard) == kept


def test_cancel_goes_on_correcting_and_the_old_keys_bring_everything_back(
    wizard: CustomerWizard,
) -> None:
    type_on_three_screens(wizard)
    back(wizard)
    correct_initial(wizard, {"KNVV_VKORG": "F015"})
    seen = answer_next_dialog(lambda _dialog: key(Qt.Key.Key_Escape))  # 取消
    press_enter()
    assert seen == ["keep_typing"]
    assert screen(wizard) == "initial"
    # Back to the keys typed for: nothing to ask, everything as typed.
    correct_initial(wizard, {"KNVV_VKORG": "F011"})
    press_enter()
    assert QApplication.activeModalWidget() is None
    assert screen(wizard) == "address"
    assert typed_now(wizard) == everything_typed()


def test_typing_the_new_keys_do_not_show_is_discarded_only_when_confirmed(
    wizard: CustomerWizard,
) -> None:
    """Without a sales area the sales screens are not in use: their typing cannot be kept;
    the question offers discard or cancel (the default)."""
    type_on_three_screens(wizard)
    back(wizard)
    correct_initial(wizard, {"KNVV_VKORG": "", "KNVV_VTWEG": "", "KNVV_SPART": ""})
    texts: list[str] = []

    def read_and_take_default(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        texts.append(dialog.text())
        key(Qt.Key.Key_Return)

    seen = answer_next_dialog(read_and_take_default)
    press_enter()
    assert seen == ["keep_typing"]
    assert texts == [
        "更正后的初始屏幕不能直接沿用已输入的全部数据：\n"
        "• 在新的键值下不显示，将被放弃：客户组、权限组"
    ]
    assert screen(wizard) == "initial"  # Enter = cancel: still correcting

    seen = answer_next_dialog(lambda _dialog: key(Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier))
    press_enter()
    assert seen == ["keep_typing"]
    assert screen(wizard) == "address"
    assert "sales" not in wizard.active
    assert text(wizard, "KNA1_NAME1") == "东宁广告有限公司"
    assert text(wizard, "KNB1_ZUAWA") == "001"
