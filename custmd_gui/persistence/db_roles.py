"""The users' own PostgreSQL LOGIN roles in the shared mode: create, change roles and scopes,
reset the password, disable, drop (what the admin screens call; see migration 0008).

Every statement is composed with psycopg.sql: role names are quoted identifiers, passwords
literals, never text formatted into SQL. A password reaches the server only as a SCRAM-SHA-256
verifier computed by libpq here (as psql's \\password does), so no server log shows it.

The connection must be one whose role may manage roles: the owner of the database with
CREATEROLE, or an administrator's login role (created here WITH CREATEROLE). Roles belong to
the whole server, user_auth_group and user_company_code to this database: a user of two
custmd databases on one server is one role with scopes in each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from psycopg import errors, sql
from sqlalchemy import Connection

# App role code -> the group role of migration 0008.
GROUP_ROLES: dict[str, str] = {
    "assistant": "custmd_assistant",
    "general_maintainer": "custmd_general_maintainer",
    "cc_maintainer": "custmd_cc_maintainer",
    "finance": "custmd_finance",
    "administrator": "custmd_administrator",
    "auditor": "custmd_auditor",
}

_NAME = re.compile(r"[a-z0-9_]{1,63}")
# Names PostgreSQL reserves or that would collide with the server's and the app's own roles.
_RESERVED = ("pg_", "custmd_")
_RESERVED_NAMES = frozenset({"postgres", "public", "none", "current_user", "session_user"})


class DbRoleError(ValueError):
    """A user name or role that cannot become a database role; the message is Chinese first."""


def validate_username(name: str) -> str:
    """`name` as a role name: lowercase letters, digits and underscore, 1 to 63 characters."""
    if not _NAME.fullmatch(name):
        raise DbRoleError(
            f"用户名 {name!r} 不能用作数据库角色：只能由小写字母、数字和下划线组成，"
            "长度 1 到 63 个字符 / the user name may contain only lowercase letters, digits "
            "and underscores, 1 to 63 characters"
        )
    if name.startswith(_RESERVED) or name in _RESERVED_NAMES:
        raise DbRoleError(
            f"用户名 {name} 是保留名称，不能用作数据库角色 / {name} is a reserved name"
        )
    return name


def _groups(roles: Iterable[str]) -> list[str]:
    unknown = sorted(set(roles) - set(GROUP_ROLES))
    if unknown:
        raise DbRoleError(f"未知角色：{', '.join(unknown)} / unknown roles: {', '.join(unknown)}")
    return sorted({GROUP_ROLES[r] for r in roles})


def _driver(conn: Connection) -> Any:
    raw = conn.connection.driver_connection
    if raw is None:  # pragma: no cover - a closed connection
        raise RuntimeError("the connection is closed")
    return raw


def password_verifier(conn: Connection, username: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of `password`, computed by libpq on this machine (as psql's
    \\password does), with the server's normalization of the password (SASLprep)."""
    if not password:
        raise DbRoleError("密码不能为空 / the password must not be empty")
    encrypted = _driver(conn).pgconn.encrypt_password(
        password.encode("utf-8"), username.encode("utf-8"), b"scram-sha-256"
    )
    return bytes(encrypted).decode("ascii")


def _execute(conn: Connection, statement: sql.Composable, params: Sequence[Any] = ()) -> Any:
    """Run a composed statement on the DBAPI connection under `conn` (same transaction)."""
    cursor = _driver(conn).cursor()
    cursor.execute(statement, params or None)
    return cursor


def role_exists(conn: Connection, username: str) -> bool:
    cursor = _execute(conn, sql.SQL("SELECT 1 FROM pg_roles WHERE rolname = %s"), (username,))
    return cursor.fetchone() is not None


def role_groups(conn: Connection, username: str) -> list[str]:
    """The app role codes whose group roles `username` is a member of."""
    cursor = _execute(
        conn,
        sql.SQL(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s"
        ),
        (username,),
    )
    names = {row[0] for row in cursor.fetchall()}
    return sorted(code for code, group in GROUP_ROLES.items() if group in names)


def can_log_in(conn: Connection, username: str) -> bool:
    cursor = _execute(
        conn, sql.SQL("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s"), (username,)
    )
    row = cursor.fetchone()
    return bool(row and row[0])


