"""The printed request form (客户主数据维护申请表) of a maintenance request, Qt-free: its header
(number, type, status, requester, reason), the proposed data grouped as the process documents'
form groups them (the XD01 screens: address, control data, payment transactions, marketing;
per company code account management and payment; per sales area sales, shipping, billing,
partner functions) and the signature boxes (requester, reviewer, approver) with the names and
dates of the request's steps. ui.request_pdf draws it; the labels and code texts come from the
field catalog and the customizing, so a new catalog field is printed without a change here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from custmd_gui.catalog import Catalog, FieldDef, Text, catalog
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.requests import STATUS_TEXTS, TYPE_TEXTS, Action, Request, Step
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.domain.value_texts import ValueTexts
from custmd_gui.services.context import Actor
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.request_flow import load_request

TITLE = Text(zh="客户主数据维护申请表", en="Customer master data maintenance request")
# Child rows read best as one line each: the row's keys, then its values (税分类 CN MWST: 1).
_ONE_LINE_TABLES = frozenset({"KNVI", "KNVP"})
# The form's parts in the documents' order: (sheet id of domain.transfer.columns, heading of a
# record of it; {key} is the record's key, e.g. the company code).
_PARTS: tuple[tuple[str, str, Text], ...] = (
    ("general", "KNA1", Text(zh="一般数据", en="General data")),
    ("bank", "KNBK", Text(zh="一般数据", en="General data")),
    ("company_code", "KNB1", Text(zh="公司代码数据 {key}", en="Company code data {key}")),
    ("sales_area", "KNVV", Text(zh="销售范围数据 {key}", en="Sales area data {key}")),
)


@dataclass(frozen=True, slots=True)
class FormLine:
    key: str  # the field key (KNA1-NAME1), or a header's own name
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class FormSection:
    title: str  # 一般数据 · 地址
    lines: tuple[FormLine, ...]


@dataclass(frozen=True, slots=True)
class Signature:
    role: str  # 申请人
    name: str  # empty until the step is done
    at: str  # the step's date, YYYY-MM-DD


@dataclass(frozen=True, slots=True)
class RequestForm:
    lang: str
    title: str
    number: str
    header: tuple[FormLine, ...]
    sections: tuple[FormSection, ...]
    signatures: tuple[Signature, ...]
    printed_at: str
    labels: Mapping[str, str]  # the renderer's own words (page, printed at, signature, date)


_WORDS = {
    "number": Text(zh="申请编号", en="Request number"),
    "type": Text(zh="申请类型", en="Request type"),
    "status": Text(zh="状态", en="Status"),
    "customer": Text(zh="客户", en="Customer"),
    "target": Text(zh="扩展范围", en="Extension"),
    "requester": Text(zh="申请人", en="Requester"),
    "org_unit": Text(zh="组织单位", en="Org unit"),
    "created": Text(zh="申请日期", en="Filed on"),
    "reason": Text(zh="申请原因", en="Reason"),
    "attachments": Text(zh="附件", en="Attachments"),
    "reviewer": Text(zh="审核人", en="Reviewer"),
    "approver": Text(zh="批准人", en="Approver"),
    "signature": Text(zh="签名", en="Signature"),
    "date": Text(zh="日期", en="Date"),
    "page": Text(zh="第 {n} 页", en="Page {n}"),
    "printed": Text(zh="打印时间", en="Printed"),
    "new": Text(zh="（新客户）", en="(new customer)"),
    "colon": Text(zh="：", en=": "),
}


def _day(at: datetime) -> str:
    return f"{at.astimezone():%Y-%m-%d}"


def _last(steps: Sequence[Step], actions: Sequence[Action]) -> Step | None:
    found = [s for s in steps if s.action in actions]
    return found[-1] if found else None


def signatures(request: Request, names: Mapping[str, str], lang: str) -> tuple[Signature, ...]:
    """Requester: who submitted it (last submit or resubmit); reviewer: who took it up or
    returned it; approver: who approved it. A box stays empty until its step is done."""
    boxes = (
        ("requester", (Action.SUBMIT, Action.RESUBMIT)),
        ("reviewer", (Action.REVIEW, Action.RETURN)),
        ("approver", (Action.APPROVE,)),
    )
    out: list[Signature] = []
    for role, actions in boxes:
        step = _last(request.steps, actions)
        name = names.get(step.actor, step.actor) if step else ""
        out.append(Signature(_WORDS[role].get(lang), name, _day(step.at) if step else ""))
    return tuple(out)


def _header(request: Request, names: Mapping[str, str], lang: str) -> tuple[FormLine, ...]:
    w = {k: t.get(lang) for k, t in _WORDS.items()}
    customer = request.customer or request.document.general.number or w["new"]
    lines = [
        FormLine("number", w["number"], request.number),
        FormLine("type", w["type"], TYPE_TEXTS[request.type].get(lang)),
        FormLine("status", w["status"], STATUS_TEXTS[request.status].get(lang)),
        FormLine("customer", w["customer"], f"{customer} {request.document.general.name}"),
        FormLine("requester", w["requester"], names.get(request.requester, request.requester)),
        FormLine("org_unit", w["org_unit"], request.org_unit),
        FormLine("created", w["created"], _day(request.created_at)),
    ]
    if request.company_code or request.sales_area:
        lines.append(FormLine("target", w["target"], request.company_code or request.sales_area))
    if request.attachments:
        files = "、".join(a.name for a in request.attachments)
        lines.append(FormLine("attachments", w["attachments"], files))
    lines.append(FormLine("reason", w["reason"], request.reason))
    return tuple(lines)


def _record_key(sheet_id: str, row: Mapping[str, str]) -> str:
    if sheet_id == "company_code":
        return row.get("KNB1-BUKRS", "")
    if sheet_id == "sales_area":
        return "/".join(row.get(k, "") for k in cols.SALES_AREA_KEYS)
    return ""


def _own_fields(cat: Catalog, table: str) -> list[FieldDef]:
    # The customer's keys are in the header; a child row's parent keys are its record's.
    skip = set(cols.CUSTOMER_KEYS) if table != "KNA1" else set()
    return [fd for fd in cat.table(table) if fd.key not in skip]


def _screen_title(cat: Catalog, fd: FieldDef, lang: str) -> tuple[int, str]:
    screen_id = cat.groups[fd.field_group].screen
    order = list(cat.screens).index(screen_id)
    return order, cat.screens[screen_id].title.get(lang)


def sections(
    request: Request, customizing: Customizing, lang: str, cat: Catalog | None = None
) -> tuple[FormSection, ...]:
    """The proposed data, filled fields only, one section per record and XD01 screen."""
    cat = cat or catalog()
    texts = ValueTexts(customizing, cat)
    rows = cols.rows_of(request.document, cat)
    out: list[FormSection] = []

    def add(part: str, row: Mapping[str, str], table: str, extra: list[Mapping[str, str]]) -> None:
        # screen order -> (screen title, lines)
        by_screen: dict[int, tuple[str, list[FormLine]]] = {}
        for fd in _own_fields(cat, table):
            value = row.get(fd.key, "")
            order, title = _screen_title(cat, fd, lang)
            # A record's keys (company code, sales area) are in its section's title.
            if not value or (table != "KNA1" and cat.groups[fd.field_group].screen == "initial"):
                continue
            shown = _shown(texts, fd.key, value, row, lang)
            by_screen.setdefault(order, (title, []))[1].append(
                FormLine(fd.key, fd.label.get(lang), shown)
            )
        for child in extra:  # one line per row of KNVI / KNVP
            table_of = "KNVI" if "KNVI-ALAND" in child else "KNVP"
            fields = [fd for fd in cat.table(table_of) if child.get(fd.key)]
            if not fields:
                continue
            order, title = _screen_title(cat, fields[0], lang)
            keys = " ".join(child[fd.key] for fd in fields if fd.key_field)
            values = " ".join(
                _shown(texts, fd.key, child[fd.key], child, lang)
                for fd in fields
                if not fd.key_field
            )
            group = cat.groups[fields[0].field_group].label.get(lang)
            first = _shown(texts, fields[0].key, child[fields[0].key], child, lang)
            # A partner function reads by its text (AG 售达方) under 合伙人功能; a tax
            # classification by its country and tax type (税分类 CN MWST) under 开票凭证.
            label = first if table_of == "KNVP" else f"{group} {keys}"
            by_screen.setdefault(order, (title, []))[1].append(
                FormLine(fields[0].key, label, values)
            )
        for order in sorted(by_screen):
            title, lines = by_screen[order]
            out.append(FormSection(f"{part} · {title}", tuple(lines)))

    for sid, table, heading in _PARTS:
        for row in rows.get(sid, []):
            key = _record_key(sid, row)
            children: list[Mapping[str, str]] = []
            if sid == "sales_area":
                area = tuple(row.get(k, "") for k in cols.SALES_AREA_KEYS)
                children = [
                    c
                    for c in rows.get("tax", []) + rows.get("partner", [])
                    if tuple(c.get(k, "") for k in cols.SALES_AREA_KEYS) == area
                ]
            add(heading.get(lang).format(key=key), row, table, children)
    return _merge_same_titles(out)


def _shown(texts: ValueTexts, key: str, value: str, row: Mapping[str, str], lang: str) -> str:
    """A value with its code's text; a code that is its own text (标题 公司) once."""
    found = texts.text(key, value, row)
    if found.text is not None and found.text.get(lang) == value:
        return value
    return found.get(lang)


