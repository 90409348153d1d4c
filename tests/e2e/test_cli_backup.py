"""`custmd db backup FILE` and `custmd db restore FILE` as a user runs them, on both databases
(real files, the real pg_dump and pg_restore)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PostgresServer, example_document
from tests.e2e.test_cli import _write, custmd

ADMIN_PW = "Admin-pass-2024"
CLERK_PW = "Clerk-pass-2024"
ADMIN = {"CUSTMD_USER": "admin", "CUSTMD_PASSWORD": ADMIN_PW}
CLERK = {"CUSTMD_USER": "clerk", "CUSTMD_PASSWORD": CLERK_PW}


@pytest.fixture
def empty_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield str(tmp_path / "elsewhere" / "restored.sqlite")  # a plain path, as users type
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    name = server.create()  # createdb: empty
    try:
        yield server.url(name)
    finally:
        server.drop(name)


def test_backup_and_restore_round_trip(db_url: str, empty_url: str, tmp_path: Path) -> None:
    created = custmd("customer", "create", _write(tmp_path, example_document()), "--db", db_url)
    assert created.returncode == 0, created.stderr
    boot = custmd(
        "db", "upgrade", "--db", db_url, "--admin-password-env", "PW", env={"PW": ADMIN_PW}
    )
    assert boot.returncode == 0, boot.stderr
    made = custmd(
        "user", "create", "clerk", "--role", "assistant", "--password-env", "NEWPW",
        "--db", db_url, env={**ADMIN, "NEWPW": CLERK_PW},
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    backup = tmp_path / "nightly.custmd-backup"

    refused = custmd("db", "backup", str(backup), "--db", db_url, env=CLERK)
    assert refused.returncode == 1
    assert "用户 clerk 没有权限：系统管理" in refused.stderr
    assert not backup.exists()

    done = custmd("db", "backup", str(backup), "--db", db_url, env=ADMIN)
    assert done.returncode == 0, done.stderr
    assert "备份已写入" in done.stdout and "1 个客户" in done.stdout

    restored = custmd("db", "restore", str(backup), "--db", empty_url)
    assert restored.returncode == 0, restored.stderr
    assert "已恢复：1 个客户" in restored.stdout
    # The users came back with the customers: the restored database asks for a login.
    shown = custmd("customer", "show", "2110380001", "--db", empty_url, env=ADMIN)
    assert shown.returncode == 0, shown.stderr
    assert "东宁广告有限公司" in shown.stdout

    again = custmd("db", "restore", str(backup), "--db", empty_url, env=ADMIN)
    assert again.returncode == 1
    assert "Traceback" not in again.stderr
    assert ("--force" in again.stderr) or ("createdb" in again.stderr)


def test_sqlite_restore_over_data_needs_an_administrator(tmp_path: Path) -> None:
    db = str(tmp_path / "c.sqlite")
    created = custmd("customer", "create", _write(tmp_path, example_document()), "--db", db)
    assert created.returncode == 0, created.stderr
    backup = tmp_path / "b.custmd-backup"
    assert custmd("db", "backup", str(backup), "--db", db).returncode == 0
    boot = custmd("db", "upgrade", "--db", db, "--admin-password-env", "PW", env={"PW": ADMIN_PW})
    assert boot.returncode == 0, boot.stderr
    made = custmd(
        "user", "create", "clerk", "--role", "assistant", "--password-env", "NEWPW",
        "--db", db, env={**ADMIN, "NEWPW": CLERK_PW},
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    clerk = custmd("db", "restore", str(backup), "--db", db, "--force", env=CLERK)
    assert clerk.returncode == 1 and "没有权限：系统管理" in clerk.stderr
    admin = custmd("db", "restore", str(backup), "--db", db, "--force", env=ADMIN)
    assert admin.returncode == 0, admin.stderr
    assert "c.sqlite.before-restore" in admin.stdout
    # The backup is from single-user days: no login asked any more.
    assert custmd("customer", "show", "2110380001", "--db", db).returncode == 0


def test_missing_pg_dump_is_a_message(postgres: PostgresServer, tmp_path: Path) -> None:
    name = postgres.create(template=postgres.template)
    try:
        # PATH without the PostgreSQL client tools (the interpreter is started by its path).
        result = custmd(
            "db", "backup", str(tmp_path / "b.custmd-backup"), "--db", postgres.url(name),
            env={"PATH": str(tmp_path)},
        )  # fmt: skip
    finally:
        postgres.drop(name)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "找不到 PostgreSQL 客户端程序 pg_dump（PATH 中没有）" in result.stderr
    # Nothing written but the log folder the tests' environment puts here (XDG_STATE_HOME).
    assert [n for n in os.listdir(tmp_path) if n != "state"] == []
