"""The administrator's use cases: users (create, disable, enable, reset the password, roles,
authorization groups, company codes, sales areas) and the archive of departments and
organizations (Yonyou style: hierarchical codes 01, 0101; a child's code starts with its
parent's code, and codes never change). Every one needs Permission.ADMIN.

Passwords are hashed here (services.auth.hash_password) before anything is stored; they are
never logged and never part of an error.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from custmd_gui.catalog import Text
from custmd_gui.domain.authorization import ALL, ArchiveEntry, Permission, Role
from custmd_gui.domain.errors import DomainError, NotFound, Problem
from custmd_gui.persistence import db_roles
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.persistence.users import Scopes, UserRecord
from custmd_gui.services.auth import hash_password, password_problems
from custmd_gui.services.authorization import authorize
from custmd_gui.services.context import Actor
from custmd_gui.services.ports import UowFactory

log = logging.getLogger(__name__)

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
CODE = re.compile(r"[A-Za-z0-9]{1,20}")


@dataclass(frozen=True, slots=True)
class UserInfo:
    """A user as the administrator sees it (without the hash)."""

    username: str
    display_name: str
    department_code: str | None
    organization_code: str | None
    disabled: bool
    locked: bool
    has_password: bool
    scopes: Scopes


def _p(key: str, zh: str, en: str) -> Problem:
    return Problem(key, "", Text(zh=zh, en=en))


def _no_user(username: str) -> DomainError:
    return NotFound.single("USER-USERNAME", f"用户 {username} 不存在", f"No user {username}")


def _username(name: str) -> str:
    name = name.strip().lower()
    if not USERNAME.fullmatch(name):
        raise DomainError.single(
            "USER-USERNAME",
            f"用户名 {name!r} 无效：只能包含小写字母、数字、点、下划线和连字符，最多 64 个字符",
            f"Invalid user name {name!r}: lower-case letters, digits, '.', '_', '-', "
            "at most 64 characters",
        )
    return name


def _user(uow: UnitOfWork, username: str) -> UserRecord:
    user = uow.users.get(username, for_update=True)
    if user is None:
        raise _no_user(username)
    return user


def _admins_left(uow: UnitOfWork, *, without: str) -> int:
    """Enabled users other than `without` who hold a role with the admin permission."""
    admin_roles = {c for c, r in uow.users.roles().items() if Permission.ADMIN in r.permissions}
    count = 0
    for name in uow.users.usernames():
        if name == without:
            continue
        user = uow.users.get(name)
        if user and not user.disabled and set(uow.users.scopes(name).roles) & admin_roles:
            count += 1
    return count


def _keep_an_admin(uow: UnitOfWork, username: str) -> None:
    """Refuse when `username` is an enabled administrator and no other one is left."""
    admin_roles = {c for c, r in uow.users.roles().items() if Permission.ADMIN in r.permissions}
    user = uow.users.get(username)
    is_admin = user is not None and not user.disabled
    if not (is_admin and set(uow.users.scopes(username).roles) & admin_roles):
        return
    if _admins_left(uow, without=username) == 0:
        raise DomainError.single(
            "USER-ROLES",
            f"用户 {username} 是最后一个可用的系统管理员，不能停用或取消其管理员角色",
            f"User {username} is the last enabled administrator; it cannot be disabled or "
            "lose the administrator role",
        )


def _check_roles(uow: UnitOfWork, roles: Sequence[str]) -> list[str]:
    known = uow.users.roles()
    unknown = [r for r in roles if r not in known]
    if unknown:
        raise DomainError.single(
            "USER-ROLES",
            f"角色 {', '.join(unknown)} 不存在（可用：{', '.join(known)}）",
            f"Unknown role {', '.join(unknown)} (known: {', '.join(known)})",
        )
    return list(dict.fromkeys(roles))


def _codes(values: Sequence[str], key: str, length: int, what: Text) -> list[str]:
    out = [v.strip().upper() for v in values if v.strip()]
    bad = [v for v in out if len(v) > length or not (v == ALL or v.isalnum())]
    if bad:
        raise DomainError.single(
            key,
            f"{what.zh} {', '.join(bad)} 无效（最多 {length} 个字母或数字，或 *）",
            f"Invalid {what.en} {', '.join(bad)} (at most {length} letters or digits, or *)",
        )
    return list(dict.fromkeys(out))


def _areas(values: Sequence[str]) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for value in values:
        parts = [p.strip().upper() for p in value.split("/")]
        if len(parts) != 3 or not all(
            p == ALL or (p.isalnum() and len(p) <= n) for p, n in zip(parts, (4, 2, 2), strict=True)
        ):
            raise DomainError.single(
                "USER-SALES_AREA",
                f"销售范围 {value} 应写成 销售组织/分销渠道/产品组，例如 F011/10/01 或 F011/*/*",
                f"Sales area {value} must read org/channel/division, e.g. F011/10/01 or F011/*/*",
            )
        out.append((parts[0], parts[1], parts[2]))
    return list(dict.fromkeys(out))


# --- users ----------------------------------------------------------------------------------


def _server_roles(uow: UnitOfWork, actor: Actor) -> Any | None:
    """The connection on which a user's own PostgreSQL LOGIN role is kept in step, or None.

    Only an administrator working on the shared server (an actor the server signed in,
    origin "server", see services.auth.server_actor) manages database roles: there the
    user's password is the role's, the server checks it, and no local hash is kept. On a
    local file, and for local logins to a server database, users are the app's alone."""
    if actor.origin != "server" or uow.session.get_bind().dialect.name != "postgresql":
        return None
    return uow.session.connection()


