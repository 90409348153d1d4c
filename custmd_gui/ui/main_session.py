"""The main window's session layer: who is signed in on which database, what the menu lets
them do, and letting go of the database (another one chosen in the settings, a restore, the
app closing).

A layer of MainWindow (see ui.main): ui.main opens the database and hands the opened database
and the user to `_start_session`; everything after that is here. Imports only what ui.main may
import before the window is shown (ui.startup).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, cast

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from custmd_gui.ui import main_actions
from custmd_gui.ui.customer_list_model import COLUMNS
from custmd_gui.ui.main_texts import display_url, language, set_language, tr_
from custmd_gui.ui.main_transactions import TransactionsWindow
from custmd_gui.ui.requests.inbox_count import InboxCount
from custmd_gui.ui.startup import warm_xd01_modules
from custmd_gui.ui.window_layout import save_layout

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.ui.login_dialog import LoginDialog
    from custmd_gui.ui.main import MainWindow
    from custmd_gui.ui.startup import DatabaseLoader, OpenedDatabase


class SessionWindow(TransactionsWindow):
    """The signed-in user's session on the list's database."""

    # Set up by MainWindow.__init__ (ui.main) and its menu table (ui.main_actions).
    demo: bool
    loader: DatabaseLoader | None
    login_dialog: LoginDialog | None
    database_state: str
    user_label: QLabel
    db_label: QLabel
    offline_label: QLabel
    inbox_count: InboxCount
    menu_actions: dict[str, QAction]
    create_action: QAction
    sync_action: QAction
    delete_customers_action: QAction
    _given_actor: Actor | None
    _disposed: bool

    def open_database(self) -> None:
        """Open self.url's database and start a session on it (ui.main)."""
        raise NotImplementedError

    def retranslate(self) -> None:
        """Every visible text again, in the current language (ui.main)."""
        raise NotImplementedError

    def whole(self) -> MainWindow:
        """This window as the modules that act on all its layers (the menu table, the
        offline state) take it: a SessionWindow is only ever made as a MainWindow."""
        return cast("MainWindow", self)

    def _db_text(self) -> str:
        text = tr_("db.label").format(db=display_url(self.url))
        return text + tr_("db.demo") if self.demo else text

    def _start_session(self, database: OpenedDatabase, actor: Actor) -> None:
        """The database is open and the user known: every window from now on acts as
        `actor`, the menu follows its rights and the list shows what it may see."""
        self.database = database
        self.actor = actor
        self.database_state = "ready"
        self._apply_rights()
        self._show_user()
        self.inbox_count.start(database.factory, actor)
        if database.problems:
            self.show_banner("\n".join(database.problems))
        if not self.demo:  # the day's automatic backup of a local file, in the background
            from custmd_gui.ui.backup_dialog import start_automatic_backup

            start_automatic_backup(self.url, database.engine, self.statusBar().showMessage)
        self._fill_search_choices()
        self.search_bar.setEnabled(True)
        if self.isActiveWindow():  # back from the login dialog: ready to type a search
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        self.start_search()
        if "custmd_gui.ui.wizard" not in sys.modules:  # once per process, in the background
            from custmd_gui.ui.operations import Operation

            Operation(None, warm_xd01_modules, busy=False).on_success(self._prepare_xd01).run()
        else:
            self._prepare_xd01()

    def _prepare_xd01(self, _imported: object = None) -> None:
        """XD01's window made ahead (prepare_create_wizard), as soon as the events waiting
        (the list's) are done, for a user who may create customers."""
        if shiboken6.isValid(self) and self.create_action.isEnabled():
            QTimer.singleShot(0, self, self.prepare_create_wizard)

    def _show_user(self) -> None:
        if self.actor is None:
            self.user_label.hide()
            return
        self.user_label.setText(tr_("user.label").format(user=self.actor.user))
        self.user_label.show()

    def _apply_rights(self) -> None:
        """The menu follows the user's rights (main_actions.apply_rights), then whether the
        database is an offline replica."""
        rights = self.actor.rights if self.actor is not None else None
        main_actions.apply_rights(self.whole(), rights)
        self._show_offline()

    def _show_offline(self) -> None:
        if not hasattr(self, "offline_label"):
            return  # the first rights, before the status bar is built
        if self.database is None or self.database.offline is None:
            if self.isWindowModified() or self.windowTitle() != tr_("window.title"):
                self.setWindowTitle(tr_("window.title"))
            self.offline_label.hide()
            self.sync_action.setEnabled(False)
            for name in ("users_action", "archive_action", "customizing_action", "requests_action"):
                self.menu_actions[name].setStatusTip("")  # an offline reason no longer holds
            self.delete_customers_action.setStatusTip("")
            return
        from custmd_gui.ui import offline  # a replica: its module is needed now

        offline.show_state(self.whole())

    def show_settings(self) -> None:
        """Language and database; a new database is opened at once (the demo keeps its own).
        Only what the user changed changes: the session stays on the database it runs on (one
        given with --db too) unless the database settings were changed."""
        from custmd_gui.settings import load_settings, same_database, settings_url
        from custmd_gui.ui.settings_dialog import SettingsDialog

        saved = load_settings()
        dialog = SettingsDialog(saved, self, in_use=None if self.demo else self.url)
        if not dialog.exec():
            return
        chosen = dialog.result_settings()
        if chosen.language != language():
            set_language(chosen.language)
            self.retranslate()
        url = settings_url(chosen)
        if self.demo:
            self.statusBar().showMessage(tr_("settings.demo"))
        elif url != self.url and not same_database(saved, chosen):
            self.switch_database(url)

    def switch_database(self, url: str) -> None:
        if not self._release_database(ask=True):
            return  # the clerk keeps the unsaved customer
        self.banner.hide()
        self.url = url
        self.db_label.setText(self._db_text())
        self.loader = None
        self.open_database()

    def _release_database(self, *, ask: bool) -> bool:
        """Close the wizards (asking about unsaved data when `ask`) and let go of the engine;
        False when the clerk chose to stay."""
        for kind, wizard in list(self.wizards.items()):
            if not ask:
                wizard.keys = None  # nothing left to ask
            if not wizard.close():
                return False
            wizard.deleteLater()
            del self.wizards[kind]
        self.drop_prepared()
        # The admin window asks about unsaved role changes like a wizard (when `ask`).
        for admin in self.findChildren(QDialog, "admin_dialog"):
            if ask and admin.isVisible() and not admin.close():
                return False
            admin.done(QDialog.DialogCode.Rejected)  # closed without asking again
            admin.deleteLater()
        # XD04, XD05, XD06, the usage register and the deletion run on the old database
        for name in (
            "request_work_list",  # and its review views
            "change_documents",
            "status_xd05",
            "status_xd06",
            "mass_status",
            "usage_import",
            "deletion_run",
        ):
            for window in self.findChildren(QWidget, name):
                window.close()
        self.wait_for_database()
        self.searcher.drop()
        self.searcher.wait()
        self._enter_pending = False
        self.search_bar.setEnabled(False)
        self.model.set_fetch(None)
        self.inbox_count.stop()
        if self.database is not None:
            self.database.engine.dispose()
            self.database = None
        self.actor = None  # another database: another login
        self._given_actor = None
        self._apply_rights()
        self._show_user()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        # A wizard, or the admin window with unsaved role changes, asks first; "no" keeps the
        # app open.
        windows: list[QWidget] = [
            *self.wizards.values(),
            *self.findChildren(QDialog, "admin_dialog"),
        ]
        for window in windows:
            if window.isVisible() and not window.close():
                event.ignore()
                return
        super().closeEvent(event)
        if event.isAccepted():
            self.inbox_count.stop()
            self.drop_prepared()
            save_layout(self, self.table.horizontalHeader(), COLUMNS)

    def show_backup(self, mode: str) -> None:
        """系统 → 备份… / 恢复… (administrators; the service checks again). A restore lets go
        of the database first and opens it again afterwards (ui.backup_dialog)."""
        if self.database is None or self.actor is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return
        from custmd_gui.ui.backup_dialog import open_backup_dialog

        def reopen() -> None:
            self.banner.hide()
            self.loader = None
            self.open_database()

        open_backup_dialog(
            self,
            mode,
            self.url,
            self.database.engine,
            self.actor,
            release=lambda: self._release_database(ask=True),
            reopen=reopen,
        )

    def wait_for_database(self, timeout: float | None = None) -> bool:
        """Block until the worker thread is done (tests, shutdown); True if it is."""
        return self.loader is None or self.loader.join(timeout)

    def dispose(self) -> None:
        """Release the database (the engine's pooled connections); the app is going."""
        self._disposed = True
        if self.login_dialog is not None:
            self.login_dialog.reject()
        self._release_database(ask=False)
