"""文件 → 离线工作… and 文件 → 同步 (issue 19): check the shared database out to a replica
file and open it; the window's offline state (离线 with the last sync, what offline cannot do
disabled with the replica's own refusal as the reason); push then pull with progress, and the
conflict dialog (ui.offline_conflicts) when conflicts remain.

The checkout and the sync run in a worker thread (ui.operations); the checkout's cancel is
heard at the next chunk of customers copied, and the service removes the half-made file."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.settings import data_dir
from custmd_gui.ui import i18n
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP
from custmd_gui.ui.main_texts import tr_ as main_tr
from custmd_gui.ui.offline_conflicts import server_refusals
from custmd_gui.ui.operations import Operation
from custmd_gui.ui.qtutils import bring_up, button_row, error_label, file_row, push_button
from custmd_gui.ui.styles import DONE_STYLE, HINT_STYLE

if TYPE_CHECKING:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.services.offline_checkout import CheckoutResult, ReplicaStatus
    from custmd_gui.services.offline_sync import SyncReport
    from custmd_gui.ui.main import MainWindow

CONTEXT = "OfflineDialog"

TEXTS: dict[str, str] = {
    "title": QT_TRANSLATE_NOOP("OfflineDialog", "Work offline - custmd"),
    "info": QT_TRANSLATE_NOOP(
        "OfflineDialog",
        "Copies the customers you may see on {server}, the customizing, your rights and a "
        "block of internal numbers per account group into a file on this computer, and opens "
        "it, also at the next start. Work on it without a connection; File → Synchronize "
        "sends your changes and fetches the server's; File → Settings goes back to the server.",
    ),
    "file": QT_TRANSLATE_NOOP("OfflineDialog", "Replica &file:"),
    "browse": QT_TRANSLATE_NOOP("OfflineDialog", "&Browse…"),
    "filter": QT_TRANSLATE_NOOP("OfflineDialog", "Offline replicas (*.sqlite)"),
    "block": QT_TRANSLATE_NOOP("OfflineDialog", "&Numbers per block:"),
    "block.tip": QT_TRANSLATE_NOOP(
        "OfflineDialog",
        "Internal customer numbers reserved on the server for this computer, per number range",
    ),
    "start": QT_TRANSLATE_NOOP("OfflineDialog", "&Check out"),
    "cancel": QT_TRANSLATE_NOOP("OfflineDialog", "Cancel"),
    "close": QT_TRANSLATE_NOOP("OfflineDialog", "Close"),
    "no_file": QT_TRANSLATE_NOOP("OfflineDialog", "Replica file: enter or choose a file"),
    "step.connect": QT_TRANSLATE_NOOP("OfflineDialog", "Connecting to the server…"),
    "step.customers": QT_TRANSLATE_NOOP("OfflineDialog", "Copying the customers…"),
    "step.customizing": QT_TRANSLATE_NOOP("OfflineDialog", "Copying the customizing…"),
    "step.numbers": QT_TRANSLATE_NOOP("OfflineDialog", "Reserving number blocks…"),
    "step.cancelling": QT_TRANSLATE_NOOP("OfflineDialog", "Cancelling…"),
    "cancelled": QT_TRANSLATE_NOOP(
        "OfflineDialog", "Checkout cancelled; no replica file was left behind"
    ),
    "done": QT_TRANSLATE_NOOP(
        "OfflineDialog", "Checked out: {customers} customers into {file}; opening it…"
    ),
    "sync.title": QT_TRANSLATE_NOOP("OfflineDialog", "Synchronize - custmd"),
    "sync.push": QT_TRANSLATE_NOOP(
        "OfflineDialog", "Sending the offline changes ({done}/{total})…"
    ),
    "sync.pull": QT_TRANSLATE_NOOP("OfflineDialog", "Fetching the server's changes…"),
    "sync.done": QT_TRANSLATE_NOOP(
        "OfflineDialog",
        "Synchronized: changes sent {pushed}, fields applied {applied}, new conflicts "
        "{conflicts}, customers fetched {pulled}",
    ),
    "sync.open_conflicts": QT_TRANSLATE_NOOP("OfflineDialog", "&Resolve conflicts…"),
    "sync.remaining": QT_TRANSLATE_NOOP("OfflineDialog", "Conflicts waiting to be resolved: {n}"),
}


def tr_(key: str) -> str:
    return QCoreApplication.translate(CONTEXT, TEXTS[key])


def _problems(exc: DomainError) -> str:
    return "\n".join(p.message.get(i18n.language()) for p in exc.problems)


class Cancelled(Exception):
    """Raised in the checkout's thread at its next step once Cancel was pressed."""