def _role_problem(exc: Exception) -> DomainError:
    return DomainError.single("USER-USERNAME", str(exc), str(exc))


def create_user(
    uow_factory: UowFactory,
    actor: Actor,
    username: str,
    *,
    password: str | None,
    display_name: str = "",
    roles: Sequence[str] = (),
    auth_groups: Sequence[str] = (),
    company_codes: Sequence[str] = (),
    sales_areas: Sequence[str] = (),
    department: str | None = None,
    organization: str | None = None,
) -> UserInfo:
    """A new user with an initial password (None: a shared-mode user who signs in to the
    PostgreSQL server and has no local password)."""
    authorize(actor, Permission.ADMIN)
    username = _username(username)
    if password is not None and (problems := password_problems(password)):
        raise DomainError(problems)
    groups = _codes(auth_groups, "USER-BEGRU", 4, Text(zh="权限组", en="authorization group"))
    codes = _codes(company_codes, "USER-BUKRS", 4, Text(zh="公司代码", en="company code"))
    areas = _areas(sales_areas)
    with uow_factory(write=True) as uow:
        if uow.users.get(username) is not None:
            raise DomainError.single(
                "USER-USERNAME", f"用户 {username} 已存在", f"User {username} already exists"
            )
        wanted_roles = _check_roles(uow, roles)
        known = uow.users.roles()
        if uow.users.count() == 0 and not any(
            Permission.ADMIN in known[r].permissions for r in wanted_roles
        ):
            # The first user ends single-user mode: without an administrator nobody could
            # manage users any more.
            raise DomainError.single(
                "USER-ROLES",
                "第一个用户必须是系统管理员（角色 administrator）",
                "The first user must be an administrator (role administrator)",
            )
        _check_links(uow, department, organization)
        server = _server_roles(uow, actor)
        uow.users.add(
            username,
            display_name=display_name.strip(),
            password_hash=(
                hash_password(password) if password is not None and server is None else None
            ),
            now=uow.now(),
            department_code=department,
            organization_code=organization,
        )
        uow.users.set_roles(username, wanted_roles)
        uow.users.set_auth_groups(username, groups)
        uow.users.set_company_codes(username, codes)
        uow.users.set_sales_areas(username, areas)
        if server is not None:
            # In the same transaction (role DDL is transactional in PostgreSQL): the user
            # and the login role exist together or not at all. Scopes are the rows above.
            if password is None:
                raise DomainError.single(
                    "USER-PASSWORD",
                    "共享模式的用户需要初始密码（数据库角色的密码）",
                    "A user of the shared server needs an initial password (the role's)",
                )
            try:
                db_roles.create_login(server, username, password, wanted_roles)
            except db_roles.DbRoleError as exc:
                raise _role_problem(exc) from exc
        info = _info(uow, username)
        uow.commit()
    log.info("user %s created by %s", username, actor.user)
    return info