def _merge_same_titles(found: list[FormSection]) -> tuple[FormSection, ...]:
    """Bank rows (支付交易) join one section; a second bank's lines follow the first's."""
    merged: dict[str, list[FormLine]] = {}
    for s in found:
        merged.setdefault(s.title, []).extend(s.lines)
    return tuple(FormSection(t, tuple(lines)) for t, lines in merged.items())


def build_form(
    request: Request,
    customizing: Customizing,
    *,
    lang: str = "zh",
    names: Mapping[str, str] | None = None,
    printed_at: datetime | None = None,
) -> RequestForm:
    names = names or {}
    printed = printed_at or datetime.now().astimezone()
    return RequestForm(
        lang=lang,
        title=TITLE.get(lang),
        number=request.number,
        header=_header(request, names, lang),
        sections=sections(request, customizing, lang),
        signatures=signatures(request, names, lang),
        printed_at=f"{printed.astimezone():%Y-%m-%d %H:%M}",
        labels={k: t.get(lang) for k, t in _WORDS.items()},
    )


def request_form(
    uow_factory: UowFactory, actor: Actor, number: str, *, lang: str = "zh"
) -> RequestForm:
    """The form of request `number` for whoever may see the request, the signers named by
    their display names in the users' archive (their user names where none is stored)."""
    with uow_factory() as uow:
        request = load_request(uow, actor, number)
        customizing = uow.customizing.load()
        names: dict[str, str] = {}
        for user in {request.requester, *(s.actor for s in request.steps)}:
            record = uow.users.get(user)
            if record is not None and record.display_name:
                names[user] = record.display_name
    return build_form(request, customizing, lang=lang, names=names)