def create_login(
    conn: Connection,
    username: str,
    password: str,
    roles: Iterable[str],
    *,
    auth_groups: Iterable[str] | None = None,
    company_codes: Iterable[str] | None = None,
) -> None:
    """A new LOGIN role `username` with `password`, member of the group roles of `roles`;
    with `auth_groups` / `company_codes`, holding those in this database (None leaves the
    scope rows alone: the users service writes them itself, in the same transaction)."""
    validate_username(username)
    roles = list(roles)
    _groups(roles)
    if role_exists(conn, username):
        raise DbRoleError(
            f"数据库角色 {username} 已存在 / the database role {username} already exists"
        )
    _execute(
        conn,
        sql.SQL("CREATE ROLE {} LOGIN INHERIT PASSWORD {}").format(
            sql.Identifier(username), sql.Literal(password_verifier(conn, username, password))
        ),
    )
    set_roles(conn, username, roles)
    set_scopes(conn, username, auth_groups=auth_groups, company_codes=company_codes)


def set_roles(conn: Connection, username: str, roles: Iterable[str]) -> None:
    """Make `username` a member of exactly the group roles of `roles`. An administrator's
    login may create and alter roles (CREATEROLE): the admin screens run as that login."""
    validate_username(username)
    roles = list(roles)
    wanted = _groups(roles)
    have = {GROUP_ROLES[r] for r in role_groups(conn, username)}
    who = sql.Identifier(username)
    for group in sorted(set(wanted) - have):
        _execute(conn, sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), who))
    for group in sorted(have - set(wanted)):
        _execute(conn, sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(group), who))
    attribute = "CREATEROLE" if "administrator" in roles else "NOCREATEROLE"
    _execute(conn, sql.SQL("ALTER ROLE {} " + attribute).format(who))


def set_scopes(
    conn: Connection,
    username: str,
    *,
    auth_groups: Iterable[str] | None = None,
    company_codes: Iterable[str] | None = None,
) -> None:
    """Replace the authorization groups and/or company codes `username` holds ("*": all)."""
    validate_username(username)
    for table, column, values in (
        ("user_auth_group", "begru", auth_groups),
        ("user_company_code", "bukrs", company_codes),
    ):
        if values is None:
            continue
        _execute(
            conn,
            sql.SQL("DELETE FROM {} WHERE username = %s").format(sql.Identifier(table)),
            (username,),
        )
        for value in sorted(set(values)):
            _execute(
                conn,
                sql.SQL("INSERT INTO {} (username, {}) VALUES (%s, %s)").format(
                    sql.Identifier(table), sql.Identifier(column)
                ),
                (username, value),
            )


def set_password(conn: Connection, username: str, password: str) -> None:
    validate_username(username)
    _execute(
        conn,
        sql.SQL("ALTER ROLE {} PASSWORD {}").format(
            sql.Identifier(username), sql.Literal(password_verifier(conn, username, password))
        ),
    )


def disable_login(conn: Connection, username: str) -> None:
    """The user can no longer sign in (their change documents and scopes stay)."""
    validate_username(username)
    _execute(conn, sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(username)))


def enable_login(conn: Connection, username: str) -> None:
    validate_username(username)
    _execute(conn, sql.SQL("ALTER ROLE {} LOGIN").format(sql.Identifier(username)))


def drop_login(conn: Connection, username: str) -> None:
    """Remove the role and its scopes in this database. A user's role owns nothing (users
    create no objects) and holds privileges only through its group roles, so it can go; if
    it still holds something somewhere (granted by hand), the server refuses, the transaction
    is spoiled, and DbRoleError says to disable the user instead."""
    validate_username(username)
    set_scopes(conn, username, auth_groups=(), company_codes=())
    try:
        _execute(conn, sql.SQL("DROP ROLE {}").format(sql.Identifier(username)))
    except errors.DependentObjectsStillExist as exc:
        raise DbRoleError(
            f"数据库角色 {username} 仍拥有对象或权限，无法删除；请停用该用户 / the database role "
            f"{username} still owns objects or holds privileges; disable the user instead: {exc}"
        ) from exc