def _check_links(uow: UnitOfWork, department: str | None, organization: str | None) -> None:
    if department is not None and uow.users.department(department) is None:
        raise NotFound.single(
            "USER-DEPARTMENT", f"部门 {department} 不存在", f"No department {department}"
        )
    if organization is not None and uow.users.organization(organization) is None:
        raise NotFound.single(
            "USER-ORGANIZATION", f"机构 {organization} 不存在", f"No organization {organization}"
        )


def _info(uow: UnitOfWork, username: str) -> UserInfo:
    user = uow.users.get(username)
    if user is None:
        raise _no_user(username)
    now = uow.now()
    return UserInfo(
        user.username,
        user.display_name,
        user.department_code,
        user.organization_code,
        user.disabled,
        user.locked_until is not None and user.locked_until > now,
        user.password_hash is not None,
        uow.users.scopes(username),
    )


def read_user(uow_factory: UowFactory, actor: Actor, username: str) -> UserInfo:
    authorize(actor, Permission.ADMIN)
    with uow_factory() as uow:
        return _info(uow, username.strip().lower())


def list_users(uow_factory: UowFactory, actor: Actor) -> list[UserInfo]:
    authorize(actor, Permission.ADMIN)
    with uow_factory() as uow:
        return [_info(uow, name) for name in uow.users.usernames()]


def set_disabled(uow_factory: UowFactory, actor: Actor, username: str, disabled: bool) -> None:
    """Disable (no login any more) or enable a user; the last administrator stays enabled."""
    authorize(actor, Permission.ADMIN)
    username = username.strip().lower()
    with uow_factory(write=True) as uow:
        _user(uow, username)
        if disabled:
            _keep_an_admin(uow, username)
        uow.users.set_disabled(username, disabled)
        if (server := _server_roles(uow, actor)) is not None:
            (db_roles.disable_login if disabled else db_roles.enable_login)(server, username)
        uow.commit()
    log.info("user %s %s by %s", username, "disabled" if disabled else "enabled", actor.user)


def reset_password(uow_factory: UowFactory, actor: Actor, username: str, password: str) -> None:
    """A new password chosen by the administrator; ends a lockout."""
    authorize(actor, Permission.ADMIN)
    username = username.strip().lower()
    if problems := password_problems(password):
        raise DomainError(problems)
    with uow_factory(write=True) as uow:
        _user(uow, username)
        if (server := _server_roles(uow, actor)) is not None:
            db_roles.set_password(server, username, password)  # the server checks it
        else:
            uow.users.set_password_hash(username, hash_password(password), uow.now())
        uow.commit()
    log.info("password of user %s reset by %s", username, actor.user)


def grant(
    uow_factory: UowFactory,
    actor: Actor,
    username: str,
    *,
    roles: Sequence[str] | None = None,
    auth_groups: Sequence[str] | None = None,
    company_codes: Sequence[str] | None = None,
    sales_areas: Sequence[str] | None = None,
) -> UserInfo:
    """Replace the user's roles and/or scopes (None leaves that one as it is)."""
    authorize(actor, Permission.ADMIN)
    username = username.strip().lower()
    groups = (
        _codes(auth_groups, "USER-BEGRU", 4, Text(zh="权限组", en="authorization group"))
        if auth_groups is not None
        else None
    )
    codes = (
        _codes(company_codes, "USER-BUKRS", 4, Text(zh="公司代码", en="company code"))
        if company_codes is not None
        else None
    )
    areas = _areas(sales_areas) if sales_areas is not None else None
    with uow_factory(write=True) as uow:
        _user(uow, username)
        if roles is not None:
            wanted = _check_roles(uow, roles)
            known = uow.users.roles()
            if not any(Permission.ADMIN in known[r].permissions for r in wanted):
                _keep_an_admin(uow, username)
            uow.users.set_roles(username, wanted)
            if (server := _server_roles(uow, actor)) is not None:
                db_roles.set_roles(server, username, wanted)
        if groups is not None:
            uow.users.set_auth_groups(username, groups)
        if codes is not None:
            uow.users.set_company_codes(username, codes)
        if areas is not None:
            uow.users.set_sales_areas(username, areas)
        info = _info(uow, username)
        uow.commit()
    log.info("authorizations of user %s changed by %s", username, actor.user)
    return info


