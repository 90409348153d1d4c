"""The main window: the customer list. Shown before the database layer is even imported.

Start-up order (clerks open the app many times a day):

1. this module imports only PySide6 and custmd_gui.settings (plus the equally light
   custmd_gui.ui.crash and custmd_gui.ui.customer_list_model);
2. the window is shown and painted;
3. on the first paint, a worker thread imports SQLAlchemy, pydantic, alembic and the
   services, opens the database, migrates a local SQLite file if needed (a shared PostgreSQL
   database is never migrated behind the administrator's back) and creates the demo customers;
4. back in the GUI thread, the list loads its first page of 200 customers.

The search field and the filters above the list (ui.customer_search) search as the clerk
types: after a short pause the first page of the new query is found in a worker thread, and
only the newest query's answer is shown; further pages load as the list scrolls.

Every visible string goes through `tr_(key)`, i.e. Qt's translation system; the settings dialog
switches the language (and the database) while the app runs.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QFontDatabase,
    QKeySequence,
    QPaintEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

import custmd_gui
from custmd_gui.ui import crash, i18n
from custmd_gui.ui.customer_list_model import COLUMNS, CustomerListModel, Fetch
from custmd_gui.ui.customer_search import SearchBar, SearchRunner, SearchValues
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from custmd_gui.domain.customizing import Customizing
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
    from custmd_gui.services.context import Actor
    from custmd_gui.services.search import SearchPage
    from custmd_gui.ui.create_wizard import CustomerWizard
    from custmd_gui.ui.login_dialog import LoginDialog

# When this module was imported: the fallback start of the start-up clock.
_IMPORTED_AT = time.perf_counter()

# Modules whose import the window must not wait for (reported with CUSTMD_REPORT_IMPORTS=1).
HEAVY_MODULES = (
    "sqlalchemy",
    "pydantic",
    "alembic",
    "yaml",
    "custmd_gui.domain",
    "custmd_gui.persistence",
    "custmd_gui.services",
    "qtawesome",
    "pypinyin",
    "rapidfuzz",
)

CJK_FONTS = (
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "Microsoft YaHei UI",
    "PingFang SC",
    "Hiragino Sans GB",
    "SimHei",
)

EXIT_OK, EXIT_FAILED, EXIT_DB = 0, 1, 3

# -- texts ------------------------------------------------------------------------------------

# Source strings are English; resources/i18n/custmd_zh_CN.ts translates them.
TEXTS: dict[str, str] = {
    "window.title": QT_TRANSLATE_NOOP("MainWindow", "Customer master data - custmd"),
    "menu.file": QT_TRANSLATE_NOOP("MainWindow", "&File"),
    "menu.exit": QT_TRANSLATE_NOOP("MainWindow", "E&xit"),
    "menu.settings": QT_TRANSLATE_NOOP("MainWindow", "&Settings…"),
    "menu.customer": QT_TRANSLATE_NOOP("MainWindow", "&Customer"),
    "menu.create": QT_TRANSLATE_NOOP("MainWindow", "&Create… (XD01)"),
    "menu.display": QT_TRANSLATE_NOOP("MainWindow", "&Display… (XD03)"),
    "menu.change": QT_TRANSLATE_NOOP("MainWindow", "C&hange… (XD02)"),
    "menu.change_documents": QT_TRANSLATE_NOOP("MainWindow", "Change d&ocuments… (XD04)"),
    "menu.block": QT_TRANSLATE_NOOP("MainWindow", "&Block/unblock… (XD05)"),
    "menu.deletion_flags": QT_TRANSLATE_NOOP("MainWindow", "Deletion f&lags… (XD06)"),
    "menu.mass_block": QT_TRANSLATE_NOOP("MainWindow", "&Mass block/unblock…"),
    "mass.none": QT_TRANSLATE_NOOP("MainWindow", "Select the customers in the list first"),
    "menu.system": QT_TRANSLATE_NOOP("MainWindow", "S&ystem"),
    "menu.users": QT_TRANSLATE_NOOP("MainWindow", "&Users…"),
    "menu.archive": QT_TRANSLATE_NOOP("MainWindow", "&Departments and organizations…"),
    "menu.usage": QT_TRANSLATE_NOOP("MainWindow", "&Import usage register…"),
    "menu.delete_customers": QT_TRANSLATE_NOOP("MainWindow", "Delete &customers…"),
    "user.label": QT_TRANSLATE_NOOP("MainWindow", "User: {user}"),
    "menu.help": QT_TRANSLATE_NOOP("MainWindow", "&Help"),
    "menu.about": QT_TRANSLATE_NOOP("MainWindow", "&About"),
    "about.title": QT_TRANSLATE_NOOP("MainWindow", "About custmd"),
    "about.text": QT_TRANSLATE_NOOP(
        "MainWindow", "custmd {version}\nCustomer master data (SAP XD01 style)\n\nDatabase: {db}"
    ),
    "search.more": QT_TRANSLATE_NOOP("MainWindow", "{n}+ customers found"),
    "search.none": QT_TRANSLATE_NOOP("MainWindow", "No customer found"),
    "col.number": QT_TRANSLATE_NOOP("MainWindow", "Customer"),
    "col.name": QT_TRANSLATE_NOOP("MainWindow", "Name"),
    "col.search_term": QT_TRANSLATE_NOOP("MainWindow", "Search term"),
    "col.city": QT_TRANSLATE_NOOP("MainWindow", "City"),
    "col.account_group": QT_TRANSLATE_NOOP("MainWindow", "Account group"),
    "col.telephone": QT_TRANSLATE_NOOP("MainWindow", "Telephone"),
    "col.status": QT_TRANSLATE_NOOP("MainWindow", "Status"),
    "status.blocked": QT_TRANSLATE_NOOP("MainWindow", "Blocked"),
    "status.deleted": QT_TRANSLATE_NOOP("MainWindow", "Marked for deletion"),
    "status.partly_blocked": QT_TRANSLATE_NOOP("MainWindow", "Partly blocked"),
    "status.partly_deleted": QT_TRANSLATE_NOOP("MainWindow", "Partly marked for deletion"),
    "status.separator": QT_TRANSLATE_NOOP("MainWindow", ", "),
    "db.label": QT_TRANSLATE_NOOP("MainWindow", "Database: {db}"),
    "db.demo": QT_TRANSLATE_NOOP("MainWindow", " (demo)"),
    "db.opening": QT_TRANSLATE_NOOP("MainWindow", "Opening the database…"),
    "db.migrating": QT_TRANSLATE_NOOP("MainWindow", "Creating or upgrading the local database…"),
    "db.seeding": QT_TRANSLATE_NOOP("MainWindow", "Creating the demo customers…"),
    "db.loaded": QT_TRANSLATE_NOOP("MainWindow", "{n} customers loaded"),
    "db.loaded_more": QT_TRANSLATE_NOOP(
        "MainWindow", "{n} customers loaded; scroll down to load more"
    ),
    "db.empty": QT_TRANSLATE_NOOP("MainWindow", "There are no customers in the database yet"),
    "db.not_current": QT_TRANSLATE_NOOP(
        "MainWindow", "The database schema is not current; run custmd db upgrade"
    ),
    "db.failed": QT_TRANSLATE_NOOP("MainWindow", "Cannot open the database: {error}"),
    "db.not_ready": QT_TRANSLATE_NOOP("MainWindow", "The database is not open yet"),
    "settings.demo": QT_TRANSLATE_NOOP(
        "MainWindow", "The demo keeps its own database; the chosen one is used after a restart"
    ),
    "demo.failed": QT_TRANSLATE_NOOP(
        "MainWindow", "Demo customer {file} could not be created: {error}"
    ),
    "crash.title": QT_TRANSLATE_NOOP("MainWindow", "Unexpected error"),
    "crash.text": QT_TRANSLATE_NOOP(
        "MainWindow", "An unexpected error occurred; the details are in the log file: {path}"
    ),
}


def set_language(lang: str) -> None:
    i18n.set_language(lang)


def language() -> str:
    return i18n.language()


def tr_(key: str) -> str:
    """The visible text for `key` in the current language."""
    return QCoreApplication.translate("MainWindow", TEXTS[key])


# -- start-up helpers -------------------------------------------------------------------------


def ensure_display() -> bool:
    """On a Linux machine without a display, run offscreen instead of failing to start."""
    if not sys.platform.startswith("linux"):
        return False
    if any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        return False
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    print("no display found; running offscreen", file=sys.stderr)
    return True


def _process_age() -> float | None:
    """Seconds since this process started (Linux: /proc), or None where unknown."""
    try:
        stat = Path("/proc/self/stat").read_text()
        start_ticks = int(stat[stat.rindex(")") + 2 :].split()[19])
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None
    return age if 0 <= age < 3600 else None


def ms_since_start() -> float:
    """Milliseconds since the process started; since this module's import where unknown."""
    age = _process_age()
    if age is None:
        age = time.perf_counter() - _IMPORTED_AT
    return age * 1000


