"""What the blocks and deletion flags of other customers mean when a clerk names them as
partners (KNVP) or as the reference of a new customer.

The rules, as a finance user would have them:

- a partner that does not exist, or is flagged for deletion (centrally or in that sales area),
  is an error: the partner would point at a customer about to disappear, and the deletion run
  would then refuse that customer forever;
- a payer (RG) with an order block (centrally or in that sales area) is an error: finance put
  the block on the paying customer, usually for credit; a new sold-to party paying through it
  would take orders around that block;
- partner determination (SAP's, customizing partner_determination): a partner's own account
  group must allow the function (a ship-to party is only ever a ship-to party, never the
  sold-to or payer of another customer); the partner must exist in the same sales area (its
  orders and invoices are made there); a payer must have company-code data in the sales
  area's company code (sales_orgs attrs.company_code), where its receivables are posted;
- any other block of a partner (delivery, billing, posting; an order block of a ship-to party)
  is a warning: the master data may be right, the documents will stop in the ERP, and the clerk
  should know why before the first order;
- a blocked or flagged reference customer is a warning: blocks and flags are never copied
  (domain.reference), but the clerk may have picked the wrong customer to copy.

Errors are enforced by the services (create, extend, change) for the partners they write;
warnings are the screens' to show, and a second Ctrl+S (or Enter) goes past them, as in SAP.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from custmd_gui.catalog import Text
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import Problem, Severity
from custmd_gui.domain.model import Customer, PartnerFunction, SalesAreaData
from custmd_gui.domain.partner_determination import (
    FUNCTIONS_LIST,
    determination,
    function_text,
    function_texts,
)
from custmd_gui.persistence.tables import Kna1, Knb1, Knvv
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.ports import UowFactory

PAYER = "RG"
KEY = "KNVP-KUNN2"


def _company_code(customizing: Customizing, area: SalesAreaData) -> str:
    org = customizing.value("sales_orgs", area.sales_org)
    return org.attrs.get("company_code", "") if org else ""


def _determination_problems(
    customizing: Customizing,
    area: SalesAreaData,
    p: PartnerFunction,
    group: str,
    in_area: bool,
    company_codes: set[str],
) -> list[Problem]:
    """What partner determination says against partner `p` of `area` (see the module)."""
    seg, who, fn = area.segment_key, p.partner, p.partner_function
    out: list[Problem] = []
    rules = determination(customizing, group)
    if fn and not rules.allows(fn) and customizing.has(FUNCTIONS_LIST, fn):
        role, allowed = function_text(customizing, fn), function_texts(customizing, rules.allowed)
        out.append(
            Problem(
                KEY,
                seg,
                Text(
                    zh=f"合伙人 {who} 属于科目组 {group}，不能作为 {role.zh}；"
                    f"该科目组的客户只能作为：{allowed.zh}",
                    en=f"Partner {who} belongs to account group {group} and cannot take "
                    f"partner function {role.en}; customers of that group can only take: "
                    f"{allowed.en}",
                ),
            )
        )
    if not in_area:
        out.append(
            Problem(
                KEY,
                seg,
                Text(
                    zh=f"合伙人 {who} ({fn}) 在销售范围 {seg} 中不存在；请先将其扩展到该销售范围",
                    en=f"Partner {who} ({fn}) does not exist in sales area {seg}; extend it "
                    "to that sales area first",
                ),
            )
        )
    code = _company_code(customizing, area)
    if fn == PAYER and code and code not in company_codes:
        out.append(
            Problem(
                KEY,
                seg,
                Text(
                    zh=f"付款方 {who} 在公司代码 {code}（销售范围 {seg} 的公司代码）中没有"
                    "公司代码数据，不能作为付款方",
                    en=f"Payer {who} has no company-code data in company code {code} (that "
                    f"of sales area {seg}) and cannot be the payer",
                ),
            )
        )
    return out


def check_partners(
    uow_factory: UowFactory,
    own_number: str,
    partners: Iterable[tuple[SalesAreaData, PartnerFunction]],
) -> list[Problem]:
    """`partner_problems` in a unit of work of its own (the screens' check before a save)."""
    with uow_factory() as uow:
        return partner_problems(uow, own_number, partners)


def partner_problems(
    uow: UnitOfWork,
    own_number: str,
    partners: Iterable[tuple[SalesAreaData, PartnerFunction]],
) -> list[Problem]:
    """Errors and warnings for these partners of a customer (see the module); the customer
    itself as its own partner is never a problem."""
    wanted = [(a, p) for a, p in partners if p.partner and p.partner != own_number]
    if not wanted:
        return []
    numbers = sorted({p.partner for _, p in wanted})
    central = {
        r.kunnr: r
        for r in uow.session.execute(
            select(
                Kna1.kunnr, Kna1.ktokd, Kna1.aufsd, Kna1.lifsd, Kna1.faksd, Kna1.sperr, Kna1.loevm
            ).where(Kna1.kunnr.in_(numbers))
        )
    }
    per_area = {
        (r.kunnr, f"{r.vkorg}/{r.vtweg}/{r.spart}"): r
        for r in uow.session.execute(
            select(
                Knvv.kunnr,
                Knvv.vkorg,
                Knvv.vtweg,
                Knvv.spart,
                Knvv.aufsd,
                Knvv.lifsd,
                Knvv.faksd,
                Knvv.loevm,
            ).where(Knvv.kunnr.in_(numbers))
        )
    }
    company_codes: dict[str, set[str]] = {}
    for kunnr, bukrs in uow.session.execute(
        select(Knb1.kunnr, Knb1.bukrs).where(Knb1.kunnr.in_(numbers))
    ):
        company_codes.setdefault(kunnr, set()).add(bukrs)
    customizing = uow.customizing.load()
    reasons = {v.code: v.text for v in customizing.values("block_reasons")}

    def reason(code: str) -> Text:
        text = reasons.get(code)
        return Text(zh=f"{code} {text.zh}", en=f"{code} {text.en}") if text else Text(code, code)

    problems: list[Problem] = []
    for area, p in wanted:
        seg, who, fn = area.segment_key, p.partner, p.partner_function
        row = central.get(who)
        if row is None:
            problems.append(
                Problem(
                    KEY,
                    seg,
                    Text(
                        zh=f"合伙人 {who} ({fn}) 不存在", en=f"Partner {who} ({fn}) does not exist"
                    ),
                )
            )
            continue
        in_area = per_area.get((who, seg))
        if row.loevm or (in_area is not None and in_area.loevm):
            problems.append(
                Problem(
                    KEY,
                    seg,
                    Text(
                        zh=f"合伙人 {who} ({fn}) 已设置删除标记，不能再作为合伙人",
                        en=f"Partner {who} ({fn}) is flagged for deletion and cannot be a "
                        "partner any more",
                    ),
                )
            )
            continue
        errors = _determination_problems(
            customizing, area, p, row.ktokd, in_area is not None, company_codes.get(who, set())
        )
        order = row.aufsd or (in_area.aufsd if in_area is not None else "")
        if fn == PAYER and order:
            why = reason(order)
            errors.append(
                Problem(
                    KEY,
                    seg,
                    Text(
                        zh=f"付款方 {who} 有订单冻结（{why.zh}），不能作为付款方；请联系财务",
                        en=f"Payer {who} has an order block ({why.en}) and cannot be the "
                        "payer; contact finance",
                    ),
                )
            )
        if errors:
            problems += errors  # the warnings below would only add noise
            continue
        blocks: list[tuple[str, str, str]] = []
        for zh, en, code in (
            ("订单冻结", "order block", order),
            ("交货冻结", "delivery block", row.lifsd or (in_area.lifsd if in_area else "")),
            ("开票冻结", "billing block", row.faksd or (in_area.faksd if in_area else "")),
        ):
            if code:
                blocks.append((zh, en, code))
        if blocks or row.sperr:
            zh_parts = [f"{zh} {reason(code).zh}" for zh, _, code in blocks]
            en_parts = [f"{en} {reason(code).en}" for _, en, code in blocks]
            if row.sperr:
                zh_parts.append("记账冻结")
                en_parts.append("posting block")
            problems.append(
                Problem(
                    KEY,
                    seg,
                    Text(
                        zh=f"合伙人 {who} ({fn}) 已冻结：{'、'.join(zh_parts)}",
                        en=f"Partner {who} ({fn}) is blocked: {', '.join(en_parts)}",
                    ),
                    Severity.WARNING,
                )
            )
    return problems


def customer_partner_problems(
    uow: UnitOfWork, customer: Customer, segments: Iterable[str] | None = None
) -> list[Problem]:
    """`partner_problems` of the customer's sales areas (only those of `segments`, if given)."""
    keep = None if segments is None else set(segments)
    return partner_problems(
        uow,
        customer.general.number,
        (
            (a, p)
            for a in customer.sales_areas
            if keep is None or a.segment_key in keep
            for p in a.partners
        ),
    )


def reference_warnings(reference: Customer) -> list[Problem]:
    """A blocked or flagged reference customer: copying is allowed, the clerk is warned."""
    g, number = reference.general, reference.number
    marks_zh, marks_en = [], []
    if g.order_block or g.delivery_block or g.billing_block or g.posting_block:
        marks_zh.append("已冻结")
        marks_en.append("blocked")
    if g.deletion_flag:
        marks_zh.append("已设置删除标记")
        marks_en.append("flagged for deletion")
    if not marks_zh:
        return []
    return [
        Problem(
            "KNA1-KUNNR",
            "",
            Text(
                zh=f"参考客户 {number} {'、'.join(marks_zh)}；冻结和删除标记不会被复制",
                en=f"Reference customer {number} is {' and '.join(marks_en)}; blocks and "
                "flags are not copied",
            ),
            Severity.WARNING,
        )
    ]
