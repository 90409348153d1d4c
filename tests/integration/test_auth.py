"""Local login and the administrator's services on SQLite and PostgreSQL: argon2id hashes,
lockout, recorded attempts, disabled users, single-user mode, departments and organizations."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select, text

from custmd_gui.domain.authorization import Forbidden, Permission
from custmd_gui.domain.errors import DomainError
from custmd_gui.persistence import tables
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import users
from custmd_gui.services.auth import (
    LOCKOUT,
    MAX_FAILURES,
    LoginFailed,
    login,
    session_actor,
    single_user_mode,
)
from custmd_gui.services.context import Actor

ADMIN = Actor("system")
SECRET = "Geheim-1038-xyz"


@pytest.fixture
def zhangsan(uow_factory: UnitOfWorkFactory) -> str:
    users.bootstrap_admin(uow_factory, "admin", "Admin-pass-1")
    users.create_user(
        uow_factory,
        ADMIN,
        "zhangsan",
        password=SECRET,
        display_name="张三",
        roles=["assistant"],
        auth_groups=["1038"],
        company_codes=["F011"],
        sales_areas=["F011/10/01"],
    )
    return "zhangsan"


def _stored(engine: Engine) -> list[str]:
    """Every text column of every row of the user tables and the login attempts."""
    out: list[str] = []
    with engine.connect() as conn:
        for table in ("app_user", "login_attempt"):
            for row in conn.execute(text(f"SELECT * FROM {table}")):
                out += [str(v) for v in row]
    return out


def test_the_stored_hash_is_argon2id_and_the_password_is_nowhere(
    uow_factory: UnitOfWorkFactory,
    engine: Engine,
    zhangsan: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    login(uow_factory, "zhangsan", SECRET, "pc-01")
    with pytest.raises(LoginFailed):
        login(uow_factory, "zhangsan", SECRET + "x", "pc-01")
    with engine.connect() as conn:
        stored = conn.scalar(select(tables.AppUser.password_hash))
    assert stored is not None and stored.startswith("$argon2id$v=19$")
    assert not any(SECRET in value for value in _stored(engine))
    assert SECRET not in caplog.text


def test_login_gives_the_rights_of_roles_and_scopes(
    uow_factory: UnitOfWorkFactory, zhangsan: str
) -> None:
    rights = login(uow_factory, "ZhangSan ", SECRET, "pc-01")
    assert rights.user == "zhangsan"
    assert rights.permissions == {
        Permission.DISPLAY,
        Permission.CREATE,
        Permission.EXTEND,
        Permission.CHANGE_SALES_AREA,
        Permission.REQUEST,
        Permission.REVIEW_SALES_AREA,
        Permission.SKIP_REVIEW,
    }
    assert rights.auth_groups == {"1038"}
    assert rights.company_codes == {"F011"}
    assert rights.sales_areas == {("F011", "10", "01")}


def test_unknown_user_and_wrong_password_get_the_same_answer(
    uow_factory: UnitOfWorkFactory, zhangsan: str
) -> None:
    with pytest.raises(LoginFailed) as unknown:
        login(uow_factory, "nobody", SECRET, "pc-01")
    with pytest.raises(LoginFailed) as wrong:
        login(uow_factory, "zhangsan", "wrong password", "pc-01")
    assert unknown.value.problems[0].message.zh == "用户名或密码错误"
    assert wrong.value.problems[0].message == unknown.value.problems[0].message


def test_five_failures_lock_the_user_for_fifteen_minutes(
    uow_factory: UnitOfWorkFactory, engine: Engine, zhangsan: str
) -> None:
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginFailed):
            login(uow_factory, "zhangsan", "wrong password", "pc-01")
    with pytest.raises(LoginFailed) as err:
        login(uow_factory, "zhangsan", SECRET, "pc-01")  # right, but locked
    assert err.value.reason == "locked"
    assert err.value.problems[0].message.zh.startswith("用户已被锁定，请于 ")
    with uow_factory() as uow:
        user = uow.users.get("zhangsan")
        assert user is not None and user.locked_until is not None
        assert user.locked_until - uow.now() <= LOCKOUT
        assert user.locked_until - uow.now() > LOCKOUT - timedelta(minutes=1)
        attempts = uow.users.attempts("zhangsan")
    assert [a[3] for a in attempts] == ["wrong_password"] * MAX_FAILURES + ["locked"]
    assert all(host == "pc-01" and not ok for _, ok, host, _ in attempts)
    # After the lock: the next login with the right password passes and resets the count.
    with uow_factory(write=True) as uow:
        uow.users.set_failures("zhangsan", MAX_FAILURES, uow.now() - timedelta(seconds=1))
        uow.commit()
    login(uow_factory, "zhangsan", SECRET, "pc-01")
    with uow_factory() as uow:
        user = uow.users.get("zhangsan")
        assert user is not None and user.failed_logins == 0 and user.locked_until is None
        assert uow.users.attempts("zhangsan")[-1][1:] == (True, "pc-01", "ok")


def test_a_reset_password_ends_the_lock(uow_factory: UnitOfWorkFactory, zhangsan: str) -> None:
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginFailed):
            login(uow_factory, "zhangsan", "wrong password", "pc-01")
    users.reset_password(uow_factory, ADMIN, "zhangsan", "New-secret-2024")
    login(uow_factory, "zhangsan", "New-secret-2024", "pc-01")
    with pytest.raises(LoginFailed):
        login(uow_factory, "zhangsan", SECRET, "pc-01")


def test_a_disabled_user_cannot_log_in(uow_factory: UnitOfWorkFactory, zhangsan: str) -> None:
    users.set_disabled(uow_factory, ADMIN, "zhangsan", True)
    with pytest.raises(LoginFailed) as err:
        login(uow_factory, "zhangsan", SECRET, "pc-01")
    assert err.value.problems[0].message.zh == "用户已停用"
    with pytest.raises(LoginFailed) as wrong:  # a wrong password does not tell it
        login(uow_factory, "zhangsan", "wrong password", "pc-01")
    assert wrong.value.problems[0].message.zh == "用户名或密码错误"
    users.set_disabled(uow_factory, ADMIN, "zhangsan", False)
    login(uow_factory, "zhangsan", SECRET, "pc-01")


def test_single_user_mode_ends_with_the_first_user(uow_factory: UnitOfWorkFactory) -> None:
    def never() -> str:
        raise AssertionError("no password asked in single-user mode")

    assert single_user_mode(uow_factory)
    actor = session_actor(uow_factory, None, never, "pc-01")
    assert actor.rights.has(Permission.ADMIN)
    assert users.bootstrap_admin(uow_factory, "admin", "Admin-pass-1")
    assert not users.bootstrap_admin(uow_factory, "admin2", "Admin-pass-1")
    assert not single_user_mode(uow_factory)
    with pytest.raises(LoginFailed):
        session_actor(uow_factory, None, never, "pc-01")
    admin = session_actor(uow_factory, "admin", lambda: "Admin-pass-1", "pc-01")
    assert admin.rights.has(Permission.ADMIN) and admin.rights.auth_groups is None


def test_only_an_administrator_administers(uow_factory: UnitOfWorkFactory, zhangsan: str) -> None:
    assistant = Actor.logged_in(login(uow_factory, "zhangsan", SECRET, "pc-01"))
    with pytest.raises(Forbidden) as err:
        users.create_user(uow_factory, assistant, "lisi", password=SECRET)
    assert err.value.problems[0].message.zh == "用户 zhangsan 没有权限：系统管理"
    with pytest.raises(Forbidden):
        users.reset_password(uow_factory, assistant, "zhangsan", "whatever-123")
    with pytest.raises(Forbidden):
        users.save_department(uow_factory, assistant, "01", "总部")


def test_the_first_user_is_an_administrator(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(DomainError, match="first user must be an administrator"):
        users.create_user(uow_factory, ADMIN, "lisi", password=SECRET, roles=["auditor"])
    users.create_user(uow_factory, ADMIN, "chief", password=SECRET, roles=["administrator"])
    users.create_user(uow_factory, ADMIN, "lisi", password=SECRET, roles=["auditor"])


def test_the_last_administrator_stays(uow_factory: UnitOfWorkFactory) -> None:
    users.bootstrap_admin(uow_factory, "admin", "Admin-pass-1")
    with pytest.raises(DomainError, match="last enabled administrator"):
        users.set_disabled(uow_factory, ADMIN, "admin", True)
    with pytest.raises(DomainError, match="last enabled administrator"):
        users.grant(uow_factory, ADMIN, "admin", roles=["auditor"])


def test_weak_passwords_and_bad_names_are_refused(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(DomainError) as err:
        users.create_user(uow_factory, ADMIN, "lisi", password="short")
    assert "至少需要 8 个字符" in err.value.problems[0].message.zh
    assert "short" not in str(err.value)
    with pytest.raises(DomainError):
        users.create_user(uow_factory, ADMIN, "李四", password=SECRET)
    with pytest.raises(DomainError, match="Unknown role"):
        users.create_user(uow_factory, ADMIN, "lisi", password=SECRET, roles=["boss"])


def test_departments_have_hierarchical_codes_that_never_change(
    uow_factory: UnitOfWorkFactory,
) -> None:
    users.save_organization(uow_factory, ADMIN, "F011", "上海分公司")
    users.save_department(uow_factory, ADMIN, "01", "总部", organization="F011")
    users.save_department(uow_factory, ADMIN, "0101", "主数据组", parent="01")
    with pytest.raises(DomainError, match="must start with its parent's code"):
        users.save_department(uow_factory, ADMIN, "0201", "财务组", parent="01")
    with pytest.raises(DomainError, match="Parent department 02 not found"):
        users.save_department(uow_factory, ADMIN, "0201", "财务组", parent="02")
    with pytest.raises(DomainError, match="codes never change"):
        users.save_department(uow_factory, ADMIN, "0101", "主数据组", parent=None)
    users.save_department(uow_factory, ADMIN, "0101", "主数据管理组", parent="01")  # rename
    assert [(d.code, d.name) for d in users.departments(uow_factory, ADMIN)] == [
        ("01", "总部"),
        ("0101", "主数据管理组"),
    ]
    users.bootstrap_admin(uow_factory, "admin", "Admin-pass-1")
    users.create_user(uow_factory, ADMIN, "lisi", password=SECRET, department="0101")
    with pytest.raises(DomainError, match="still has children or users"):
        users.delete_archive_entry(uow_factory, ADMIN, "department", "01")
    with pytest.raises(DomainError, match="still has children or users"):
        users.delete_archive_entry(uow_factory, ADMIN, "department", "0101")
    with pytest.raises(DomainError, match="still has children or users"):
        users.delete_archive_entry(uow_factory, ADMIN, "organization", "F011")


def test_roles_are_configurable_and_administration_cannot_be_lost(
    uow_factory: UnitOfWorkFactory, zhangsan: str
) -> None:
    users.set_role_permissions(uow_factory, ADMIN, "assistant", ["display", "change_sales_area"])
    rights = login(uow_factory, "zhangsan", SECRET, "pc-01")
    assert rights.permissions == {Permission.DISPLAY, Permission.CHANGE_SALES_AREA}
    with pytest.raises(Forbidden):
        users.set_role_permissions(uow_factory, Actor.logged_in(rights), "assistant", ["create"])
    with pytest.raises(DomainError) as err:
        users.set_role_permissions(uow_factory, ADMIN, "administrator", ["display"])
    assert "不能去掉 admin 权限" in err.value.problems[0].message.zh
    with pytest.raises(DomainError) as err:
        users.set_role_permissions(uow_factory, ADMIN, "assistant", ["fly"])
    assert err.value.problems[0].field_key == "ROLE-PERMISSION"
    roles = {r.code: r for r in users.list_roles(uow_factory, ADMIN)}
    assert Permission.ADMIN in roles["administrator"].permissions
    assert roles["assistant"].permissions == {Permission.DISPLAY, Permission.CHANGE_SALES_AREA}