def heavy_modules_loaded() -> list[str]:
    return [name for name in HEAVY_MODULES if name in sys.modules]


def use_cjk_font(app: QApplication) -> str | None:
    """Prefer an installed font that has Chinese glyphs; keep Qt's default when there is none."""
    installed = set(QFontDatabase.families())
    for family in CJK_FONTS:
        if family in installed:
            font = app.font()
            font.setFamilies([family, *font.families()])
            app.setFont(font)
            return family
    return None


def display_url(url: str) -> str:
    """The database URL without its password; a SQLite URL as its file path."""
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///") :] or url
    return re.sub(r"^([^:/]+://[^:/@]*):[^@]*@", r"\1:***@", url)


# -- the database, opened off the GUI thread --------------------------------------------------


class DatabaseRefused(Exception):
    """The database cannot be used as it is; the message is for the user."""


@dataclass
class OpenedDatabase:
    engine: Engine
    factory: UnitOfWorkFactory
    customizing: Customizing
    problems: list[str] = field(default_factory=list)
    # A database with users: the login dialog comes before the list (services.auth).
    login_needed: bool = False
    # Shared mode: the role the server signed in, with its custmd rights (services.auth).
    server_actor: Actor | None = None


def open_database(url: str, *, demo: bool, progress: Callable[[str], None]) -> OpenedDatabase:
    """Open (and for a local SQLite file: create or migrate) the database; heavy imports here.

    `progress` receives text keys while slow steps run. Raises DatabaseRefused for a shared
    database whose schema is not current and for a database that cannot be reached."""
    from sqlalchemy.exc import ArgumentError, OperationalError

    from custmd_gui.persistence import migrate
    from custmd_gui.persistence.engine import is_sqlite, make_engine
    from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
    from custmd_gui.services.auth import LoginFailed, server_actor, single_user_mode
    from custmd_gui.settings import with_keyring_password

    try:
        # The URL the window shows has no password; a saved one lives only in the keyring.
        engine = make_engine(with_keyring_password(url))
        if not migrate.is_current(engine):
            if not is_sqlite(engine):
                raise DatabaseRefused(tr_("db.not_current"))
            from custmd_gui.services.customizing import upgrade_database

            progress("db.migrating")
            upgrade_database(engine)
        factory = UnitOfWorkFactory(engine)
        problems: list[str] = []
        if demo:
            progress("db.seeding")
            problems = create_demo_customers(factory)
        with factory() as uow:
            customizing = uow.customizing.load()
        # The shared mode (PostgreSQL) signs in to the server with the URL's role, who then
        # acts with its custmd rights; the login dialog is for a local file that has users
        # (and for a server URL whose role is no custmd user, such as the owner's).
        server = None if is_sqlite(engine) else server_actor(factory, url)
        login_needed = server is None and not single_user_mode(factory)
    except (OperationalError, ArgumentError) as exc:
        error = getattr(exc, "orig", None) or exc
        raise DatabaseRefused(tr_("db.failed").format(error=error)) from exc
    except LoginFailed as exc:
        raise DatabaseRefused(exc.problems[0].message.get(language())) from exc
    return OpenedDatabase(engine, factory, customizing, problems, login_needed, server)