def default_replica(user: str) -> Path:
    """Where a replica goes unless the clerk picks a file: the per-user data folder, one file
    per user and day (a second checkout the same day gets a numbered name)."""
    folder = data_dir() / "offline"
    stem = f"{user or 'replica'}-{dt.date.today():%Y%m%d}"
    path, n = folder / f"{stem}.sqlite", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.sqlite"
    return path


class CheckoutDialog(QDialog):
    """The replica file, the block size, a progress bar, and Cancel while it runs."""

    def __init__(self, server_url: str, shown_server: str, user: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("offline_checkout")
        self.server_url = server_url
        self.shown_server = shown_server
        self.operation: Operation[CheckoutResult] | None = None
        self.cancel_asked = False
        self.result_path: Path | None = None

        layout = self.main_layout = QVBoxLayout(self)
        self.info = QLabel(self)
        self.info.setObjectName("offline_info")
        self.info.setWordWrap(True)
        self.info.setStyleSheet(HINT_STYLE)
        layout.addWidget(self.info)
        form = QFormLayout()
        self.file_label, self.file_edit, self.browse_button = file_row(
            self, "replica_file", self.browse
        )
        self.file_edit.setMinimumWidth(420)
        self.file_edit.setText(str(default_replica(user)))
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.browse_button)
        form.addRow(self.file_label, row)
        self.block_label = QLabel(self)
        self.block_size = QSpinBox(self)
        self.block_size.setObjectName("block_size")
        self.block_size.setRange(1, 10000)
        self.block_size.setValue(100)  # services.offline_checkout.DEFAULT_BLOCK_SIZE
        self.block_label.setBuddy(self.block_size)
        form.addRow(self.block_label, self.block_size)
        layout.addLayout(form)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("checkout_progress")
        self.progress.setRange(0, 100)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.step = QLabel(self)
        self.step.setObjectName("checkout_step")
        layout.addWidget(self.step)
        self.error = error_label(self, "checkout_error")
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.start_button = push_button(self, "start_button", self.start, default=True)
        self.cancel_button = push_button(self, "cancel_button", self.cancel)
        layout.addLayout(button_row(self.start_button, self.cancel_button))
        self.setMinimumWidth(680)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr_("title"))
        self.info.setText(tr_("info").format(server=self.shown_server))
        # The wrapped text's height for the dialog's width: a layout asks a label's
        # sizeHint, which is that of one long line.
        margins = self.main_layout.contentsMargins()
        width = self.minimumWidth() - margins.left() - margins.right()
        self.info.setMinimumHeight(self.info.heightForWidth(width))
        self.file_label.setText(tr_("file"))
        self.browse_button.setText(tr_("browse"))
        self.block_label.setText(tr_("block"))
        self.block_size.setToolTip(tr_("block.tip"))
        self.start_button.setText(tr_("start"))
        self.cancel_button.setText(tr_("cancel"))

    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, tr_("title"), self.file_edit.text(), tr_("filter")
        )
        if path:
            self.file_edit.setText(path)

    def start(self) -> None:
        from custmd_gui.services.offline_checkout import checkout

        text = self.file_edit.text().strip()
        if not text:
            self._refused(tr_("no_file"))
            return
        path = Path(text).expanduser()
        size = self.block_size.value()
        self.error.hide()
        self.cancel_asked = False
        self.progress.setValue(0)
        self.progress.show()
        self.step.setText(tr_("step.connect"))
        for widget in (self.file_edit, self.browse_button, self.block_size, self.start_button):
            widget.setEnabled(False)

        def progress(step: str, done: int, total: int) -> None:
            if self.cancel_asked:  # read from the worker thread: a plain flag
                raise Cancelled
            operation.progress((step, done, total))

        def work() -> CheckoutResult | None:
            path.parent.mkdir(parents=True, exist_ok=True)
            with server_refusals():
                try:
                    return checkout(self.server_url, path, block_size=size, progress=progress)
                except Cancelled:
                    return None

        operation: Operation[Any] = Operation(self, work, busy=False)
        operation.on_progress(self._progressed).on_success(self._done)
        operation.on_failure(lambda exc: self._refused(_problems(exc)))
        self.operation = operation.run()

    def _progressed(self, value: object) -> None:
        step, done, total = cast("tuple[str, int, int]", value)
        if self.cancel_asked:
            return
        self.step.setText(tr_(f"step.{step}"))
        # The customers' tables are most of the work: 0-80 %, then customizing and numbers.
        share = {"customers": 0, "customizing": 80, "numbers": 90}[step]
        if step == "customers":
            share = int(80 * done / max(total, 1))
        elif step == "numbers" and done:
            share = 100
        self.progress.setValue(share)

    def _done(self, result: CheckoutResult | None) -> None:
        if result is None:
            self._idle()
            self.step.setText(tr_("cancelled"))
            return
        self.progress.setValue(100)
        self.step.setStyleSheet(DONE_STYLE)
        self.step.setText(tr_("done").format(customers=result.customers, file=result.path))
        self.result_path = result.path
        self.accept()

    def _refused(self, message: str) -> None:
        self._idle()
        self.step.clear()
        self.error.setText(message)
        self.error.show()

    def _idle(self) -> None:
        self.progress.hide()
        for widget in (self.file_edit, self.browse_button, self.block_size, self.start_button):
            widget.setEnabled(True)

    def cancel(self) -> None:
        if self.operation is not None and self.operation.running:
            self.cancel_asked = True
            self.step.setText(tr_("step.cancelling"))
            return
        self.reject()

    def reject(self) -> None:
        if self.operation is not None and self.operation.running:
            self.cancel()  # Esc while it runs: cancel first, close once it stopped
            return
        super().reject()


