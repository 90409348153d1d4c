"""The Help menu: the user guide (F1, contents, search in Chinese and English), the shortcut list
made from the key tables, the about box with its copy button (on SQLite and PostgreSQL) and the
crash box's copy button."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from custmd_gui import settings
from custmd_gui.resources import resource_dir
from custmd_gui.ui import crash, wizard_keys
from custmd_gui.ui.about import AboutDialog
from custmd_gui.ui.help_window import HelpWindow, guide_path
from custmd_gui.ui.main import MainWindow, set_language, tr_
from custmd_gui.ui.main_actions import ACTIONS
from custmd_gui.ui.shortcuts_dialog import ShortcutsDialog, key_text

WAIT_MS = 30_000


def _commit(widget: QObject, text: str) -> None:
    """Type `text` as an input method commits it (Chinese cannot go through QTest.keyClicks)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    """A main window that never opens its database: the Help menu needs none."""
    main = MainWindow("sqlite:///:memory:")
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    yield main
    main.dispose()


def _guide(window: MainWindow) -> HelpWindow:
    guide = window.findChild(HelpWindow, "user_guide")
    assert guide is not None
    return guide


def test_f1_opens_the_guide_in_chinese_and_the_search_finds_chinese_text(
    qtbot: QtBot, window: MainWindow
) -> None:
    QTest.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.findChild(HelpWindow, "user_guide") is not None)
    guide = _guide(window)
    qtbot.waitExposed(guide)
    assert guide.windowTitle() == "用户手册 - custmd"
    contents = [text for _level, text, _block in guide.headings()]
    assert contents[0] == "custmd 用户手册"
    assert "创建客户（XD01）" in contents and "帮助与问题排查" in contents
    top = [
        guide.contents.topLevelItem(i).text(0) for i in range(guide.contents.topLevelItemCount())
    ]
    assert top == ["custmd 用户手册"]  # the sections hang below the title

    # A contents entry opens its section.
    section = guide.contents.findItems("冻结与删除标记（XD05、XD06）", Qt.MatchFlag.MatchRecursive)[
        0
    ]
    guide.contents.itemActivated.emit(section, 0)
    assert guide.browser.textCursor().block().text() == "冻结与删除标记（XD05、XD06）"
    assert guide.browser.verticalScrollBar().value() > 0

    guide.search.setFocus()
    _commit(guide.search, "冻结")
    assert guide.search.text() == "冻结"
    total = guide.browser.toPlainText().count("冻结")
    assert total > 5 and len(guide.matches) == total
    assert guide.count_label.text() == f"第 1 处，共 {total} 处"
    assert guide.browser.textCursor().selectedText() == "冻结"
    assert len(guide.browser.extraSelections()) == total  # every match marked
    first = guide.browser.textCursor().position()
    QTest.keyClick(guide.search, Qt.Key.Key_Return)
    assert guide.count_label.text() == f"第 2 处，共 {total} 处"
    assert guide.browser.textCursor().position() > first
    QTest.keyClick(guide.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(guide.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert guide.count_label.text() == f"第 {total} 处，共 {total} 处"  # wrapped around
    _commit(guide.search, "不存在的词语")
    assert guide.count_label.text() == "未找到" and guide.browser.extraSelections() == []
    QTest.keyClick(guide.search, Qt.Key.Key_Escape)
    assert guide.search.text() == "" and guide.isVisible()
    QTest.keyClick(guide.search, Qt.Key.Key_Escape)
    assert not guide.isVisible()


def test_the_guide_follows_the_ui_language(qtbot: QtBot, window: MainWindow) -> None:
    window.user_guide_action.trigger()
    guide = _guide(window)
    assert "创建客户（XD01）" in guide.browser.toPlainText()
    guide.search.setText("XD05")
    set_language("en")  # as the settings dialog does, with the guide open
    qtbot.waitUntil(lambda: guide.language == "en")
    assert guide.windowTitle() == "User guide - custmd"
    assert "Creating a customer (XD01)" in [text for _l, text, _b in guide.headings()]
    assert guide.search.text() == "XD05"
    assert guide.matches and guide.count_label.text().startswith("1 of ")
    guide.close()
    set_language("zh")
    window.user_guide_action.trigger()  # opened again: Chinese again
    assert _guide(window).language == "zh"


def test_both_guides_have_the_same_sections() -> None:
    def outline(language: str) -> list[int]:
        text = guide_path(language).read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if line.startswith("#")]
        return [len(line) - len(line.lstrip("#")) for line in lines]

    assert guide_path("zh").parent == resource_dir() / "help"
    assert outline("zh") == outline("en") and len(outline("zh")) > 20


def test_the_guide_names_every_shortcut_of_the_action_table() -> None:
    text = {lang: guide_path(lang).read_text(encoding="utf-8") for lang in ("zh", "en")}
    for entry in ACTIONS:
        if entry.shortcut:
            for lang in text:
                assert entry.shortcut in text[lang], (lang, entry.shortcut)
    for entry in wizard_keys.KEYS:
        for part in entry.key.split(" / "):
            assert part in text["en"], part


def test_the_shortcut_list_is_made_from_the_key_tables(qtbot: QtBot, window: MainWindow) -> None:
    window.shortcuts_action.trigger()
    dialog = window.findChild(ShortcutsDialog, "shortcuts_dialog")
    assert dialog is not None and dialog.isVisible()
    rows = dialog.rows()
    main_group = "主窗口（客户列表）"
    listed = {(key, does) for group, key, does in rows if group == main_group}
    assert (key_text("Ctrl+N"), "客户 → 创建… (XD01)") in listed
    assert (key_text("F1"), "帮助 → 用户手册") in listed
    assert (key_text("Ctrl+F"), "跳到搜索栏，选中其内容") in listed
    assert (key_text("Alt+Y"), "打开菜单“系统”") in listed
    shortcuts = [a.shortcut for a in ACTIONS if a.shortcut]
    assert len([r for r in rows if r[0] == main_group]) == len(shortcuts) + 4  # + Alt keys
    wizard_rows = [(key, does) for group, key, does in rows if group != main_group]
    assert len(wizard_rows) == len(wizard_keys.KEYS)
    assert (key_text("F1"), "字段帮助") in wizard_rows
    assert (key_text("Ctrl+M"), "进入消息列表（上/下移动，回车跳到字段，Esc 返回）") in wizard_rows
    dialog.close()


def test_the_wizard_keys_are_the_wizards_shortcuts(wizard: object) -> None:
    """The table the list is made from is the one the XD01 window makes its keys from."""
    from custmd_gui.ui.wizard import CustomerWizard

    assert isinstance(wizard, CustomerWizard)
    made = {
        s.key().toString()
        for s in wizard.findChildren(QShortcut)
        if s.parent() is wizard and s.context() == Qt.ShortcutContext.WindowShortcut
    }
    table = {QKeySequence(e.key).toString() for e in wizard_keys.window_shortcuts()}
    assert table <= made
    assert {"F1", "F4", "Ctrl+S", "F3", "Ctrl+H"} <= table


def test_f1_in_the_wizard_is_the_fields_help_not_the_guide(qtbot: QtBot, wizard: object) -> None:
    from custmd_gui.ui.wizard import CustomerWizard

    assert isinstance(wizard, CustomerWizard)
    shown: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append(box.objectName())
            box.close()

    QTimer.singleShot(200, read_and_close)
    QTest.keyClick(QApplication.focusWidget() or wizard, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown == ["field_help"]
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, HelpWindow)]


