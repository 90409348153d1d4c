"""XD03: the wizard's screens read-only for a stored customer; blocks shown at the top."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QTableWidget
from pytestqt.qtbot import QtBot

from custmd_gui.domain.field_status import Activity
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.ui.wizard import CustomerWizard
from tests.conftest import example_document
from tests.gui.keyboard import focused, key
from tests.gui.wizard_steps import enter_initial, press_enter, screen

DISPLAY_INITIAL = {
    "KNA1_KUNNR": "2110380001",
    "KNB1_BUKRS": "F011",
    "KNVV_VKORG": "F011",
    "KNVV_VTWEG": "10",
    "KNVV_SPART": "01",
}


@pytest.fixture
def viewer(qtbot: QtBot, uow_factory: UnitOfWorkFactory) -> Iterator[CustomerWizard]:
    with uow_factory() as uow:
        customizing = uow.customizing.load()
    window = CustomerWizard(uow_factory, customizing, Actor("auditor"), activity=Activity.DISPLAY)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None)
    yield window
    window.close()
    window.deleteLater()


def store(uow_factory: UnitOfWorkFactory, **general: object) -> None:
    document = example_document()
    document["KNA1"].update(general)
    create_customer(uow_factory, from_document(document), Actor("setup"))


def test_every_screen_shows_the_stored_data_and_takes_no_input(
    viewer: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    store(uow_factory)
    stored = read_customer(uow_factory, "2110380001")
    # XD03's initial screen: the number first; no account group, no reference.
    assert focused() is viewer.findChild(QLineEdit, "KNA1_KUNNR")
    assert not viewer.findChild(QLineEdit, "KNA1_KTOKD").isVisible()
    assert not viewer.findChild(QLineEdit, "REF_KUNNR").isVisible()
    assert not viewer.save_button.isVisible()
    enter_initial(viewer, DISPLAY_INITIAL)
    assert screen(viewer) == "address", viewer.messages.problems
    assert viewer.windowTitle() == "显示客户 (XD03)"
    assert viewer.findChild(QLineEdit, "KNA1_NAME1").text() == stored.general.name
    visited = []
    while True:
        visited.append(screen(viewer))
        page = viewer.pages[screen(viewer)]
        for edit in page.findChildren(QLineEdit):
            assert edit.isReadOnly(), edit.objectName()
        for box in page.findChildren(QCheckBox):
            assert not box.isEnabled(), box.objectName()
        for grid in page.findChildren(QTableWidget):
            assert viewer.binding(screen(viewer)).grids[grid.objectName()].read_only
        if screen(viewer) == viewer.active[-1]:
            break
        press_enter()  # Enter only moves on
    assert visited == viewer.active
    assert viewer.findChild(QLineEdit, "KNVV_VSBED").text() == "11"
    assert viewer.findChild(QTableWidget, "KNVP").item(3, 0).text() == "WE"
    # Typing and Ctrl+S change nothing.
    name = viewer.findChild(QLineEdit, "KNA1_NAME1")
    viewer.show_screen("address")
    name.setFocus()
    QTest.keyClicks(name, "xyz")
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert name.text() == stored.general.name
    assert read_customer(uow_factory, "2110380001").version == stored.version
    # F3 goes back without a question: nothing can be lost.
    key(Qt.Key.Key_F3)
    assert QApplication.activeModalWidget() is None
    assert screen(viewer) == "initial"


def test_unknown_customer_or_segment_is_named(
    viewer: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    store(uow_factory)
    enter_initial(viewer, {**DISPLAY_INITIAL, "KNA1_KUNNR": "2110389999"})
    assert [p.message.zh for p in viewer.messages.problems] == ["客户 2110389999 不存在"]
    assert screen(viewer) == "initial"
    enter_initial(viewer, {**DISPLAY_INITIAL, "KNB1_BUKRS": "F001"})
    assert [p.message.zh for p in viewer.messages.problems] == [
        "客户 2110380001 未在公司代码 F001 中创建"
    ]


def test_blocks_and_deletion_flags_are_shown_at_the_top(
    viewer: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    store(uow_factory, AUFSD="01", SPERR="X")
    assert viewer.display("2110380001", "F011", "F011/10/01")
    header = viewer.header.text()
    assert "订单冻结 01" in header and "记账冻结（所有公司代码）" in header
    viewer.show_screen("sales")
    assert "订单冻结 01" in viewer.header.text()  # on every screen


def test_a_customer_blocked_meanwhile_is_shown_as_stored_now(
    viewer: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    """XD03 refreshes from customers_changed, on the screen it was on."""
    from custmd_gui.services.status import Level, StatusEdit, change_status
    from custmd_gui.ui.operations import customers_changed

    store(uow_factory)
    assert viewer.display("2110380001", "F011", "F011/10/01")
    viewer.show_screen("sales")
    assert "冻结" not in viewer.header.text()
    edit = StatusEdit(Level.CENTRAL, order="01")
    change_status(uow_factory, ["2110380001"], [edit], Actor("finance"), "逾期")
    customers_changed(["2110380003"])  # another customer: nothing to do
    assert "冻结" not in viewer.header.text()
    customers_changed(["2110380001"])  # as the window that blocked it says
    assert "订单冻结 01" in viewer.header.text() and screen(viewer) == "sales"


def test_no_marks_for_a_customer_without_blocks(
    viewer: CustomerWizard, uow_factory: UnitOfWorkFactory
) -> None:
    store(uow_factory)
    assert viewer.display("2110380001")
    assert "冻结" not in viewer.header.text() and "删除" not in viewer.header.text()
    assert viewer.active == ["address", "control", "payment", "marketing"]
