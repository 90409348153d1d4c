"""The one mechanism by which use cases check the acting user's rights (domain.authorization).

Each use case calls these before it reads or writes: `authorize` for a permission (with the
company code, sales area or authorization group it acts in), `check_visible` /
`require_visible` for a customer (one whose KNA1-BEGRU the user does not hold is "not found",
never "forbidden"), and `change_refusal` / `creation_refusal` for what a change or a new
customer touches, segment by segment.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from custmd_gui.catalog import FieldDef, Text, catalog
from custmd_gui.domain.authorization import (
    CHANGE_PERMISSIONS,
    Authorizations,
    Forbidden,
    Permission,
)
from custmd_gui.domain.change_document import RowChange
from custmd_gui.domain.errors import DomainError, NotFound, Problem
from custmd_gui.domain.model import CompanyCodeData, Customer, SalesAreaData
from custmd_gui.domain.validation import rows
from custmd_gui.persistence.tables import Kna1
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.context import Actor

# Which permission a change of each segment table needs, and its scope.
GENERAL_TABLES = frozenset({"KNA1", "KNBK"})  # bank details are general data in SAP
COMPANY_CODE_TABLES = frozenset({"KNB1"})
SALES_AREA_TABLES = frozenset({"KNVV", "KNVI", "KNVP"})


def authorize(
    actor: Actor,
    permission: Permission,
    *,
    company_code: str | None = None,
    sales_area: str | None = None,
    auth_group: str | None = None,
) -> None:
    """Forbidden (naming the user and what is missing) unless the actor may."""
    actor.rights.require(
        permission, company_code=company_code, sales_area=sales_area, auth_group=auth_group
    )


def authorize_any(actor: Actor, permissions: Iterable[Permission]) -> None:
    """Forbidden naming the first permission unless the actor holds one of them."""
    wanted = sorted(permissions)
    if not any(actor.rights.has(p) for p in wanted):
        raise Forbidden(actor.user, wanted[0])


def authorize_change(actor: Actor) -> None:
    """Opening a customer for change (XD02's edit lock) needs some change permission."""
    authorize_any(actor, CHANGE_PERMISSIONS)


def not_found(number: str) -> DomainError:
    return NotFound.single(
        "KNA1-KUNNR", f"客户 {number} 不存在", f"Customer {number} does not exist"
    )


def require_visible(rights: Authorizations, number: str, auth_group: str) -> None:
    """NotFound, as if the customer did not exist, unless the user may see it."""
    if not rights.can_see(auth_group):
        raise not_found(number)


def check_visible(uow: UnitOfWork, actor: Actor, number: str) -> None:
    """NotFound unless the customer exists and the actor may see it (display and the
    authorization group of KNA1); one indexed lookup, before anything else is read."""
    authorize(actor, Permission.DISPLAY)
    begru = uow.session.scalar(select(Kna1.begru).where(Kna1.kunnr == number))
    if begru is None:
        raise not_found(number)
    require_visible(actor.rights, number, begru)


def visible_groups(rights: Authorizations) -> frozenset[str] | None:
    """The KNA1-BEGRU values whose customers the user sees ("" always); None: all."""
    if rights.auth_groups is None:
        return None
    return rights.auth_groups | {""}


def _segment_group(customer: Customer, table: str, segment: str) -> str:
    if table in COMPANY_CODE_TABLES:
        cc = customer.company_code(segment)
        return cc.authorization_group if cc else ""
    if table in SALES_AREA_TABLES:
        sa = customer.sales_area(segment)
        return sa.authorization_group if sa else ""
    return customer.general.authorization_group


def change_refusal(
    actor: Actor, stored: Customer, changed: Customer, changes: Iterable[RowChange]
) -> Forbidden | None:
    """What in a change (the diff of stored to changed) the actor may not do: general data
    (KNA1, KNBK) needs change_general, a company code's KNB1 change_company_code in that
    company code, a sales area's KNVV, KNVI, KNVP change_sales_area in that sales area; and
    the segment's authorization group, as stored and as it would be, must be held."""
    rights = actor.rights
    for change in changes:
        if change.table in COMPANY_CODE_TABLES:
            perm, scope = Permission.CHANGE_COMPANY_CODE, {"company_code": change.segment}
        elif change.table in SALES_AREA_TABLES:
            perm, scope = Permission.CHANGE_SALES_AREA, {"sales_area": change.segment}
        else:
            perm, scope = Permission.CHANGE_GENERAL, {}
        for customer in (stored, changed):
            group = _segment_group(customer, change.table, change.segment)
            refusal = rights.missing(perm, auth_group=group, **scope)
            if refusal is not None:
                return refusal
    return None


def creation_refusal(
    actor: Actor,
    permission: Permission,
    *,
    general_group: str | None,
    company_codes: Iterable[CompanyCodeData] = (),
    sales_areas: Iterable[SalesAreaData] = (),
) -> Forbidden | None:
    """What in a new customer (CREATE: `general_group` its KNA1-BEGRU) or in new segments
    of one (EXTEND: `general_group` None) the actor may not create: each company code and
    sales area must be in the actor's scope, each segment's BEGRU held."""
    rights = actor.rights
    if general_group is not None:
        refusal = rights.missing(permission, auth_group=general_group)
        if refusal is not None:
            return refusal
    for cc in company_codes:
        refusal = rights.missing(
            permission, company_code=cc.company_code, auth_group=cc.authorization_group
        )
        if refusal is not None:
            return refusal
    for sa in sales_areas:
        refusal = rights.missing(
            permission, sales_area=sa.segment_key, auth_group=sa.authorization_group
        )
        if refusal is not None:
            return refusal
    return None


def _block_change(old: object, new: object) -> Permission | None:
    """BLOCK when a block is put on (or its reason changes), UNBLOCK when one is removed."""
    if old == new:
        return None
    return Permission.BLOCK if new else Permission.UNBLOCK


def check_status_rights(actor: Actor, stored: Customer, changed: Customer) -> None:
    """Forbidden unless the actor may make every difference between stored and changed:
    putting a block on needs `block`, removing one `unblock`, a deletion flag (set or
    removed) `flag`; at a company code or sales area in its scope and authorization group;
    centrally (which acts on every sales area or company code) without scope limits."""
    rights = actor.rights
    g, h = stored.general, changed.general
    for name in ("order_block", "delivery_block", "billing_block"):
        if perm := _block_change(getattr(g, name), getattr(h, name)):
            rights.require_all(perm, company_codes=False, sales_areas=True)
    if perm := _block_change(bool(g.posting_block), bool(h.posting_block)):
        rights.require_all(perm, company_codes=True, sales_areas=False)
    if bool(g.deletion_flag) != bool(h.deletion_flag):
        rights.require_all(Permission.FLAG, company_codes=True, sales_areas=True)
    for cc in stored.company_codes:
        new_cc = changed.company_code(cc.company_code)
        assert new_cc is not None
        scope = {"company_code": cc.company_code, "auth_group": cc.authorization_group}
        if perm := _block_change(bool(cc.posting_block), bool(new_cc.posting_block)):
            rights.require(perm, **scope)
        if bool(cc.deletion_flag) != bool(new_cc.deletion_flag):
            rights.require(Permission.FLAG, **scope)
    for sa in stored.sales_areas:
        new_sa = changed.sales_area(sa.segment_key)
        assert new_sa is not None
        scope = {"sales_area": sa.segment_key, "auth_group": sa.authorization_group}
        for name in ("order_block", "delivery_block", "billing_block"):
            if perm := _block_change(getattr(sa, name), getattr(new_sa, name)):
                rights.require(perm, **scope)
        if bool(sa.deletion_flag) != bool(new_sa.deletion_flag):
            rights.require(Permission.FLAG, **scope)


def _status_fields(
    customer: Customer, segments: Iterable[str] | None
) -> list[tuple[FieldDef, Any, str]]:
    """(field, model part, segment) for every block and deletion flag of the customer (the
    catalog's field group "blocks"): of all its segments, or of those in `segments` ("" is
    the general data)."""
    wanted = None if segments is None else set(segments)
    blocks = _blocks_by_table()
    return [
        (fd, row.model, row.segment)
        for row in rows(customer)
        if wanted is None or row.segment in wanted
        for fd in blocks.get(row.table, ())
    ]


_BLOCKS: list[tuple[object, dict[str, list[FieldDef]]]] = []


def _blocks_by_table() -> dict[str, list[FieldDef]]:
    """The catalog's block and deletion-flag fields by table, worked out once per catalog
    (an import asks for each of its customers)."""
    cat = catalog()
    if not _BLOCKS or _BLOCKS[0][0] is not cat:
        found: dict[str, list[FieldDef]] = {}
        for fd in cat:
            if fd.field_group == "blocks":
                found.setdefault(fd.table, []).append(fd)
        _BLOCKS[:] = [(cat, found)]
    return _BLOCKS[0][1]


def check_new_status_rights(
    actor: Actor, customer: Customer, *, segments: Iterable[str] | None = None
) -> None:
    """A customer (or its new `segments`) created already blocked or flagged for deletion
    needs the rights to block or flag it (check_status_rights): otherwise an assistant could
    create a customer past finance. DomainError naming each block or flag set."""
    fields = _status_fields(customer, segments)
    set_fields = [(fd, segment) for fd, row, segment in fields if getattr(row, fd.name)]
    if not set_fields:
        return
    cleared = customer.model_copy(deep=True)
    for fd, row, _segment in _status_fields(cleared, segments):
        setattr(row, fd.name, False if fd.type == "FLAG" else "")
    try:
        check_status_rights(actor, cleared, customer)
    except Forbidden as refusal:
        why = refusal.problems[0].message
        raise DomainError(
            [
                Problem(
                    fd.key,
                    segment,
                    Text(
                        zh=f"{fd.label.zh}：{why.zh}；新数据不能带冻结或删除标记创建，"
                        "请创建后由有权限的用户冻结",
                        en=f"{fd.label.en}: {why.en}; new data cannot be created blocked or "
                        "flagged; someone with the right blocks it after the creation",
                    ),
                )
                for fd, segment in set_fields
            ]
        ) from refusal