def remember_replica(path: Path) -> None:
    """The replica becomes the database of the settings: the next start, away from the
    network, opens it (文件 → 设置 goes back to the server, whose fields stay as they were)."""
    from dataclasses import replace

    from custmd_gui.settings import load_settings, save_settings

    save_settings(replace(load_settings(), database="local", sqlite_path=str(path)))


def start_checkout(window: MainWindow) -> CheckoutDialog | None:
    """文件 → 离线工作…: the dialog; once checked out, the window opens the replica."""
    from custmd_gui.settings import with_keyring_password
    from custmd_gui.ui.main_texts import display_url

    database, actor = window.database, window.actor
    if database is None or actor is None:
        window.statusBar().showMessage(main_tr("db.not_ready"))
        return None
    if database.offline is not None:
        window.statusBar().showMessage(main_tr("offline.already"))
        return None
    if not window.url.startswith(("postgresql", "postgres:")):
        window.statusBar().showMessage(main_tr("offline.not_shared"))
        return None
    dialog = CheckoutDialog(
        with_keyring_password(window.url),
        re.sub(r"^[^:/]+://([^@/]*@)?", "", display_url(window.url)),  # host:port/database
        actor.user,
        window,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished(result: int) -> None:
        if result and dialog.result_path is not None:
            remember_replica(dialog.result_path)
            window.switch_database(f"sqlite:///{dialog.result_path}")

    dialog.finished.connect(finished)
    dialog.open()
    bring_up(dialog)
    return dialog


# -- the window while it works on a replica ---------------------------------------------------

# Actions a replica refuses, by the key of services.offline_checkout.offline_limits.
LIMITED = {
    "users_action": "users",
    "archive_action": "users",
    "customizing_action": "customizing",
    "delete_customers_action": "delete",
    "requests_action": "requests",
}


def last_sync(status: ReplicaStatus) -> str:
    """The last sync in local time, to the minute."""
    try:
        moment = dt.datetime.fromisoformat(status.last_sync)
    except ValueError:
        return status.last_sync
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment:%Y-%m-%d %H:%M}"


def show_state(window: MainWindow) -> None:
    """The window's title, status bar and actions for the database it has open: online as
    usual; on a replica 离线 with the last sync, and what the replica refuses disabled with
    its refusal as the tip. Called when the session starts or ends, after a sync, and when
    the language changes."""
    database = window.database
    status = database.offline if database is not None else None
    label = window.offline_label
    actions = window.menu_actions
    title = main_tr("window.title")
    if status is None:
        label.hide()
        window.setWindowTitle(title)
        actions["sync_action"].setEnabled(False)
        actions["sync_action"].setStatusTip(main_tr("offline.not_offline"))
        return
    when = last_sync(status)
    label.setText(main_tr("offline.label").format(time=when))
    label.setToolTip(
        main_tr("offline.waiting").format(waiting=status.waiting, conflicts=status.conflicts)
    )
    label.show()
    window.setWindowTitle(main_tr("offline.title").format(title=title, time=when))
    actions["offline_action"].setEnabled(False)
    actions["offline_action"].setStatusTip(main_tr("offline.already"))
    actions["sync_action"].setEnabled(True)
    actions["sync_action"].setStatusTip("")
    from custmd_gui.services.offline_checkout import offline_limits

    limits = offline_limits()
    for menu in window.menus.values():
        menu.setToolTipsVisible(True)  # the reason over a greyed-out entry
    for name, key in LIMITED.items():
        reason = _problems(limits[key])
        action = actions[name]
        action.setEnabled(False)
        action.setToolTip(reason)
        action.setStatusTip(reason)


