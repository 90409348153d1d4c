"""XD01's window is made while nobody waits for it, once the list is shown (MainWindow,
TransactionsWindow.prepare_create_wizard): the first XD01 of a session only shows it. What a
window made at XD01 would read then, this one reads then too: the proposals of the initial
screen (the user's company code, sales area, next number) and a customizing changed meanwhile.
Real windows on both databases."""

from __future__ import annotations

import sys
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from custmd_gui.domain.authorization import Authorizations, Permission
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.auth import login
from custmd_gui.services.context import Actor
from custmd_gui.services.customizing_maintenance import CodeEntry, save_code
from custmd_gui.services.users import create_user, grant, save_department
from custmd_gui.ui import operations
from custmd_gui.ui.main import MainWindow
from custmd_gui.ui.wizard import CustomerWizard
from tests.gui.keyboard import focused

WAIT_MS = 30_000
PASSWORD = "Geheim-2024!"
SETUP = Actor("setup")
AUDITOR = Actor("auditor", rights=Authorizations("auditor", frozenset({Permission.DISPLAY})))


def _lihua(factory: UnitOfWorkFactory) -> Actor:
    """An assistant of 1038 with two company codes: no company code to propose (yet)."""
    create_user(factory, SETUP, "admin", password=PASSWORD, roles=["administrator"])
    save_department(factory, SETUP, "1038", "责任中心 1038")
    create_user(
        factory,
        SETUP,
        "lihua",
        password=PASSWORD,
        roles=["assistant"],
        auth_groups=["1038"],
        company_codes=["F011", "F001"],
        sales_areas=["F011/10/01"],
        department="1038",
    )
    return Actor.logged_in(login(factory, "lihua", PASSWORD, "test"))


def _prepared(qtbot: QtBot, window: MainWindow) -> CustomerWizard:
    qtbot.waitUntil(lambda: window.database_state == "ready", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.prepared is not None, timeout=WAIT_MS)
    prepared = window.prepared
    assert prepared is not None
    return prepared


def _text(wizard: CustomerWizard, name: str) -> str:
    edit = wizard.findChild(QLineEdit, name)
    assert edit is not None, name
    return edit.text()


def _ctrl_n(qtbot: QtBot, window: MainWindow) -> CustomerWizard:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wizard = window.wizards.get("create")
    assert wizard is not None and wizard.isVisible()
    return wizard


def test_the_first_xd01_shows_the_window_made_ahead_with_the_proposals_of_now(
    qtbot: QtBot,
    db_url: str,
    uow_factory: UnitOfWorkFactory,
    open_window: Callable[..., MainWindow],
) -> None:
    window = open_window(db_url, actor=_lihua(uow_factory))
    prepared = _prepared(qtbot, window)
    # Made, not shown, not yet XD01's: the window's state is as before.
    assert not prepared.isVisible() and window.wizards == {}
    assert prepared.current_screen() == "initial"
    # The administrator narrows lihua to one company code after the window was made: XD01
    # proposes it, as a window made at XD01 would.
    grant(uow_factory, SETUP, "lihua", company_codes=["F011"])
    wizard = _ctrl_n(qtbot, window)
    assert wizard is prepared and window.prepared is None
    qtbot.waitUntil(lambda: focused() is wizard.findChild(QLineEdit, "KNA1_KTOKD"))
    assert _text(wizard, "KNB1_BUKRS") == "F011"
    assert wizard.findChild(QLineEdit, "KNB1_BUKRS").property("proposed") is True
    assert [_text(wizard, n) for n in ("KNVV_VKORG", "KNVV_VTWEG", "KNVV_SPART")] == [
        "F011",
        "10",
        "01",
    ]
    # The same window serves the next XD01; no other one is made.
    wizard.hide()
    assert _ctrl_n(qtbot, window) is wizard and window.prepared is None


def test_a_customizing_changed_after_the_window_was_made_gets_a_new_window(
    qtbot: QtBot,
    db_url: str,
    uow_factory: UnitOfWorkFactory,
    open_window: Callable[..., MainWindow],
) -> None:
    window = open_window(db_url, actor=Actor("tester"))
    prepared = _prepared(qtbot, window)
    assert not prepared.session.customizing.has("payment_terms", "Z097")
    save_code(uow_factory, SETUP, "payment_terms", CodeEntry("Z097", "97天", "97 days"))
    assert window.database is not None
    window.database.customizing_cache.interval = 0  # another client's change: seen now
    wizard = _ctrl_n(qtbot, window)
    assert wizard is not prepared and wizard.session.customizing.has("payment_terms", "Z097")
    qtbot.waitUntil(lambda: not shiboken6.isValid(prepared))  # let go of


def test_no_window_is_made_for_a_user_who_may_not_create(
    qtbot: QtBot, db_url: str, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window(db_url, actor=AUDITOR)
    qtbot.waitUntil(lambda: window.database_state == "ready", timeout=WAIT_MS)
    # The wizard's modules imported (in the background, or by an earlier test) and what
    # waited for that done: a user who may create would have the window by now.
    qtbot.waitUntil(lambda: "custmd_gui.ui.wizard.window" in sys.modules, timeout=WAIT_MS)
    qtbot.waitUntil(operations.idle, timeout=WAIT_MS)
    QApplication.processEvents()
    qtbot.wait(100)
    assert window.prepared is None and window.wizards == {}


def test_another_database_lets_go_of_the_window_made_ahead(
    qtbot: QtBot, db_url: str, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window(db_url, actor=Actor("tester"))
    prepared = _prepared(qtbot, window)
    window.dispose()
    assert window.prepared is None
    qtbot.waitUntil(lambda: not shiboken6.isValid(prepared))