def bootstrap_admin(uow_factory: UowFactory, username: str, password: str) -> bool:
    """The first user of a database: an administrator with every scope. Only while no user
    exists (False otherwise, and nothing changes); no actor needed, since before it nobody
    can log in."""
    username = _username(username)
    if problems := password_problems(password):
        raise DomainError(problems)
    with uow_factory(write=True) as uow:
        if uow.users.count():
            return False
        uow.users.add(
            username,
            display_name="Administrator",
            password_hash=hash_password(password),
            now=uow.now(),
        )
        uow.users.set_roles(username, ["administrator"])
        uow.users.grant_everything(username)
        uow.commit()
    log.info("first administrator %s created", username)
    return True


# --- departments and organizations ----------------------------------------------------------

_KINDS = {
    "department": Text(zh="部门", en="department"),
    "organization": Text(zh="机构", en="organization"),
}


def _hierarchy_problems(
    uow: UnitOfWork, kind: str, code: str, parent: str | None, existing: ArchiveEntry | None
) -> list[Problem]:
    what = _KINDS[kind]
    key = f"{kind.upper()}-CODE"
    get = uow.users.department if kind == "department" else uow.users.organization
    problems: list[Problem] = []
    if not CODE.fullmatch(code):
        problems.append(_p(key, f"{what.zh}编码 {code!r} 无效", f"Invalid {what.en} code {code!r}"))
    if existing is not None and existing.parent_code != parent:
        problems.append(
            _p(
                key,
                f"{what.zh} {code} 的上级不能更改（编码不变）",
                f"The parent of {what.en} {code} cannot change (codes never change)",
            )
        )
    if parent is not None:
        if get(parent) is None:
            problems.append(
                _p(key, f"上级{what.zh} {parent} 不存在", f"Parent {what.en} {parent} not found")
            )
        if not (code.startswith(parent) and len(code) > len(parent)):
            problems.append(
                _p(
                    key,
                    f"{what.zh}编码 {code} 必须以上级编码 {parent} 开头并更长（如 01 → 0101）",
                    f"{what.en.capitalize()} code {code} must start with its parent's code "
                    f"{parent} and be longer (01 -> 0101)",
                )
            )
    return problems


def save_department(
    uow_factory: UowFactory,
    actor: Actor,
    code: str,
    name: str,
    *,
    parent: str | None = None,
    organization: str | None = None,
) -> ArchiveEntry:
    """Create a department or rename it (its code and parent never change)."""
    return _save(uow_factory, actor, "department", code, name, parent, organization)


def save_organization(
    uow_factory: UowFactory, actor: Actor, code: str, name: str, *, parent: str | None = None
) -> ArchiveEntry:
    """Create an organization (机构) or rename it (its code and parent never change)."""
    return _save(uow_factory, actor, "organization", code, name, parent, None)


def _save(
    uow_factory: UowFactory,
    actor: Actor,
    kind: str,
    code: str,
    name: str,
    parent: str | None,
    organization: str | None,
) -> ArchiveEntry:
    authorize(actor, Permission.ADMIN)
    code = code.strip()
    parent = parent.strip() if parent and parent.strip() else None
    with uow_factory(write=True) as uow:
        get = uow.users.department if kind == "department" else uow.users.organization
        existing = get(code)
        problems = _hierarchy_problems(uow, kind, code, parent, existing)
        if not name.strip():
            problems.append(
                _p(f"{kind.upper()}-NAME", "请输入名称", f"Enter the {_KINDS[kind].en}'s name")
            )
        if organization is not None and uow.users.organization(organization) is None:
            problems.append(
                _p(
                    "DEPARTMENT-ORGANIZATION",
                    f"机构 {organization} 不存在",
                    f"No organization {organization}",
                )
            )
        if problems:
            raise DomainError(problems)
        entry = ArchiveEntry(code, name.strip(), parent, organization)
        if kind == "department":
            uow.users.put_department(entry)
        else:
            uow.users.put_organization(entry)
        uow.commit()
    return entry