# -- 文件 → 同步 ---------------------------------------------------------------------------------


class SyncDialog(QDialog):
    """The sync's progress, then its result; 解决冲突… when conflicts remain."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("offline_sync")
        layout = QVBoxLayout(self)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("sync_progress")
        self.progress.setRange(0, 0)
        layout.addWidget(self.progress)
        self.step = QLabel(self)
        self.step.setObjectName("sync_step")
        self.step.setWordWrap(True)
        layout.addWidget(self.step)
        self.error = error_label(self, "sync_error")
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.conflicts_button = QPushButton(self)
        self.conflicts_button.setObjectName("conflicts_button")
        self.conflicts_button.hide()
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("close_button")
        self.close_button.setEnabled(False)
        self.close_button.clicked.connect(self.accept)
        buttons.addWidget(self.conflicts_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.setWindowTitle(tr_("sync.title"))
        self.conflicts_button.setText(tr_("sync.open_conflicts"))
        self.close_button.setText(tr_("close"))
        self.setMinimumWidth(480)

    def progressed(self, value: object) -> None:
        step, done, total = cast("tuple[str, int, int]", value)
        if step == "push":
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)
            self.step.setText(tr_("sync.push").format(done=done, total=total))
        else:
            self.progress.setRange(0, 0)
            self.step.setText(tr_("sync.pull"))

    def finished_with(self, report: SyncReport | None, remaining: int, error: str = "") -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.close_button.setEnabled(True)
        self.close_button.setDefault(True)
        if report is None:
            self.step.clear()
            self.error.setText(error)
            self.error.show()
            return
        text = tr_("sync.done").format(
            pushed=report.pushed,
            applied=report.applied_fields,
            conflicts=report.conflicts,
            pulled=report.pulled,
        )
        if remaining:
            text += "\n" + tr_("sync.remaining").format(n=remaining)
            self.conflicts_button.show()
        self.step.setStyleSheet(DONE_STYLE)
        self.step.setText(text)
        # Room for the wrapped lines (a layout sizes a label by its one-line hint).
        self.step.setMinimumHeight(self.step.heightForWidth(max(self.step.width(), 440)))
        self.adjustSize()


def server_url_of(status: ReplicaStatus) -> str:
    """The replica's server with the keyring's password, if one is saved for it."""
    from custmd_gui.settings import with_keyring_password

    return with_keyring_password(status.server)


def start_sync(window: MainWindow) -> SyncDialog | None:
    """文件 → 同步: push then pull in a worker thread; the result, and the conflict dialog
    when conflicts remain."""
    from custmd_gui.services.offline_checkout import replica_status
    from custmd_gui.services.offline_sync import sync

    database = window.database
    if database is None or database.offline is None:
        window.statusBar().showMessage(main_tr("offline.not_offline"))
        return None
    replica: Any = database.factory
    url = server_url_of(database.offline)
    dialog = SyncDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.conflicts_button.clicked.connect(lambda: open_conflicts(window))

    def work() -> tuple[SyncReport, ReplicaStatus]:
        with server_refusals():
            report = sync(replica, url, progress=lambda *step: operation.progress(step))
        return report, replica_status(replica)

    def done(outcome: tuple[SyncReport, ReplicaStatus]) -> None:
        report, status = outcome
        database.offline = status
        show_state(window)
        dialog.finished_with(report, status.conflicts)
        if status.conflicts:  # over the result, which stays readable behind it
            open_conflicts(window)

    def refused(exc: DomainError) -> None:
        dialog.finished_with(None, 0, _problems(exc))

    operation: Operation[Any] = Operation(dialog, work, changes=lambda _r: [])
    operation.on_progress(dialog.progressed).on_success(done).on_failure(refused)
    dialog.open()
    operation.run()
    return dialog


def open_conflicts(window: MainWindow) -> QDialog | None:
    from custmd_gui.ui.offline_conflicts import ConflictDialog

    database = window.database
    if database is None or database.offline is None:
        return None
    dialog = ConflictDialog(database.factory, server_url_of(database.offline), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.resolved.connect(lambda status: _after_resolve(window, status))
    dialog.open()
    return dialog


def _after_resolve(window: MainWindow, status: object) -> None:
    if window.database is not None:
        window.database.offline = status  # type: ignore[assignment]
        show_state(window)
