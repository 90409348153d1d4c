"""Traces (custmd_gui.logs): the rotating log file, the fault handler's file, the start line of
the app (on SQLite and PostgreSQL), the database described without its password, and a
command's errors in the log, never as a traceback on the terminal."""

from __future__ import annotations

import faulthandler
import logging
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from custmd_gui import logs

REPO = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A child process with this worktree's code, its own folders and no display."""
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "CUSTMD_CONFIG_DIR": str(tmp_path / "config"),
        **extra,
    }


def _log_folder(tmp_path: Path) -> Path:
    return tmp_path / "state" / "custmd" / "log"  # XDG_STATE_HOME of own_folders and _env


@pytest.fixture
def traces(tmp_path: Path) -> Iterator[logs.Traces]:
    installed = logs.setup()
    yield installed
    installed.close()


def test_setup_writes_the_package_loggers_and_warnings_to_the_log_file(
    traces: logs.Traces, tmp_path: Path
) -> None:
    assert traces.log_file == _log_folder(tmp_path) / "custmd.log"
    assert logs.setup() is traces  # once per folder
    logging.getLogger("custmd_gui.services.auth").info("user lisi logged in from pc-1")
    logging.getLogger("sqlalchemy.engine").info("a library's chatter stays out")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("something is deprecated", DeprecationWarning, stacklevel=1)
    assert traces.handler is not None
    traces.handler.flush()
    text = traces.log_file.read_text(encoding="utf-8")
    assert re.search(r"INFO \[MainThread\] custmd_gui\.services\.auth: user lisi logged in", text)
    assert "chatter" not in text
    assert "DeprecationWarning: something is deprecated" in text
    # The fault handler writes into faults.log beside it, kept open for the whole run.
    assert faulthandler.is_enabled()
    assert traces.faults is not None and not traces.faults.closed
    assert traces.faults_file == _log_folder(tmp_path) / "faults.log"
    assert re.fullmatch(
        r"--- \d{4}-\d\d-\d\d \d\d:\d\d:\d\d pid \d+ ---\n",
        traces.faults_file.read_text(encoding="utf-8"),
    )


def test_the_log_file_is_rotated(traces: logs.Traces) -> None:
    assert traces.log_file is not None
    logger = logging.getLogger("custmd")
    line = "x" * 1000
    for i in range(2500):  # about 2.6 MB
        logger.info("%d %s", i, line)
    folder = traces.log_file.parent
    rotated = sorted(p.name for p in folder.glob("custmd.log*"))
    assert rotated == ["custmd.log", "custmd.log.1", "custmd.log.2"]
    assert all(p.stat().st_size <= logs.MAX_BYTES for p in folder.glob("custmd.log*"))
    assert " 2499 " in traces.log_file.read_text(encoding="utf-8")


def test_close_takes_everything_away(tmp_path: Path) -> None:
    root_handlers = list(logging.getLogger().handlers)
    installed = logs.setup()
    installed.close()
    assert logging.getLogger().handlers == root_handlers
    assert logs.current() is None
    assert installed.faults is None


def test_a_crash_of_the_interpreter_leaves_its_stacks_in_faults_log(tmp_path: Path) -> None:
    code = (
        "import faulthandler\n"
        "from custmd_gui import logs\n"
        "logs.setup()\n"
        "def deep_inside_a_driver():\n"
        "    faulthandler._sigsegv()\n"
        "deep_inside_a_driver()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(tmp_path),
    )
    assert result.returncode != 0
    faults = (_log_folder(tmp_path) / "faults.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in faults
    assert "deep_inside_a_driver" in faults
    assert "Fatal Python error" not in result.stderr  # the file, not the terminal


@pytest.mark.parametrize(
    ("url", "summary", "password"),
    [
        ("sqlite:////home/li/custmd.sqlite", "SQLite /home/li/custmd.sqlite", ""),
        ("custmd.sqlite", "SQLite custmd.sqlite", ""),
        (
            "postgresql+psycopg://clerk:s%40cret@db.example:5433/custmd",
            "PostgreSQL clerk@db.example:5433/custmd",
            "s@cret",
        ),
        ("postgresql://db.example/custmd", "PostgreSQL db.example/custmd", ""),
    ],
)
def test_the_database_is_described_without_its_password(
    url: str, summary: str, password: str
) -> None:
    info = logs.describe_database(url)
    assert info.summary() == summary
    if password:
        assert password not in repr(info) and "cret" not in repr(info)


def test_each_start_of_the_app_leaves_a_line(tmp_path: Path, db_url: str, backend: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "custmd_gui", "--exit-after-show", "--db", db_url],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(tmp_path, CUSTMD_LANG="zh"),
    )
    assert result.returncode == 0, result.stderr
    text = (_log_folder(tmp_path) / "custmd.log").read_text(encoding="utf-8")
    kind = "SQLite" if backend == "sqlite" else "PostgreSQL postgres@127.0.0.1:5432/"
    (started,) = [line for line in text.splitlines() if " started (" in line]
    assert re.search(
        rf"INFO \[MainThread\] custmd: custmd \d+\.\d+\.\d+ started \(pid \d+; Python 3\.\d+\.\d+;"
        rf" Qt 6\.[\d.]+, PySide6 6\.[\d.]+; .+\): database {re.escape(kind)}.*;"
        r" window shown after \d+ ms$",
        started,
    ), started
    assert re.search(r"custmd: database open after \d+ ms", text)
    assert "Traceback" not in result.stderr


def test_a_commands_thread_error_is_logged_not_printed(tmp_path: Path) -> None:
    """A command whose background thread fails: one line for the caller, the traceback in
    the log (Python would print the traceback on stderr)."""
    code = (
        "import sys, threading\n"
        "import custmd_gui.cli.main\n"
        "cli = sys.modules['custmd_gui.cli.main']  # the package's `main` is the function\n"
        "def boom():\n"
        "    raise RuntimeError('renewal failed')\n"
        "def run(argv):\n"
        "    t = threading.Thread(target=boom, name='lock-renewal')\n"
        "    t.start(); t.join()\n"
        "    return 0\n"
        "cli._main = run\n"
        "sys.exit(cli.main(['customer', 'show', '1']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=_env(tmp_path)
    )
    assert result.returncode == 0
    log = _log_folder(tmp_path) / "custmd.log"
    assert (
        result.stderr
        == f"意外错误（线程 lock-renewal）：RuntimeError: renewal failed；日志：{log}\n"
    )
    logged = log.read_text(encoding="utf-8")
    assert "unexpected error in thread lock-renewal" in logged
    assert "Traceback (most recent call last)" in logged and "in boom" in logged
