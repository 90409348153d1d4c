"""The account group's field status on the wizard's screens: required fields marked and
checked, optional ones free, suppressed ones hidden (whole screens skipped when nothing is
left on them), display ones locked. Each kind on at least two account groups."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from custmd_gui.ui.wizard import CustomerWizard
from tests.gui.keyboard import focused, key
from tests.gui.wizard_steps import enter_initial, press_enter, screen

# The number is internal for every group here but 1110 (external, the documents' rule).
NUMBERS = {"1110": "2110380001"}


def open_group(wizard: CustomerWizard, group: str) -> None:
    enter_initial(
        wizard,
        {
            "KNA1_KTOKD": group,
            "KNA1_KUNNR": NUMBERS.get(group, ""),
            "KNB1_BUKRS": "F011",
            "KNVV_VKORG": "F011",
            "KNVV_VTWEG": "10",
            "KNVV_SPART": "01",
        },
    )
    assert screen(wizard) == "address", wizard.messages.problems


def editor(wizard: CustomerWizard, name: str) -> QWidget:
    widget = wizard.findChild(QWidget, name)
    assert widget is not None, name
    return widget


def label(wizard: CustomerWizard, name: str) -> QLabel:
    widget = wizard.findChild(QLabel, f"label_{name}")
    assert widget is not None, name
    return widget


def tab_chain(wizard: CustomerWizard, presses: int = 40) -> list[str]:
    """The object names Tab visits on the current screen, from its first field."""
    names = []
    for _ in range(presses):
        widget = focused()
        assert widget is not None
        names.append(widget.objectName())
        QTest.keyClick(widget, Qt.Key.Key_Tab)
    return names


def problem_keys(wizard: CustomerWizard) -> set[str]:
    return {p.field_key for p in wizard.messages.problems}


@pytest.mark.parametrize(
    ("group", "screen_name", "name"),
    [
        ("1110", "control", "KNA1_BRSCH"),
        ("1510", "control", "KNA1_BRSCH"),
        ("1410", "sales", "KNVV_KONDA"),
    ],
)
def test_required_field_is_marked_and_checked(
    wizard: CustomerWizard, group: str, screen_name: str, name: str
) -> None:
    open_group(wizard, group)
    wizard.show_screen(screen_name)
    field = editor(wizard, name)
    assert field.isVisible() and field.property("required") is True
    assert isinstance(field, QLineEdit) and not field.isReadOnly()
    assert "*" in label(wizard, name).text()
    assert field.text() == ""
    press_enter()
    # Enter stays on the screen, names the field, marks it, puts the cursor in the first one.
    assert screen(wizard) == screen_name
    assert name.replace("_", "-", 1) in problem_keys(wizard)
    assert field.property("error") is True
    first = wizard.messages.problems[0].field_key.replace("-", "_", 1)
    assert focused() is editor(wizard, first)


@pytest.mark.parametrize(
    ("group", "screen_name", "name"),
    [("1310", "control", "KNA1_BRSCH"), ("1410", "control", "KNA1_BRSCH")],
)
def test_optional_field_may_stay_empty(
    wizard: CustomerWizard, group: str, screen_name: str, name: str
) -> None:
    open_group(wizard, group)
    wizard.show_screen(screen_name)
    field = editor(wizard, name)
    assert field.isVisible() and not field.property("required")
    assert "*" not in label(wizard, name).text()
    assert name in tab_chain(wizard)
    press_enter()
    assert name.replace("_", "-", 1) not in problem_keys(wizard)
    assert screen(wizard) != screen_name  # checked and moved on


@pytest.mark.parametrize("group", ["1310", "1320"])
def test_suppressed_fields_are_hidden_and_out_of_the_tab_chain(
    wizard: CustomerWizard, group: str
) -> None:
    open_group(wizard, group)
    wizard.show_screen("control")
    for name in ("KNA1_STCD1", "KNA1_STCD5", "KNA1_STCEG"):
        assert not editor(wizard, name).isVisible()
        assert not label(wizard, name).isVisible()
    chain = tab_chain(wizard)
    assert "KNA1_BRSCH" in chain and "KNA1_STCD1" not in chain
    wizard.show_screen("sales")
    assert not editor(wizard, "KNVV_KONDA").isVisible()
    assert editor(wizard, "KNVV_VKBUR").isVisible()


@pytest.mark.parametrize(
    ("group", "skipped"),
    [
        ("1310", {"payment", "marketing", "account", "cc_payment", "billing"}),
        ("1410", {"marketing"}),
    ],
)
def test_screens_with_every_field_suppressed_are_skipped(
    wizard: CustomerWizard, group: str, skipped: set[str]
) -> None:
    open_group(wizard, group)
    all_screens = {
        "address", "control", "payment", "marketing", "account", "cc_payment",
        "sales", "shipping", "billing", "partner",
    }  # fmt: skip
    assert set(wizard.active) == all_screens - skipped
    steps = {
        wizard.steps.item(i).data(Qt.ItemDataRole.UserRole) for i in range(wizard.steps.count())
    }
    assert not steps & skipped
    # Ctrl+PgDown walks the remaining screens only.
    visited = [screen(wizard)]
    for _ in range(len(wizard.active) - 1):
        key(Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        visited.append(screen(wizard))
    assert visited == wizard.active


@pytest.mark.parametrize("group", ["1510", "1520"])
def test_display_field_shows_the_proposal_and_takes_no_typing(
    wizard: CustomerWizard, group: str
) -> None:
    open_group(wizard, group)
    wizard.show_screen("account")
    field = editor(wizard, "KNB1_AKONT")
    assert isinstance(field, QLineEdit)
    assert field.isVisible() and field.isReadOnly() and field.property("display") is True
    assert field.text() == "1122100000"  # the group's reconciliation account
    assert "KNB1_AKONT" not in tab_chain(wizard)
    field.setFocus()  # a click still reaches it, to select and copy
    QTest.keyClicks(field, "99")
    QTest.keyClick(field, Qt.Key.Key_Backspace)
    assert field.text() == "1122100000"
