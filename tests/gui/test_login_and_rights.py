"""Login at start and screens that follow the user's rights (issue 6).

The acceptance: an assistant of responsibility center 1038 does not see a customer of 1039 in
the list or in the F4 search help and cannot open it by number (客户 X 不存在, never
"forbidden"); a general-data maintainer sees the company-code fields read-only in XD02.

On SQLite the user logs in through the login dialog, typing as a clerk does. On PostgreSQL
(the shared mode) the app does not ask: the server's role is the user; until the shared
mode's own sign-in is merged, the test hands the window the session of services.auth.login.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QTableView, QWidget
from pytestqt.qtbot import QtBot

from custmd_gui import settings
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import users
from custmd_gui.services.auth import MAX_FAILURES, login
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.ui.main import MainWindow, display_url
from custmd_gui.ui.wizard import CustomerWizard
from tests.conftest import example_document
from tests.gui.keyboard import fill, focused, key, tab_to, type_text
from tests.gui.wizard_steps import answer_next_dialog, enter_initial, screen

WAIT_MS = 30_000
OWN = "2110380001"  # responsibility center 1038
OTHER = "2110380002"  # authorization group 1039 (another responsibility center)
PASSWORD = "geheim-1038"
ADMIN = Actor("setup")  # unrestricted: the system's own setup


def _document(number: str, group: str, name: str) -> dict[str, Any]:
    document = example_document()
    document["KNA1"].update({"KUNNR": number, "BEGRU": group, "NAME1": name})
    for segment in ("KNB1", "KNVV"):
        for row in document.get(segment, []):
            row["BEGRU"] = group
    return document


@pytest.fixture
def centers(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """Two customers of two responsibility centers and the users of the tests."""
    with uow_factory() as uow:
        customizing = uow.customizing.load()
    for number, group, name in (
        (OWN, "1038", "东宁广告有限公司"),
        (OTHER, "1039", "西宁贸易有限公司"),
    ):
        create_customer(
            uow_factory,
            from_document(_document(number, group, name)),
            ADMIN,
            customizing=customizing,
        )
    # The first user must be an administrator.
    users.create_user(
        uow_factory,
        ADMIN,
        "admin",
        password=PASSWORD,
        display_name="管理员",
        roles=["administrator"],
        auth_groups=["*"],
        company_codes=["*"],
        sales_areas=["*/*/*"],
    )
    users.create_user(
        uow_factory,
        ADMIN,
        "zhangsan",
        password=PASSWORD,
        display_name="张三",
        roles=["assistant"],
        auth_groups=["1038"],
        company_codes=["F011"],
        sales_areas=["F011/*/*"],
    )
    users.create_user(
        uow_factory,
        ADMIN,
        "wangwu",
        password=PASSWORD,
        display_name="王五",
        roles=["general_maintainer"],
        auth_groups=["*"],
        company_codes=["*"],
        sales_areas=["*/*/*"],
    )
    users.create_user(
        uow_factory,
        ADMIN,
        "shenji",
        password=PASSWORD,
        display_name="审计",
        roles=["auditor"],
        auth_groups=["*"],
        company_codes=["*"],
        sales_areas=["*/*/*"],
    )
    return uow_factory


def _wait_login_dialog(qtbot: QtBot, window: MainWindow) -> QWidget:
    qtbot.waitUntil(lambda: window.login_dialog is not None, timeout=WAIT_MS)
    dialog = window.login_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isAncestorOf(focused()), timeout=WAIT_MS)
    return dialog


def _type_login(dialog: QWidget, username: str, password: str) -> None:
    """Keyboard only: the user name field has the focus; Tab to the password, Enter."""
    assert focused() is dialog.findChild(QLineEdit, "login_username")
    key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(username)
    key(Qt.Key.Key_Tab)
    assert focused() is dialog.findChild(QLineEdit, "login_password")
    type_text(password)
    key(Qt.Key.Key_Return)


def _session(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    backend: str,
    db_url: str,
    factory: UnitOfWorkFactory,
    username: str,
) -> MainWindow:
    """The main window with `username` logged in and the list loaded."""
    if backend == "sqlite":
        window = open_window(db_url)
        _type_login(_wait_login_dialog(qtbot, window), username, PASSWORD)
    else:
        rights = login(factory, username, PASSWORD, "test")
        window = open_window(db_url, actor=Actor.logged_in(rights))
    qtbot.waitUntil(lambda: window.database_state == "ready", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.searcher.busy, timeout=WAIT_MS)
    assert window.actor is not None and window.actor.user == username
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None, timeout=WAIT_MS)
    return window


def _listed(window: MainWindow) -> list[str]:
    return [window.model.row(r).number for r in range(window.model.rowCount())]


# -- the acceptance ---------------------------------------------------------------------------


def test_an_assistant_of_1038_does_not_see_a_customer_of_1039(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    backend: str,
    db_url: str,
    centers: UnitOfWorkFactory,
) -> None:
    window = _session(qtbot, open_window, backend, db_url, centers, "zhangsan")
    assert window.user_label.text() == "用户：zhangsan"
    # The list: only the own center's customer.
    assert _listed(window) == [OWN]
    # The search field: the other number finds nothing.
    window.focus_search()
    type_text(OTHER)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "没有找到客户", timeout=WAIT_MS)
    assert _listed(window) == []

    # XD03 by number: "does not exist", as for a number nobody has.
    window.display_customer()
    viewer = window.wizards["display"]
    qtbot.waitUntil(lambda: viewer.isActiveWindow(), timeout=WAIT_MS)
    enter_initial(viewer, {"KNA1_KUNNR": OTHER})
    assert screen(viewer) == "initial"
    assert [p.message.zh for p in viewer.messages.problems] == [f"客户 {OTHER} 不存在"]

    # The F4 search help offers only the own customer.
    tab_to(viewer, "KNA1_KUNNR")
    found: list[str] = []

    def look(dialog: QWidget) -> None:
        type_text("2110")
        table = dialog.findChild(QTableView, "f4_table")
        assert table is not None
        model = table.model()
        qtbot.waitUntil(lambda: model.rowCount() >= 1, timeout=WAIT_MS)
        found.extend(str(model.index(r, 0).data()) for r in range(model.rowCount()))
        key(Qt.Key.Key_Escape)

    seen = answer_next_dialog(look)
    key(Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: bool(found), timeout=WAIT_MS)
    assert seen == ["value_help"]
    assert found == [OWN]

    # The own customer opens.
    viewer.keys = None
    tab_to(viewer, "KNA1_KUNNR")
    enter_initial(viewer, {"KNA1_KUNNR": OWN})
    assert screen(viewer) != "initial", viewer.messages.problems


def test_a_general_data_maintainer_may_only_request_company_code_changes(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    backend: str,
    db_url: str,
    centers: UnitOfWorkFactory,
) -> None:
    window = _session(qtbot, open_window, backend, db_url, centers, "wangwu")
    assert _listed(window) == [OWN, OTHER]
    assert window.change_action.isEnabled()
    assert not window.block_action.isEnabled()
    assert not window.create_action.isEnabled()
    window.change_customer(OWN)
    editor: CustomerWizard = window.wizards["change"]
    qtbot.waitUntil(lambda: editor.isActiveWindow(), timeout=WAIT_MS)
    enter_initial(
        editor,
        {"KNB1_BUKRS": "F011", "KNVV_VKORG": "F011", "KNVV_VTWEG": "10", "KNVV_SPART": "01"},
    )
    assert screen(editor) == "address", editor.messages.problems
    edits = {e.objectName(): e for e in editor.findChildren(QLineEdit)}
    # His role may request changes of the company-code and sales data but not make them: those
    # fields take typing (but the reconciliation account, never changed in XD02), and Ctrl+S
    # then files a change request.
    assert edits["KNB1_AKONT"].isReadOnly()
    assert not edits["KNB1_ZUAWA"].isReadOnly()
    assert not edits["KNB1_ZTERM"].isReadOnly()
    assert not edits["KNA1_NAME1"].isReadOnly()
    assert not edits["KNA1_STRAS"].isReadOnly()
    assert editor.save_button.text() == "保存 (Ctrl+S)"
    editor.show_screen("account")
    fill(editor, {"KNB1_ZUAWA": "001"})
    key(Qt.Key.Key_Return)
    assert editor.save_button.text() == "提交申请 (Ctrl+S)", editor.messages.problems
    editor.keys = None  # nothing to ask when the window closes


# -- the login dialog -------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite"])
def test_wrong_password_then_lockout_keep_the_user_name(
    qtbot: QtBot, open_window: Callable[..., MainWindow], db_url: str, centers: UnitOfWorkFactory
) -> None:
    window = open_window(db_url)
    dialog = _wait_login_dialog(qtbot, window)
    error = dialog.findChild(QWidget, "login_error")
    username = dialog.findChild(QLineEdit, "login_username")
    password = dialog.findChild(QLineEdit, "login_password")
    assert password.echoMode() is QLineEdit.EchoMode.Password
    _type_login(dialog, "zhangsan", "falsch-1234")
    assert error.isVisible()
    assert error.text() == "用户名或密码错误"
    assert username.text() == "zhangsan"
    assert password.text() == ""
    assert focused() is password
    for _ in range(MAX_FAILURES - 1):
        type_text("falsch-1234")
        key(Qt.Key.Key_Return)
    # Locked now: even the right password is refused, saying until when.
    type_text(PASSWORD)
    key(Qt.Key.Key_Return)
    assert error.text().startswith("用户已被锁定"), error.text()
    assert window.actor is None and window.database is None
    assert window.login_dialog is dialog


@pytest.mark.parametrize("backend", ["sqlite"])
def test_cancel_closes_the_app(
    qtbot: QtBot, open_window: Callable[..., MainWindow], db_url: str, centers: UnitOfWorkFactory
) -> None:
    window = open_window(db_url)
    _wait_login_dialog(qtbot, window)
    key(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
    assert window.actor is None and window.database is None


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_auditor_finds_the_menu_actions_disabled(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    backend: str,
    db_url: str,
    centers: UnitOfWorkFactory,
) -> None:
    window = _session(qtbot, open_window, backend, db_url, centers, "shenji")
    assert _listed(window) == [OWN, OTHER]
    for action in (
        window.create_action,
        window.change_action,
        window.block_action,
        window.deletion_flags_action,
        window.mass_block_action,
        window.users_action,
        window.archive_action,
    ):
        assert not action.isEnabled(), action.objectName()
    assert window.display_action.isEnabled()
    assert window.change_documents_action.isEnabled()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_remember_password_keeps_it_in_the_keyring_only(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    db_url: str,
    centers: UnitOfWorkFactory,
    file_keyring: object,
    own_folders: Path,
) -> None:
    window = open_window(db_url)
    dialog = _wait_login_dialog(qtbot, window)
    dialog.findChild(QWidget, "login_remember").setChecked(True)
    _type_login(dialog, "zhangsan", PASSWORD)
    qtbot.waitUntil(lambda: window.database_state == "ready", timeout=WAIT_MS)
    assert settings.load_login(display_url(db_url)) == ("zhangsan", PASSWORD)
    for file in own_folders.rglob("*"):
        if file.is_file():
            assert PASSWORD not in file.read_text(errors="replace"), file
    window.dispose()
    # The next start offers the remembered login: Enter is enough.
    second = open_window(db_url)
    dialog = _wait_login_dialog(qtbot, second)
    assert dialog.findChild(QLineEdit, "login_username").text() == "zhangsan"
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: second.database_state == "ready", timeout=WAIT_MS)
    assert second.actor is not None and second.actor.user == "zhangsan"


# -- the administrator's screens --------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_admin_screen_creates_a_user_who_can_then_log_in(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    backend: str,
    db_url: str,
    centers: UnitOfWorkFactory,
) -> None:
    window = _session(qtbot, open_window, backend, db_url, centers, "admin")
    assert window.users_action.isEnabled() and window.archive_action.isEnabled()
    window.users_action.trigger()
    dialog = window.findChild(QWidget, "admin_dialog")
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isActiveWindow(), timeout=WAIT_MS)
    table = dialog.findChild(QTableView, "users_table")
    listed = [table.model().index(r, 0).data() for r in range(table.model().rowCount())]
    assert listed == ["admin", "shenji", "wangwu", "zhangsan"]
    assert table.model().headerData(0, Qt.Orientation.Horizontal) == "用户名"

    # 新建用户: keyboard only, from the button to the save button.
    tab_to(dialog, "new_user")
    key(Qt.Key.Key_Space)
    assert focused().objectName() == "user_username"
    type_text("lisi")
    key(Qt.Key.Key_Tab)
    type_text("李四")
    key(Qt.Key.Key_Tab)
    type_text("lisi-passwort")
    key(Qt.Key.Key_Tab)
    type_text("lisi-passwort")
    tab_to(dialog, "role_assistant")
    key(Qt.Key.Key_Space)
    tab_to(dialog, "user_auth_groups")
    type_text("1038")
    key(Qt.Key.Key_Tab)
    type_text("F011")
    key(Qt.Key.Key_Tab)
    type_text("F011/10")  # not a sales area: refused, naming the field
    key(Qt.Key.Key_Return)
    error = dialog.findChild(QWidget, "user_error")
    assert error.isVisible()
    assert error.text().startswith("销售范围："), error.text()
    assert focused().objectName() == "user_sales_areas"
    key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text("F011/*/*")
    key(Qt.Key.Key_Return)
    assert not error.isVisible(), error.text()
    assert dialog.findChild(QLabel, "admin_status").text() == "已创建用户 lisi"
    info = users.read_user(centers, ADMIN, "lisi")
    assert info.display_name == "李四"
    assert info.scopes.roles == ("assistant",)
    assert info.scopes.auth_groups == ("1038",)
    assert info.scopes.sales_areas == (("F011", "*", "*"),)
    window.dispose()

    second = open_window(db_url)
    _type_login(_wait_login_dialog(qtbot, second), "lisi", "lisi-passwort")
    qtbot.waitUntil(lambda: second.database_state == "ready", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not second.searcher.busy, timeout=WAIT_MS)
    assert second.actor is not None and second.actor.user == "lisi"
    assert _listed(second) == [OWN]
    assert not second.users_action.isEnabled()