def search_fetch(factory: UnitOfWorkFactory, values: SearchValues, actor: Actor) -> Fetch:
    """The list's next pages of the query `values` (services.search), each in its own unit of
    work, with only the customers `actor` may see."""
    from custmd_gui.services.search import search

    query = values.query()

    def fetch(after: str, limit: int) -> SearchPage:
        with factory() as uow:
            return search(uow, query, after, limit, rights=actor.rights)

    return fetch


def create_demo_customers(factory: UnitOfWorkFactory) -> list[str]:
    """Create the customers of resources/demo/*.json that are not there yet; returns problems.

    A document with a number is created once; one without (internal numbering) only into a
    database without customers, so that restarting the demo does not add copies."""
    import json

    from custmd_gui.domain.errors import DomainError
    from custmd_gui.domain.sap_document import from_document
    from custmd_gui.resources import resource_dir
    from custmd_gui.services.context import Actor
    from custmd_gui.services.create import create_customer
    from custmd_gui.services.listing import list_page

    with factory() as uow:
        empty = not list_page(uow, "", 1)
    actor = Actor.current()
    problems: list[str] = []
    for file in sorted((resource_dir() / "demo").glob("*.json")):
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
            general = document.get("KNA1") if isinstance(document, dict) else None
            number = str(general.get("KUNNR") or "") if isinstance(general, dict) else ""
            if number:
                with factory() as uow:
                    if uow.customers.exists(number):
                        continue
            elif not empty:
                continue
            create_customer(factory, from_document(document), actor)
        except DomainError as exc:
            error = "; ".join(p.line(language()) for p in exc.problems)
            problems.append(tr_("demo.failed").format(file=file.name, error=error))
        except (OSError, ValueError) as exc:
            problems.append(tr_("demo.failed").format(file=file.name, error=exc))
    return problems


