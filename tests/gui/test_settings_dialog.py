"""The settings dialog, driven with the keyboard where practical.

The settings file and the keyring live under tmp_path (a keyrings.alt password file);
the connection test talks to the real PostgreSQL test server.
"""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from custmd_gui import settings as st
from custmd_gui.settings import AppSettings
from custmd_gui.ui.settings_dialog import SettingsDialog
from tests.conftest import PG_ADMIN_URL, PostgresServer

PG_FIELDS = ("pg_host", "pg_port", "pg_database", "pg_user", "pg_password", "test_connection")


pytestmark = pytest.mark.usefixtures("file_keyring")


def open_dialog(qtbot: QtBot, settings: AppSettings | None = None) -> SettingsDialog:
    dialog = SettingsDialog(settings or AppSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    # keyboard focus, mnemonics and arrow keys need the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    return dialog


def field(dialog: SettingsDialog, name: str) -> QWidget:
    widget = dialog.findChild(QWidget, name)
    assert widget is not None, name
    return widget


def type_into(qtbot: QtBot, dialog: SettingsDialog, name: str, text: str) -> None:
    """Select all of a field and type over it (ASCII only: QTest.keyClicks)."""
    widget = field(dialog, name)
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        QTest.keyClicks(widget, text)
    else:
        QTest.keyClick(widget, Qt.Key.Key_Delete)


def test_every_input_has_its_object_name(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    for name in ("language", "db_local", "db_postgresql", "sqlite_path", "browse", *PG_FIELDS):
        field(dialog, name)
    assert dialog.pg_password.echoMode() == QLineEdit.EchoMode.Password
    assert [dialog.language.itemText(i) for i in range(2)] == ["中文", "English"]


def test_switching_to_postgresql_enables_its_fields(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    assert dialog.db_local.isChecked()
    assert all(not field(dialog, name).isEnabled() for name in PG_FIELDS)
    assert dialog.sqlite_path.isEnabled()
    dialog.db_local.setFocus()
    QTest.keyClick(dialog.db_local, Qt.Key.Key_Down)  # arrow keys move within the radio group
    assert dialog.db_postgresql.isChecked()
    assert all(field(dialog, name).isEnabled() for name in PG_FIELDS)
    assert not dialog.sqlite_path.isEnabled() and not dialog.browse.isEnabled()
    QTest.keyClick(dialog.db_postgresql, Qt.Key.Key_Up)
    assert dialog.db_local.isChecked()
    assert not dialog.pg_host.isEnabled()


def test_tab_order_follows_the_layout(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, AppSettings(database="postgresql"))
    dialog.language.setFocus()
    seen = [dialog.focusWidget().objectName()]
    while seen[-1] != "ok" and len(seen) < 20:
        QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        seen.append(dialog.focusWidget().objectName())
    # One stop for the radio group (arrow keys choose within it); the local file fields
    # are disabled, so Tab skips them.
    assert seen[1] in ("db_local", "db_postgresql")
    assert seen[:1] + seen[2:] == [
        "language",
        "pg_host",
        "pg_port",
        "pg_database",
        "pg_user",
        "pg_password",
        "test_connection",
        "ok",
    ]


def test_ok_with_a_missing_host_keeps_everything_typed(
    qtbot: QtBot, own_folders: Path, file_keyring: PlaintextKeyring
) -> None:
    dialog = open_dialog(qtbot, AppSettings(database="postgresql"))
    type_into(qtbot, dialog, "pg_host", "")
    type_into(qtbot, dialog, "pg_database", "sales")
    type_into(qtbot, dialog, "pg_user", "alice")
    type_into(qtbot, dialog, "pg_password", "typed-secret")
    QTest.keyClick(dialog.pg_password, Qt.Key.Key_Return)  # OK is the default button
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_text() == dialog.tr("Enter the host name of the PostgreSQL server.")
    assert dialog.focusWidget() is dialog.pg_host
    assert (dialog.pg_database.text(), dialog.pg_user.text(), dialog.password()) == (
        "sales",
        "alice",
        "typed-secret",
    )
    assert not (own_folders / "settings.json").exists()
    assert not Path(file_keyring.file_path).exists()

    type_into(qtbot, dialog, "pg_host", "db.example")
    type_into(qtbot, dialog, "pg_user", "")
    QTest.keyClick(dialog.pg_host, Qt.Key.Key_Return)
    assert dialog.error_text() == dialog.tr("Enter the user name.")
    assert dialog.focusWidget() is dialog.pg_user


def test_a_typed_password_goes_to_the_keyring_not_the_file(qtbot: QtBot, own_folders: Path) -> None:
    dialog = open_dialog(qtbot)
    dialog.db_postgresql.setChecked(True)
    type_into(qtbot, dialog, "pg_host", "db.example")
    type_into(qtbot, dialog, "pg_port", "6543")
    type_into(qtbot, dialog, "pg_user", "alice")
    type_into(qtbot, dialog, "pg_password", "Very-Secret-42")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        QTest.keyClick(dialog.pg_password, Qt.Key.Key_Return)
    expected = AppSettings(
        database="postgresql", pg_host="db.example", pg_port=6543, pg_user="alice"
    )
    assert dialog.result_settings() == expected
    text = (own_folders / "settings.json").read_text(encoding="utf-8")
    assert "Very-Secret-42" not in text
    assert json.loads(text)["pg_user"] == "alice"
    assert st.load_settings() == expected
    assert st.load_password(expected) == "Very-Secret-42"
    assert make_url(st.with_keyring_password(st.default_db_url())).password == "Very-Secret-42"

    # Opened again: the password is not shown, but said to be in the keyring.
    again = open_dialog(qtbot, st.load_settings())
    assert again.password() == ""
    assert again.pg_password_state.isVisible()
    assert again.pg_password_state.text() == again.tr(
        "Saved in the system keyring. Type a new one to replace it."
    )
    # OK without typing one keeps the saved password.
    with qtbot.waitSignal(again.accepted, timeout=5000):
        again.buttons.button(again.buttons.StandardButton.Ok).click()
    assert st.load_password(expected) == "Very-Secret-42"


def test_without_a_keyring_the_password_is_saved_nowhere(
    qtbot: QtBot, own_folders: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(FailKeyring())
    dialog = open_dialog(qtbot, AppSettings(database="postgresql", pg_user="alice"))
    assert dialog.pg_password_state.isVisible()  # says there is no keyring
    type_into(qtbot, dialog, "pg_password", "nowhere")
    QTest.keyClick(dialog.pg_password, Qt.Key.Key_Return)
    assert dialog.isVisible()
    # The refusal says why, with the keyring's own reason in brackets.
    assert "系统密钥环不可用（No recommended backend" in dialog.error_text()
    assert dialog.password() == "nowhere"
    assert not (own_folders / "settings.json").exists()
    # Without the password, the settings can be saved.
    type_into(qtbot, dialog, "pg_password", "")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        QTest.keyClick(dialog.pg_password, Qt.Key.Key_Return)
    assert "nowhere" not in (own_folders / "settings.json").read_text(encoding="utf-8")


def test_escape_cancels_and_saves_nothing(qtbot: QtBot, own_folders: Path) -> None:
    dialog = open_dialog(qtbot)
    dialog.language.setCurrentIndex(1)
    with qtbot.waitSignal(dialog.rejected, timeout=5000):
        QTest.keyClick(dialog.language, Qt.Key.Key_Escape)
    assert not (own_folders / "settings.json").exists()


def test_language_and_local_file_are_saved(qtbot: QtBot, own_folders: Path) -> None:
    dialog = open_dialog(qtbot, AppSettings(database="postgresql", pg_user="bob"))
    dialog.language.setFocus()
    QTest.keyClick(dialog.language, Qt.Key.Key_Down)
    dialog.db_local.setChecked(True)
    type_into(qtbot, dialog, "sqlite_path", "/srv/custmd/shared.sqlite")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        QTest.keyClick(dialog.sqlite_path, Qt.Key.Key_Return)
    saved = st.load_settings()
    assert (saved.language, saved.database, saved.sqlite_path, saved.pg_user) == (
        "en",
        "local",
        "/srv/custmd/shared.sqlite",
        "bob",
    )


def test_connection_test_uses_the_given_tester(qtbot: QtBot) -> None:
    seen: list[str] = []

    def tester(url: str) -> str | None:
        seen.append(url)
        return "nope"

    dialog = SettingsDialog(AppSettings(database="postgresql", pg_user="u"), test_connection=tester)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog, "pg_password", "pw")
    dialog.test_connection.click()
    qtbot.waitUntil(lambda: not dialog.is_testing(), timeout=5000)
    assert seen == ["postgresql+psycopg://u:pw@127.0.0.1:5432/custmd"]
    assert dialog.test_result.text() == dialog.tr("Connection failed: %1").replace("%1", "nope")


def pg_dialog(qtbot: QtBot, port: int | None = None) -> SettingsDialog:
    admin = make_url(PG_ADMIN_URL)
    dialog = open_dialog(
        qtbot,
        AppSettings(
            database="postgresql",
            pg_host=admin.host or "127.0.0.1",
            pg_port=port or admin.port or 5432,
            pg_database=admin.database or "postgres",
            pg_user=admin.username or "postgres",
        ),
    )
    if admin.password:
        dialog.pg_password.setText(admin.password)
    return dialog


def test_connection_test_against_the_server(qtbot: QtBot, postgres: PostgresServer) -> None:
    dialog = pg_dialog(qtbot)
    dialog.pg_host.setFocus()
    QTest.keyClick(dialog.pg_host, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # &Test
    waiting = ("", dialog.tr("Connecting…"))
    qtbot.waitUntil(lambda: dialog.test_result.text() not in waiting, timeout=20000)
    assert dialog.test_result.text() == dialog.tr("Connection succeeded.")
    assert dialog.test_connection.isEnabled()


def test_connection_test_reports_a_refused_port(qtbot: QtBot) -> None:
    dialog = pg_dialog(qtbot, port=1)
    dialog.test_connection.click()
    qtbot.waitUntil(lambda: not dialog.is_testing(), timeout=20000)
    failed = dialog.tr("Connection failed: %1").replace("%1", "")
    assert dialog.test_result.text().startswith(failed)
    assert len(dialog.test_result.text()) > len(failed)
    assert dialog.isVisible()


def test_fits_a_small_screen(qtbot: QtBot) -> None:
    dialog = pg_dialog(qtbot, port=1)
    dialog._show_error("x " * 200)
    assert dialog.width() <= 1366 and dialog.height() <= 700
