"""Start-up: a display to run on, the start-up clock, and the database opened off the GUI thread.

Start-up order (clerks open the app many times a day):

1. custmd_gui.ui.main imports only PySide6, custmd_gui.settings and light ui modules (this
   one included: its heavy imports are inside `open_database`);
2. while the window is built, `FirstPage` reads the list's first page of a local file in a
   thread, with the standard library's sqlite3 alone (persistence.first_page: only a file at
   the current schema without users); the window shows it as soon as it is painted;
3. then `DatabaseLoader` runs `open_database` in a worker thread: it imports
   SQLAlchemy, pydantic, alembic and the services, opens the database, migrates a local SQLite
   file if needed (a shared PostgreSQL database is never migrated behind the administrator's
   back) and creates the demo customers (services.demo);
4. back in the GUI thread, the list loads its first page of 200 customers (the same rows
   as the early page keep the list as it is: CustomerListModel.show_page).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from custmd_gui.ui.main_texts import language, tr_

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from custmd_gui.domain.customizing import Customizing
    from custmd_gui.domain.list_row import CustomerListRow
    from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
    from custmd_gui.services.context import Actor
    from custmd_gui.services.customizing_cache import CustomizingCache
    from custmd_gui.services.offline_checkout import ReplicaStatus
    from custmd_gui.ui.operations import Operation

# When this module was imported: the fallback start of the start-up clock.
_IMPORTED_AT = time.perf_counter()

# Modules whose import the window must not wait for (reported with CUSTMD_REPORT_IMPORTS=1).
HEAVY_MODULES = (
    "sqlalchemy",
    "pydantic",
    "alembic",
    "yaml",
    # The packages' heavy modules: the early first page imports the packages themselves and
    # two small modules (domain.list_row, persistence.first_page).
    "custmd_gui.catalog",
    "custmd_gui.domain.model",
    "custmd_gui.domain.search_terms",
    "custmd_gui.persistence.tables",
    "custmd_gui.persistence.engine",
    "custmd_gui.services",
    "qtawesome",
    "pypinyin",
    "rapidfuzz",
)

EXIT_OK, EXIT_FAILED, EXIT_DB = 0, 1, 3

# What the first XD01 (Ctrl+N) of a session would otherwise import before its first screen:
# imported in a worker thread once the list is shown (MainWindow._start_session), so that the
# first screen is ready as fast as any later one (benchmarks/xd01.py warms the same way).
XD01_MODULES = (
    "custmd_gui.ui.wizard",
    "custmd_gui.services.proposals",
    "custmd_gui.services.create",
    "custmd_gui.services.duplicates",
)


def warm_xd01_modules() -> None:
    import importlib

    for name in XD01_MODULES:
        importlib.import_module(name)


EXIT_NO_DISPLAY = 4

# What Qt's xcb platform plugin loads, and a Chinese font, as Debian and Ubuntu name them
# (the README's set-up names the same; tests/gui/test_first_page.py keeps them in step).
LINUX_DESKTOP_PACKAGES = (
    "libgl1 libegl1 libfontconfig1 libdbus-1-3 libglib2.0-0 libx11-xcb1 libxkbcommon-x11-0"
    " libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0"
    " libxcb-render-util0 libxcb-shape0 libxcb-xkb1 fonts-wqy-microhei"
)

NO_DISPLAY = (
    "没有找到显示器（DISPLAY 和 WAYLAND_DISPLAY 均未设置）：请在桌面会话中启动 custmd，"
    "或加 --offscreen 在无显示器的环境中运行（窗口不可见）。\n"
    "no display found (neither DISPLAY nor WAYLAND_DISPLAY is set): start custmd in a desktop "
    "session, or add --offscreen to run without a screen (the window is invisible).\n"
    "Linux 桌面所需的系统软件包 / system packages a Linux desktop needs (Debian, Ubuntu):\n"
    f"  sudo apt-get install {LINUX_DESKTOP_PACKAGES}"
)


def ensure_display(*, offscreen: bool = False) -> str | None:
    """None when the window can be shown; else the message to print (Linux without a display).

    `offscreen` (--offscreen) runs on Qt's offscreen platform; a QT_QPA_PLATFORM set by the
    caller (tests, CI) is respected as it is."""
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return None
    if not sys.platform.startswith("linux"):
        return None
    if any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        return None
    return NO_DISPLAY


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


# -- the first page, before the database layer is imported --------------------------------


class FirstPage:
    """The list's first page of a local file, read in a thread of its own while the window is
    built (persistence.first_page; None where that does not apply)."""

    def __init__(self, url: str, limit: int) -> None:
        self._url = url
        self._limit = limit
        self._page: tuple[list[CustomerListRow], bool] | None = None
        self._thread = threading.Thread(target=self._read, name="first-page", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        from custmd_gui.persistence.first_page import read_first_page

        self._page = read_first_page(self._url, self._limit)

    def result(self, timeout: float) -> tuple[list[CustomerListRow], bool] | None:
        """The rows and whether more follow, waiting up to `timeout` seconds; None when the
        shortcut does not apply or has not finished by then."""
        self._thread.join(timeout)
        return None if self._thread.is_alive() else self._page


# -- the database, opened off the GUI thread --------------------------------------------------


class DatabaseRefused(Exception):
    """The database cannot be used as it is; the message is for the user."""


@dataclass
class OpenedDatabase:
    engine: Engine
    factory: UnitOfWorkFactory
    # The customizing, reloaded for new screens when it changed (services.customizing_cache).
    customizing_cache: CustomizingCache
    problems: list[str] = field(default_factory=list)
    # A database with users: the login dialog comes before the list (services.auth).
    login_needed: bool = False
    # Shared mode: the role the server signed in, with its custmd rights (services.auth).
    server_actor: Actor | None = None
    # An offline replica (issue 19): its state (离线, last sync); the factory is the
    # replica's, whose saves also write the outbox.
    offline: ReplicaStatus | None = None

    @property
    def customizing(self) -> Customizing:
        """The customizing for a screen about to open: current within the cache's interval."""
        return self.customizing_cache.current()


