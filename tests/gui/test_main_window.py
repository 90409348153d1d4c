"""The main window: the lazy customer list, the crash handler, and start-up without heavy imports.

Everything runs on real databases (a temporary SQLite file; PostgreSQL where a server answers)
and a real, offscreen Qt.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from custmd_gui import settings
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.services.customizing import upgrade_database
from custmd_gui.services.listing import CustomerListRow, list_page
from custmd_gui.ui import crash
from custmd_gui.ui.customer_list_model import COLUMNS, CustomerListModel
from custmd_gui.ui.main import MainWindow, display_url, ensure_display, set_language, tr_
from tests.conftest import PostgresServer, example_document
from tests.gui.keyboard import fill, focused, key
from tests.gui.wizard_steps import EXAMPLE_INITIAL, answer_next_dialog, enter_initial, type_example

# The module's fixture is costly: under pytest-xdist its tests share one worker (--dist loadgroup).
pytestmark = pytest.mark.xdist_group("main_window_450")

ACTOR = Actor("tester")
WAIT_MS = 30_000


def _small_customer(i: int) -> dict[str, dict[str, str]]:
    return {
        "KNA1": {
            "KTOKD": "1310",
            "NAME1": f"测试客户{i}",
            "SORTL": "TEST",
            "STRAS": "路1号",
            "PSTLZ": "200000",
            "ORT01": "上海",
            "LAND1": "CN",
            "SPRAS": "ZH",
        }
    }


def _new_database(path: Path) -> tuple[str, Engine]:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade_database(engine)
    return url, engine


@pytest.fixture
def demo_db(tmp_path: Path) -> Iterator[str]:
    """A fresh SQLite database holding the example customer 东宁广告有限公司."""
    url, engine = _new_database(tmp_path / "demo.sqlite")
    create_customer(UnitOfWorkFactory(engine), from_document(example_document()), ACTOR)
    engine.dispose()
    yield url


@pytest.fixture(scope="module")
def db_450(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A SQLite database with 450 customers of group 1310 (internal numbers)."""
    _url, engine = _new_database(tmp_path_factory.mktemp("paging") / "450.sqlite")
    factory = UnitOfWorkFactory(engine)
    with factory() as uow:
        customizing = uow.customizing.load()
    for i in range(450):
        create_customer(factory, from_document(_small_customer(i)), ACTOR, customizing=customizing)
    yield engine
    engine.dispose()


def _column(name: str) -> int:
    return COLUMNS.index(name)


# -- (a) the list on a fresh database ---------------------------------------------------------


def test_lists_the_demo_customer(
    qtbot: QtBot, demo_db: str, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window(demo_db)
    assert window.windowTitle() == "客户主数据 - custmd"
    qtbot.waitUntil(lambda: window.model.rowCount() >= 1, timeout=WAIT_MS)
    model = window.model
    assert model.rowCount() == 1
    assert model.index(0, _column("number")).data() == "2110380001"
    assert model.index(0, _column("name")).data() == "东宁广告有限公司"
    assert model.index(0, _column("search_term")).data() == "东宁广告"
    assert model.index(0, _column("city")).data() == "上海"
    assert model.index(0, _column("account_group")).data() == "1110"
    assert model.index(0, _column("status")).data() == ""
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["客户", "名称", "搜索条款", "城市", "科目组", "电话", "状态"]
    assert window.database_state == "ready"
    assert window.statusBar().currentMessage() == "已加载 1 个客户"
    assert window.banner.isHidden()
    # Read-only: no cell can be edited.
    assert not model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    # The window fits a 1366x768 screen.
    assert window.minimumWidth() <= 1366 and window.minimumHeight() <= 768 - 40


def test_fresh_sqlite_file_is_created_and_demo_customers_added(
    qtbot: QtBot, tmp_path: Path, open_window: Callable[..., MainWindow]
) -> None:
    target = tmp_path / "new" / "demo.sqlite"
    window = open_window(f"sqlite:///{target}", demo=True)
    qtbot.waitUntil(lambda: window.model.rowCount() >= 1, timeout=WAIT_MS)
    assert window.database_state == "ready"
    assert target.is_file()
    assert window.model.index(0, _column("name")).data() == "东宁广告有限公司"
    # Opening the demo again adds no copies.
    window.dispose()
    again = open_window(f"sqlite:///{target}", demo=True)
    qtbot.waitUntil(lambda: again.model.pages_fetched >= 1, timeout=WAIT_MS)
    assert again.model.rowCount() == 1
    assert again.banner.isHidden(), again.banner.text()


def test_english_window(qtbot: QtBot, demo_db: str) -> None:
    set_language("en")
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    assert window.windowTitle() == "Customer master data - custmd"
    model = window.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:3] == ["Customer", "Name", "Search term"]
    assert [a.text() for a in window.menuBar().actions()] == [
        "&File",
        "&Customer",
        "S&ystem",
        "&Help",
    ]
    assert window.exit_action.shortcut().toString() == "Ctrl+Q"


