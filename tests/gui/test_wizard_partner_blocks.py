"""Blocked and flagged customers in the wizard: a blocked ship-to partner is a warning that a
second Enter goes past, an order-blocked payer an error; a blocked reference is pointed out."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QWidget

from custmd_gui.domain.errors import Severity
from custmd_gui.domain.field_status import Activity
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import read_customer
from custmd_gui.services.status import StatusEdit, change_status
from custmd_gui.ui.value_help import ValueHelpDialog
from custmd_gui.ui.wizard import CustomerWizard
from tests.gui.keyboard import key, type_text
from tests.gui.test_wizard_paths import example, new_customer_from_reference  # noqa: F401
from tests.gui.wizard_steps import answer_next_dialog, press_enter, screen

FINANCE = Actor("caiwu")


def _partners(wizard: CustomerWizard) -> QTableWidget:
    table = wizard.findChild(QTableWidget, "KNVP")
    assert table is not None
    return table


def test_blocked_ship_to_warns_once_and_blocked_payer_refuses(
    wizard: CustomerWizard,
    uow_factory: UnitOfWorkFactory,
    example: str,  # noqa: F811
) -> None:
    change_status(uow_factory, [example], [StatusEdit(order="01", delivery="05")], FINANCE, "信用")
    new_customer_from_reference(wizard, example)
    # The reference is blocked: said on arrival, nothing stops.
    assert [(p.severity, p.message.zh) for p in wizard.messages.problems] == [
        (Severity.WARNING, f"参考客户 {example} 已冻结；冻结和删除标记不会被复制")
    ]
    wizard.show_screen("partner")
    table = _partners(wizard)
    assert table.item(3, 0).text() == "WE"
    table.item(3, 2).setText(example)  # the ship-to party: the blocked customer
    press_enter()
    assert screen(wizard) == "partner"  # stopped once, to be read
    assert [(p.severity, p.message.zh) for p in wizard.messages.problems] == [
        (
            Severity.WARNING,
            f"合伙人 {example} (WE) 已冻结：订单冻结 01 信用冻结、交货冻结 05 财务冻结",
        )
    ]
    assert wizard.statusBar().currentMessage() == "请检查警告；再次按 Enter 继续"
    press_enter()  # read: the same Enter goes on (the partner screen is the last one)
    assert wizard.statusBar().currentMessage() == "最后一屏已检查；按 Ctrl+S 保存"
    # As payer the order-blocked customer is an error, however often Enter is pressed.
    assert table.item(2, 0).text() == "RG"
    table.item(2, 2).setText(example)
    for _ in range(2):
        press_enter()
        errors = [p for p in wizard.messages.problems if p.severity is Severity.ERROR]
        assert [p.message.zh for p in errors] == [
            f"付款方 {example} 有订单冻结（01 信用冻结），不能作为付款方；请联系财务"
        ]
    assert not wizard.save()
    table.item(2, 2).setText("2110380002")  # the new customer pays itself
    assert wizard.save(), wizard.messages.problems
    stored = read_customer(uow_factory, "2110380002")
    partners = {p.partner_function: p.partner for p in stored.sales_areas[0].partners}
    assert partners["WE"] == example and partners["RG"] == "2110380002"


def _help_numbers(wizard: CustomerWizard, typed: str) -> list[str]:
    """The numbers the customer search help lists for `typed` in the focused field."""
    found: list[str] = []

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, ValueHelpDialog)
        type_text(typed)
        dialog._run_search()  # now, not after the typing pause
        found.extend(dialog.model.item(r, 0).text() for r in range(dialog.model.rowCount()))
        dialog.reject()

    seen = answer_next_dialog(look)
    key(Qt.Key.Key_F4)
    assert seen == ["value_help"]
    return found


def test_search_help_leaves_out_flagged_customers_except_to_open_one(
    wizard: CustomerWizard,
    uow_factory: UnitOfWorkFactory,
    example: str,  # noqa: F811
) -> None:
    new_customer_from_reference(wizard, example)
    wizard.show_screen("partner")
    table = _partners(wizard)
    table.setFocus()
    table.setCurrentCell(3, 2)
    assert _help_numbers(wizard, "东宁") == [example]
    change_status(uow_factory, [example], [StatusEdit(deletion=True)], FINANCE, "注销")
    assert _help_numbers(wizard, "东宁") == []  # not to be named as partner any more
    with uow_factory() as uow:
        customizing = uow.customizing.load()
    viewer = CustomerWizard(uow_factory, customizing, Actor("auditor"), activity=Activity.DISPLAY)
    viewer.show()
    viewer.activateWindow()
    viewer.bindings["initial"].editors["KNA1-KUNNR"].setFocus()
    try:
        assert _help_numbers(viewer, "东宁") == [example]  # XD03 may open it
    finally:
        viewer.close()
        viewer.deleteLater()