def open_database(url: str, *, demo: bool, progress: Callable[[str], None]) -> OpenedDatabase:
    """Open (and for a local SQLite file: create or migrate) the database; heavy imports here.

    `progress` receives text keys while slow steps run. Raises DatabaseRefused for a shared
    database whose schema is not current and for a database that cannot be reached."""
    from sqlalchemy.exc import ArgumentError, OperationalError

    from custmd_gui.persistence import migrate
    from custmd_gui.persistence.engine import is_sqlite, make_engine
    from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
    from custmd_gui.services.auth import LoginFailed, server_actor, single_user_mode
    from custmd_gui.services.customizing_cache import CustomizingCache
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
        offline = None
        if is_sqlite(engine):
            from custmd_gui.services.offline_checkout import replica_session, replica_status

            replica = replica_session(engine)
            if replica is not None:
                factory, replica_user = replica
                offline = replica_status(replica[0])
        problems: list[str] = []
        if demo:
            from custmd_gui.services.demo import create_demo_customers

            progress("db.seeding")
            problems = [
                tr_("demo.failed").format(file=failure.file, error=failure.text(language()))
                for failure in create_demo_customers(factory)
            ]
        customizing = CustomizingCache(factory)
        customizing.current()  # read now, off the GUI thread
        # The shared mode (PostgreSQL) signs in to the server with the URL's role, who then
        # acts with its custmd rights; the login dialog is for a local file that has users
        # (and for a server URL whose role is no custmd user, such as the owner's).
        server = None if is_sqlite(engine) else server_actor(factory, url)
        if offline is not None:
            # The replica's user, with the rights of the last sync: the server asks for
            # the password at every sync.
            server = replica_user
        login_needed = server is None and not single_user_mode(factory)
    except (OperationalError, ArgumentError) as exc:
        error = getattr(exc, "orig", None) or exc
        raise DatabaseRefused(tr_("db.failed").format(error=error)) from exc
    except LoginFailed as exc:
        raise DatabaseRefused(exc.problems[0].message.get(language())) from exc
    return OpenedDatabase(engine, factory, customizing, problems, login_needed, server, offline)


class DatabaseLoader(QObject):
    """Runs open_database in a worker thread (ui.operations) and reports back by signals.

    Not busy: the window is already there, its status bar says how far the opening got."""

    progress = Signal(str)
    opened = Signal(object)
    refused = Signal(str)
    crashed = Signal(object)

    def __init__(self, url: str, *, demo: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.demo = demo
        self.operation: Operation[OpenedDatabase | str] | None = None  # once started

    def start(self) -> None:
        from custmd_gui.ui.operations import Operation

        def work() -> OpenedDatabase | str:
            try:
                return open_database(self.url, demo=self.demo, progress=operation.progress)
            except DatabaseRefused as exc:  # said in the window, not a crash
                return str(exc)

        operation: Operation[OpenedDatabase | str] = Operation(None, work, busy=False)
        operation.on_progress(lambda key: self.progress.emit(str(key)))
        operation.on_success(self._done).on_crash(self.crashed.emit)
        self.operation = operation.run()

    def _done(self, outcome: OpenedDatabase | str) -> None:
        if isinstance(outcome, str):
            self.refused.emit(outcome)
        else:
            self.opened.emit(outcome)

    def join(self, timeout: float | None = None) -> bool:
        """Block until the opening's thread is done (tests, shutdown); True if it is. The
        app's global thread pool also lets a migration finish before the process ends."""
        return self.operation is None or self.operation.join(timeout)
