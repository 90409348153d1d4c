"""Who may do what: permissions, roles (with the shipped defaults) and a user's authorizations.

A user's rights are the union of the permissions of the roles held, limited by three scopes
that apply to every permission alike:

- authorization groups (权限组, KNA1-BEGRU / KNB1-BEGRU / KNVV-BEGRU): a customer whose
  KNA1-BEGRU the user does not hold is invisible to the user (not found, never "forbidden":
  another responsibility center must not even learn that it exists); a company-code or
  sales-area segment whose BEGRU the user does not hold cannot be changed. An empty BEGRU
  is everyone's;
- company codes (KNB1-BUKRS) the user may act in;
- sales areas (VKORG/VTWEG/SPART) the user may act in; a part may be "*" (F011/*/*).

None for a scope means "all". The database stores "all" as a row with "*" (see
persistence.users), so that a missing row never grants anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from custmd_gui.catalog import Text
from custmd_gui.domain.errors import DomainError, Problem

ALL = "*"  # "every authorization group / company code / sales-area part" where stored


class Permission(StrEnum):
    DISPLAY = "display"
    CREATE = "create"
    EXTEND = "extend"
    CHANGE_GENERAL = "change_general"
    CHANGE_COMPANY_CODE = "change_company_code"
    CHANGE_SALES_AREA = "change_sales_area"
    BLOCK = "block"
    UNBLOCK = "unblock"
    FLAG = "flag"  # set or remove deletion flags (XD06)
    DELETE = "delete"  # physical deletion
    IMPORT_USAGE = "import_usage"
    ADMIN = "admin"  # users, roles, departments, organizations, customizing
    # Requests (issue 18): file one; review and activate the parts routed by the customizing
    # (request_routing); maintain directly (XD01/XD02) what the customizing says needs a request.
    REQUEST = "request"
    REVIEW_GENERAL = "review_general"
    REVIEW_COMPANY_CODE = "review_company_code"
    REVIEW_SALES_AREA = "review_sales_area"
    SKIP_REVIEW = "skip_review"


PERMISSION_TEXTS: dict[Permission, Text] = {
    Permission.DISPLAY: Text(zh="显示客户", en="display customers"),
    Permission.CREATE: Text(zh="创建客户", en="create customers"),
    Permission.EXTEND: Text(zh="扩展客户", en="extend customers"),
    Permission.CHANGE_GENERAL: Text(zh="更改一般数据", en="change general data"),
    Permission.CHANGE_COMPANY_CODE: Text(zh="更改公司代码数据", en="change company code data"),
    Permission.CHANGE_SALES_AREA: Text(zh="更改销售范围数据", en="change sales area data"),
    Permission.BLOCK: Text(zh="冻结客户", en="block customers"),
    Permission.UNBLOCK: Text(zh="解冻客户", en="unblock customers"),
    Permission.FLAG: Text(zh="设置删除标记", en="set deletion flags"),
    Permission.DELETE: Text(zh="删除客户", en="delete customers"),
    Permission.IMPORT_USAGE: Text(zh="导入业务使用登记", en="import the usage register"),
    Permission.ADMIN: Text(zh="系统管理", en="administer the system"),
    Permission.REQUEST: Text(zh="提交维护申请", en="file maintenance requests"),
    Permission.REVIEW_GENERAL: Text(zh="审核一般数据申请", en="review general-data requests"),
    Permission.REVIEW_COMPANY_CODE: Text(
        zh="审核公司代码数据申请", en="review company-code requests"
    ),
    Permission.REVIEW_SALES_AREA: Text(zh="审核销售范围数据申请", en="review sales-area requests"),
    Permission.SKIP_REVIEW: Text(zh="无需申请直接维护", en="maintain without a request"),
}

# Changing a customer at all (XD02's edit lock) needs one of these.
CHANGE_PERMISSIONS = frozenset(
    {Permission.CHANGE_GENERAL, Permission.CHANGE_COMPANY_CODE, Permission.CHANGE_SALES_AREA}
)


@dataclass(frozen=True, slots=True)
class Role:
    code: str
    text: Text
    permissions: frozenset[Permission]


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    """A department or an organization (the administrator's archive of the users' units)."""

    code: str
    name: str
    parent_code: str | None
    organization_code: str | None = None  # departments only


def _role(code: str, zh: str, en: str, *perms: Permission) -> Role:
    return Role(code, Text(zh=zh, en=en), frozenset(perms))


P = Permission
# The shipped roles (configurable: the administrator may change a role's permissions; an
# upgrade adds only roles that do not exist yet). Why each holds what it holds: README.
DEFAULT_ROLES: tuple[Role, ...] = (
    _role(
        "assistant",
        "责任中心助理",
        "Responsibility-center assistant",
        P.DISPLAY,
        P.CREATE,
        P.EXTEND,
        P.CHANGE_SALES_AREA,
        P.REQUEST,
        P.REVIEW_SALES_AREA,
        P.SKIP_REVIEW,
    ),
    _role(
        "general_maintainer",
        "总部主数据维护员（一般数据）",
        "General-data maintainer (head office)",
        P.DISPLAY,
        P.CHANGE_GENERAL,
        P.FLAG,
        P.REQUEST,
        P.REVIEW_GENERAL,
        P.SKIP_REVIEW,
    ),
    _role(
        "cc_maintainer",
        "公司代码数据维护员",
        "Company-code data maintainer",
        P.DISPLAY,
        P.EXTEND,
        P.CHANGE_COMPANY_CODE,
        P.REQUEST,
        P.REVIEW_COMPANY_CODE,
        P.SKIP_REVIEW,
    ),
    _role(
        "finance",
        "财务（冻结/解冻）",
        "Finance (blocks)",
        P.DISPLAY,
        P.BLOCK,
        P.UNBLOCK,
        P.REQUEST,
        P.SKIP_REVIEW,
    ),
    _role("administrator", "系统管理员", "Administrator", *Permission),
    _role("auditor", "审计（只读）", "Auditor (display only)", P.DISPLAY),
)


def sales_area_key(vkorg: str, vtweg: str, spart: str) -> str:
    return f"{vkorg}/{vtweg}/{spart}".upper()


def _area_parts(key: str) -> tuple[str, str, str]:
    parts = [p.strip().upper() for p in key.split("/")]
    if len(parts) != 3:
        raise ValueError(f"a sales area reads VKORG/VTWEG/SPART, not {key!r}")
    return parts[0], parts[1], parts[2]


class Forbidden(DomainError):
    """The acting user lacks a permission (or its scope); nothing was read or written."""

    def __init__(self, user: str, permission: Permission, where: Text | None = None) -> None:
        self.user = user
        self.permission = permission
        what = PERMISSION_TEXTS[permission]
        zh = f"用户 {user} 没有权限：{what.zh}"
        en = f"User {user} is not authorized to {what.en}"
        if where is not None:
            zh += f"（{where.zh}）"
            en += f" ({where.en})"
        super().__init__([Problem("AUTH", "", Text(zh=zh, en=en))])


@dataclass(frozen=True, slots=True)
class Authorizations:
    """What one user may do; built from the user's roles and scopes at login."""

    user: str
    permissions: frozenset[Permission]
    auth_groups: frozenset[str] | None = None  # None: every group
    company_codes: frozenset[str] | None = None  # None: every company code
    sales_areas: frozenset[tuple[str, str, str]] | None = None  # None: every sales area
    roles: frozenset[str] = frozenset()

    @classmethod
    def unrestricted(cls, user: str) -> Authorizations:
        """Everything everywhere: system jobs, tests, and a local database without users
        (single-user mode, see services.auth)."""
        return cls(user, frozenset(Permission), roles=frozenset({"administrator"}))

    @classmethod
    def of_roles(
        cls,
        user: str,
        roles: Iterable[Role],
        *,
        auth_groups: Iterable[str] | None = None,
        company_codes: Iterable[str] | None = None,
        sales_areas: Iterable[str | tuple[str, str, str]] | None = None,
    ) -> Authorizations:
        """Rights of a user holding `roles`, scoped; a scope containing "*" means all."""
        roles = list(roles)
        perms = frozenset(p for r in roles for p in r.permissions)

        def scope(values: Iterable[str] | None) -> frozenset[str] | None:
            if values is None:
                return None
            out = frozenset(v.strip().upper() for v in values)
            return None if ALL in out else out

        areas: frozenset[tuple[str, str, str]] | None = None
        if sales_areas is not None:
            parsed = frozenset(
                _area_parts(a if isinstance(a, str) else "/".join(a)) for a in sales_areas
            )
            areas = None if (ALL, ALL, ALL) in parsed else parsed
        return cls(
            user,
            perms,
            scope(auth_groups),
            scope(company_codes),
            areas,
            frozenset(r.code for r in roles),
        )

    # --- asking ---------------------------------------------------------------------------

    def has(self, permission: Permission) -> bool:
        return permission in self.permissions

    def holds_group(self, auth_group: str) -> bool:
        group = auth_group.strip().upper()
        return not group or self.auth_groups is None or group in self.auth_groups

    def can_see(self, auth_group: str) -> bool:
        """May the user see a customer whose KNA1-BEGRU is `auth_group`? (empty: everyone)"""
        return self.has(Permission.DISPLAY) and self.holds_group(auth_group)

    def in_company_code(self, code: str) -> bool:
        return self.company_codes is None or code.strip().upper() in self.company_codes

    def in_sales_area(self, key: str) -> bool:
        if self.sales_areas is None:
            return True
        org, channel, division = _area_parts(key)
        return any(
            all(
                mine in (ALL, theirs)
                for mine, theirs in zip(area, (org, channel, division), strict=True)
            )
            for area in self.sales_areas
        )

    @property
    def every_company_code(self) -> bool:
        return self.company_codes is None

    @property
    def every_sales_area(self) -> bool:
        return self.sales_areas is None

    def allows(
        self,
        permission: Permission,
        *,
        company_code: str | None = None,
        sales_area: str | None = None,
        auth_group: str | None = None,
    ) -> bool:
        return (
            self.missing(
                permission, company_code=company_code, sales_area=sales_area, auth_group=auth_group
            )
            is None
        )

    def missing(
        self,
        permission: Permission,
        *,
        company_code: str | None = None,
        sales_area: str | None = None,
        auth_group: str | None = None,
    ) -> Forbidden | None:
        """The refusal if the user may not; None if the user may."""
        if not self.has(permission):
            return Forbidden(self.user, permission)
        if company_code is not None and not self.in_company_code(company_code):
            return Forbidden(
                self.user,
                permission,
                Text(zh=f"公司代码 {company_code}", en=f"company code {company_code}"),
            )
        if sales_area is not None and not self.in_sales_area(sales_area):
            return Forbidden(
                self.user,
                permission,
                Text(zh=f"销售范围 {sales_area}", en=f"sales area {sales_area}"),
            )
        if auth_group is not None and not self.holds_group(auth_group):
            return Forbidden(
                self.user,
                permission,
                Text(zh=f"权限组 {auth_group}", en=f"authorization group {auth_group}"),
            )
        return None

    def require(
        self,
        permission: Permission,
        *,
        company_code: str | None = None,
        sales_area: str | None = None,
        auth_group: str | None = None,
    ) -> None:
        """Raise Forbidden naming the user and what is missing, unless the user may."""
        refusal = self.missing(
            permission, company_code=company_code, sales_area=sales_area, auth_group=auth_group
        )
        if refusal is not None:
            raise refusal

    def require_all(
        self, permission: Permission, *, company_codes: bool, sales_areas: bool
    ) -> None:
        """For what acts on every company code or sales area at once (a central posting or
        sales block, the central deletion flag): the permission without scope limits."""
        self.require(permission)
        if company_codes and not self.every_company_code:
            raise Forbidden(self.user, permission, Text(zh="所有公司代码", en="all company codes"))
        if sales_areas and not self.every_sales_area:
            raise Forbidden(self.user, permission, Text(zh="所有销售范围", en="all sales areas"))
