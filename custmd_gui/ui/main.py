"""The main window: the customer list. Shown before the database layer is even imported.

MainWindow is built in layers, each its own module: ui.main_list (the list and its search),
ui.main_transactions (XD01 to XD06 and the administrator's windows on it) and this one (start-up,
the user's session and rights, the settings, switching databases, closing). Its menus and
keyboard shortcuts come from the table in ui.main_actions; its texts from ui.main_texts; the
start-up order is described in ui.startup.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, cast

import shiboken6
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMenu, QToolBar, QWidget

import custmd_gui
from custmd_gui import logs
from custmd_gui.ui import crash, main_actions
from custmd_gui.ui.command_field import CommandField
from custmd_gui.ui.customer_list_model import COLUMNS, PAGE_SIZE
from custmd_gui.ui.icons import app_icon
from custmd_gui.ui.main_texts import display_url, language, set_language, tr_
from custmd_gui.ui.main_transactions import TransactionsWindow
from custmd_gui.ui.qtutils import use_cjk_font
from custmd_gui.ui.requests.inbox_count import InboxCount
from custmd_gui.ui.startup import (
    EXIT_DB,
    EXIT_FAILED,
    EXIT_NO_DISPLAY,
    EXIT_OK,
    DatabaseLoader,
    FirstPage,
    OpenedDatabase,
    ensure_display,
    heavy_modules_loaded,
    ms_since_start,
    warm_xd01_modules,
)
from custmd_gui.ui.window_layout import restore_layout, save_layout
from custmd_gui.ui.window_shortcuts import window_shortcuts_first

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.ui.login_dialog import LoginDialog

__all__ = ["MainWindow", "display_url", "ensure_display", "run", "set_language", "tr_"]


class MainWindow(TransactionsWindow):
    """The customer list with its search field, menu and status bar."""

    # Made from the table of ui.main_actions (main_actions.build).
    file_menu: QMenu
    customer_menu: QMenu
    system_menu: QMenu
    help_menu: QMenu
    settings_action: QAction
    offline_action: QAction
    sync_action: QAction
    exit_action: QAction
    create_action: QAction
    display_action: QAction
    change_action: QAction
    change_documents_action: QAction
    block_action: QAction
    deletion_flags_action: QAction
    mass_block_action: QAction
    users_action: QAction
    archive_action: QAction
    import_action: QAction
    usage_action: QAction
    delete_customers_action: QAction
    backup_action: QAction
    restore_action: QAction
    user_guide_action: QAction
    shortcuts_action: QAction
    about_action: QAction
    find_action: QAction
    command_action: QAction
    toolbar: QToolBar
    command_field: CommandField  # SAP's command field, first in the toolbar
    list_menu: QMenu  # the list's context menu

    def __init__(
        self,
        url: str,
        *,
        demo: bool = False,
        exit_after_show: bool = False,
        report_imports: bool = False,
        actor: Actor | None = None,
        first_page: FirstPage | None = None,
    ) -> None:
        """`actor`: a user whose session is established already (no login dialog then).
        `first_page`: the list's first page being read before the database layer is imported
        (ui.startup; not with `actor`, whose rights the early read does not know)."""
        super().__init__(url)
        self.first_page = first_page if actor is None else None
        self.demo = demo
        self.exit_after_show = exit_after_show
        self.report_imports = report_imports
        self._given_actor = actor
        self.login_dialog: LoginDialog | None = None  # while it asks
        self.database_state = "closed"  # opening | ready | refused | failed
        self.shown_ms: float | None = None
        self.heavy_at_show: list[str] | None = None
        self.loader: DatabaseLoader | None = None
        self._disposed = False
        self._first_page_reported = False  # exit_after_show: the line is printed once

        self.setMinimumSize(800, 520)
        self.setWindowIcon(app_icon())
        self.menus, self.menu_actions = main_actions.build(self)
        window_shortcuts_first(self)  # Ctrl+E in the search field is XD02, not end of line
        self._apply_rights()
        self.model.page_loaded.connect(self._page_loaded)

        self.user_label = QLabel(self)
        self.user_label.setObjectName("user_label")
        self.user_label.hide()
        self.statusBar().addPermanentWidget(self.user_label)
        self.db_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.db_label)
        self.offline_label = QLabel(self)  # 离线 with the last sync (ui.offline)
        self.offline_label.setObjectName("offline_label")
        # Not to be missed: what is saved now reaches the server only at the next sync.
        self.offline_label.setStyleSheet(
            "QLabel { background: #ef8f00; color: white; font-weight: bold; padding: 0 6px; }"
        )
        self.offline_label.hide()
        self.statusBar().addPermanentWidget(self.offline_label)
        self.inbox_count = InboxCount(self)  # 待我处理 N
        self.statusBar().addPermanentWidget(self.inbox_count)
        self.retranslate()
        self.statusBar().showMessage(tr_("db.opening"))
        self._fit_screen()
        # Where the clerk left the window and how wide the columns were (ui.window_layout).
        restore_layout(self, self.table.horizontalHeader(), COLUMNS)

    def retranslate(self) -> None:
        """Every visible text again, in the current language."""
        self.setWindowTitle(tr_("window.title"))
        main_actions.retranslate(self)
        self._show_user()
        self.retranslate_list()
        self.db_label.setText(self._db_text())
        self._show_offline()
        for wizard in [*self.wizards.values(), *filter(None, [self.prepared])]:
            wizard.retranslate()

    def focus_command(self) -> None:
        """Ctrl+/ (SAP's key): into the command field, its text selected."""
        self.command_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.command_field.selectAll()

    def _fit_screen(self) -> None:
        """Open at a comfortable size that fits even a 1366x768 laptop screen."""
        width, height = 1280, 720
        screen = self.screen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, available.width())
            height = min(height, available.height() - 40)
        self.resize(max(width, self.minimumWidth()), max(height, self.minimumHeight()))

    def _db_text(self) -> str:
        text = tr_("db.label").format(db=display_url(self.url))
        return text + tr_("db.demo") if self.demo else text

    # -- start-up ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Should no paint come (a window started minimised), open the database anyway.
        QTimer.singleShot(500, self, self._window_shown)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.shown_ms is None:
            QTimer.singleShot(0, self, self._window_shown)

    @Slot()
    def _window_shown(self) -> None:
        if self.shown_ms is not None:
            return
        self.shown_ms = ms_since_start()
        self.heavy_at_show = heavy_modules_loaded()
        logs.log_start(self.url, demo=self.demo, window_ms=self.shown_ms, toolkit=toolkit())
        if self.report_imports:
            print(
                "heavy modules imported when the window was shown: "
                + (", ".join(self.heavy_at_show) or "none"),
                flush=True,
            )
        # The early first page (a few milliseconds of sqlite3) before the heavy imports start
        # to compete for the interpreter.
        self.take_first_page(timeout=2.0)
        if self.exit_after_show and self.model.pages_fetched == 1:
            self._report_first_page()
        self.open_database()

    def take_first_page(self, timeout: float) -> bool:
        """Show the early first page (ui.startup.FirstPage) if it has been read within
        `timeout` seconds; the search of the opened database replaces it (with the same rows:
        keeps it). True if shown."""
        first_page = self.first_page
        if first_page is None or self.model.pages_fetched:
            return False
        page = first_page.result(timeout)
        if page is None and timeout > 0:
            self.first_page = None  # not to be had: the opened database's search shows it
        if page is None:
            return False
        self.first_page = None
        rows, more = page
        self.model.show_page(None, rows, more)
        return True

    def open_database(self) -> None:
        """Open the database in a worker thread; the list fills when it is ready."""
        if self.loader is not None or self._disposed:
            return
        self.database_state = "opening"
        self.statusBar().showMessage(tr_("db.opening"))
        self.loader = DatabaseLoader(self.url, demo=self.demo, parent=self)
        self.loader.progress.connect(self._progress)
        self.loader.opened.connect(self._opened)
        self.loader.refused.connect(self._refused)
        self.loader.crashed.connect(self._crashed)
        self.loader.start()

    @Slot(str)
    def _progress(self, key: str) -> None:
        self.statusBar().showMessage(tr_(key))

    @Slot(object)
    def _opened(self, database: OpenedDatabase) -> None:
        logs.LOGGER.info("database open after %.0f ms", ms_since_start())
        if self._disposed:  # closed while the database was opening
            database.engine.dispose()
            return
        if self._given_actor is not None:
            self._start_session(database, self._given_actor)
            return
        if database.login_needed:
            self._ask_login(database)
            return
        from custmd_gui.services.context import Actor

        # The server's role in shared mode; else single-user mode (no users at all).
        self._start_session(database, database.server_actor or Actor.signed_in(self.url))

    def _ask_login(self, database: OpenedDatabase) -> None:
        """The login dialog (window-modal); Cancel closes the app."""
        from custmd_gui.ui.login_dialog import LoginDialog

        self.database_state = "login"
        dialog = LoginDialog(database.factory, display_url(self.url), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.login_dialog = dialog

        def done(result: int) -> None:
            self.login_dialog = None
            if result and dialog.actor is not None and not self._disposed:
                self._start_session(database, dialog.actor)
                return
            database.engine.dispose()
            self.database_state = "closed"
            if not self._disposed:
                self.close()  # no login, no app

        dialog.finished.connect(done)
        dialog.open()

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
        main_actions.apply_rights(self, self.actor.rights if self.actor is not None else None)
        self._show_offline()

    def _show_offline(self) -> None:
        if not hasattr(self, "offline_label"):
            return  # the first rights, before the status bar is built
        if self.database is None or self.database.offline is None:
            if self.isWindowModified() or self.windowTitle() != tr_("window.title"):
                self.setWindowTitle(tr_("window.title"))
            self.offline_label.hide()
            self.sync_action.setEnabled(False)
            for name in ("users_action", "archive_action", "customizing_action"):
                self.menu_actions[name].setStatusTip("")  # an offline reason no longer holds
            self.delete_customers_action.setStatusTip("")
            return
        from custmd_gui.ui import offline  # a replica: its module is needed now

        offline.show_state(self)

    @Slot(str)
    def _refused(self, message: str) -> None:
        self.database_state = "refused"
        logs.LOGGER.warning("database refused: %s", message)
        self.model.set_fetch(None)  # an early first page goes: this database is not used
        self.show_banner(message)
        self.statusBar().showMessage(message)
        if self.exit_after_show:
            print(message, file=sys.stderr)
            self._report_and_exit(EXIT_DB)

    @Slot(object)
    def _crashed(self, info: crash.ExcInfo) -> None:
        self.database_state = "failed"
        self.statusBar().showMessage(crash.summary(info[1]))
        if self.crash_handler is not None:
            self.crash_handler.report(info)
        else:
            sys.excepthook(*info)
        if self.exit_after_show:
            self._report_and_exit(EXIT_FAILED)

    @Slot(int)
    def _page_loaded(self, _count: int) -> None:
        n = self.model.rowCount()
        if self._message_after_load:
            self.statusBar().showMessage(self._message_after_load)
            self._message_after_load = ""
        elif not self._shown_values.is_empty():
            if n == 0:
                self.statusBar().showMessage(tr_("search.none"))
            elif self.model.canFetchMore():
                self.statusBar().showMessage(tr_("search.more").format(n=n))
            else:
                self.statusBar().showMessage(self.tr("%n customer(s) found", "", n))
        elif n == 0:
            self.statusBar().showMessage(tr_("db.empty"))
        elif self.model.canFetchMore():
            self.statusBar().showMessage(tr_("db.loaded_more").format(n=n))
        else:
            self.statusBar().showMessage(self.tr("%n customer(s) loaded", "", n))
        if self.exit_after_show and self.model.pages_fetched == 1:
            # The first page is reported when painted (the early one, before the database is
            # open, too); the process ends once the database is open as well, so that the
            # exit status still tells whether the whole start worked.
            self._report_first_page()
            if self.database_state == "ready":
                self._report_and_exit(EXIT_OK)

    def _report_first_page(self) -> None:
        """exit_after_show: the line benchmarks/startup.py times, once the window and the
        first page in it are painted."""
        if self._first_page_reported or self.shown_ms is None:
            return  # the window's first paint reports it
        self._first_page_reported = True
        if self.model.rowCount():
            self.table.viewport().repaint()  # painted, not only in the model
        shown = self.shown_ms if self.shown_ms is not None else ms_since_start()
        print(
            f"window shown after {shown:.0f} ms; {self.model.rowCount()} customers listed",
            flush=True,
        )
        if self.report_imports:
            print(f"list loaded after {ms_since_start():.0f} ms", flush=True)
            print(
                "heavy modules imported when the first page was shown: "
                + (", ".join(heavy_modules_loaded()) or "none"),
                flush=True,
            )

    def _report_and_exit(self, code: int) -> None:
        self._report_first_page()
        app = QApplication.instance()
        if app is not None:
            app.exit(code)

    # -- settings, another database, closing ----------------------------------------------

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


def toolkit() -> str:
    """The Qt and PySide6 versions, for the start line of the log."""
    import PySide6
    from PySide6.QtCore import qVersion

    return f"Qt {qVersion()}, PySide6 {PySide6.__version__}"


def run(url: str, *, lang: str, demo: bool, exit_after_show: bool, offscreen: bool = False) -> int:
    """Show the main window on `url` and run the event loop; returns the exit code. Without a
    display (Linux) it says so and returns EXIT_NO_DISPLAY, unless `offscreen`."""
    no_display = ensure_display(offscreen=offscreen)
    if no_display is not None:
        print(no_display, file=sys.stderr)
        return EXIT_NO_DISPLAY
    first_page = FirstPage(url, PAGE_SIZE)  # read while Qt starts and the window is built
    app = cast(QApplication | None, QApplication.instance()) or QApplication(sys.argv[:1])
    set_language(lang)
    app.setApplicationName("custmd")
    app.setApplicationVersion(custmd_gui.__version__)
    app.setWindowIcon(app_icon())  # every window's, and the task bar's
    use_cjk_font(app)
    window = MainWindow(
        url,
        demo=demo,
        exit_after_show=exit_after_show,
        report_imports=os.environ.get("CUSTMD_REPORT_IMPORTS") == "1",
        first_page=first_page,
    )
    handler = crash.install(tr_, window)
    window.crash_handler = handler
    window.take_first_page(timeout=0)  # already read: in the window's first paint
    window.show()
    try:
        return app.exec()
    finally:
        window.dispose()
        handler.uninstall()
