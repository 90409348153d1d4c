"""The main window's toolbar with SAP's command field, the list's context menu and the icons:
all built from the action table (ui.main_actions), all following the user's rights.

Real windows on both databases, driven with the keyboard and the mouse.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QToolButton
from pytestqt.qtbot import QtBot

from custmd_gui.domain.authorization import Authorizations, Permission
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.ui import icons, icons_build
from custmd_gui.ui.change_documents_dialog import ChangeDocumentsDialog
from custmd_gui.ui.command_field import transaction_code
from custmd_gui.ui.main import MainWindow
from custmd_gui.ui.main_actions import ACTIONS, plain_text
from tests.conftest import example_document
from tests.gui.keyboard import focused, key, type_text

WAIT_MS = 30_000
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
TESTER = Actor("tester")
AUDITOR = Actor("auditor", rights=Authorizations("auditor", frozenset({Permission.DISPLAY})))


def _second_customer() -> dict[str, dict[str, str]]:
    return {
        "KNA1": {
            "KTOKD": "1310",
            "NAME1": "命令字段测试客户",
            "SORTL": "CMD",
            "STRAS": "路1号",
            "PSTLZ": "200000",
            "ORT01": "上海",
            "LAND1": "CN",
            "SPRAS": "ZH",
        }
    }


def _with_customers(url: str) -> None:
    engine = make_engine(url)
    factory = UnitOfWorkFactory(engine)
    create_customer(factory, from_document(example_document()), TESTER)
    create_customer(factory, from_document(_second_customer()), TESTER)
    engine.dispose()


def _ready(
    qtbot: QtBot, open_window: Callable[..., MainWindow], url: str, actor: Actor = TESTER
) -> MainWindow:
    _with_customers(url)
    window = open_window(url, actor=actor)
    qtbot.waitUntil(lambda: window.database_state == "ready", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=WAIT_MS)
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None)
    return window


def _select(window: MainWindow, row: int) -> str:
    window.table.setCurrentIndex(window.model.index(row, 0))
    window.table.selectRow(row)
    return window.current_number()


def _command(window: MainWindow, typed: str) -> None:
    """Ctrl+/ (from wherever the focus is in the window), the code, Enter."""
    QTest.keyClick(focused() or window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    assert focused() is window.command_field
    type_text(typed)
    key(Qt.Key.Key_Return)


def test_the_command_field_reads_sap_prefixes() -> None:
    assert transaction_code(" xd02 ") == "XD02"
    assert transaction_code("/nXD03") == "XD03"
    assert transaction_code("/oxd04") == "XD04"
    assert transaction_code("/n") == ""


def test_xd02_in_the_command_field_changes_the_selected_customer(
    qtbot: QtBot, db_url: str, open_window: Callable[..., MainWindow]
) -> None:
    window = _ready(qtbot, open_window, db_url)
    number = _select(window, 1)
    window.table.setFocus()
    _command(window, "XD02")
    editor = window.wizards.get("change")
    assert editor is not None and editor.isVisible()
    assert editor.bindings["initial"].values()["KNA1-KUNNR"] == number
    assert window.command_field.text() == ""  # ran: empty for the next code
    assert editor.windowIcon().cacheKey() == icons.icon("change").cacheKey()


def test_slash_n_xd03_displays_the_selected_customer(
    qtbot: QtBot, db_url: str, open_window: Callable[..., MainWindow]
) -> None:
    window = _ready(qtbot, open_window, db_url)
    number = _select(window, 0)
    window.search.setFocus()  # Ctrl+/ from the search field too
    _command(window, "/nxd03")
    viewer = window.wizards.get("display")
    assert viewer is not None and viewer.isVisible()
    assert viewer.bindings["initial"].values()["KNA1-KUNNR"] == number
    assert "change" not in window.wizards


def test_an_unknown_code_is_said_and_stays_typed(
    qtbot: QtBot, db_url: str, open_window: Callable[..., MainWindow]
) -> None:
    window = _ready(qtbot, open_window, db_url)
    _select(window, 0)
    _command(window, "XD99")
    assert window.statusBar().currentMessage() == "事务代码 XD99 不存在"
    assert window.command_field.text() == "XD99"
    assert focused() is window.command_field
    assert not window.wizards


def test_a_restricted_user_completes_and_runs_only_permitted_codes(
    qtbot: QtBot, db_url: str, open_window: Callable[..., MainWindow]
) -> None:
    window = _ready(qtbot, open_window, db_url, actor=AUDITOR)
    field = window.command_field
    assert field.codes() == ["XD03", "XD04"]
    field.setFocus()
    type_text("xd")
    completer = field.completer()
    qtbot.waitUntil(lambda: completer.popup().isVisible())
    popup = completer.popup()
    shown = [popup.model().index(i, 0).data() for i in range(popup.model().rowCount())]
    assert shown == ["XD03", "XD04"]
    key(Qt.Key.Key_Escape)
    field.selectAll()
    type_text("/nXD02")
    key(Qt.Key.Key_Return)
    assert window.statusBar().currentMessage() == "您没有使用事务 XD02 的权限"
    assert field.text() == "/nXD02"
    assert not window.wizards


def test_toolbar_buttons_follow_the_rights(
    qtbot: QtBot, db_url: str, open_window: Callable[..., MainWindow]
) -> None:
    window = _ready(qtbot, open_window, db_url, actor=AUDITOR)
    toolbar = window.toolbar
    widgets = [toolbar.widgetForAction(a) for a in toolbar.actions() if not a.isSeparator()]
    assert widgets[0] is window.command_field  # SAP's place for it: first
    tools = [a for a in ACTIONS if a.toolbar]
    buttons = widgets[1:]
    assert [b.defaultAction().objectName() for b in buttons if isinstance(b, QToolButton)] == [
        a.name for a in tools
    ]
    enabled = {b.defaultAction().objectName() for b in buttons if b.isEnabled()}
    assert enabled == {"display_action", "change_documents_action", "export_list_action"}
    for button in buttons:
        assert isinstance(button, QToolButton)
        assert not button.icon().isNull()
        # The menu text without its mnemonic and ellipsis.
        assert "&" not in button.text() and "…" not in button.text()
    assert window.change_action.iconText() == "更改 (XD02)"


def _menu_actions(menu: QMenu) -> list[str]:
    return [a.objectName() for a in menu.actions() if not a.isSeparator()]


def test_the_context_menu_runs_an_action_on_the_customer_clicked(
    qtbot: QtBot, db_url: str, open_window: Callable[..., MainWindow]
) -> None:
    window = _ready(qtbot, open_window, db_url)
    _select(window, 0)
    table = window.table
    rect = table.visualRect(window.model.index(1, 1))
    viewport = table.viewport()
    QTest.mouseClick(viewport, Qt.MouseButton.RightButton, pos=rect.center())
    # The window system follows a right-click with a context-menu event; QTest does not.
    QApplication.sendEvent(
        viewport,
        QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, rect.center(), viewport.mapToGlobal(rect.center())
        ),
    )
    menu = window.list_menu
    qtbot.waitUntil(menu.isVisible)
    assert _menu_actions(menu) == [a.name for a in ACTIONS if a.menu == "customer"]
    number = window.model.row(1).number
    assert window.current_number() == number  # the right-click chose the row
    change = next(a for a in menu.actions() if a.objectName() == "change_action")
    QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(change).center())
    qtbot.waitUntil(lambda: not menu.isVisible())
    editor = window.wizards.get("change")
    assert editor is not None and editor.isVisible()
    assert editor.bindings["initial"].values()["KNA1-KUNNR"] == number


def test_the_context_menu_follows_the_rights(
    qtbot: QtBot, db_url: str, open_window: Callable[..., MainWindow]
) -> None:
    window = _ready(qtbot, open_window, db_url, actor=AUDITOR)
    enabled = {a.objectName() for a in window.list_menu.actions() if a.isEnabled()}
    assert enabled - {""} == {
        "display_action",
        "change_documents_action",
        "export_list_action",
        "requests_action",
    }


def test_every_icon_is_a_current_svg_file(qtbot: QtBot) -> None:
    assert QApplication.instance() is not None  # the fonts need one (qtbot made it)
    rendered = icons_build.rendered()
    on_disk = {p.name for p in icons.icons_dir().glob("*.svg")} - {f"{icons.APP_ICON}.svg"}
    assert on_disk == set(rendered), "run python -m custmd_gui.ui.icons_build"
    for name, text in rendered.items():
        stored = (icons.icons_dir() / name).read_text(encoding="utf-8")
        # The same outline, give or take the last digit (another FreeType may round otherwise).
        assert _NUMBER.sub("", stored) == _NUMBER.sub("", text), name
        pairs = zip(_NUMBER.findall(stored), _NUMBER.findall(text), strict=True)
        assert all(abs(float(a) - float(b)) <= 0.02 for a, b in pairs), name
    for name in [*icons.ICONS, icons.APP_ICON]:
        pixmap = icons.icon(name).pixmap(32, 32)
        assert not pixmap.isNull() and not pixmap.toImage().isNull(), name
        # Drawn: some pixel is not transparent.
        image = pixmap.toImage()
        assert any(
            image.pixelColor(x, y).alpha() > 0 for x in range(0, 32, 2) for y in range(0, 32, 2)
        ), name
    for entry in ACTIONS:
        if entry.icon:
            assert entry.icon in icons.ICONS, entry.name


def test_the_window_has_the_app_icon(qtbot: QtBot) -> None:
    window = MainWindow("sqlite:///:memory:")
    qtbot.addWidget(window)
    assert window.windowIcon().cacheKey() == icons.app_icon().cacheKey()
    window.dispose()


def test_toolbar_texts_lose_mnemonic_and_ellipsis() -> None:
    assert plain_text("批量冻结/解冻(&M)…") == "批量冻结/解冻"
    assert plain_text("更改(&H)… (XD02)") == "更改 (XD02)"
    assert plain_text("E&xport list…") == "Export list"


def test_a_code_picked_in_the_completion_list_runs_at_once(
    qtbot: QtBot, db_url: str, open_window: Callable[..., MainWindow]
) -> None:
    window = _ready(qtbot, open_window, db_url)
    number = _select(window, 1)
    runs: list[str] = []
    window.command_field.entered.connect(runs.append)
    window.focus_command()
    type_text("xd0")
    popup = window.command_field.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    # The open list has the keyboard (the window system sends it the keys; QTest must).
    for _ in range(4):  # XD01, XD02, XD03, XD04
        QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert not popup.isVisible()
    qtbot.waitUntil(lambda: window.command_field.text() == "")
    documents = window.findChild(ChangeDocumentsDialog, "change_documents")
    assert documents is not None and documents.isVisible()
    assert documents.number == number  # XD04 of the selected customer
    assert window.command_field.text() == ""
    assert runs == ["XD04"]  # once
    assert not window.wizards
    # A click on a code puts it into the field; Enter runs it.
    documents.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.focus_command()
    assert focused() is window.command_field
    type_text("xd0")
    qtbot.waitUntil(popup.isVisible)
    row = popup.visualRect(popup.model().index(1, 0))  # XD02
    QTest.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=row.center())
    qtbot.waitUntil(lambda: not popup.isVisible())
    QApplication.processEvents()
    assert window.command_field.text() == "XD02" and not window.wizards
    window.focus_command()
    key(Qt.Key.Key_Return)
    assert runs == ["XD04", "XD02"]
    assert window.wizards["change"].isVisible()