# -- 关于 ----------------------------------------------------------------------------------------


def test_about_shows_the_database_and_copies_it(
    qtbot: QtBot, db_url: str, backend: str, open_window: Callable[..., MainWindow]
) -> None:
    main = open_window(db_url)
    qtbot.waitUntil(lambda: main.database_state == "ready", timeout=WAIT_MS)
    main.about_action.trigger()
    dialog = main.findChild(AboutDialog, "about_dialog")
    assert dialog is not None and dialog.isVisible()
    rows = dict(dialog.rows)
    assert rows["版本"].startswith("custmd 0.")
    if backend == "sqlite":
        assert rows["数据库"] == "SQLite"
        assert rows["数据库文件"] == db_url.removeprefix("sqlite:///")
    else:
        assert rows["数据库"] == "PostgreSQL"
        assert rows["服务器"] == "127.0.0.1:5432"
        assert rows["数据库用户"] == "postgres"
        assert rows["数据库名"] == db_url.rsplit("/", 1)[1]
    assert {"Qt", "PySide6", "Python", "操作系统", "日志文件夹"} <= set(rows)
    assert rows["日志文件夹"] == str(settings.log_dir())
    QApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert copied == dialog.text()
    assert f"数据库: {rows['数据库']}" in copied and f"Qt: {rows['Qt']}" in copied
    assert dialog.status.text() == "已复制到剪贴板" and dialog.isVisible()
    dialog.close()


