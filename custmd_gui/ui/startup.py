"""Start-up: a display to run on, the start-up clock, and the database opened off the GUI thread.

Start-up order (clerks open the app many times a day):

1. custmd_gui.ui.main imports only PySide6, custmd_gui.settings and light ui modules (this
   one included: its heavy imports are inside `open_database`);
2. the window is shown and painted;
3. on the first paint, `DatabaseLoader` runs `open_database` in a worker thread: it imports
   SQLAlchemy, pydantic, alembic and the services, opens the database, migrates a local SQLite
   file if needed (a shared PostgreSQL database is never migrated behind the administrator's
   back) and creates the demo customers (services.demo);
4. back in the GUI thread, the list loads its first page of 200 customers.
"""

from __future__ import annotations

import os
import sys
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
    from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
    from custmd_gui.services.context import Actor
    from custmd_gui.services.customizing_cache import CustomizingCache
    from custmd_gui.ui.operations import Operation

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

EXIT_OK, EXIT_FAILED, EXIT_DB = 0, 1, 3


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
        login_needed = server is None and not single_user_mode(factory)
    except (OperationalError, ArgumentError) as exc:
        error = getattr(exc, "orig", None) or exc
        raise DatabaseRefused(tr_("db.failed").format(error=error)) from exc
    except LoginFailed as exc:
        raise DatabaseRefused(exc.problems[0].message.get(language())) from exc
    return OpenedDatabase(engine, factory, customizing, problems, login_needed, server)


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
