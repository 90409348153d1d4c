"""Settings change only what the user changed (issue 16: started with --db, changing only the
language in 文件 → 设置 moved the session to the saved database; all customers "disappeared").
The dialog shows the database in use and says that it is not saved; a language-only change
leaves the session on it. On both databases."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from custmd_gui import settings
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.ui.main import MainWindow, display_url
from tests.conftest import example_document
from tests.gui.wizard_steps import answer_next_dialog

WAIT_MS = 30_000


def _ready(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.database_state == "ready", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.model.pages_fetched >= 1, timeout=WAIT_MS)


def test_a_language_change_leaves_the_session_on_the_db_database(
    qtbot: QtBot,
    db_url: str,
    uow_factory: UnitOfWorkFactory,
    open_window: Callable[..., MainWindow],
) -> None:
    create_customer(uow_factory, from_document(example_document()), Actor("setup"))
    window = open_window(db_url, actor=Actor("tester"))  # as `custmd-gui --db <url>`
    _ready(qtbot, window)
    assert window.model.rowCount() == 1
    notes: list[str] = []

    def english_only(dialog: QWidget) -> None:
        # Asserted after the dialog is closed: a failure here would leave it waiting.
        note = dialog.findChild(QLabel, "db_in_use")
        notes.append(note.text() if note is not None and note.isVisible() else "")
        language = dialog.findChild(QComboBox, "language")
        assert language is not None
        language.setCurrentIndex(language.findData("en"))
        ok = dialog.findChild(QPushButton, "ok")
        assert ok is not None
        ok.click()

    seen = answer_next_dialog(english_only)
    window.show_settings()
    assert seen == ["SettingsDialog"]
    # The language changed, the database did not.
    assert window.windowTitle() == "Customer master data - custmd"
    assert window.url == db_url
    _ready(qtbot, window)
    assert window.database is not None
    assert window.model.rowCount() == 1
    # The dialog said which database is in use, and that OK keeps it.
    assert notes == [
        "本次会话使用启动时指定的数据库（--db 或 CUSTMD_DB）："
        f"{display_url(db_url)}。它不会保存为设置。下面是已保存的数据库设置，用于不指定 --db "
        "的启动；只有在这里修改了数据库设置，会话才会切换到该数据库。"
    ]
    # Saved: the language; the database given at start is not made the setting.
    saved = settings.load_settings()
    assert (saved.language, saved.database, saved.sqlite_path) == ("en", "local", "")


def test_the_dialog_says_nothing_about_a_database_given_at_start_without_one(
    qtbot: QtBot, open_window: Callable[..., MainWindow]
) -> None:
    """Started on the saved database: no note, and OK with nothing changed switches nothing."""
    url = settings.default_db_url()
    window = open_window(url, actor=Actor("tester"))
    _ready(qtbot, window)
    notes: list[bool] = []

    def look(dialog: QWidget) -> None:
        note = dialog.findChild(QLabel, "db_in_use")
        notes.append(note is not None and note.isVisible())
        ok = dialog.findChild(QPushButton, "ok")
        assert ok is not None
        ok.click()

    seen = answer_next_dialog(look)
    window.show_settings()
    assert seen == ["SettingsDialog"] and notes == [False]
    assert window.url == url and window.database is not None
