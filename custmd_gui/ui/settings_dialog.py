"""The settings dialog: the language, and the database (a local file or a shared PostgreSQL
server). A typed password goes to the OS keyring only, never into the settings file.

Source strings are English and go through Qt's translation system (self.tr); the Chinese
translation lives in resources/i18n. The language names 中文 / English are not translated.

Usage from the main window::

    dialog = SettingsDialog(load_settings(), parent=self)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        new = dialog.result_settings()   # already saved to settings.json
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.settings import (
    AppSettings,
    Database,
    Language,
    SecretStoreUnavailable,
    default_sqlite_path,
    load_password,
    save_settings,
    settings_url,
    store_password,
)
from custmd_gui.ui.main_texts import display_url
from custmd_gui.ui.qtutils import named

# Returns None when the database answers, else a message saying what went wrong.
ConnectionTester = Callable[[str], "str | None"]

CONNECT_TIMEOUT_S = 5

# The language names are shown as they are, in every language.
LANGUAGE_NAMES: tuple[tuple[Language, str], ...] = (("zh", "中文"), ("en", "English"))


def check_database_connection(url: str) -> str | None:
    """Connect to `url` and run SELECT 1 (a short connect timeout): None, or the error."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from custmd_gui.persistence.engine import make_engine

    connect_args = {"connect_timeout": CONNECT_TIMEOUT_S} if url.startswith("postgres") else {}
    try:
        engine = make_engine(url, connect_args=connect_args)
    except (SQLAlchemyError, ValueError, ImportError) as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip()
        return detail.splitlines()[0] if detail else type(exc).__name__
    finally:
        engine.dispose()
    return None


