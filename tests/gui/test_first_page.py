"""The start-up's early first page (persistence.first_page, ui.startup.FirstPage): the rows the
list's search shows, read before SQLAlchemy is imported, and only where nobody's rights are in
question; the window shows them before the database is open and keeps them afterwards."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, text

from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.first_page import read_first_page
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import users
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.services.customizing import upgrade_database
from custmd_gui.services.search import CustomerQuery, search_customers
from custmd_gui.services.status import Level, StatusEdit, change_status
from custmd_gui.ui.customer_list_model import PAGE_SIZE
from custmd_gui.ui.main import MainWindow
from custmd_gui.ui.startup import LINUX_DESKTOP_PACKAGES, FirstPage
from tests.conftest import example_document

SETUP = Actor("setup")
WAIT_MS = 30_000


def _make(factory: UnitOfWorkFactory, number: str, name: str) -> None:
    doc: dict[str, Any] = example_document()
    doc["KNA1"].update({"KUNNR": number, "NAME1": name, "NAME3": name, "STCD5": ""})
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = number
    create_customer(factory, from_document(doc), SETUP)


def _customers(factory: UnitOfWorkFactory) -> list[str]:
    """Four customers: blocked centrally, blocked in a sales area, flagged in a company code,
    flagged centrally (every mark the list shows)."""
    numbers = ["2110380001", "2110380002", "2110380003", "2110380004"]
    for number, name in zip(
        numbers,
        ("东宁广告有限公司", "华信商贸有限公司", "西湖文化有限公司", "北方机械有限公司"),
        strict=True,
    ):
        _make(factory, number, name)
    edits = (
        StatusEdit(Level.CENTRAL, order="01", posting=True),
        StatusEdit(Level.SALES_AREA, "F011/10/01", billing="02"),
        StatusEdit(Level.COMPANY_CODE, "F011", deletion=True),
        StatusEdit(Level.CENTRAL, deletion=True),
    )
    for number, edit in zip(numbers, edits, strict=True):
        change_status(factory, [number], [edit], SETUP, "测试")
    return numbers


def test_the_early_page_is_the_lists_first_page(
    db_url: str, engine: Engine, uow_factory: UnitOfWorkFactory
) -> None:
    _customers(uow_factory)
    for limit in (2, 4, PAGE_SIZE):
        early = read_first_page(db_url, limit)
        if db_url.startswith("postgresql"):
            # A server decides by its row security and the role's rights: the full opening.
            assert early is None
            continue
        expected = search_customers(uow_factory, CustomerQuery(), "", limit)
        assert early == (expected.rows, expected.more)
    rows = search_customers(uow_factory, CustomerQuery(), "", 4).rows
    marks = [(r.blocked, r.partly_blocked, r.deletion_flag, r.partly_flagged) for r in rows]
    assert marks == [
        (True, False, False, False),
        (False, True, False, False),
        (False, False, False, True),
        (False, False, True, False),
    ]


def test_no_early_page_with_users_an_old_schema_or_no_file(
    tmp_path: Path, engine: Engine, db_url: str, uow_factory: UnitOfWorkFactory
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("the early page is for a local file")
    _make(uow_factory, "2110380001", "东宁广告有限公司")
    assert read_first_page(db_url, PAGE_SIZE) is not None
    # An older schema: the full opening migrates first.
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    assert read_first_page(db_url, PAGE_SIZE) is None
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": _head()})
    # Users: the login decides what the list shows.
    users.create_user(
        uow_factory,
        SETUP,
        "admin",
        password="geheim-123",
        roles=["administrator"],
        auth_groups=["*"],
        company_codes=["*"],
        sales_areas=["*/*/*"],
    )
    assert read_first_page(db_url, PAGE_SIZE) is None
    # A file that is not there is not created.
    missing = tmp_path / "nowhere" / "x.sqlite"
    assert read_first_page(f"sqlite:///{missing}", PAGE_SIZE) is None
    assert not missing.parent.exists()


def _head() -> str:
    from custmd_gui.persistence.migrate import SCHEMA_HEAD

    return SCHEMA_HEAD


def test_the_window_shows_the_early_page_and_keeps_it(
    qtbot: QtBot, tmp_path: Path, open_window: Callable[..., MainWindow]
) -> None:
    url = f"sqlite:///{tmp_path / 'early.sqlite'}"
    engine = make_engine(url)
    upgrade_database(engine)
    numbers = _customers(UnitOfWorkFactory(engine))
    engine.dispose()
    window = open_window(url, first_page=FirstPage(url, PAGE_SIZE))
    states: list[str] = []
    window.model.modelReset.connect(lambda: states.append(window.database_state))
    qtbot.waitUntil(lambda: window.database_state == "ready", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.model.canFetchMore() or window.model.exhausted)
    assert [window.model.row(r).number for r in range(window.model.rowCount())] == numbers
    # Listed once, before the database was open; the search's same page reset nothing
    # (a selection made in between stays).
    assert states == [] or states == ["closed"]
    assert window.model.pages_fetched == 1


def test_a_file_with_users_shows_nothing_before_the_login(
    qtbot: QtBot, tmp_path: Path, open_window: Callable[..., MainWindow]
) -> None:
    url = f"sqlite:///{tmp_path / 'users.sqlite'}"
    engine = make_engine(url)
    upgrade_database(engine)
    factory = UnitOfWorkFactory(engine)
    _make(factory, "2110380001", "东宁广告有限公司")
    users.create_user(
        factory,
        SETUP,
        "admin",
        password="geheim-123",
        roles=["administrator"],
        auth_groups=["*"],
        company_codes=["*"],
        sales_areas=["*/*/*"],
    )
    engine.dispose()
    window = open_window(url, first_page=FirstPage(url, PAGE_SIZE))
    qtbot.waitUntil(lambda: window.login_dialog is not None, timeout=WAIT_MS)
    assert window.model.rowCount() == 0


def _env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "CUSTMD_REPORT_IMPORTS": "1",
        "CUSTMD_LANG": "zh",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "CUSTMD_DB"):
        env.pop(name, None)
    return env


def test_the_first_page_is_painted_before_the_database_layer_is_imported(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    engine = make_engine(url)
    upgrade_database(engine)
    _customers(UnitOfWorkFactory(engine))
    engine.dispose()
    result = subprocess.run(
        [sys.executable, "-m", "custmd_gui", "--offscreen", "--exit-after-show", "--db", url],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    shown = [line for line in lines if line.startswith("window shown after")]
    assert len(shown) == 1, result.stdout
    assert re.fullmatch(r"window shown after \d+ ms; 4 customers listed", shown[0])
    assert "heavy modules imported when the first page was shown: none" in lines, lines


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is Linux's")
def test_without_a_display_custmd_says_so_unless_offscreen(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    command = [sys.executable, "-m", "custmd_gui", "--exit-after-show", "--db", url]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, env=_env(tmp_path)
    )
    assert result.returncode == 4
    assert "没有找到显示器" in result.stderr and "no display found" in result.stderr
    assert "--offscreen" in result.stderr and "Traceback" not in result.stderr
    # The packages it names are the README's.
    assert f"apt-get install {LINUX_DESKTOP_PACKAGES}" in result.stderr
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"python3-venv {LINUX_DESKTOP_PACKAGES}\n" in readme
    assert not (tmp_path / "x.sqlite").exists()  # nothing was started
    result = subprocess.run(
        [*command, "--offscreen"], capture_output=True, text=True, timeout=120, env=_env(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert "window shown after" in result.stdout
