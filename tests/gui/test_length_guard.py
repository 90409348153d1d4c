"""No field cuts what is typed or pasted at its length (issue 16: a 20-digit bank account was
cut to 18 digits without a word). A key or a paste that would go beyond the catalog length is
refused whole and the status bar says which field takes how many characters and, for the bank
account, where SAP puts the rest (the bank reference); a value put in by the program is kept
whole and reported by the checks. The wizard's tests run on both databases."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QHBoxLayout, QLabel, QLineEdit, QToolTip
from pytestqt.qtbot import QtBot

from custmd_gui.ui.customer_field import CustomerNumberField
from custmd_gui.ui.wizard import CustomerWizard
from tests.gui.keyboard import focused, key, tab_to, type_text
from tests.gui.wizard_steps import EXAMPLE_INITIAL, enter_initial, grid, press_enter, screen

ACCOUNT_20 = "62220210001234567890"  # a 20-digit account of a Chinese bank
BANK_HINT = "超出的部分请填入参考明细（KNBK-BKREF）。"


def _bank_account_cell(wizard: CustomerWizard) -> QLineEdit:
    """F2 on the bank account cell of the first row: its editor."""
    enter_initial(wizard, EXAMPLE_INITIAL)
    wizard.show_screen("payment")
    table = grid(wizard, "KNBK")
    tab_to(wizard, "KNBK")
    table.setCurrentCell(0, wizard.binding("payment").grids["KNBK"].column("KNBK-BANKN"))
    QTest.keyClick(table, Qt.Key.Key_F2)
    editor = focused()
    assert isinstance(editor, QLineEdit) and editor.objectName() == "KNBK_BANKN_editor"
    return editor


def test_a_20_digit_account_typed_into_the_bank_table_is_not_cut_silently(
    wizard: CustomerWizard,
) -> None:
    editor = _bank_account_cell(wizard)
    type_text(ACCOUNT_20)
    # The 19th key was refused, and the clerk is told so, with SAP's place for the rest.
    assert editor.text() == ACCOUNT_20[:18]
    assert wizard.statusBar().currentMessage() == (
        "银行账户（KNBK-BANKN）最多 18 个字符；这次输入后会有 19 个字符，"
        "因此没有接受这次输入（没有截断任何内容）。" + BANK_HINT
    )
    assert QToolTip.text() == wizard.statusBar().currentMessage()


def test_a_20_digit_account_pasted_into_the_bank_table_is_refused_whole(
    wizard: CustomerWizard,
) -> None:
    editor = _bank_account_cell(wizard)
    QGuiApplication.clipboard().setText(ACCOUNT_20)
    QTest.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == ""  # not 18 of the 20 digits
    message = wizard.statusBar().currentMessage()
    assert message.startswith("银行账户（KNBK-BANKN）最多 18 个字符；这次输入后会有 20 个字符")
    assert message.endswith(BANK_HINT)
    # 18 digits fit: pasted as they are.
    QGuiApplication.clipboard().setText(ACCOUNT_20[:18])
    QTest.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == ACCOUNT_20[:18]


def test_a_name_pasted_beyond_its_length_is_refused_whole(wizard: CustomerWizard) -> None:
    enter_initial(wizard, EXAMPLE_INITIAL)
    name = tab_to(wizard, "KNA1_NAME1")
    assert isinstance(name, QLineEdit)
    type_text("东宁")
    long_name = "上海东宁广告有限公司长宁路二六二号火炬旅馆四楼营业部第一分部第二办公室"
    assert len(long_name) == 35  # with the two typed: 37
    QGuiApplication.clipboard().setText(long_name)
    QTest.keyClick(name, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert name.text() == "东宁"
    assert wizard.statusBar().currentMessage() == (
        f"名称（KNA1-NAME1）最多 35 个字符；这次输入后会有 {2 + len(long_name)} 个字符，"
        "因此没有接受这次输入（没有截断任何内容）。"
    )
    # Shortening, then typing within the length, works as always.
    QTest.keyClick(name, Qt.Key.Key_Backspace)
    type_text("广告")
    assert name.text() == "东广告"
    QGuiApplication.clipboard().setText(long_name[:32])
    QTest.keyClick(name, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert name.text() == "东广告" + long_name[:32]  # 35: fits


def test_a_value_too_long_put_in_by_the_program_is_kept_and_reported(
    wizard: CustomerWizard,
) -> None:
    """The screens show what they are given (a reference, a stored value) whole: the checks
    name the field and where the rest goes; the clerk mends it by deleting."""
    enter_initial(wizard, EXAMPLE_INITIAL)
    bank = wizard.binding("payment").grids["KNBK"]
    bank.set_rows([{"bank_country": "CN", "bank_key": "F011", "bank_account": ACCOUNT_20}])
    wizard.show_screen("payment")
    assert bank.cell(0, bank.column("KNBK-BANKN")) == ACCOUNT_20
    press_enter()
    assert screen(wizard) == "payment"
    texts = [p.message.zh for p in wizard.messages.problems if p.field_key == "KNBK-BANKN"]
    assert texts == ["银行账户最多 18 个字符，输入了 20 个；超出的部分请填入参考明细"]


def test_the_customer_number_field_refuses_an_eleventh_digit(qtbot: QtBot) -> None:
    """Outside the wizard too (XD04, XD05/XD06, the usage register): no silent cut."""
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QHBoxLayout(dialog)
    label = QLabel("客户(&C)：", dialog)
    field = CustomerNumberField(lambda _text: [], dialog)
    label.setBuddy(field.edit)
    layout.addWidget(label)
    layout.addWidget(field)
    dialog.show()
    qtbot.waitExposed(dialog)
    field.edit.setFocus()
    QGuiApplication.clipboard().setText("21103800012")
    QTest.keyClick(field.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert field.edit.text() == ""
    assert QToolTip.text().startswith("客户（KNA1-KUNNR）最多 10 个字符；这次输入后会有 11 个字符")
    key(Qt.Key.Key_Escape)
    QApplication.processEvents()
