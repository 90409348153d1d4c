"""系统 → 备份… / 恢复…: back the open database up into a file, restore one (services.backup);
and the rolling automatic backups of a local file, started when a session begins.

One small dialog for both: the file (typed, or chosen with 浏览…), what will happen, a busy
bar with the step under way, and the result. The work runs in a worker thread (ui.operations),
the window keeps painting.

Restore asks first (the default answer is No) and replaces the database the app has open:
the window lets go of it (closing its wizards, which ask about unsaved data), the service
restores, and the window opens it again, with a new login when it has users. A PostgreSQL
database is restored with `custmd db restore` into a new empty database only, so the dialog
says so and offers no button there.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.settings import automatic_backup_dir
from custmd_gui.ui import i18n
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP
from custmd_gui.ui.operations import Operation
from custmd_gui.ui.qtutils import bring_up, button_row, file_row, push_button
from custmd_gui.ui.styles import DONE_STYLE, ERROR_STYLE, HINT_STYLE

if TYPE_CHECKING:
    from custmd_gui.catalog import Text
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.services.backup import Manifest, RestoreResult
    from custmd_gui.services.context import Actor

log = logging.getLogger(__name__)

CONTEXT = "BackupDialog"
OBJECT_NAME = "backup_dialog"
CONFIRM_NAME = "confirm_restore"
SUFFIX = ".custmd-backup"  # services.backup.SUFFIX, without importing the services

TEXTS: dict[str, str] = {
    "title.backup": QT_TRANSLATE_NOOP("BackupDialog", "Back up the database - custmd"),
    "title.restore": QT_TRANSLATE_NOOP("BackupDialog", "Restore the database - custmd"),
    "file": QT_TRANSLATE_NOOP("BackupDialog", "Backup &file:"),
    "browse": QT_TRANSLATE_NOOP("BackupDialog", "&Browse…"),
    "filter": QT_TRANSLATE_NOOP("BackupDialog", "custmd backups (*.custmd-backup)"),
    "start.backup": QT_TRANSLATE_NOOP("BackupDialog", "Back &up"),
    "start.restore": QT_TRANSLATE_NOOP("BackupDialog", "&Restore…"),
    "close": QT_TRANSLATE_NOOP("BackupDialog", "Close"),
    "info.backup": QT_TRANSLATE_NOOP(
        "BackupDialog",
        "Writes the whole database ({db}) into one file: customers, change documents, "
        "users and roles, the usage register, customizing and number ranges. It may be "
        "taken while others work.\nAutomatic backups of a local database (one a day, the "
        "last 7): {folder}",
    ),
    "info.restore": QT_TRANSLATE_NOOP(
        "BackupDialog",
        "Replaces the database {db} with the backup once the backup has been checked; the "
        "replaced file is kept as {kept}. The database is opened again afterwards (sign in "
        "again).",
    ),
    "info.restore_server": QT_TRANSLATE_NOOP(
        "BackupDialog",
        "A shared PostgreSQL database is restored by the administrator into a new, empty "
        "database (createdb), never over the one in use:\ncustmd db restore FILE --db "
        "postgresql://user@host/new_database",
    ),
    "no_file": QT_TRANSLATE_NOOP("BackupDialog", "Backup file: enter or choose a file"),
    "backed_up": QT_TRANSLATE_NOOP(
        "BackupDialog", "Backup written: {file} ({customers} customers, schema {revision})"
    ),
    "restored": QT_TRANSLATE_NOOP(
        "BackupDialog",
        "Restored: {customers} customers from the backup of {created}. The replaced "
        "database is kept as {kept}.",
    ),
    "restored_new": QT_TRANSLATE_NOOP(
        "BackupDialog", "Restored: {customers} customers from the backup of {created}."
    ),
    "confirm.title": QT_TRANSLATE_NOOP("BackupDialog", "Restore the database"),
    "confirm.text": QT_TRANSLATE_NOOP(
        "BackupDialog",
        "Replace the database with the backup of {created} ({customers} customers)?",
    ),
    "confirm.info": QT_TRANSLATE_NOOP(
        "BackupDialog",
        "Changes made since the backup are no longer in the database (the replaced file is "
        "kept as {kept}). Open windows are closed, and the database is opened again "
        "afterwards.",
    ),
    "confirm.yes": QT_TRANSLATE_NOOP("BackupDialog", "&Restore"),
    "confirm.no": QT_TRANSLATE_NOOP("BackupDialog", "&Do not restore"),
    "kept_off": QT_TRANSLATE_NOOP("BackupDialog", "Restore cancelled: a window kept its data"),
    "automatic_failed": QT_TRANSLATE_NOOP("BackupDialog", "Automatic backup failed: {error}"),
}


def tr_(key: str) -> str:
    return QCoreApplication.translate(CONTEXT, TEXTS[key])


def _text(text: Text) -> str:
    return text.get(i18n.language())


def _problems(exc: DomainError) -> str:
    return "\n".join(_text(p.message) for p in exc.problems)


class BackupDialog(QDialog):
    """Back up (`mode` "backup") or restore ("restore") the database at `url`.

    `engine` is the open database's (what a backup reads); for a restore, `release()` lets
    go of the database (False: a window kept its unsaved data, nothing happens) and
    `reopen()` opens it again, whatever the restore's outcome."""

    def __init__(
        self,
        mode: str,
        url: str,
        engine: Any,
        actor: Actor,
        *,
        release: Callable[[], bool] = lambda: True,
        reopen: Callable[[], None] = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(OBJECT_NAME)
        self.setWindowFlag(Qt.WindowType.Window)
        self.mode = mode
        self.url = url
        self.engine = engine
        self.actor = actor
        self.release = release
        self.reopen = reopen
        self.local = url.startswith("sqlite") or "://" not in url
        self.operation: Operation[Any] | None = None

        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.file_label, self.file_edit, self.browse_button = file_row(
            self, "backup_file", self.browse
        )
        self.file_edit.setMinimumWidth(420)
        row.addWidget(self.file_label)
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.browse_button)
        layout.addLayout(row)
        self.info = QLabel(self)
        self.info.setObjectName("backup_info")
        self.info.setWordWrap(True)
        self.info.setStyleSheet(HINT_STYLE)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.info)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("backup_progress")
        self.progress.setRange(0, 0)  # busy: the steps have no measurable size
        self.progress.setTextVisible(False)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.step = QLabel(self)
        self.step.setObjectName("backup_step")
        layout.addWidget(self.step)
        self.outcome = QLabel(self)
        self.outcome.setObjectName("backup_result")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        self.start_button = push_button(self, "start_button", self.start, default=True)
        self.close_button = push_button(self, "close_button", self.close)
        layout.addLayout(button_row(self.start_button, self.close_button))

        if mode == "backup":
            stamp = dt.date.today().isoformat()
            self.file_edit.setText(str(Path.home() / f"custmd-{stamp}{SUFFIX}"))
        elif not self.local:
            for widget in (self.file_edit, self.browse_button, self.start_button):
                widget.setEnabled(False)
        self.retranslate()
        self.resize(640, 260)
        self.file_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        self.setWindowTitle(tr_(f"title.{self.mode}"))
        self.file_label.setText(tr_("file"))
        self.browse_button.setText(tr_("browse"))
        self.start_button.setText(tr_(f"start.{self.mode}"))
        self.close_button.setText(tr_("close"))
        if self.mode == "backup":
            info = tr_("info.backup").format(db=self._db(), folder=automatic_backup_dir())
        elif self.local:
            info = tr_("info.restore").format(db=self._db(), kept=self._kept())
        else:
            info = tr_("info.restore_server")
        self.info.setText(info)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _db(self) -> str:
        from custmd_gui.ui.main_texts import display_url

        return display_url(self.url)

    def _kept(self) -> str:
        return f"{Path(self._db()).name}.before-restore"

    @Slot()
    def browse(self) -> None:
        current = self.file_edit.text().strip() or str(Path.home())
        if self.mode == "backup":
            path, _ = QFileDialog.getSaveFileName(self, tr_("file"), current, tr_("filter"))
        else:
            path, _ = QFileDialog.getOpenFileName(self, tr_("file"), current, tr_("filter"))
        if path:
            self.file_edit.setText(path)

    # -- running ------------------------------------------------------------------------------

    def _file(self) -> Path | None:
        text = self.file_edit.text().strip()
        if not text:
            self._say(tr_("no_file"), ok=False)
            self.file_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        return Path(text).expanduser()

    def _say(self, text: str, *, ok: bool) -> None:
        self.outcome.setStyleSheet(DONE_STYLE if ok else ERROR_STYLE)
        self.outcome.setText(text)

    def _busy(self, on: bool) -> None:
        self.progress.setVisible(on)
        self.start_button.setEnabled(not on)
        self.close_button.setEnabled(not on)
        if not on:
            self.step.clear()

    def _step(self, value: object) -> None:
        self.step.setText(_text(value))  # type: ignore[arg-type]

    @Slot()
    def start(self) -> None:
        if self.operation is not None and self.operation.running:
            return
        path = self._file()
        if path is None:
            return
        self.outcome.clear()
        if self.mode == "backup":
            self._backup(path)
        else:
            self._restore(path)

    def _backup(self, path: Path) -> None:
        from custmd_gui.services.backup import backup_database

        def work() -> Manifest:
            return backup_database(self.engine, path, self.actor, operation.progress)

        def done(manifest: Manifest) -> None:
            self._busy(False)
            self._say(
                tr_("backed_up").format(
                    file=path,
                    customers=manifest.counts.get("kna1", 0),
                    revision=manifest.schema_revision,
                ),
                ok=True,
            )

        operation: Operation[Manifest] = Operation(self, work)
        self._run(operation.on_success(done))

    def _restore(self, path: Path) -> None:
        from custmd_gui.domain.errors import DomainError
        from custmd_gui.services.backup import read_manifest, restore_database

        try:
            manifest = read_manifest(path)
        except DomainError as exc:
            self._say(_problems(exc), ok=False)
            return
        if not self.confirm(manifest):
            return
        if not self.release():
            self._say(tr_("kept_off"), ok=False)
            return

        def work() -> RestoreResult:
            return restore_database(
                path, self.url, self.actor, force=True, progress=operation.progress
            )

        def done(result: RestoreResult) -> None:
            self._busy(False)
            values = {
                "customers": result.counts.get("kna1", 0),
                "created": _local_time(result.manifest.created_at),
                "kept": result.before_restore,
            }
            key = "restored" if result.before_restore else "restored_new"
            self._say(tr_(key).format(**values), ok=True)
            self.reopen()

        operation: Operation[RestoreResult] = Operation(self, work)
        operation.on_success(done).on_crash(self._crashed_after_release)
        self._run(operation, after_failure=self.reopen)

    def _crashed_after_release(self, info: Any) -> None:
        import sys

        self._busy(False)
        self.reopen()
        sys.excepthook(*info)

    def _run(
        self, operation: Operation[Any], after_failure: Callable[[], None] | None = None
    ) -> None:
        def failed(exc: DomainError) -> None:
            self._busy(False)
            self._say(_problems(exc), ok=False)
            if after_failure is not None:
                after_failure()

        operation.on_failure(failed).on_progress(self._step)
        self._busy(True)
        self.operation = operation.run()

    def confirm(self, manifest: Manifest) -> bool:
        """Are you sure? The default answer (Enter, Esc) is no."""
        box = self.confirmation(manifest)
        answer = box.exec()
        box.deleteLater()
        self.activateWindow()
        return answer == QMessageBox.StandardButton.Yes

    def confirmation(self, manifest: Manifest) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            tr_("confirm.title"),
            tr_("confirm.text").format(
                created=_local_time(manifest.created_at),
                customers=manifest.counts.get("kna1", 0),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName(CONFIRM_NAME)
        box.setInformativeText(tr_("confirm.info").format(kept=self._kept()))
        box.button(QMessageBox.StandardButton.Yes).setText(tr_("confirm.yes"))
        box.button(QMessageBox.StandardButton.No).setText(tr_("confirm.no"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        return box

    def closeEvent(self, event: Any) -> None:
        if self.operation is not None and self.operation.running:
            event.ignore()  # the work finishes first (a half-restored database helps no one)
            return
        super().closeEvent(event)


def _local_time(iso: str) -> str:
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def open_backup_dialog(
    parent: QWidget,
    mode: str,
    url: str,
    engine: Any,
    actor: Actor,
    *,
    release: Callable[[], bool],
    reopen: Callable[[], None],
) -> BackupDialog:
    dialog = BackupDialog(mode, url, engine, actor, release=release, reopen=reopen, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    bring_up(dialog)
    return dialog


def start_automatic_backup(
    url: str, engine: Any, on_failed: Callable[[str], None]
) -> Operation[Path | None] | None:
    """The day's automatic backup of a local database file, in the background (see
    services.backup.automatic_backup); None for a server database. A failure is said
    through `on_failed` and logged, never a crash dialog in the clerk's face."""
    if not (url.startswith("sqlite") or "://" not in url):
        return None
    from custmd_gui.services.backup_automatic import automatic_backup

    def failed(message: str) -> None:
        log.warning("automatic backup of %s failed: %s", url, message)
        on_failed(tr_("automatic_failed").format(error=message))

    operation: Operation[Path | None] = Operation(
        None, lambda: automatic_backup(engine, automatic_backup_dir()), busy=False
    )
    operation.on_success(lambda path: log.info("automatic backup: %s", path))
    operation.on_failure(lambda exc: failed(_problems(exc)))
    operation.on_crash(lambda info: failed(str(info[1])))
    return operation.run()
