"""Shared fixtures: a fresh database per test on SQLite and on PostgreSQL.

Every test that takes `db_url` runs twice, once per backend. PostgreSQL tests skip when no
server answers, except under CI=true, where a missing server fails the run.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.customizing import upgrade_database
from custmd_gui.settings import ALLOW_PLAINTEXT_KEYRING_ENV

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "resources" / "demo"
PG_ADMIN_URL = os.environ.get(
    "CUSTMD_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ("sqlite", "postgresql")


def example_document() -> dict[str, Any]:
    """The process documents' example customer 东宁广告有限公司 (1110, F011, F011/10/01)."""
    data: dict[str, Any] = json.loads((DEMO / "dongning.json").read_text(encoding="utf-8"))
    return data


class PostgresServer:
    """Creates and drops throw-away databases on the test server."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.template: str | None = None

    def url(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None) -> str:
        name = f"custmd_t_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        tmpl = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{tmpl}'))
        return name

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(autouse=True)
def own_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the settings, data or logs of the user running the tests."""
    config = tmp_path / "config"
    monkeypatch.setenv("CUSTMD_CONFIG_DIR", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    # Nor the database or language the developer's shell may choose.
    monkeypatch.delenv("CUSTMD_DB", raising=False)
    monkeypatch.delenv("CUSTMD_LANG", raising=False)
    return config


@pytest.fixture
def file_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PlaintextKeyring]:
    """A real keyring backend that keeps its passwords in a file under tmp_path."""
    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring" / "keyring_pass.cfg")
    keyring.set_keyring(backend)
    monkeypatch.setenv(ALLOW_PLAINTEXT_KEYRING_ENV, "1")
    yield backend
    keyring.set_keyring(previous)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (pyproject's addopts): one worker more than the cores. Many tests wait on a
    subprocess, a lock or a server's timeout; a third worker keeps two cores busy meanwhile.
    PYTEST_XDIST_AUTO_NUM_WORKERS still decides when set (xdist's own hook reads it)."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return (os.cpu_count() or 1) + 1


def _postgres_available() -> str | None:
    try:
        eng = create_engine(PG_ADMIN_URL)
        with eng.connect() as conn:
            conn.execute(text("select 1"))
        eng.dispose()
        return None
    except Exception as exc:  # any failure to connect means: no server here
        return str(exc).splitlines()[0]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    problem = _postgres_available()
    if problem:
        message = f"PostgreSQL not reachable at {PG_ADMIN_URL}: {problem}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: PostgreSQL tests must run)")
        pytest.skip(message)
    server = PostgresServer(PG_ADMIN_URL)
    # One migrated and seeded database serves as the template of every test database.
    template = server.create()
    engine = make_engine(server.url(template))
    upgrade_database(engine)
    engine.dispose()
    server.template = template
    yield server
    server.drop(template)
    server.admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    engine.dispose()
    return path


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, migrated database with the shipped customizing, on each backend."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "custmd.sqlite"
        shutil.copyfile(template, target)
        yield f"sqlite:///{target}"
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    name = server.create(template=server.template)
    try:
        yield server.url(name)
    finally:
        server.drop(name)


@pytest.fixture
def empty_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database (no schema, no customizing) on each backend: a file in a folder
    that does not exist yet, or a new PostgreSQL database (createdb)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty' / 'custmd.sqlite'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    name = server.create()
    try:
        yield server.url(name)
    finally:
        server.drop(name)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def uow_factory(engine: Engine) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(engine)