class DatabaseLoader(QObject):
    """Runs open_database in a worker thread and reports back by (queued) signals."""

    progress = Signal(str)
    opened = Signal(object)
    refused = Signal(str)
    crashed = Signal(object)

    def __init__(self, url: str, *, demo: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.demo = demo
        self.worker: threading.Thread | None = None

    def start(self) -> None:
        # Not a daemon: quitting during a migration waits for it instead of cutting it off.
        self.worker = threading.Thread(target=self._run, name="custmd-open-db")
        self.worker.start()

    def _run(self) -> None:
        try:
            result = open_database(self.url, demo=self.demo, progress=self._progress)
        except DatabaseRefused as exc:
            self._emit(self.refused, str(exc))
        except Exception:
            self._emit(self.crashed, sys.exc_info())
        else:
            self._emit(self.opened, result)

    def _progress(self, key: str) -> None:
        self._emit(self.progress, key)

    @staticmethod
    def _emit(signal: Any, value: object) -> None:
        # RuntimeError: the window is gone (the app quit while the database opened).
        with contextlib.suppress(RuntimeError):
            signal.emit(value)


# -- the window -------------------------------------------------------------------------------


class MainWindow(QMainWindow):
    """The customer list with its search field, menu and status bar."""

    def __init__(
        self,
        url: str,
        *,
        demo: bool = False,
        exit_after_show: bool = False,
        report_imports: bool = False,
        actor: Actor | None = None,
    ) -> None:
        """`actor`: a user whose session is established already (no login dialog then)."""
        super().__init__()
        self.url = url
        self.demo = demo
        self.exit_after_show = exit_after_show
        self.report_imports = report_imports
        self.crash_handler: crash.CrashHandler | None = None
        self.database: OpenedDatabase | None = None
        # Who works in this window: the logged-in user (or, in single-user mode and for now
        # in the shared mode, the operating-system user); set once the database is open.
        self.actor: Actor | None = None
        self._given_actor = actor
        self.login_dialog: LoginDialog | None = None  # while it asks
        self.database_state = "closed"  # opening | ready | refused | failed
        self.shown_ms: float | None = None
        self.heavy_at_show: list[str] | None = None
        self.loader: DatabaseLoader | None = None
        # "create" (XD01), "display" (XD03), "change" (XD02)
        self.wizards: dict[str, CustomerWizard] = {}
        self._message_after_load = ""
        self._disposed = False
        self._shown_values = SearchValues()  # the query of the rows the list shows
        self._enter_pending = False  # Enter in the search field waits for the newest answer

        self.setMinimumSize(800, 520)
        self._build_menu()

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(6)

        self.search_bar = SearchBar(central)
        self.search_bar.setEnabled(False)  # until the database is open
        self.search = self.search_bar.text
        self.search_bar.changed.connect(self.start_search)
        self.search_bar.enter.connect(self._search_entered)
        self.search_bar.down.connect(self._focus_list)
        layout.addWidget(self.search_bar)
        self.searcher = SearchRunner(self)
        self.searcher.found.connect(self._search_found)
        self.searcher.failed.connect(self._search_failed)
        self.find_action = QAction(self)
        self.find_action.setObjectName("find_action")
        self.find_action.setShortcut(QKeySequence("Ctrl+F"))
        self.find_action.triggered.connect(self.focus_search)
        self.addAction(self.find_action)

        self.banner = QLabel(central)
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setStyleSheet(
            "QLabel { background: #fff4ce; color: #5c4400; border: 1px solid #e0c060;"
            " padding: 6px; }"
        )
        self.banner.hide()
        layout.addWidget(self.banner)

        self.model = CustomerListModel(tr=tr_, parent=self)
        self.model.page_loaded.connect(self._page_loaded)
        self.table = QTableView(central)
        self.table.setObjectName("customer_list")
        self.table.setModel(self.model)
        self.table.activated.connect(self._display_current_row)  # Enter or double-click: XD03
        self._setup_table()
        layout.addWidget(self.table, 1)
        QWidget.setTabOrder(self.search_bar.deletion_flag, self.table)
        self.setCentralWidget(central)

        self.user_label = QLabel(self)
        self.user_label.setObjectName("user_label")
        self.user_label.hide()
        self.statusBar().addPermanentWidget(self.user_label)
        self.db_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.db_label)
        self.retranslate()
        self.statusBar().showMessage(tr_("db.opening"))
        self._fit_screen()

    # -- construction ------------------------------------------------------------------------

    def _build_menu(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.settings_action = QAction(self)
        self.settings_action.setObjectName("settings_action")
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.show_settings)
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addSeparator()
        self.exit_action = QAction(self)
        self.exit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.exit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.exit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.exit_action)

        self.customer_menu = self.menuBar().addMenu("")
        self.create_action = QAction(self)
        self.create_action.setObjectName("create_action")
        self.create_action.setShortcut(QKeySequence("Ctrl+N"))
        self.create_action.triggered.connect(self.create_customer)
        self.customer_menu.addAction(self.create_action)
        self.display_action = QAction(self)
        self.display_action.setObjectName("display_action")
        self.display_action.setShortcut(QKeySequence("Ctrl+D"))
        self.display_action.triggered.connect(lambda: self.display_customer())
        self.customer_menu.addAction(self.display_action)
        self.change_action = QAction(self)
        self.change_action.setObjectName("change_action")
        self.change_action.setShortcut(QKeySequence("Ctrl+E"))
        self.change_action.triggered.connect(self._change_current_row)
        self.customer_menu.addAction(self.change_action)
        self.change_documents_action = QAction(self)
        self.change_documents_action.setObjectName("change_documents_action")
        self.change_documents_action.setShortcut(QKeySequence("Ctrl+H"))
        self.change_documents_action.triggered.connect(lambda: self.change_documents())
        self.customer_menu.addAction(self.change_documents_action)
        self.customer_menu.addSeparator()
        self.block_action = QAction(self)
        self.block_action.setObjectName("block_action")
        self.block_action.setShortcut(QKeySequence("Ctrl+B"))
        self.block_action.triggered.connect(lambda: self.block_customer())
        self.customer_menu.addAction(self.block_action)
        self.deletion_flags_action = QAction(self)
        self.deletion_flags_action.setObjectName("deletion_flags_action")
        self.deletion_flags_action.setShortcut(QKeySequence("Ctrl+L"))
        self.deletion_flags_action.triggered.connect(lambda: self.flag_customer())
        self.customer_menu.addAction(self.deletion_flags_action)
        self.mass_block_action = QAction(self)
        self.mass_block_action.setObjectName("mass_block_action")
        self.mass_block_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.mass_block_action.triggered.connect(self.mass_block)
        self.customer_menu.addAction(self.mass_block_action)

        self.system_menu = self.menuBar().addMenu("")
        self.users_action = QAction(self)
        self.users_action.setObjectName("users_action")
        self.users_action.triggered.connect(lambda: self.show_admin("users"))
        self.system_menu.addAction(self.users_action)
        self.archive_action = QAction(self)
        self.archive_action.setObjectName("archive_action")
        self.archive_action.triggered.connect(lambda: self.show_admin("archive"))
        self.system_menu.addAction(self.archive_action)
        self.system_menu.addSeparator()
        # The register of business and the physical deletion that asks it: batch work of the
        # administrator, not the clerk's daily XD transactions of the 客户 menu.
        self.usage_action = QAction(self)
        self.usage_action.setObjectName("usage_action")
        self.usage_action.triggered.connect(self.show_usage)
        self.system_menu.addAction(self.usage_action)
        self.delete_customers_action = QAction(self)
        self.delete_customers_action.setObjectName("delete_customers_action")
        self.delete_customers_action.triggered.connect(self.show_deletion)
        self.system_menu.addAction(self.delete_customers_action)
        self._apply_rights()

        self.help_menu = self.menuBar().addMenu("")
        self.about_action = QAction(self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

    def retranslate(self) -> None:
        """Every visible text again, in the current language."""
        self.setWindowTitle(tr_("window.title"))
        self.file_menu.setTitle(tr_("menu.file"))
        self.settings_action.setText(tr_("menu.settings"))
        self.exit_action.setText(tr_("menu.exit"))
        self.customer_menu.setTitle(tr_("menu.customer"))
        self.create_action.setText(tr_("menu.create"))
        self.display_action.setText(tr_("menu.display"))
        self.change_action.setText(tr_("menu.change"))
        self.change_documents_action.setText(tr_("menu.change_documents"))
        self.block_action.setText(tr_("menu.block"))
        self.deletion_flags_action.setText(tr_("menu.deletion_flags"))
        self.mass_block_action.setText(tr_("menu.mass_block"))
        self.system_menu.setTitle(tr_("menu.system"))
        self.users_action.setText(tr_("menu.users"))
        self.archive_action.setText(tr_("menu.archive"))
        self.usage_action.setText(tr_("menu.usage"))
        self.delete_customers_action.setText(tr_("menu.delete_customers"))
        self._show_user()
        self.help_menu.setTitle(tr_("menu.help"))
        self.about_action.setText(tr_("menu.about"))
        self.search_bar.retranslate()
        self._fill_search_choices()
        self.db_label.setText(self._db_text())
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        for wizard in self.wizards.values():
            wizard.retranslate()

    def _setup_table(self) -> None:
        table = self.table
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several customers for a mass block (Ctrl/Shift+click, Shift+arrows); Enter still
        # displays the current one.
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setSortingEnabled(False)
        table.setCornerButtonEnabled(False)
        table.setTabKeyNavigation(False)  # Tab leaves the list (back to the search field)
        table.verticalHeader().hide()
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(40)
        metrics = header.fontMetrics()
        padding = 28
        samples = {
            "number": "0000000000",
            "search_term": "东宁广告东宁广告",
            "city": "乌鲁木齐市",
            "account_group": "1110",
            "telephone": "+86 021-12345678",
            "status": tr_("status.blocked") + tr_("status.separator") + tr_("status.deleted"),
        }
        for column, key in enumerate(COLUMNS):
            if key == "name":
                continue
            title = tr_(f"col.{key}")
            width = max(metrics.horizontalAdvance(samples[key]), metrics.horizontalAdvance(title))
            header.resizeSection(column, width + padding)
        header.setSectionResizeMode(COLUMNS.index("name"), QHeaderView.ResizeMode.Stretch)

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
        if self.report_imports:
            print(
                "heavy modules imported when the window was shown: "
                + (", ".join(self.heavy_at_show) or "none"),
                flush=True,
            )
        self.open_database()

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
        if database.problems:
            self.show_banner("\n".join(database.problems))
        self._fill_search_choices()
        self.search_bar.setEnabled(True)
        if self.isActiveWindow():  # back from the login dialog: ready to type a search
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        self.start_search()

    def _show_user(self) -> None:
        if self.actor is None:
            self.user_label.hide()
            return
        self.user_label.setText(tr_("user.label").format(user=self.actor.user))
        self.user_label.show()

    def _apply_rights(self) -> None:
        """Menu actions the user may not use are disabled (the services refuse them anyway).
        Before the database is open every customer action stays enabled and says so."""
        rights = self.actor.rights if self.actor is not None else None
        admin_actions = (
            self.users_action,
            self.archive_action,
            self.usage_action,
            self.delete_customers_action,
        )
        if rights is None:
            for action in admin_actions:
                action.setEnabled(False)
            return
        from custmd_gui.domain.authorization import CHANGE_PERMISSIONS, Permission

        def any_of(*permissions: Permission) -> bool:
            return any(rights.has(p) for p in permissions)

        enabled = {
            self.create_action: any_of(Permission.CREATE, Permission.EXTEND),
            self.display_action: any_of(Permission.DISPLAY),
            self.change_action: any_of(*CHANGE_PERMISSIONS),
            self.change_documents_action: any_of(Permission.DISPLAY),
            self.block_action: any_of(Permission.BLOCK, Permission.UNBLOCK),
            self.deletion_flags_action: any_of(Permission.FLAG),
            self.mass_block_action: any_of(Permission.BLOCK, Permission.UNBLOCK),
            self.users_action: any_of(Permission.ADMIN),
            self.archive_action: any_of(Permission.ADMIN),
            self.usage_action: any_of(Permission.IMPORT_USAGE),
            self.delete_customers_action: any_of(Permission.DELETE),
        }
        for action, on in enabled.items():
            action.setEnabled(on)

    @Slot(str)
    def _refused(self, message: str) -> None:
        self.database_state = "refused"
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
            self.statusBar().showMessage(tr_("db.loaded").format(n=n))
        if self.exit_after_show and self.model.pages_fetched == 1:
            self._report_and_exit(EXIT_OK)

    def _report_and_exit(self, code: int) -> None:
        shown = self.shown_ms if self.shown_ms is not None else ms_since_start()
        print(
            f"window shown after {shown:.0f} ms; {self.model.rowCount()} customers listed",
            flush=True,
        )
        if self.report_imports:
            print(f"list loaded after {ms_since_start():.0f} ms", flush=True)
        app = QApplication.instance()
        if app is not None:
            app.exit(code)

    # -- the search ---------------------------------------------------------------------------

    def _fill_search_choices(self) -> None:
        """The filters' choices from the customizing, in the current language."""
        if self.database is None:
            return
        customizing = self.database.customizing
        lang = language()
        self.search_bar.set_choices(
            [(g.code, g.text.get(lang)) for g in customizing.account_groups.values()],
            [(v.code, v.text.get(lang)) for v in customizing.values("company_codes")],
            [(v.code, v.text.get(lang)) for v in customizing.values("sales_areas")],
        )

    @Slot()
    def start_search(self) -> None:
        """Find the first page of what the search bar holds, in a worker thread."""
        database = self.database
        if database is None:
            return
        from custmd_gui.domain.errors import DomainError

        values = self.search_bar.values()
        try:
            values.query().filters()  # a filter it cannot read is refused here, at once
        except DomainError as exc:
            self._search_refused(exc)
            return
        self.search_bar.clear_error()
        assert self.actor is not None  # the database is set with the actor
        self.searcher.start(database.factory, values, self.model.page_size, self.actor)

    @Slot(int, object, object)
    def _search_found(self, generation: int, values: SearchValues, page: SearchPage) -> None:
        if not self.searcher.is_current(generation) or self.database is None:
            return  # a newer query is under way: this answer is stale
        self.searcher.answer(generation)
        self._shown_values = values
        assert self.actor is not None
        self.model.show_page(
            search_fetch(self.database.factory, values, self.actor), page.rows, page.more
        )
        if self._enter_pending:
            self._enter_pending = False
            self._go_to_result()

    @Slot(int, object)
    def _search_failed(self, generation: int, info: crash.ExcInfo) -> None:
        if not self.searcher.is_current(generation):
            return
        self.searcher.answer(generation)
        self._enter_pending = False
        from custmd_gui.domain.errors import DomainError

        if isinstance(info[1], DomainError):
            self._search_refused(info[1])
            return
        self.statusBar().showMessage(crash.summary(info[1]))
        if self.crash_handler is not None:
            self.crash_handler.report(info)
        else:
            sys.excepthook(*info)

    def _search_refused(self, error: DomainError) -> None:
        """A filter the search cannot read: say why; the typing and the list stay."""
        self._enter_pending = False
        text = "; ".join(p.message.get(language()) for p in error.problems)
        self.search_bar.show_error(text)
        self.statusBar().showMessage(text)

    @Slot()
    def focus_search(self) -> None:
        """Ctrl+F: into the search field, its text selected for typing over."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    @Slot()
    def _search_entered(self) -> None:
        if self.searcher.busy:
            self._enter_pending = True  # once the answer is there
        else:
            self._go_to_result()

    def _go_to_result(self) -> None:
        """Enter in the search field: the customer whose number was typed (loading pages up
        to it), else the first one found; the list takes the focus."""
        number = self.search_bar.values().number()
        row = -1
        if number:
            model = self.model
            while model.find(number) < 0 and model.canFetchMore() and model.last_number < number:
                model.fetchMore()
            row = model.find(number)
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self._select_row(row)

    @Slot()
    def _focus_list(self) -> None:
        """Down in the search field: into the list, on its current (or first) row."""
        current = self.table.currentIndex().row()
        if 0 <= current < self.model.rowCount():
            self._select_row(current)
        elif self.model.rowCount():
            self._select_row(0)
        else:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.selectRow(row)
        self.table.scrollTo(index)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- actions -----------------------------------------------------------------------------

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    @Slot()
    def show_about(self) -> None:
        QMessageBox.about(
            self,
            tr_("about.title"),
            tr_("about.text").format(version=custmd_gui.__version__, db=display_url(self.url)),
        )

    @Slot()
    def create_customer(self) -> None:
        """XD01: the create wizard, one window kept for the next customer."""
        wizard = self._wizard_for("create")
        if wizard is not None:
            self._bring_up(wizard)

    @Slot()
    def display_customer(self, number: str = "") -> None:
        """XD03: the same screens read-only; with a number, straight to its data."""
        viewer = self._wizard_for("display")
        if viewer is None:
            return
        if number:
            viewer.display(number)
        self._bring_up(viewer)

    @Slot(str, str, str)
    def display_customer_segments(self, number: str, company_code: str, sales_area: str) -> None:
        """XD03 for a customer and segments (XD02 refused by an edit lock offers this)."""
        viewer = self._wizard_for("display")
        if viewer is None:
            return
        viewer.display(number, company_code, sales_area)
        self._bring_up(viewer)

    @Slot()
    def change_customer(self, number: str = "") -> None:
        """XD02: the initial screen (the customer number filled in when given); the edit lock
        is taken when the clerk goes on to the data."""
        editor = self._wizard_for("change")
        if editor is None:
            return
        if number and editor.keys is None:
            editor.bindings["initial"].set_values({"KNA1-KUNNR": number})
        self._bring_up(editor)

    def _current_number(self) -> str:
        row = self.table.currentIndex().row()
        return self.model.row(row).number if 0 <= row < self.model.rowCount() else ""

    @Slot()
    def _display_current_row(self) -> None:
        if number := self._current_number():
            self.display_customer(number)

    @Slot()
    def _change_current_row(self) -> None:
        self.change_customer(self._current_number())

    @Slot()
    def change_documents(self, number: str = "") -> None:
        """XD04: the change documents of `number`, else of the customer selected in the list."""
        if self.database is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return
        from custmd_gui.ui.change_documents_dialog import open_change_documents

        open_change_documents(
            self, self.database.factory, number or self._current_number(), self.actor
        )

    def _selected_numbers(self) -> list[str]:
        """The customers selected in the list, in list order; else the current one."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        numbers = [self.model.row(r).number for r in rows if 0 <= r < self.model.rowCount()]
        if not numbers and (current := self._current_number()):
            numbers = [current]
        return numbers

    @Slot()
    def block_customer(self, number: str = "") -> None:
        """XD05: the blocks of `number`, else of the customer selected in the list."""
        self._open_status("block", number)

    @Slot()
    def flag_customer(self, number: str = "") -> None:
        """XD06: the deletion flags of `number`, else of the customer selected in the list."""
        self._open_status("deletion", number)

    def _open_status(self, mode: str, number: str) -> None:
        database = self.database
        if database is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return
        from custmd_gui.ui.status_dialog import open_status_dialog

        assert self.actor is not None
        open_status_dialog(
            self,
            database.factory,
            database.customizing,
            self.actor,
            "deletion" if mode == "deletion" else "block",
            number or self._current_number(),
            on_saved=self._status_saved,
        )

    @Slot()
    def mass_block(self) -> None:
        """Block or unblock the customers selected in the list, in one transaction."""
        database = self.database
        if database is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return
        numbers = self._selected_numbers()
        if not numbers:
            self.statusBar().showMessage(tr_("mass.none"))
            return
        from custmd_gui.ui.status_dialog import MassStatusDialog

        assert self.actor is not None
        dialog = MassStatusDialog(database.factory, database.customizing, self.actor, numbers, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.applied.connect(self._mass_applied)
        dialog.open()

    @Slot(str, str)
    def _status_saved(self, _number: str, message: str) -> None:
        self.statusBar().showMessage(message)
        self.reload_list(keep_message=message)

    @Slot(str)
    def _mass_applied(self, message: str) -> None:
        self.statusBar().showMessage(message)
        self.reload_list(keep_message=message)

    def _wizard_for(self, kind: str) -> CustomerWizard | None:
        database = self.database
        if database is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return None
        wizard = self.wizards.get(kind)
        if wizard is None:
            from custmd_gui.domain.field_status import Activity
            from custmd_gui.ui.create_wizard import CustomerWizard

            activity = {"display": Activity.DISPLAY, "change": Activity.CHANGE}.get(
                kind, Activity.CREATE
            )
            assert self.actor is not None  # the database is set with the actor
            wizard = CustomerWizard(
                database.factory, database.customizing, self.actor, activity=activity
            )
            wizard.saved.connect(self._customer_saved)
            wizard.open_customer.connect(self.display_customer)
            wizard.display_requested.connect(self.display_customer_segments)
            self.wizards[kind] = wizard
        return wizard

    @staticmethod
    def _bring_up(window: QWidget) -> None:
        window.show()
        window.raise_()
        window.activateWindow()

    @Slot(str, str)
    def _customer_saved(self, _number: str, message: str) -> None:
        self.statusBar().showMessage(message)
        self.reload_list(keep_message=message)

    def reload_list(self, keep_message: str = "") -> None:
        """Fetch the list again; `keep_message` stays in the status bar instead of the count
        (SAP's "created" line is what the clerk must see)."""
        if self.database is not None:
            self._message_after_load = keep_message
            self.start_search()

    def show_admin(self, page: str) -> None:
        """系统 → 用户管理 / 部门与机构 (administrators only; the services check again)."""
        database = self.database
        if database is None or self.actor is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return
        from custmd_gui.ui.admin.dialog import open_admin_dialog

        open_admin_dialog(self, database.factory, self.actor, page)

    @Slot()
    def show_usage(self) -> None:
        """系统 → 导入业务使用记录: import an ERP extract, look up a customer's register."""
        database = self.database
        if database is None or self.actor is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return
        from custmd_gui.ui.usage_dialog import open_usage_dialog

        open_usage_dialog(
            self, database.factory, self.actor, on_imported=self.statusBar().showMessage
        )

    @Slot()
    def show_deletion(self) -> None:
        """系统 → 删除客户: the physical deletion run, with the customers selected in the list
        that carry the deletion flag filled in."""
        database = self.database
        if database is None or self.actor is None:
            self.statusBar().showMessage(tr_("db.not_ready"))
            return
        from custmd_gui.ui.deletion_dialog import open_deletion_dialog

        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        flagged = [
            self.model.row(r).number
            for r in rows
            if 0 <= r < self.model.rowCount() and self.model.row(r).deletion_flag
        ]
        open_deletion_dialog(
            self, database.factory, self.actor, flagged, on_deleted=self._customers_deleted
        )

    @Slot(str)
    def _customers_deleted(self, message: str) -> None:
        self.statusBar().showMessage(message)
        self.reload_list(keep_message=message)

    @Slot()
    def show_settings(self) -> None:
        """Language and database; a new database is opened at once (the demo keeps its own)."""
        from custmd_gui.settings import load_settings, settings_url
        from custmd_gui.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(load_settings(), self)
        if not dialog.exec():
            return
        chosen = dialog.result_settings()
        if chosen.language != language():
            set_language(chosen.language)
            self.retranslate()
        url = settings_url(chosen)
        if self.demo:
            self.statusBar().showMessage(tr_("settings.demo"))
        elif url != self.url:
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
        # The admin window asks about unsaved role changes like a wizard (when `ask`).
        for admin in self.findChildren(QDialog, "admin_dialog"):
            if ask and admin.isVisible() and not admin.close():
                return False
            admin.done(QDialog.DialogCode.Rejected)  # closed without asking again
            admin.deleteLater()
        # XD04, XD05, XD06, the usage register and the deletion run on the old database
        for name in (
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

    def wait_for_database(self, timeout: float | None = None) -> bool:
        """Block until the worker thread is done (tests, shutdown); True if it is."""
        if self.loader is None or self.loader.worker is None:
            return True
        self.loader.worker.join(timeout)
        return not self.loader.worker.is_alive()

    def dispose(self) -> None:
        """Release the database (the engine's pooled connections); the app is going."""
        self._disposed = True
        if self.login_dialog is not None:
            self.login_dialog.reject()
        self._release_database(ask=False)


def run(url: str, *, lang: str, demo: bool, exit_after_show: bool) -> int:
    """Show the main window on `url` and run the event loop; returns the exit code."""
    ensure_display()
    app = cast(QApplication | None, QApplication.instance()) or QApplication(sys.argv[:1])
    set_language(lang)
    app.setApplicationName("custmd")
    app.setApplicationVersion(custmd_gui.__version__)
    use_cjk_font(app)
    window = MainWindow(
        url,
        demo=demo,
        exit_after_show=exit_after_show,
        report_imports=os.environ.get("CUSTMD_REPORT_IMPORTS") == "1",
    )
    handler = crash.install(tr_, window)
    window.crash_handler = handler
    window.show()
    try:
        return app.exec()
    finally:
        window.dispose()
        handler.uninstall()
