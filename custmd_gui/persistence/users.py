"""Users, roles, scopes, login attempts, departments and organizations (the tables of 0007).

Plain reads and writes; the rules (who may, password hashing, lockout, code hierarchy) are in
services.auth and services.users. A password never comes here, only its argon2id hash.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from custmd_gui.catalog import Text
from custmd_gui.domain.authorization import ALL, ArchiveEntry, Permission, Role
from custmd_gui.persistence.dbtime import as_utc
from custmd_gui.persistence.tables import (
    AppRole,
    AppRolePermission,
    AppUser,
    Department,
    LoginAttempt,
    Organization,
    UserAuthGroup,
    UserCompanyCode,
    UserRole,
    UserSalesArea,
)


@dataclass(frozen=True, slots=True)
class UserRecord:
    username: str
    display_name: str
    department_code: str | None
    organization_code: str | None
    password_hash: str | None
    disabled: bool
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime
    password_changed_at: datetime | None


@dataclass(frozen=True, slots=True)
class Scopes:
    """What is stored for a user; "*" entries mean all (domain.authorization.ALL)."""

    roles: tuple[str, ...]
    auth_groups: tuple[str, ...]
    company_codes: tuple[str, ...]
    sales_areas: tuple[tuple[str, str, str], ...]


def _record(row: AppUser) -> UserRecord:
    return UserRecord(
        row.username,
        row.display_name,
        row.department_code,
        row.organization_code,
        row.password_hash,
        bool(row.disabled),
        row.failed_logins,
        as_utc(row.locked_until) if row.locked_until else None,
        as_utc(row.created_at),
        as_utc(row.password_changed_at) if row.password_changed_at else None,
    )


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- roles ----------------------------------------------------------------------------

    def seed_roles(self, roles: Iterable[Role]) -> int:
        """Add the roles the database lacks, with their permissions; returns rows added. An
        existing role is left as the administrator configured it."""
        have = set(self.session.scalars(select(AppRole.code)))
        added = 0
        for role in roles:
            if role.code in have:
                continue
            self.session.add(AppRole(code=role.code, text_zh=role.text.zh, text_en=role.text.en))
            self.session.flush()
            for perm in sorted(role.permissions):
                self.session.add(AppRolePermission(role=role.code, permission=perm.value))
            added += 1 + len(role.permissions)
        self.session.flush()
        return added

    def roles(self) -> dict[str, Role]:
        perms: dict[str, set[Permission]] = {}
        known = {p.value for p in Permission}
        for code, perm in self.session.execute(
            select(AppRolePermission.role, AppRolePermission.permission)
        ):
            if perm in known:  # a permission of a newer version is ignored, never guessed
                perms.setdefault(code, set()).add(Permission(perm))
        return {
            r.code: Role(r.code, Text(zh=r.text_zh, en=r.text_en), frozenset(perms.get(r.code, ())))
            for r in self.session.scalars(select(AppRole).order_by(AppRole.code))
        }

    def set_role_permissions(self, code: str, permissions: Iterable[Permission]) -> None:
        self.session.execute(delete(AppRolePermission).where(AppRolePermission.role == code))
        for perm in sorted(set(permissions)):
            self.session.add(AppRolePermission(role=code, permission=perm.value))
        self.session.flush()

    # --- users ----------------------------------------------------------------------------

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(AppUser)) or 0)

    def get(self, username: str, *, for_update: bool = False) -> UserRecord | None:
        stmt = select(AppUser).where(AppUser.username == username)
        if for_update:
            stmt = stmt.with_for_update()
        row = self.session.scalars(stmt).one_or_none()
        return _record(row) if row is not None else None

    def usernames(self) -> list[str]:
        return list(self.session.scalars(select(AppUser.username).order_by(AppUser.username)))

    def add(
        self,
        username: str,
        *,
        display_name: str,
        password_hash: str | None,
        now: datetime,
        department_code: str | None = None,
        organization_code: str | None = None,
    ) -> None:
        self.session.add(
            AppUser(
                username=username,
                display_name=display_name,
                password_hash=password_hash,
                department_code=department_code,
                organization_code=organization_code,
                disabled=False,
                failed_logins=0,
                created_at=now,
                password_changed_at=now if password_hash else None,
            )
        )
        self.session.flush()

    def _row(self, username: str) -> AppUser:
        row = self.session.get(AppUser, username)
        if row is None:
            raise LookupError(username)
        return row

    def set_password_hash(self, username: str, password_hash: str, now: datetime) -> None:
        row = self._row(username)
        row.password_hash = password_hash
        row.password_changed_at = now
        row.failed_logins = 0
        row.locked_until = None
        self.session.flush()

    def set_disabled(self, username: str, disabled: bool) -> None:
        self._row(username).disabled = disabled
        self.session.flush()

    def set_failures(self, username: str, failed: int, locked_until: datetime | None) -> None:
        row = self._row(username)
        row.failed_logins = failed
        row.locked_until = locked_until
        self.session.flush()

    def set_archive_links(
        self, username: str, department_code: str | None, organization_code: str | None
    ) -> None:
        row = self._row(username)
        row.department_code = department_code
        row.organization_code = organization_code
        self.session.flush()

    # --- scopes ---------------------------------------------------------------------------

    def scopes(self, username: str) -> Scopes:
        s = self.session
        return Scopes(
            tuple(s.scalars(select(UserRole.role).where(UserRole.username == username))),
            tuple(s.scalars(select(UserAuthGroup.begru).where(UserAuthGroup.username == username))),
            tuple(
                s.scalars(select(UserCompanyCode.bukrs).where(UserCompanyCode.username == username))
            ),
            tuple(
                (r.vkorg, r.vtweg, r.spart)
                for r in s.execute(
                    select(UserSalesArea.vkorg, UserSalesArea.vtweg, UserSalesArea.spart).where(
                        UserSalesArea.username == username
                    )
                )
            ),
        )

    def set_roles(self, username: str, roles: Sequence[str]) -> None:
        self.session.execute(delete(UserRole).where(UserRole.username == username))
        for role in sorted(set(roles)):
            self.session.add(UserRole(username=username, role=role))
        self.session.flush()

    def set_auth_groups(self, username: str, groups: Sequence[str]) -> None:
        self.session.execute(delete(UserAuthGroup).where(UserAuthGroup.username == username))
        for group in sorted(set(groups)):
            self.session.add(UserAuthGroup(username=username, begru=group))
        self.session.flush()

    def set_company_codes(self, username: str, codes: Sequence[str]) -> None:
        self.session.execute(delete(UserCompanyCode).where(UserCompanyCode.username == username))
        for code in sorted(set(codes)):
            self.session.add(UserCompanyCode(username=username, bukrs=code))
        self.session.flush()

    def set_sales_areas(self, username: str, areas: Sequence[tuple[str, str, str]]) -> None:
        self.session.execute(delete(UserSalesArea).where(UserSalesArea.username == username))
        for vkorg, vtweg, spart in sorted(set(areas)):
            self.session.add(
                UserSalesArea(username=username, vkorg=vkorg, vtweg=vtweg, spart=spart)
            )
        self.session.flush()

    def grant_everything(self, username: str) -> None:
        """ "*" in every scope (the bootstrap administrator)."""
        self.set_auth_groups(username, [ALL])
        self.set_company_codes(username, [ALL])
        self.set_sales_areas(username, [(ALL, ALL, ALL)])

    # --- login attempts -------------------------------------------------------------------

    def record_attempt(
        self, username: str, at: datetime, *, success: bool, host: str, reason: str
    ) -> None:
        self.session.add(
            LoginAttempt(
                username=username[:64], at=at, success=success, host=host[:255], reason=reason
            )
        )
        self.session.flush()

    def attempts(self, username: str) -> list[tuple[datetime, bool, str, str]]:
        rows = self.session.execute(
            select(LoginAttempt.at, LoginAttempt.success, LoginAttempt.host, LoginAttempt.reason)
            .where(LoginAttempt.username == username)
            .order_by(LoginAttempt.at)
        )
        return [(as_utc(r.at), bool(r.success), r.host, r.reason) for r in rows]

    # --- departments and organizations ----------------------------------------------------

    def department(self, code: str) -> ArchiveEntry | None:
        row = self.session.get(Department, code)
        if row is None:
            return None
        return ArchiveEntry(row.code, row.name, row.parent_code, row.organization_code)

    def departments(self) -> list[ArchiveEntry]:
        return [
            ArchiveEntry(r.code, r.name, r.parent_code, r.organization_code)
            for r in self.session.scalars(select(Department).order_by(Department.code))
        ]

    def put_department(self, entry: ArchiveEntry) -> None:
        row = self.session.get(Department, entry.code)
        if row is None:
            row = Department(code=entry.code)
            self.session.add(row)
        row.name = entry.name
        row.parent_code = entry.parent_code
        row.organization_code = entry.organization_code
        self.session.flush()

    def delete_department(self, code: str) -> None:
        self.session.execute(delete(Department).where(Department.code == code))
        self.session.flush()

    def organization(self, code: str) -> ArchiveEntry | None:
        row = self.session.get(Organization, code)
        if row is None:
            return None
        return ArchiveEntry(row.code, row.name, row.parent_code)

    def organizations(self) -> list[ArchiveEntry]:
        return [
            ArchiveEntry(r.code, r.name, r.parent_code)
            for r in self.session.scalars(select(Organization).order_by(Organization.code))
        ]

    def put_organization(self, entry: ArchiveEntry) -> None:
        row = self.session.get(Organization, entry.code)
        if row is None:
            row = Organization(code=entry.code)
            self.session.add(row)
        row.name = entry.name
        row.parent_code = entry.parent_code
        self.session.flush()

    def delete_organization(self, code: str) -> None:
        self.session.execute(delete(Organization).where(Organization.code == code))
        self.session.flush()

    def children(self, table: str, code: str) -> list[str]:
        """Codes whose parent is `code` (table "department" or "organization")."""
        model = Department if table == "department" else Organization
        return list(self.session.scalars(select(model.code).where(model.parent_code == code)))

    def users_in(self, *, department: str | None = None, organization: str | None = None) -> int:
        stmt = select(func.count()).select_from(AppUser)
        if department is not None:
            stmt = stmt.where(AppUser.department_code == department)
        if organization is not None:
            stmt = stmt.where(AppUser.organization_code == organization)
        return int(self.session.scalar(stmt) or 0)