def test_shared_database_with_old_schema_is_not_migrated(
    qtbot: QtBot, postgres: PostgresServer, open_window: Callable[..., MainWindow]
) -> None:
    name = postgres.create()  # empty: no schema at all
    try:
        window = open_window(postgres.url(name))
        qtbot.waitUntil(lambda: window.database_state == "refused", timeout=WAIT_MS)
        assert "数据库结构不是最新版本，请运行 custmd db upgrade" in window.banner.text()
        assert window.banner.isVisible()
        assert window.model.rowCount() == 0
        window.dispose()
        engine = make_engine(postgres.url(name))
        from custmd_gui.persistence.migrate import current_revision

        assert current_revision(engine) is None
        engine.dispose()
    finally:
        postgres.drop(name)


def test_about_hides_the_password() -> None:
    assert display_url("postgresql://clerk:geheim@db.example/custmd") == (
        "postgresql://clerk:***@db.example/custmd"
    )
    assert display_url("sqlite:////home/li/custmd.sqlite") == "/home/li/custmd.sqlite"


# -- (b) lazy paging --------------------------------------------------------------------------


def test_model_pages_lazily(db_450: Engine) -> None:
    factory = UnitOfWorkFactory(db_450)
    asked: list[tuple[str, int]] = []
    returned: list[int] = []

    def fetch(after: str, limit: int) -> list[CustomerListRow]:
        asked.append((after, limit))
        with factory() as uow:
            rows = list_page(uow, after, limit)
        returned.append(len(rows))
        return rows

    model = CustomerListModel(fetch, tr=tr_)
    assert model.rowCount() == 0 and asked == []  # nothing is read before it is asked for
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 200
    assert asked == [("", 200)]
    model.fetchMore()
    assert model.rowCount() == 400
    assert asked[1] == (model.index(199, 0).data(), 200)
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 450
    assert not model.canFetchMore()
    model.fetchMore()  # nothing more to fetch: no further query
    assert len(asked) == 3
    assert all(n <= limit for n, (_, limit) in zip(returned, asked, strict=True))
    numbers = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert numbers == sorted(numbers) and len(set(numbers)) == 450


def test_view_loads_only_what_is_scrolled_to(
    qtbot: QtBot, db_450: Engine, open_window: Callable[..., MainWindow]
) -> None:
    url = db_450.url.render_as_string(hide_password=False)
    window = open_window(url)
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=WAIT_MS)
    qtbot.wait(300)  # the view gets time to ask for more, which it must not
    assert window.model.rowCount() == 200
    assert window.statusBar().currentMessage() == "已加载 200 个客户，向下滚动可加载更多"
    window.table.scrollToBottom()
    qtbot.waitUntil(lambda: window.model.rowCount() > 200, timeout=WAIT_MS)
    assert window.model.rowCount() == 400
    window.table.scrollToBottom()
    qtbot.waitUntil(lambda: window.model.rowCount() == 450, timeout=WAIT_MS)
    assert not window.model.canFetchMore()
    assert window.statusBar().currentMessage() == "已加载 450 个客户"


# -- (c) unexpected exceptions ----------------------------------------------------------------