class SettingsDialog(QDialog):
    """Edits `AppSettings`; on OK validates, stores a typed password in the keyring and saves
    the settings (to `settings_file`, default: the per-user settings.json)."""

    # (generation, error or None) from the connection test's worker thread
    _tested = Signal(int, object)

    def __init__(
        self,
        settings: AppSettings,
        parent: QWidget | None = None,
        *,
        test_connection: ConnectionTester | None = None,
        settings_file: Path | None = None,
        in_use: str | None = None,
    ) -> None:
        """`in_use`: the database the session runs on, when it may not be the saved one (the
        app started with --db or CUSTMD_DB): shown, and not saved as the setting."""
        super().__init__(parent)
        self.setObjectName("SettingsDialog")
        self._test_connection = test_connection or check_database_connection
        self._settings_file = settings_file
        self._test_generation = 0
        self._testing = False
        self._build()
        self._load(settings)
        self._show_in_use(in_use if in_use and in_use != settings_url(settings) else None)
        self._tested.connect(self._show_test_result, Qt.ConnectionType.QueuedConnection)

    # -- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self.setModal(True)

        self.language = named(QComboBox(), "language")
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        language_label = QLabel(self.tr("&Language:"))
        language_label.setBuddy(self.language)
        top = QFormLayout()
        top.addRow(language_label, self.language)

        self.in_use = named(QLabel(), "db_in_use")
        self.in_use.setWordWrap(True)
        self.in_use.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.in_use.hide()
        database_box = QGroupBox(self.tr("Database"))
        self.db_local = named(QRadioButton(self.tr("Local &file")), "db_local")
        self.db_postgresql = named(
            QRadioButton(self.tr("Shared &PostgreSQL server")), "db_postgresql"
        )
        self._db_group = QButtonGroup(self)
        self._db_group.addButton(self.db_local)
        self._db_group.addButton(self.db_postgresql)
        self.db_local.toggled.connect(self._update_enabled)

        self.sqlite_path = named(QLineEdit(), "sqlite_path")
        self.sqlite_path.setPlaceholderText(str(default_sqlite_path()))
        self.sqlite_path.setClearButtonEnabled(True)
        self.sqlite_path.setMinimumWidth(360)
        self.browse = named(QPushButton(self.tr("&Browse…")), "browse")
        self.browse.setAutoDefault(False)
        self.browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.sqlite_path, 1)
        path_row.addWidget(self.browse)
        self._path_label = QLabel(self.tr("F&ile:"))
        self._path_label.setBuddy(self.sqlite_path)
        local_form = QFormLayout()
        local_form.setContentsMargins(24, 0, 0, 0)
        local_form.addRow(self._path_label, path_row)
        path_note = QLabel(self.tr("Leave empty for the default file."))
        path_note.setObjectName("sqlite_path_note")
        path_note.setEnabled(False)
        local_form.addRow("", path_note)
        self._path_note = path_note

        self.pg_host = named(QLineEdit(), "pg_host")
        self.pg_port = named(QSpinBox(), "pg_port")
        self.pg_port.setRange(1, 65535)
        self.pg_port.setMinimumWidth(90)
        self.pg_port.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.pg_database = named(QLineEdit(), "pg_database")
        self.pg_user = named(QLineEdit(), "pg_user")
        self.pg_password = named(QLineEdit(), "pg_password")
        self.pg_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.pg_password_state = named(QLabel(), "pg_password_state")
        self.pg_password_state.setWordWrap(True)
        self.test_connection = QPushButton(self.tr("&Test connection"))
        self.test_connection.setObjectName("test_connection")
        self.test_connection.setAutoDefault(False)
        self.test_connection.clicked.connect(self.start_connection_test)
        self.test_result = named(QLabel(), "test_result")
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for edit in (self.pg_host, self.pg_database, self.pg_user):
            edit.editingFinished.connect(self._update_password_state)
        self.pg_port.editingFinished.connect(self._update_password_state)

        self._pg_labels: list[QLabel] = []
        pg_form = QFormLayout()
        pg_form.setContentsMargins(24, 0, 0, 0)
        for text, field in (
            (self.tr("&Host:"), self.pg_host),
            (self.tr("Po&rt:"), self.pg_port),
            (self.tr("&Database:"), self.pg_database),
            (self.tr("&User:"), self.pg_user),
            (self.tr("Pass&word:"), self.pg_password),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            self._pg_labels.append(label)
            pg_form.addRow(label, field)
        test_row = QHBoxLayout()
        test_row.setContentsMargins(24, 0, 0, 0)
        test_row.addWidget(self.test_connection)
        test_row.addStretch(1)

        # Wrapped labels straight in the box's column (a form row would cut them off).
        for message in (self.pg_password_state, self.test_result):
            message.setContentsMargins(24, 0, 0, 0)
        box = QVBoxLayout(database_box)
        box.addWidget(self.db_local)
        box.addLayout(local_form)
        box.addWidget(self.db_postgresql)
        box.addLayout(pg_form)
        box.addWidget(self.pg_password_state)
        box.addLayout(test_row)
        box.addWidget(self.test_result)

        self.error = named(QLabel(), "error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setDefault(True)
        ok.setObjectName("ok")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.in_use)
        layout.addWidget(database_box)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        order: list[QWidget] = [
            self.language,
            self.db_local,
            self.db_postgresql,
            self.sqlite_path,
            self.browse,
            self.pg_host,
            self.pg_port,
            self.pg_database,
            self.pg_user,
            self.pg_password,
            self.test_connection,
            ok,
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel),
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _load(self, settings: AppSettings) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        (self.db_postgresql if settings.database == "postgresql" else self.db_local).setChecked(
            True
        )
        self.sqlite_path.setText(settings.sqlite_path)
        self.pg_host.setText(settings.pg_host)
        self.pg_port.setValue(settings.pg_port)
        self.pg_database.setText(settings.pg_database)
        self.pg_user.setText(settings.pg_user)
        self._update_enabled()
        self._update_password_state()

    def _show_in_use(self, url: str | None) -> None:
        """Started on another database than the saved one: say which, and that OK keeps the
        session on it unless the database settings below are changed."""
        self.in_use.setVisible(url is not None)
        if url is not None:
            self.in_use.setText(
                self.tr(
                    "This session uses the database given at start (--db or CUSTMD_DB): %1. "
                    "It is not saved as a setting. The database below is the saved one, for "
                    "starts without --db; the session moves to it only if you change it here."
                ).replace("%1", display_url(url))
            )

    # -- state --------------------------------------------------------------------------------

    def result_settings(self) -> AppSettings:
        """The settings as shown in the dialog (after OK: as saved)."""
        language: Language = self.language.currentData() or "zh"
        database: Database = "postgresql" if self.db_postgresql.isChecked() else "local"
        return AppSettings(
            language=language,
            database=database,
            sqlite_path=self.sqlite_path.text().strip(),
            pg_host=self.pg_host.text().strip(),
            pg_port=self.pg_port.value(),
            pg_database=self.pg_database.text().strip(),
            pg_user=self.pg_user.text().strip(),
        )

    def password(self) -> str:
        """The password typed in this dialog ("" when none was typed)."""
        return self.pg_password.text()

    @Slot()
    def _update_enabled(self) -> None:
        local = self.db_local.isChecked()
        local_widgets: tuple[QWidget, ...] = (self.sqlite_path, self.browse, self._path_label)
        for widget in local_widgets:
            widget.setEnabled(local)
        pg_widgets: tuple[QWidget, ...] = (
            self.pg_host,
            self.pg_port,
            self.pg_database,
            self.pg_user,
            self.pg_password,
            self.pg_password_state,
            self.test_connection,
            self.test_result,
            *self._pg_labels,
        )
        for widget in pg_widgets:
            widget.setEnabled(not local)
        if not local:
            self._update_password_state()

    @Slot()
    def _update_password_state(self) -> None:
        """Say whether the keyring already holds a password for this server and user."""
        if not self.db_postgresql.isChecked():
            return
        settings = self.result_settings()
        if not (settings.pg_user and settings.pg_host):
            self._set_password_state("")
            return
        try:
            stored = load_password(settings)
        except SecretStoreUnavailable as exc:
            self._set_password_state(
                self.tr(
                    "The system keyring is not available; a password cannot be saved: %1"
                ).replace("%1", exc.detail)
            )
            return
        self._set_password_state(
            self.tr("Saved in the system keyring. Type a new one to replace it.") if stored else ""
        )

    def _set_password_state(self, text: str) -> None:
        self.pg_password_state.setText(text)
        self.pg_password_state.setVisible(bool(text))
        self._fit()

    def _fit(self) -> None:
        """Grow to show a (wrapped) message completely rather than cut it off."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _show_error(self, message: str, field: QWidget | None = None) -> None:
        self.error.setText(message)
        self.error.show()
        self._fit()
        if field is not None:
            field.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(field, QLineEdit):
                field.selectAll()

    def error_text(self) -> str:
        return "" if self.error.isHidden() else str(self.error.text())

    # -- actions ------------------------------------------------------------------------------

    @Slot()
    def _browse(self) -> None:
        current = self.sqlite_path.text().strip() or str(default_sqlite_path())
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Database file"),
            current,
            self.tr("SQLite database (*.sqlite *.db);;All files (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.sqlite_path.setText(path)
        self.sqlite_path.setFocus()

    def _missing_field(self) -> tuple[str, QWidget] | None:
        if not self.db_postgresql.isChecked():
            return None
        if not self.pg_host.text().strip():
            return self.tr("Enter the host name of the PostgreSQL server."), self.pg_host
        if not self.pg_database.text().strip():
            return self.tr("Enter the name of the database."), self.pg_database
        if not self.pg_user.text().strip():
            return self.tr("Enter the user name."), self.pg_user
        return None

    def connection_url(self) -> str:
        """The URL for the connection test: the typed or the saved password, in memory only."""
        settings = self.result_settings()
        password: str | None = self.password() or None
        if password is None and settings.database == "postgresql":
            try:
                password = load_password(settings)
            except SecretStoreUnavailable:
                password = None
        return settings_url(settings, password)

    @Slot()
    def start_connection_test(self) -> None:
        """Test the connection in a worker thread; the result appears in `test_result`."""
        missing = self._missing_field()
        if missing:
            self._show_error(*missing)
            return
        if self._testing:
            return
        self._testing = True
        self._test_generation += 1
        generation = self._test_generation
        url = self.connection_url()
        self.test_connection.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(self.tr("Connecting…"))
        tester = self._test_connection
        from custmd_gui.ui.operations import Operation

        def work() -> str | None:
            try:
                return tester(url)
            except Exception as exc:  # the tester's own bug: said as the test's failure
                return f"{type(exc).__name__}: {exc}"

        def tested(error: str | None) -> None:
            with contextlib.suppress(RuntimeError):  # the dialog was closed meanwhile
                self._tested.emit(generation, error)

        # Not busy: the dialog stays usable (Cancel, editing the URL) while it connects.
        Operation(None, work, busy=False).on_success(tested).run()

    @Slot(int, object)
    def _show_test_result(self, generation: int, error: object) -> None:
        if generation != self._test_generation:
            return
        self._testing = False
        self.test_connection.setEnabled(self.db_postgresql.isChecked())
        if error is None:
            self.test_result.setStyleSheet("color: #1b5e20;")
            self.test_result.setText(self.tr("Connection succeeded."))
        else:
            self.test_result.setStyleSheet("color: #b00020;")
            self.test_result.setText(self.tr("Connection failed: %1").replace("%1", str(error)))
        self._fit()

    def is_testing(self) -> bool:
        return self._testing

    def accept(self) -> None:
        """Validate, put a typed password into the keyring, save the settings, close."""
        missing = self._missing_field()
        if missing:
            self._show_error(*missing)
            return
        settings = self.result_settings()
        if settings.database == "postgresql" and self.password():
            try:
                store_password(settings, self.password())
            except SecretStoreUnavailable as exc:
                self._show_error(
                    self.tr(
                        "The password was not saved: the system keyring is not available "
                        "(%1). Clear the password field to save the settings without it."
                    ).replace("%1", exc.detail),
                    self.pg_password,
                )
                return
        try:
            save_settings(settings, self._settings_file)
        except OSError as exc:
            self._show_error(self.tr("The settings could not be saved: %1").replace("%1", str(exc)))
            return
        self.error.hide()
        super().accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        # A late connection test result is ignored.
        self._test_generation += 1
        super().closeEvent(event)