def test_about_never_shows_a_password(qtbot: QtBot) -> None:
    set_language("en")
    dialog = AboutDialog("postgresql+psycopg://clerk:ge%40heim@db.example:5433/custmd_prod")
    qtbot.addWidget(dialog)
    text = dialog.text()
    assert "ge@heim" not in text and "ge%40heim" not in text and "heim" not in text
    assert "Database: PostgreSQL" in text
    assert "Server: db.example:5433" in text
    assert "Database name: custmd_prod" in text and "Database user: clerk" in text


# -- the crash box ---------------------------------------------------------------------------


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


@pytest.mark.qt_no_exception_capture
def test_the_crash_box_copies_its_report(
    qtbot: QtBot, crash_handler: crash.CrashHandler, tmp_path: Path
) -> None:
    button = QPushButton("boom")
    qtbot.addWidget(button)

    def fail() -> None:
        raise ValueError("报告里的错误")

    button.clicked.connect(fail)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    copy = box.findChild(QPushButton, "crash_copy")
    assert copy is not None and copy.text() == "复制报告(&R)"
    QApplication.clipboard().clear()
    copy.click()
    report = QApplication.clipboard().text()
    log = tmp_path / "logs" / "custmd.log"
    assert report.startswith("Traceback (most recent call last)")
    assert "in fail" in report and "ValueError: 报告里的错误" in report
    assert "custmd 0." in report and "PySide6: " in report and "Python: " in report
    assert f"Log: {log}" in report
    assert box.detailedText() == report
    # Copying does not close the box; OK does.
    assert box.isVisible() and box in crash_handler.open_boxes
    assert "报告已复制到剪贴板" in box.informativeText()
    ok = box.button(QMessageBox.StandardButton.Ok)
    assert ok is not None
    QTimer.singleShot(0, ok.click)
    qtbot.waitUntil(lambda: not crash_handler.open_boxes)
    assert "ValueError: 报告里的错误" in log.read_text(encoding="utf-8")


def test_the_guides_pictures_are_shown_within_the_text(qtbot: QtBot, window: MainWindow) -> None:
    window.user_guide_action.trigger()
    guide = _guide(window)
    qtbot.waitExposed(guide)
    pictures = guide.pictures()
    assert [image.name() for _c, image in pictures] == ["main-window.zh.png", "xd01-errors.zh.png"]
    room = guide.browser.viewport().width()
    for _cursor, image in pictures:
        assert (guide_path("zh").parent / image.name()).is_file()
        assert 0 < image.width() <= room
    guide.resize(700, 600)  # narrower: the pictures follow
    qtbot.waitUntil(
        lambda: all(i.width() <= guide.browser.viewport().width() for _c, i in guide.pictures())
    )
    assert guide.pictures()[1][1].width() < 860
