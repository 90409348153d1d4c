"""The main window: the customer list. Shown before the database layer is even imported.

MainWindow is built in layers, each its own module: ui.main_list (the list and its search),
ui.main_transactions (XD01 to XD06 and the administrator's windows on it), ui.main_session (the
user's session and rights, the settings, switching databases, closing) and this one (start-up:
the window shown, the database opened, the login). Its menus and
keyboard shortcuts come from the table in ui.main_actions; its texts from ui.main_texts; the
start-up order is described in ui.startup.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QToolBar

import custmd_gui
from custmd_gui import logs
from custmd_gui.ui import crash, main_actions
from custmd_gui.ui.command_field import CommandField
from custmd_gui.ui.customer_list_model import COLUMNS, PAGE_SIZE
from custmd_gui.ui.icons import app_icon
from custmd_gui.ui.main_session import SessionWindow
from custmd_gui.ui.main_texts import display_url, set_language, tr_
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
)
from custmd_gui.ui.window_layout import restore_layout
from custmd_gui.ui.window_shortcuts import window_shortcuts_first

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.ui.login_dialog import LoginDialog

__all__ = ["MainWindow", "display_url", "ensure_display", "run", "set_language", "tr_"]


class MainWindow(SessionWindow):
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
