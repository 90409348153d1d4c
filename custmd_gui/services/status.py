"""Blocks (XD05/VD05) and deletion flags (XD06) of customers, one or many at a time.

One mechanism for both: a list of `StatusEdit`s, each naming a level (central, one company
code, one sales area, or every level) and the values to set there, applied to each customer
in one transaction, with one change document per changed customer carrying the user's
required comment. Finance users work here; the customers are never deleted by it.

Levels and fields, as in SAP:

==============  ===================================================  ==========================
level           blocks                                               deletion flag
==============  ===================================================  ==========================
central         order, delivery, billing block (KNA1-AUFSD, LIFSD,   KNA1-LOEVM
                FAKSD: all sales areas), posting block (KNA1-SPERR:
                all company codes)
company code    posting block (KNB1-SPERR)                           KNB1-LOEVM
sales area      order, delivery, billing block (KNVV-AUFSD, LIFSD,   KNVV-LOEVM
                FAKSD)
every level     "unblock everything" / "remove every deletion flag"
==============  ===================================================  ==========================

A block carries a reason from customizing (block_reasons); removing it is setting "".

All or nothing: a customer that does not exist, lacks the company code or sales area named,
or is being changed by someone else (its XD02 edit lock) refuses the whole action, and the
refusal lists every such customer; nothing is written. What a mass action leaves unchanged
(already blocked so) is reported, not refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from custmd_gui.catalog import Text
from custmd_gui.domain.authorization import Permission
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError, Problem
from custmd_gui.domain.model import Customer
from custmd_gui.domain.requests import RequestType
from custmd_gui.services.authorization import authorize_any, check_status_rights, not_found
from custmd_gui.services.change import ChangeResult, write_change
from custmd_gui.services.context import Actor
from custmd_gui.services.locks import locked_text
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.request_rules import require_no_request

# Customers per action at most: one transaction must stay short enough not to hold up the
# other clerks' saves.
MAX_CUSTOMERS = 5000
COMMENT_KEY = "CDHDR-COMMENT"
REASONS = "block_reasons"


class Level(StrEnum):
    CENTRAL = "central"
    COMPANY_CODE = "company_code"
    SALES_AREA = "sales_area"
    EVERY = "every"  # every level of the customer: unblock or unflag everything


@dataclass(frozen=True, slots=True)
class SalesBlocks:
    order: str = ""
    delivery: str = ""
    billing: str = ""

    def __bool__(self) -> bool:
        return bool(self.order or self.delivery or self.billing)


@dataclass(frozen=True, slots=True)
class CustomerStatus:
    """Every block and deletion flag of one customer, per level: what XD05 and XD06 show."""

    number: str
    name: str
    version: int
    central: SalesBlocks
    posting: bool  # central posting block: all company codes
    deletion: bool
    company_codes: dict[str, tuple[bool, bool]]  # code -> (posting block, deletion flag)
    sales_areas: dict[str, tuple[SalesBlocks, bool]]  # "F011/10/01" -> (blocks, deletion)

    @classmethod
    def of(cls, customer: Customer) -> CustomerStatus:
        g = customer.general
        return cls(
            customer.number,
            g.name,
            customer.version,
            SalesBlocks(g.order_block, g.delivery_block, g.billing_block),
            bool(g.posting_block),
            bool(g.deletion_flag),
            {
                c.company_code: (bool(c.posting_block), bool(c.deletion_flag))
                for c in customer.company_codes
            },
            {
                a.segment_key: (
                    SalesBlocks(a.order_block, a.delivery_block, a.billing_block),
                    bool(a.deletion_flag),
                )
                for a in customer.sales_areas
            },
        )

    @property
    def blocked(self) -> bool:
        """Any block at any level."""
        return bool(
            self.central
            or self.posting
            or any(p for p, _ in self.company_codes.values())
            or any(b for b, _ in self.sales_areas.values())
        )

    @property
    def flagged(self) -> bool:
        """A deletion flag at any level."""
        return (
            self.deletion
            or any(d for _, d in self.company_codes.values())
            or any(d for _, d in self.sales_areas.values())
        )


@dataclass(frozen=True, slots=True)
class StatusEdit:
    """Values to set at one level; None leaves a value as it is. `key` names the company
    code or the sales area ("F011/10/01") of those levels."""

    level: Level = Level.CENTRAL
    key: str = ""
    order: str | None = None
    delivery: str | None = None
    billing: str | None = None
    posting: bool | None = None
    deletion: bool | None = None

    @classmethod
    def unblock_everything(cls) -> StatusEdit:
        return cls(Level.EVERY, order="", delivery="", billing="", posting=False)

    @classmethod
    def unflag_everything(cls) -> StatusEdit:
        return cls(Level.EVERY, deletion=False)

    @property
    def touches_deletion(self) -> bool:
        return self.deletion is not None

    @property
    def touches_blocks(self) -> bool:
        return any(v is not None for v in (self.order, self.delivery, self.billing, self.posting))


@dataclass(frozen=True, slots=True)
class StatusReport:
    """What an action did: the customers changed (with their change), those already so."""

    changed: list[ChangeResult] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self, lang: str) -> str:
        if lang.startswith("en"):
            return f"{len(self.changed)} customer(s) changed, {len(self.unchanged)} unchanged"
        return f"已更改 {len(self.changed)} 个客户，{len(self.unchanged)} 个客户无需更改"


def changed_numbers(report: StatusReport) -> list[str]:
    """The customers an action changed (for the views to refresh)."""
    return [c.customer.number for c in report.changed]


def _p(key: str, segment: str, zh: str, en: str) -> Problem:
    return Problem(key, segment, Text(zh=zh, en=en))


def tcode_of(edits: Iterable[StatusEdit]) -> str:
    """XD06 for deletion flags, XD05 for blocks (SAP's transactions)."""
    return "XD06" if any(e.touches_deletion for e in edits) else "XD05"


def edit_problems(edits: Sequence[StatusEdit], comment: str, cust: Customizing) -> list[Problem]:
    """What is wrong with the action itself, whatever the customer."""
    problems: list[Problem] = []
    if not comment.strip():
        problems.append(
            _p(
                COMMENT_KEY,
                "",
                "请填写备注，说明冻结、解冻或删除标记的原因",
                "Enter a comment: why the customer is blocked, unblocked or flagged",
            )
        )
    if not edits or not any(e.touches_blocks or e.touches_deletion for e in edits):
        problems.append(_p("KNA1-KUNNR", "", "没有要更改的冻结或删除标记", "Nothing to change"))
    for e in edits:
        where = e.key
        if e.level is Level.COMPANY_CODE:
            if not e.key:
                problems.append(_p("KNB1-BUKRS", "", "请输入公司代码", "Enter the company code"))
            if any(v is not None for v in (e.order, e.delivery, e.billing)):
                problems.append(
                    _p(
                        "KNB1-BUKRS",
                        where,
                        f"公司代码 {where} 只有记账冻结；订单、交货和开票冻结属于销售范围",
                        f"Company code {where} has only a posting block; order, delivery and "
                        "billing blocks belong to sales areas",
                    )
                )
        if e.level is Level.SALES_AREA:
            if len([p for p in e.key.split("/") if p]) != 3:
                problems.append(
                    _p(
                        "KNVV-VKORG",
                        where,
                        "请输入销售范围：销售组织/分销渠道/产品组，例如 F011/10/01",
                        "Enter the sales area as org/channel/division, e.g. F011/10/01",
                    )
                )
            if e.posting is not None:
                problems.append(
                    _p(
                        "KNVV-VKORG",
                        where,
                        f"销售范围 {where} 没有记账冻结；记账冻结属于公司代码",
                        f"Sales area {where} has no posting block; it belongs to company codes",
                    )
                )
        for key, value in (
            ("KNA1-AUFSD" if e.level is not Level.SALES_AREA else "KNVV-AUFSD", e.order),
            ("KNA1-LIFSD" if e.level is not Level.SALES_AREA else "KNVV-LIFSD", e.delivery),
            ("KNA1-FAKSD" if e.level is not Level.SALES_AREA else "KNVV-FAKSD", e.billing),
        ):
            if value and not cust.has(REASONS, value):
                problems.append(
                    _p(
                        key,
                        where,
                        f"冻结原因 {value} 不存在，请按 F4 选择",
                        f"Block reason {value} does not exist; press F4 to choose",
                    )
                )
    return problems


def _set_blocks(target: object, e: StatusEdit) -> None:
    for name, value in (
        ("order_block", e.order),
        ("delivery_block", e.delivery),
        ("billing_block", e.billing),
    ):
        if value is not None:
            setattr(target, name, value)


def apply_edits(customer: Customer, edits: Sequence[StatusEdit]) -> tuple[Customer, list[Problem]]:
    """The customer with the edits applied, or the problems that stop it (a company code
    or sales area the customer does not have)."""
    number = customer.number
    changed = customer.model_copy(deep=True)
    g = changed.general
    problems: list[Problem] = []
    for e in edits:
        if e.level is Level.CENTRAL:
            _set_blocks(g, e)
            if e.posting is not None:
                g.posting_block = e.posting
            if e.deletion is not None:
                g.deletion_flag = e.deletion
        elif e.level is Level.COMPANY_CODE:
            cc = changed.company_code(e.key.upper())
            if cc is None:
                problems.append(
                    _p(
                        "KNB1-BUKRS",
                        e.key,
                        f"客户 {number} 未在公司代码 {e.key} 中创建",
                        f"Customer {number} does not exist in company code {e.key}",
                    )
                )
                continue
            if e.posting is not None:
                cc.posting_block = e.posting
            if e.deletion is not None:
                cc.deletion_flag = e.deletion
        elif e.level is Level.SALES_AREA:
            sa = changed.sales_area(e.key.upper())
            if sa is None:
                problems.append(
                    _p(
                        "KNVV-VKORG",
                        e.key,
                        f"客户 {number} 未在销售范围 {e.key} 中创建",
                        f"Customer {number} does not exist in sales area {e.key}",
                    )
                )
                continue
            _set_blocks(sa, e)
            if e.deletion is not None:
                sa.deletion_flag = e.deletion
        else:  # every level
            _set_blocks(g, e)
            for sa in changed.sales_areas:
                _set_blocks(sa, e)
            if e.posting is not None:
                g.posting_block = e.posting
                for cc in changed.company_codes:
                    cc.posting_block = e.posting
            if e.deletion is not None:
                g.deletion_flag = e.deletion
                for cc in changed.company_codes:
                    cc.deletion_flag = e.deletion
                for sa in changed.sales_areas:
                    sa.deletion_flag = e.deletion
    return changed, problems


def read_status(uow_factory: UowFactory, number: str, actor: Actor | None = None) -> CustomerStatus:
    """The blocks and deletion flags of a customer, for the dialog (see read_customer for
    the actor)."""
    from custmd_gui.services.create import read_customer

    return CustomerStatus.of(read_customer(uow_factory, number, actor))


def change_status(
    uow_factory: UowFactory,
    numbers: Sequence[str],
    edits: Sequence[StatusEdit],
    actor: Actor,
    comment: str,
    *,
    expected_versions: dict[str, int] | None = None,
    customizing: Customizing | None = None,
) -> StatusReport:
    """Apply `edits` to every customer of `numbers` in one transaction (see the module);
    DomainError with every problem when anything refuses, and then nothing is written.
    `expected_versions` (the versions the dialog showed) refuses a customer changed since.
    Rights: check_status_rights per customer (Forbidden, nothing written); a customer the
    actor may not see is reported as not existing."""
    authorize_any(actor, (Permission.BLOCK, Permission.UNBLOCK, Permission.FLAG))
    numbers = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    if len(numbers) > MAX_CUSTOMERS:
        raise DomainError.single(
            "KNA1-KUNNR",
            f"一次最多处理 {MAX_CUSTOMERS} 个客户，已选择 {len(numbers)} 个",
            f"At most {MAX_CUSTOMERS} customers at a time; {len(numbers)} chosen",
        )
    tcode = tcode_of(edits)
    with uow_factory(write=True) as uow:
        cust = customizing or uow.customizing.load()
        # The customizing may route blocks and deletion flags through requests (request_required).
        if any(e.touches_blocks for e in edits):
            require_no_request(actor, cust, RequestType.BLOCK)
        if any(e.touches_deletion for e in edits):
            require_no_request(actor, cust, RequestType.DELETION_FLAG)
        problems = edit_problems(edits, comment, cust)
        if not numbers:
            problems.append(_p("KNA1-KUNNR", "", "请选择客户", "Choose the customers"))
        if problems:
            raise DomainError(problems)
        plans: list[tuple[Customer, Customer]] = []
        for number in numbers:
            stored = uow.customers.get(number, for_update=True)
            if stored is None or not actor.rights.can_see(stored.general.authorization_group):
                problems += not_found(number).problems
                continue
            holder = uow.locks.get(number)
            if holder is not None and not holder.expired:
                problems.append(Problem("KNA1-KUNNR", "", locked_text(number, holder.user)))
                continue
            expected = (expected_versions or {}).get(number)
            if expected is not None and expected != stored.version:
                problems.append(
                    _p(
                        "KNA1-KUNNR",
                        "",
                        f"客户 {number} 在您打开后已被更改，请重新读取；未保存任何更改",
                        f"Customer {number} was changed since you opened it; read it again, "
                        "nothing was saved",
                    )
                )
                continue
            changed, found = apply_edits(stored, edits)
            problems += found
            plans.append((stored, changed))
        if problems:
            raise DomainError(problems)
        for stored, changed in plans:
            check_status_rights(actor, stored, changed)
        report = StatusReport()
        for stored, changed in plans:
            result = write_change(uow, stored, changed, actor, tcode, comment=comment.strip())
            if result.changed:
                report.changed.append(result)
            else:
                report.unchanged.append(stored.number)
        uow.commit()
    return report
