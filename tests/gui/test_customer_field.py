"""The customer number field of XD04, XD05/XD06 and the usage register, on its own: F4 opens
the customer search help and fills the number and the name, Enter says the number is
confirmed; the object names the dialogs' tests (and the clerks' muscle memory) rely on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QTableView, QWidget
from pytestqt.qtbot import QtBot

from custmd_gui.ui import i18n
from custmd_gui.ui.customer_field import CustomerNumberField
from custmd_gui.ui.length_guard import guard_of
from custmd_gui.ui.value_help import HelpEntry
from tests.gui.keyboard import focused, key, replace_text, type_text
from tests.gui.wizard_steps import answer_next_dialog

CUSTOMERS = [
    HelpEntry("2110380001", "东宁广告有限公司", "上海"),
    HelpEntry("2110380002", "华信电子科技有限公司", "重庆"),
]


class Host(QDialog):
    """A dialog as the four use the field: its label (the buddy) in front, a field after."""

    def __init__(self, *, show_name: bool = True) -> None:
        super().__init__()
        self.searched: list[str] = []
        layout = QHBoxLayout(self)
        self.label = QLabel("客户(&C)：", self)
        self.field = CustomerNumberField(self.search, self, show_name=show_name)
        self.label.setBuddy(self.field.edit)
        self.other = QLineEdit(self)
        self.other.setObjectName("other")
        layout.addWidget(self.label)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.other)

    def search(self, text: str) -> list[HelpEntry]:
        self.searched.append(text)
        return [c for c in CUSTOMERS if text in c.code or text in c.text]


@pytest.fixture
def host(qtbot: QtBot) -> Iterator[Host]:
    dialog = Host()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.field.edit.setFocus()
    qtbot.waitUntil(lambda: focused() is dialog.field.edit)
    yield dialog
    dialog.close()


def test_object_names_and_the_number_field(host: Host) -> None:
    field = host.field
    assert host.findChild(QLineEdit, "KNA1_KUNNR") is field.edit
    assert host.findChild(QWidget, "f4_button") is field.f4_button
    assert host.findChild(QLabel, "customer_name") is field.name_label
    guard = guard_of(field.edit)  # refuses an 11th character, never cuts (test_length_guard)
    assert guard is not None and guard.length == 10
    assert field.edit.width() > field.edit.fontMetrics().horizontalAdvance("0000000000")
    assert field.f4_button.text() == "…"
    assert field.f4_button.focusPolicy() == Qt.FocusPolicy.NoFocus  # F4 is the keyboard's way
    assert field.f4_button.toolTip() == "搜索客户 (F4)"
    assert field.name_label.isVisible()
    # Tab leaves the number for the next field: the F4 button and the name are no stops.
    key(Qt.Key.Key_Tab)
    assert focused() is host.other


def test_the_label_is_the_buddy(qtbot: QtBot, host: Host) -> None:
    host.other.setFocus()
    qtbot.waitUntil(lambda: focused() is host.other)
    key(Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: focused() is host.field.edit)


def test_f4_fills_the_number_and_the_name(qtbot: QtBot, host: Host) -> None:
    field = host.field
    type_text("2110")
    headers: list[str] = []

    def pick(dialog: QWidget) -> None:
        table = dialog.findChild(QTableView, "f4_table")
        assert table is not None
        model = table.model()
        headers.extend(str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(3))
        replace_text("华信")  # part of the name, over the number typed
        qtbot.waitUntil(lambda: model.rowCount() == 1)
        key(Qt.Key.Key_Return)

    seen = answer_next_dialog(pick)
    with qtbot.waitSignal(field.chosen) as chosen:
        key(Qt.Key.Key_F4)
    assert seen == ["value_help"]
    assert headers == ["客户", "名称", "城市"]
    assert host.searched[0] == "2110"  # what was typed is searched for at once
    assert chosen.args == ["2110380002"]
    assert field.number() == "2110380002"
    assert field.name_label.text() == "华信电子科技有限公司"
    qtbot.waitUntil(lambda: focused() is field.edit)


def test_f4_cancelled_changes_nothing(qtbot: QtBot, host: Host) -> None:
    field = host.field
    type_text("2110380001")
    chosen: list[str] = []
    field.chosen.connect(chosen.append)
    seen = answer_next_dialog(lambda _dialog: key(Qt.Key.Key_Escape))
    key(Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == ["value_help"]
    assert chosen == []
    assert field.number() == "2110380001" and field.name_label.text() == ""


def test_enter_confirms_the_number(qtbot: QtBot, host: Host) -> None:
    type_text("21103800019")  # one digit too many: the field takes ten
    with qtbot.waitSignal(host.field.confirmed) as confirmed:
        key(Qt.Key.Key_Return)
    assert confirmed.args == ["2110380001"]


def test_the_dialogs_words_for_the_search_help(qtbot: QtBot, host: Host) -> None:
    field = host.field
    field.set_help_texts(title="有删除标记的客户（F4）", tip="有删除标记的客户（F4）")
    assert field.f4_button.toolTip() == "有删除标记的客户（F4）"
    titles: list[str] = []

    def look(dialog: QWidget) -> None:
        titles.append(dialog.windowTitle())
        key(Qt.Key.Key_Escape)

    seen = answer_next_dialog(look)
    key(Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: bool(seen))
    assert titles == ["有删除标记的客户（F4）"]


def test_without_the_name(qtbot: QtBot) -> None:
    host = Host(show_name=False)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    assert not host.field.name_label.isVisible()
    # Only the number and its button: nothing stretches after them.
    hint = host.field.sizeHint().width()
    edit, button = host.field.edit, host.field.f4_button
    assert hint == edit.width() + 4 + button.sizeHint().width()


def test_follows_a_language_switch(qtbot: QtBot, host: Host) -> None:
    i18n.set_language("en")  # as the settings dialog does
    try:
        qtbot.waitUntil(lambda: host.field.f4_button.toolTip() == "Search for a customer (F4)")
    finally:
        i18n.set_language("zh")
    qtbot.waitUntil(lambda: host.field.f4_button.toolTip() == "搜索客户 (F4)")
