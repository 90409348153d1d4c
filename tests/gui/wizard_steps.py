"""Steps through the XD01 wizard the way a clerk does: by object name and keyboard."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QTableWidget, QWidget

from custmd_gui.ui.wizard import CustomerWizard
from tests.gui.keyboard import fill, fill_grid_row, key, tab_to


def answer_next_dialog(act: Callable[[QWidget], None]) -> list[str]:
    """Run `act` on the next modal dialog once it is open and has the keyboard focus.

    Returns the dialog's object name in a list (filled later). A dialog that never gets the
    focus is closed after about five seconds, so that the test fails instead of hanging.
    """
    seen: list[str] = []
    waited = [0]

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        if dialog is None or focus is None or not dialog.isAncestorOf(focus):
            waited[0] += 1
            if waited[0] > 250:  # about five seconds: give up, never leave a poll behind
                if dialog is not None:
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