def delete_archive_entry(uow_factory: UowFactory, actor: Actor, kind: str, code: str) -> None:
    """Remove a department or organization that has no children and no users."""
    authorize(actor, Permission.ADMIN)
    what = _KINDS[kind]
    with uow_factory(write=True) as uow:
        get = uow.users.department if kind == "department" else uow.users.organization
        if get(code) is None:
            raise NotFound.single(
                f"{kind.upper()}-CODE", f"{what.zh} {code} 不存在", f"No {what.en} {code}"
            )
        in_use = bool(uow.users.children(kind, code)) or bool(uow.users.users_in(**{kind: code}))
        if kind == "organization":
            in_use = in_use or any(d.organization_code == code for d in uow.users.departments())
        if in_use:
            raise DomainError.single(
                f"{kind.upper()}-CODE",
                f"{what.zh} {code} 仍有下级或用户，不能删除",
                f"{what.en.capitalize()} {code} still has children or users; it cannot be deleted",
            )
        if kind == "department":
            uow.users.delete_department(code)
        else:
            uow.users.delete_organization(code)
        uow.commit()


def departments(uow_factory: UowFactory, actor: Actor) -> list[ArchiveEntry]:
    authorize(actor, Permission.ADMIN)
    with uow_factory() as uow:
        return uow.users.departments()


def organizations(uow_factory: UowFactory, actor: Actor) -> list[ArchiveEntry]:
    authorize(actor, Permission.ADMIN)
    with uow_factory() as uow:
        return uow.users.organizations()


# --- roles ----------------------------------------------------------------------------------


def list_roles(uow_factory: UowFactory, actor: Actor) -> list[Role]:
    """The roles with their permissions, as configured in this database."""
    authorize(actor, Permission.ADMIN)
    with uow_factory() as uow:
        return list(uow.users.roles().values())


def set_role_permissions(
    uow_factory: UowFactory, actor: Actor, role: str, permissions: Sequence[str]
) -> Role:
    """Configure what a role may do (the defaults are DEFAULT_ROLES). A role that administers
    users keeps that permission while it is the only way to administer them: otherwise no one
    could ever change the roles back."""
    authorize(actor, Permission.ADMIN)
    known = {p.value: p for p in Permission}
    unknown = [p for p in permissions if p not in known]
    if unknown:
        raise DomainError.single(
            "ROLE-PERMISSION",
            f"权限 {', '.join(unknown)} 不存在；可用：{', '.join(known)}",
            f"No permission {', '.join(unknown)}; known: {', '.join(known)}",
        )
    wanted = {known[p] for p in permissions}
    with uow_factory(write=True) as uow:
        roles = uow.users.roles()
        if role not in roles:
            raise NotFound.single("ROLE-CODE", f"角色 {role} 不存在", f"No role {role}")
        others_admin = any(
            Permission.ADMIN in r.permissions for code, r in roles.items() if code != role
        )
        drops_admin = Permission.ADMIN in roles[role].permissions and Permission.ADMIN not in wanted
        if drops_admin and not others_admin:
            raise DomainError.single(
                "ROLE-PERMISSION",
                f"角色 {role} 是唯一可以管理用户的角色，不能去掉 admin 权限",
                f"Role {role} is the only one that administers users; it keeps admin",
            )
        uow.users.set_role_permissions(role, wanted)
        changed = uow.users.roles()[role]
        uow.commit()
    log.info("permissions of role %s set by %s", role, actor.user)
    return changed
