"""`custmd user ...` and `--user`: single-user mode until the first administrator exists,
then a login for every command; passwords only from the environment, never arguments."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import example_document
from tests.e2e.test_cli import _write, custmd

ADMIN_PW = "Admin-pass-2024"
CLERK_PW = "Clerk-pass-2024"


def test_users_from_bootstrap_to_a_scoped_clerk(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.sqlite'}"
    upgraded = custmd("db", "upgrade", "--db", db)
    assert upgraded.returncode == 0
    assert "single-user mode" in upgraded.stderr
    # Single-user mode: no login asked.
    created = custmd("customer", "create", _write(tmp_path, example_document()), "--db", db)
    assert created.returncode == 0, created.stderr

    boot = custmd("db", "upgrade", "--db", db, "--admin-password-env", "PW", env={"PW": ADMIN_PW})
    assert boot.returncode == 0, boot.stderr
    assert "administrator admin created" in boot.stdout

    refused = custmd("customer", "show", "2110380001", "--db", db)
    assert refused.returncode == 1
    assert "此数据库需要登录" in refused.stderr

    wrong = custmd(
        "customer", "show", "2110380001", "--db", db, "--user", "admin",
        env={"CUSTMD_PASSWORD": "not it"},
    )  # fmt: skip
    assert wrong.returncode == 1 and "用户名或密码错误" in wrong.stderr

    admin = {"CUSTMD_USER": "admin", "CUSTMD_PASSWORD": ADMIN_PW}
    shown = custmd("customer", "show", "2110380001", "--db", db, env=admin)
    assert shown.returncode == 0, shown.stderr

    made = custmd(
        "user", "create", "wangwu", "--role", "assistant", "--auth-group", "1039",
        "--sales-area", "F011/10/*", "--password-env", "NEWPW", "--db", db,
        env={**admin, "NEWPW": CLERK_PW},
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "wangwu" in made.stdout and CLERK_PW not in made.stdout + made.stderr

    clerk = {"CUSTMD_USER": "wangwu", "CUSTMD_PASSWORD": CLERK_PW}
    # Group 1039 does not see the example customer (KNA1-BEGRU 4002): not found, as unknown.
    hidden = custmd("customer", "show", "2110380001", "--db", db, env=clerk)
    assert hidden.returncode == 1 and "客户 2110380001 不存在" in hidden.stderr
    none = custmd("customer", "search", "东宁", "--db", db, env=clerk)
    assert none.returncode == 0 and none.stdout == ""
    forbidden = custmd("customer", "block", "2110380001", "--comment", "x", "--db", db, env=clerk)
    assert forbidden.returncode == 1 and "用户 wangwu 没有权限：冻结客户" in forbidden.stderr
    not_admin = custmd("user", "list", "--db", db, env=clerk)
    assert not_admin.returncode == 1 and "没有权限：系统管理" in not_admin.stderr

    granted = custmd(
        "user", "grant", "wangwu", "--auth-group", "1038", "--auth-group", "4002",
        "--db", db, env=admin,
    )  # fmt: skip
    assert granted.returncode == 0, granted.stderr
    found = custmd("customer", "search", "东宁", "--db", db, env=clerk)
    assert found.stdout.startswith("2110380001")

    assert custmd("user", "disable", "wangwu", "--db", db, env=admin).returncode == 0
    disabled = custmd("customer", "search", "东宁", "--db", db, env=clerk)
    assert disabled.returncode == 1 and "用户已停用" in disabled.stderr
    listed = custmd("user", "list", "--db", db, env=admin)
    assert "wangwu" in listed.stdout and "disabled" in listed.stdout
