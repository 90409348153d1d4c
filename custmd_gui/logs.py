"""Traces for whoever has to find out what went wrong: the log file, Python's fault handler, one
line per start of the app, and the program's environment described (for the log, 帮助 → 关于
and the crash report).

`setup()` (called by the command before anything else, and by the app's crash handler) sends
the records of the package's loggers (INFO and up) and every library's warnings to
`custmd.log` in the per-user log folder, rotated at 1 MB with 5 old files kept, and points
`faulthandler` at `faults.log` there: a crash of the interpreter itself (a segmentation fault
in a Qt or database driver, an abort) leaves the Python stacks of every thread in that file,
which stays open for the whole run (the fault handler cannot open a file when it fires).
Nothing here ever writes a traceback to the terminal: a log that cannot be written is said in
one line on stderr.

Standard library and platformdirs only (light at start-up); no Qt.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

import custmd_gui
from custmd_gui import settings

LOG_FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FAULTS_NAME = "faults.log"
# The package's loggers: `custmd` (crash handler, start line, command errors) and the
# modules' own (`custmd_gui.services.auth`, ...).
PACKAGE_LOGGERS = ("custmd", "custmd_gui")

LOGGER = logging.getLogger("custmd")


class _LogFile(RotatingFileHandler):
    """The rotating log file; a record that cannot be written (disk full, the file renamed
    away by another instance on Windows) is one line on stderr, never a traceback."""

    def handleError(self, record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        with contextlib.suppress(Exception):  # stderr closed as well: nothing left to tell
            sys.stderr.write(f"custmd: cannot write the log file {self.baseFilename}: {error}\n")


@dataclass
class Traces:
    """What `setup()` installed; `close()` takes it away again."""

    folder: Path
    log_file: Path | None = None  # None: the folder cannot be written
    faults_file: Path | None = None
    handler: logging.Handler | None = None
    faults: TextIO | None = None
    levels: dict[str, int] = field(default_factory=dict)
    faulthandler_before: bool = False

    def close(self) -> None:
        global _current
        root = logging.getLogger()
        if self.handler is not None:
            root.removeHandler(self.handler)
            self.handler.close()
            self.handler = None
        for name, level in self.levels.items():
            logging.getLogger(name).setLevel(level)
        logging.captureWarnings(False)
        if self.faults is not None:
            faulthandler.disable()
            if self.faulthandler_before:  # a test runner's own fault handler, say
                faulthandler.enable(sys.__stderr__ or sys.stderr)
            self.faults.close()
            self.faults = None
        if _current is self:
            _current = None


_current: Traces | None = None


def current() -> Traces | None:
    return _current


def setup() -> Traces:
    """Install the log file and the fault handler for the per-user log folder (once: a second
    call for the same folder returns what the first installed)."""
    global _current
    folder = settings.log_dir()
    if _current is not None and _current.folder == folder:
        return _current
    if _current is not None:
        _current.close()
    traces = Traces(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / settings.LOG_NAME
        handler = _LogFile(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
        )
    except OSError as exc:
        sys.stderr.write(f"custmd: cannot write the log folder {folder}: {exc}\n")
        _current = traces
        return traces
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logging.getLogger().addHandler(handler)
    for name in PACKAGE_LOGGERS:
        logger = logging.getLogger(name)
        traces.levels[name] = logger.level
        if logger.level == logging.NOTSET or logger.level > logging.INFO:
            logger.setLevel(logging.INFO)
    logging.captureWarnings(True)  # warnings.warn(...) into the file, not onto the terminal
    traces.handler, traces.log_file = handler, path
    _enable_faulthandler(traces)
    _current = traces
    return traces


def _enable_faulthandler(traces: Traces) -> None:
    path = traces.folder / FAULTS_NAME
    try:
        if path.exists() and path.stat().st_size > MAX_BYTES:
            os.replace(path, path.with_name(FAULTS_NAME + ".1"))
    except OSError:
        pass  # another instance has it open (Windows): it grows a little longer
    try:
        faults = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the whole run
        # Which run a dump belongs to: the fault handler writes stacks only.
        faults.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} pid {os.getpid()} ---\n")
        faults.flush()
    except OSError as exc:
        sys.stderr.write(f"custmd: cannot write {path}: {exc}\n")
        return
    traces.faulthandler_before = faulthandler.is_enabled()
    faulthandler.enable(faults, all_threads=True)
    traces.faults, traces.faults_file = faults, path


def close() -> None:
    if _current is not None:
        _current.close()


# -- the environment ----------------------------------------------------------------------------


def version() -> str:
    """The installed package's version (its metadata), else the source tree's."""
    from importlib import metadata  # not at start-up: only the log line and 关于 ask

    try:
        return metadata.version("custmd")
    except metadata.PackageNotFoundError:
        return custmd_gui.__version__


def python_version() -> str:
    return f"{platform.python_version()} ({platform.python_implementation()})"


def os_name() -> str:
    return platform.platform()


@dataclass(frozen=True)
class DatabaseInfo:
    """Which database a URL names, without its password."""

    kind: str  # "SQLite", "PostgreSQL", or the URL's scheme
    file: str = ""  # SQLite
    host: str = ""
    port: str = ""
    name: str = ""
    user: str = ""

    def summary(self) -> str:
        if self.kind == "SQLite":
            return f"SQLite {self.file}"
        login = f"{self.user}@" if self.user else ""
        port = f":{self.port}" if self.port else ""
        return f"{self.kind} {login}{self.host}{port}/{self.name}"


def describe_database(url: str) -> DatabaseInfo:
    """The kind and location of the database `url` (a path is a SQLite file); never the
    password."""
    if "://" not in url:
        return DatabaseInfo("SQLite", file=url)
    scheme = url.split("://", 1)[0].split("+", 1)[0].lower()
    if scheme == "sqlite":
        return DatabaseInfo("SQLite", file=url.split("://", 1)[1].removeprefix("/") or ":memory:")
    parts = urlsplit(url)
    kind = "PostgreSQL" if scheme in ("postgresql", "postgres") else scheme
    try:
        port = str(parts.port or "")
    except ValueError:
        port = ""
    return DatabaseInfo(
        kind,
        host=parts.hostname or "",
        port=port,
        name=unquote(parts.path.lstrip("/")),
        user=unquote(parts.username or ""),
    )


def log_start(url: str, *, demo: bool, window_ms: float, toolkit: str = "") -> None:
    """The line each start of the app leaves: version, environment, database, time to window."""
    LOGGER.info(
        "custmd %s started (pid %d; Python %s; %s%s): database %s%s; window shown after %.0f ms",
        version(),
        os.getpid(),
        platform.python_version(),
        f"{toolkit}; " if toolkit else "",
        os_name(),
        describe_database(url).summary(),
        " (demo)" if demo else "",
        window_ms,
    )