@pytest.fixture
def crash_handler(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[crash.CrashHandler]:
    monkeypatch.setattr(settings, "log_dir", lambda: tmp_path / "logs")
    handler = crash.install(tr_)
    yield handler
    for box in handler.open_boxes:
        box.close()
    handler.uninstall()


def _close_box_when_shown(qtbot: QtBot, handler: crash.CrashHandler) -> str:
    """Wait for the modal crash box, read it and close it as the user would; returns its text."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=5000)
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    assert box in handler.open_boxes
    text = f"{box.text()}\n{box.informativeText()}"
    ok = box.button(QMessageBox.StandardButton.Ok)
    assert ok is not None
    QTimer.singleShot(0, ok.click)
    qtbot.waitUntil(lambda: not handler.open_boxes, timeout=5000)
    return text


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_is_logged_and_shown(
    qtbot: QtBot, crash_handler: crash.CrashHandler, tmp_path: Path
) -> None:
    log = tmp_path / "logs" / "custmd.log"
    assert crash_handler.path == log
    button = QPushButton("boom")
    qtbot.addWidget(button)
    button.show()

    def fail() -> None:
        raise ValueError("测试用的错误")

    clicks: list[int] = []
    button.clicked.connect(fail)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    text = _close_box_when_shown(qtbot, crash_handler)
    assert f"发生了意外错误，详细信息已写入日志文件：{log}" in text
    assert "ValueError: 测试用的错误" in text
    logged = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "in fail" in logged and "ValueError: 测试用的错误" in logged

    # The application keeps running: the same button still works afterwards.
    button.clicked.disconnect(fail)
    button.clicked.connect(lambda: clicks.append(1))
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert clicks == [1]


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_worker_thread_is_logged_and_shown(
    qtbot: QtBot, crash_handler: crash.CrashHandler, tmp_path: Path
) -> None:
    def work() -> None:
        raise KeyError("in the background")

    worker = threading.Thread(target=work, name="background-job")
    worker.start()
    worker.join()
    text = _close_box_when_shown(qtbot, crash_handler)
    assert "KeyError: 'in the background'" in text
    logged = (tmp_path / "logs" / "custmd.log").read_text(encoding="utf-8")
    assert "[background-job]" in logged and "KeyError: 'in the background'" in logged


def test_no_display_is_said_unless_offscreen(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    message = ensure_display()
    assert message is not None and "--offscreen" in message and "没有找到显示器" in message
    assert "QT_QPA_PLATFORM" not in os.environ
    assert ensure_display(offscreen=True) is None
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"
    # A platform the caller chose (tests, CI) is respected.
    monkeypatch.setenv("QT_QPA_PLATFORM", "minimal")
    assert ensure_display() is None
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.setenv("DISPLAY", ":0")
    assert ensure_display() is None
    assert "QT_QPA_PLATFORM" not in os.environ


# -- (d) start-up: the window comes before the heavy imports ----------------------------------


def test_window_is_shown_before_heavy_imports(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "CUSTMD_REPORT_IMPORTS": "1",
        "CUSTMD_LANG": "zh",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "custmd_gui", "--exit-after-show", "--db", f"sqlite:///{db}"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    shown = [line for line in lines if line.startswith("window shown after")]
    assert len(shown) == 1, result.stdout
    assert re.fullmatch(r"window shown after \d+ ms; 0 customers listed", shown[0])
    (report,) = [line for line in lines if line.startswith("heavy modules imported when the w")]
    imported = report.split(": ", 1)[1].split(", ")
    assert "sqlalchemy" not in imported and "pydantic" not in imported, report
    assert report == "heavy modules imported when the window was shown: none"
    # The file was created and migrated on the way (after the window).
    engine = make_engine(f"sqlite:///{db}")
    from custmd_gui.persistence.migrate import current_revision, head_revision

    assert current_revision(engine) == head_revision()
    engine.dispose()


# -- XD01 and the settings from the main window ------------------------------------------------


def _ready(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.database_state == "ready", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.model.pages_fetched >= 1, timeout=WAIT_MS)


def _press_on(window: QWidget, k: Qt.Key, modifier: Qt.KeyboardModifier) -> None:
    window.activateWindow()
    QTest.keyClick(window, k, modifier)


def test_ctrl_n_opens_xd01_and_the_saved_customer_appears_in_the_list(
    qtbot: QtBot, tmp_path: Path, open_window: Callable[..., MainWindow]
) -> None:
    url, engine = _new_database(tmp_path / "xd01.sqlite")
    engine.dispose()
    window = open_window(url)
    _ready(qtbot, window)
    assert window.model.rowCount() == 0
    _press_on(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wizard = window.wizards.get("create")
    assert wizard is not None and wizard.isVisible()
    qtbot.waitUntil(lambda: focused() is not None and wizard.isAncestorOf(focused()))
    type_example(wizard)
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    status = "客户 2110380001 已在公司代码 F011 销售范围 F011/10/01 中创建"
    assert window.statusBar().currentMessage() == status
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WAIT_MS)
    assert window.model.index(0, _column("number")).data() == "2110380001"
    # The same wizard window serves the next customer.
    _press_on(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.wizards["create"] is wizard and wizard.current_screen() == "initial"


def test_closing_the_app_with_an_unsaved_customer_asks_first(
    qtbot: QtBot, tmp_path: Path, open_window: Callable[..., MainWindow]
) -> None:
    url, engine = _new_database(tmp_path / "close.sqlite")
    engine.dispose()
    window = open_window(url)
    _ready(qtbot, window)
    window.create_customer()
    wizard = window.wizards.get("create")
    assert wizard is not None
    qtbot.waitUntil(lambda: focused() is not None and wizard.isAncestorOf(focused()))
    enter_initial(wizard, dict(EXAMPLE_INITIAL))
    fill(wizard, {"KNA1_NAME1": "东宁广告有限公司"})
    seen = answer_next_dialog(lambda _dialog: key(Qt.Key.Key_Return))  # No, the default
    closed = window.close()
    if closed:
        wizard.keys = None
    assert not closed
    assert seen == ["confirm_loss"]
    assert window.isVisible() and wizard.isVisible()
    assert wizard.findChild(QLineEdit, "KNA1_NAME1").text() == "东宁广告有限公司"
    wizard.keys = None  # pytest-qt closes the window next: nothing more to ask


def test_settings_switch_the_language_and_the_database_at_once(
    qtbot: QtBot, demo_db: str, tmp_path: Path, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window(demo_db)
    _ready(qtbot, window)
    assert window.model.rowCount() == 1
    window.create_customer()  # an open wizard (nothing typed) follows the language too
    other = tmp_path / "other.sqlite"

    def choose(dialog: QWidget) -> None:
        language = dialog.findChild(QComboBox, "language")
        path = dialog.findChild(QLineEdit, "sqlite_path")
        assert language is not None and path is not None
        language.setCurrentIndex(language.findData("en"))
        path.setText(str(other))
        ok = dialog.findChild(QPushButton, "ok")
        assert ok is not None
        ok.click()

    seen = answer_next_dialog(choose)
    _press_on(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["SettingsDialog"]
    assert [a.text() for a in window.menuBar().actions()] == [
        "&File",
        "&Customer",
        "S&ystem",
        "&Help",
    ]
    assert window.windowTitle() == "Customer master data - custmd"
    assert window.model.headerData(0, Qt.Orientation.Horizontal) == "Customer"
    # The wizard was closed for the switch (nothing typed, nothing to ask).
    assert window.wizards == {}
    # The other database: created, migrated, empty; the settings remember the choice.
    qtbot.waitUntil(lambda: window.url == f"sqlite:///{other}", timeout=WAIT_MS)
    _ready(qtbot, window)
    assert window.model.rowCount() == 0 and other.is_file()
    assert str(other) in window.db_label.text()
    saved = settings.load_settings()
    assert (saved.language, saved.database, saved.sqlite_path) == ("en", "local", str(other))


def test_enter_on_a_listed_customer_displays_it(
    qtbot: QtBot, demo_db: str, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window(demo_db)
    _ready(qtbot, window)
    window.table.setFocus()
    window.table.setCurrentIndex(window.model.index(0, 0))
    _press_on(window.table, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    viewer = window.wizards.get("display")
    assert viewer is not None and viewer.isVisible()
    assert viewer.windowTitle() == "显示客户 (XD03)"
    assert viewer.current_screen() == "address"
    assert viewer.findChild(QLineEdit, "KNA1_NAME1").text() == "东宁广告有限公司"
