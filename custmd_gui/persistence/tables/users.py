"""Users, roles, their scopes and the archive of departments and organizations."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from custmd_gui.persistence.tables.base import Base, char_column, flag_column, id_column

#
# Not master data: kept per database (the shared server's users are its own), never merged
# between devices, so natural keys and no UUIDs. The PostgreSQL row-level security of the
# shared mode reads user_auth_group; "*" in a scope row means "all" (domain.authorization).


class Organization(Base):
    """An organization (机构) of the archive; parent_code makes the tree."""

    __tablename__ = "organization"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("organization.code"))


class Department(Base):
    """A department (部门) with a hierarchical code: 01, its child 0101 (Yonyou's archive)."""

    __tablename__ = "department"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("department.code"))
    organization_code: Mapped[str | None] = mapped_column(ForeignKey("organization.code"))


class AppUser(Base):
    """A user of the app. password_hash is an argon2id PHC string ($argon2id$v=19$...), never
    a password; NULL for a user who signs in to the shared PostgreSQL server instead."""

    __tablename__ = "app_user"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = char_column(80)
    department_code: Mapped[str | None] = mapped_column(ForeignKey("department.code"))
    organization_code: Mapped[str | None] = mapped_column(ForeignKey("organization.code"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    disabled: Mapped[bool] = flag_column()
    failed_logins: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default="0"
    )
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AppRole(Base):
    __tablename__ = "app_role"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    text_zh: Mapped[str] = char_column(60)
    text_en: Mapped[str] = char_column(60)


class AppRolePermission(Base):
    __tablename__ = "app_role_permission"

    role: Mapped[str] = mapped_column(
        ForeignKey("app_role.code", ondelete="CASCADE"), primary_key=True
    )
    permission: Mapped[str] = mapped_column(String(32), primary_key=True)


class UserRole(Base):
    __tablename__ = "user_role"

    username: Mapped[str] = mapped_column(
        ForeignKey("app_user.username", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(
        ForeignKey("app_role.code", ondelete="CASCADE"), primary_key=True
    )


class UserAuthGroup(Base):
    """Authorization groups (BEGRU) a user holds; "*": all."""

    __tablename__ = "user_auth_group"

    username: Mapped[str] = mapped_column(
        ForeignKey("app_user.username", ondelete="CASCADE"), primary_key=True
    )
    begru: Mapped[str] = mapped_column(String(4), primary_key=True)


class UserCompanyCode(Base):
    """Company codes a user may act in; "*": all."""

    __tablename__ = "user_company_code"

    username: Mapped[str] = mapped_column(
        ForeignKey("app_user.username", ondelete="CASCADE"), primary_key=True
    )
    bukrs: Mapped[str] = mapped_column(String(4), primary_key=True)


class UserSalesArea(Base):
    """Sales areas a user may act in; a part "*" matches every value (F011/*/*)."""

    __tablename__ = "user_sales_area"

    username: Mapped[str] = mapped_column(
        ForeignKey("app_user.username", ondelete="CASCADE"), primary_key=True
    )
    vkorg: Mapped[str] = mapped_column(String(4), primary_key=True)
    vtweg: Mapped[str] = mapped_column(String(2), primary_key=True)
    spart: Mapped[str] = mapped_column(String(2), primary_key=True)


class LoginAttempt(Base):
    """Every login attempt, successful or not; never the password. username is what was
    typed (no foreign key: attempts for unknown users are recorded too)."""

    __tablename__ = "login_attempt"

    id: Mapped[uuid.UUID] = id_column()
    username: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    success: Mapped[bool] = mapped_column(Boolean, nullable=False)
    host: Mapped[str] = char_column(255)
    reason: Mapped[str] = char_column(40)
