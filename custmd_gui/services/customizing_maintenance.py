"""The administrator's maintenance of the customizing (系统 → 定制): code lists, number-range
intervals, account groups and their field status, the change documents of all of it.

Every use case needs Permission.ADMIN (on PostgreSQL the grants of migration 0008 refuse the
customizing tables' writes to everyone else as well). Every write goes through
persistence.customizing_store, which leaves the change documents. A code that customers hold
cannot be deleted (deactivate it instead); the refusal names how many and the first numbers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select

from custmd_gui.catalog import FieldDef, Text, catalog
from custmd_gui.domain.authorization import Permission
from custmd_gui.domain.customizing import Customizing, CustomizingError
from custmd_gui.domain.errors import DomainError, Problem
from custmd_gui.domain.field_status import Activity, FieldStatus
from custmd_gui.domain.proposals import field_proposals
from custmd_gui.persistence.customizing_store import ChangeLine, CustomizingStore, Usage
from custmd_gui.persistence.tables import (
    AccountGroupRow,
    CodeValueRow,
    FieldStatusRow,
    Kna1,
    NumberRangeRow,
)
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.authorization import authorize
from custmd_gui.services.context import Actor
from custmd_gui.services.ports import UowFactory

ACCOUNT_GROUPS = "account_groups"  # the code list that mirrors cust_ktokd (KNA1-KTOKD's F4)
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_/.+-]*")
RULES = ("", "sd02")


def _error(key: str, zh: str, en: str) -> DomainError:
    return DomainError([Problem(key, "", Text(zh=zh, en=en))])


def require_admin(actor: Actor) -> None:
    authorize(actor, Permission.ADMIN)


def check_consistency(uow: UnitOfWork) -> None:
    """The checks the shipped files pass at loading, on the customizing as now written (in the
    open transaction): a field proposal naming an unknown field, a value outside its list or
    an unknown scope code is refused before it is committed."""
    try:
        field_proposals(uow.customizing.load(), catalog())
    except CustomizingError as exc:
        raise _error("field_proposals-ATTRS", f"字段建议值有误：{exc}", str(exc)) from exc


def fields_of_list(list_id: str) -> list[FieldDef]:
    """The catalog fields whose value help is the list (what the generic editor is for)."""
    return [f for f in catalog() if f.value_help == list_id]


def _usage_columns(
    cust: Customizing, list_id: str, code: str, parent: str
) -> list[tuple[str, dict[str, str]]]:
    """Where a customer holds the code: (table, {column: value}) per catalog field."""
    out: list[tuple[str, dict[str, str]]] = []
    for fd in fields_of_list(list_id):
        match = {fd.key.split("-", 1)[1].lower(): code}
        if fd.value_help_parent:
            match[fd.value_help_parent.split("-", 1)[1].lower()] = parent
        out.append((fd.table.lower(), match))
    if list_id == "sales_areas":  # held as the three keys of a sales area
        parts = code.split("/")
        if len(parts) == 3:
            out.append(("knvv", dict(zip(("vkorg", "vtweg", "spart"), parts, strict=True))))
    return out


def usage_of(uow: UnitOfWork, list_id: str, code: str, parent: str = "") -> Usage:
    cust = uow.customizing.load()
    return CustomizingStore(uow.session).usage(_usage_columns(cust, list_id, code, parent))


def in_use_error(key: str, what: str, usage: Usage) -> DomainError:
    numbers = "、".join(usage.numbers)
    more = " …" if usage.count > len(usage.numbers) else ""
    fields = ", ".join(usage.fields)
    return _error(
        key,
        f"{what} 正在被 {usage.count} 个客户使用（{numbers}{more}；字段 {fields}），不能删除；"
        "可以停用",
        f"{what} is used by {usage.count} customers ({', '.join(usage.numbers)}{more}; "
        f"fields {fields}) and cannot be deleted; deactivate it instead",
    )


def code_usage(
    uow_factory: UowFactory, actor: Actor, list_id: str, code: str, parent: str = ""
) -> Usage:
    require_admin(actor)
    with uow_factory() as uow:
        return usage_of(uow, list_id, code, parent)


def read_for_maintenance(
    uow_factory: UowFactory, actor: Actor
) -> tuple[Customizing, dict[str, int]]:
    """The whole customizing (deactivated values too) and each number range's level."""
    require_admin(actor)
    with uow_factory() as uow:
        rows = uow.session.execute(select(NumberRangeRow.nrrangenr, NumberRangeRow.nrlevel))
        levels = {str(rid): int(level) for rid, level in rows}
        return uow.customizing.load(), levels


# --- code lists ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodeEntry:
    """A value of a code list as the editor sends it."""

    code: str
    text_zh: str
    text_en: str
    parent: str = ""
    attrs: Mapping[str, str] | None = None  # None: keep the stored attributes
    active: bool = True


def _check_entry(cust: Customizing, list_id: str, entry: CodeEntry) -> list[Problem]:
    key = f"{list_id}-CODE"
    problems: list[Problem] = []

    def p(field: str, zh: str, en: str) -> None:
        problems.append(Problem(f"{list_id}-{field}", "", Text(zh=zh, en=en)))

    lst = cust.lists.get(list_id)
    if lst is None:
        raise _error(key, f"代码表 {list_id} 不存在", f"No code list {list_id}")
    lengths = [f.length for f in fields_of_list(list_id)] + [20]
    if not CODE.fullmatch(entry.code):
        p(
            "CODE",
            f"代码 {entry.code!r} 无效：字母、数字开头，不含空格",
            f"Invalid code {entry.code!r}: a letter or digit first, no blanks",
        )
    elif len(entry.code) > min(lengths):
        p(
            "CODE",
            f"代码 {entry.code} 太长：最多 {min(lengths)} 个字符",
            f"Code {entry.code} is too long: at most {min(lengths)} characters",
        )
    if lst.parent and not cust.has(lst.parent, entry.parent):
        p(
            "PARENT",
            f"上级代码 {entry.parent!r} 不在代码表 {lst.parent} 中",
            f"Parent {entry.parent!r} is not a code of list {lst.parent}",
        )
    if not lst.parent and entry.parent:
        p("PARENT", "此代码表没有上级代码", "This list has no parent codes")
    if not entry.text_zh.strip():
        p("TEXT_ZH", "中文文本不能为空", "The Chinese text is required")
    for field, value in (("TEXT_ZH", entry.text_zh), ("TEXT_EN", entry.text_en)):
        if len(value) > 80:
            p(field, "文本太长：最多 80 个字符", "Text too long: at most 80 characters")
    return problems


def save_code(uow_factory: UowFactory, actor: Actor, list_id: str, entry: CodeEntry) -> bool:
    """Add a value to a list or change its texts, attributes, active flag; True if changed."""
    require_admin(actor)
    if list_id == ACCOUNT_GROUPS:
        raise _error(
            f"{list_id}-CODE",
            "科目组在“科目组”页维护",
            "Account groups are maintained on their own page",
        )
    with uow_factory(write=True) as uow:
        cust = uow.customizing.load()
        problems = _check_entry(cust, list_id, entry)
        if problems:
            raise DomainError(problems)
        store = CustomizingStore(uow.session)
        store.acting_as(actor.user)
        changed = _put_code(uow, store, list_id, entry, cust)
        check_consistency(uow)
        uow.commit()
        return changed


def _put_code(
    uow: UnitOfWork,
    store: CustomizingStore,
    list_id: str,
    entry: CodeEntry,
    cust: Customizing,
) -> bool:
    values: dict[str, object] = {
        "list_id": list_id,
        "parent": entry.parent,
        "code": entry.code,
        "text_zh": entry.text_zh.strip(),
        "text_en": entry.text_en.strip(),
        "active": entry.active,
    }
    if entry.attrs is not None:
        values["attrs"] = json.dumps(dict(entry.attrs), ensure_ascii=False, sort_keys=True)
    if cust.value(list_id, entry.code, entry.parent) is None:
        values.setdefault("attrs", "{}")
        values["source"] = "custom"
        last = uow.session.scalar(
            select(func.max(CodeValueRow.sort)).where(CodeValueRow.list_id == list_id)
        )
        values["sort"] = (last or 0) + 1
    return store.put(CodeValueRow, values)


def delete_code(
    uow_factory: UowFactory, actor: Actor, list_id: str, code: str, parent: str = ""
) -> None:
    """Remove an unused value; a value customers hold is refused, naming them."""
    require_admin(actor)
    with uow_factory(write=True) as uow:
        usage = usage_of(uow, list_id, code, parent)
        if usage.in_use:
            raise in_use_error(f"{list_id}-CODE", f"代码 {code}", usage)
        store = CustomizingStore(uow.session)
        store.acting_as(actor.user)
        store.remove(CodeValueRow, {"list_id": list_id, "parent": parent, "code": code})
        check_consistency(uow)
        uow.commit()


# --- number ranges ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IntervalEntry:
    range_id: str
    kind: str  # internal / external
    from_number: str
    to_number: str
    text_zh: str
    text_en: str
    rule: str = ""


def interval_problems(entry: IntervalEntry) -> list[Problem]:
    out: list[Problem] = []

    def p(field: str, zh: str, en: str) -> None:
        out.append(Problem(f"NRIV-{field}", "", Text(zh=zh, en=en)))

    if not re.fullmatch(r"[0-9A-Z]{2}", entry.range_id):
        p(
            "NRRANGENR",
            "号码段编号必须是两位数字或大写字母",
            "The interval id is two digits or letters",
        )
    if entry.kind not in ("internal", "external"):
        p("KIND", "类型必须是内部或外部", "The kind is internal or external")
    lo, hi = entry.from_number, entry.to_number
    if not (lo.isdigit() and hi.isdigit() and lo.isascii() and hi.isascii()):
        p("FROMNUMBER", "起止号码必须是数字", "From and to must be numbers")
    elif len(lo) != len(hi) or len(lo) > 10 or int(lo) > int(hi):
        p(
            "TONUMBER",
            "起止号码位数必须相同（最多 10 位），且起始号码不大于结束号码",
            "From and to need the same number of digits (at most 10), from <= to",
        )
    if entry.rule not in RULES:
        p("RULE", f"外部规则 {entry.rule!r} 未知（可用：sd02）", f"Unknown rule {entry.rule!r}")
    if not entry.text_zh.strip():
        p("TEXT_ZH", "中文文本不能为空", "The Chinese text is required")
    return out


def save_interval(uow_factory: UowFactory, actor: Actor, entry: IntervalEntry) -> bool:
    """Add a number-range interval or change one. An interval in use keeps the numbers it
    has handed out and the customers it holds: it cannot shrink below them."""
    require_admin(actor)
    problems = interval_problems(entry)
    if problems:
        raise DomainError(problems)
    lo, hi = int(entry.from_number), int(entry.to_number)
    with uow_factory(write=True) as uow:
        s = uow.session
        for other in s.scalars(
            select(NumberRangeRow).where(NumberRangeRow.nrrangenr != entry.range_id)
        ):
            if (
                len(other.fromnumber) == len(entry.from_number)
                and lo <= int(other.tonumber)
                and int(other.fromnumber) <= hi
            ):
                raise _error(
                    "NRIV-FROMNUMBER",
                    f"号码段与号码段 {other.nrrangenr} 重叠",
                    f"The interval overlaps interval {other.nrrangenr}",
                )
        stored = s.scalars(
            select(NumberRangeRow).where(NumberRangeRow.nrrangenr == entry.range_id)
        ).one_or_none()
        values: dict[str, object] = {
            "nrrangenr": entry.range_id,
            "kind": entry.kind,
            "fromnumber": entry.from_number,
            "tonumber": entry.to_number,
            "rule": entry.rule,
            "text_zh": entry.text_zh.strip(),
            "text_en": entry.text_en.strip(),
        }
        if stored is None:
            values["nrlevel"] = lo - 1
        else:
            check_interval_use(uow, stored, entry)
            if stored.nrlevel < lo - 1:
                values["nrlevel"] = lo - 1
        store = CustomizingStore(s)
        store.acting_as(actor.user)
        changed = store.put(NumberRangeRow, values)
        uow.commit()
        return changed


def check_interval_use(uow: UnitOfWork, stored: NumberRangeRow, entry: IntervalEntry) -> None:
    s = uow.session
    groups = list(
        s.scalars(
            select(AccountGroupRow.ktokd).where(AccountGroupRow.nrrangenr == stored.nrrangenr)
        )
    )
    low_high = (
        s.execute(
            select(func.min(Kna1.kunnr), func.max(Kna1.kunnr)).where(Kna1.ktokd.in_(groups))
        ).one()
        if groups
        else (None, None)
    )
    used_from = [int(n) for n in low_high if n and n.isdigit()]
    if stored.kind == "internal" and stored.nrlevel >= int(stored.fromnumber):
        used_from += [int(stored.fromnumber), stored.nrlevel]
    if not used_from:
        return
    if len(entry.from_number) != len(stored.fromnumber):
        raise _error(
            "NRIV-FROMNUMBER",
            "号码段已在使用，位数不能更改",
            "The interval is in use: its number of digits cannot change",
        )
    if int(entry.from_number) > min(used_from) or int(entry.to_number) < max(used_from):
        raise _error(
            "NRIV-TONUMBER",
            f"号码段已用到 {min(used_from)}–{max(used_from)}（当前号码 {stored.nrlevel}），"
            "不能缩小到此范围以内",
            f"The interval is in use from {min(used_from)} to {max(used_from)} "
            f"(level {stored.nrlevel}) and cannot shrink below that",
        )


# --- account groups and field status ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountGroupEntry:
    code: str
    text_zh: str
    text_en: str
    number_range: str
    reconciliation_account: str = ""
    copy_statuses_from: str = ""  # a new group starts with this group's field status


def save_account_group(uow_factory: UowFactory, actor: Actor, entry: AccountGroupEntry) -> bool:
    require_admin(actor)
    if not re.fullmatch(r"[0-9A-Z]{1,4}", entry.code):
        raise _error(
            "KNA1-KTOKD",
            "科目组代码为 1 到 4 位数字或大写字母",
            "An account group is 1 to 4 digits or capital letters",
        )
    if not entry.text_zh.strip():
        raise _error("KNA1-KTOKD", "中文文本不能为空", "The Chinese text is required")
    with uow_factory(write=True) as uow:
        cust = uow.customizing.load()
        if entry.number_range not in cust.number_ranges:
            raise _error(
                "NRIV-NRRANGENR",
                f"号码段 {entry.number_range} 不存在",
                f"No number-range interval {entry.number_range}",
            )
        if entry.reconciliation_account and not cust.has(
            "reconciliation_accounts", entry.reconciliation_account
        ):
            raise _error(
                "KNB1-AKONT",
                f"统驭科目 {entry.reconciliation_account} 不在定制中",
                f"Reconciliation account {entry.reconciliation_account} is unknown",
            )
        new = entry.code not in cust.account_groups
        source = cust.account_groups.get(entry.copy_statuses_from)
        if new and entry.copy_statuses_from and source is None:
            raise _error(
                "KNA1-KTOKD",
                f"科目组 {entry.copy_statuses_from} 不存在",
                f"No account group {entry.copy_statuses_from}",
            )
        store = CustomizingStore(uow.session)
        store.acting_as(actor.user)
        changed = store.put(
            AccountGroupRow,
            {
                "ktokd": entry.code,
                "text_zh": entry.text_zh.strip(),
                "text_en": entry.text_en.strip(),
                "nrrangenr": entry.number_range,
                "akont": entry.reconciliation_account,
            },
        )
        # The account groups' code list (KNA1-KTOKD's value help) follows the group.
        mirror = CodeEntry(entry.code, entry.text_zh, entry.text_en, attrs=None)
        changed |= _put_code(uow, store, ACCOUNT_GROUPS, mirror, cust)
        if new and source is not None:
            for (group, activity), status in sorted(source.statuses.items()):
                store.put(
                    FieldStatusRow,
                    {
                        "ktokd": entry.code,
                        "field_group": group,
                        "activity": activity,
                        "status": status.value,
                    },
                )
        uow.commit()
        return changed


def set_field_status(
    uow_factory: UowFactory,
    actor: Actor,
    account_group: str,
    statuses: Mapping[tuple[str, str], FieldStatus],
) -> int:
    """Set the status of (field group, activity) pairs of an account group; the rows changed."""
    require_admin(actor)
    known = set(catalog().groups)
    activities = {a.value for a in Activity}
    for group, activity in statuses:
        if group not in known or activity not in activities:
            raise _error(
                "CUST_FIELD_STATUS",
                f"字段组 {group} / 活动 {activity} 未知",
                f"Unknown field group {group} / activity {activity}",
            )
    with uow_factory(write=True) as uow:
        if account_group not in uow.customizing.load().account_groups:
            raise _error(
                "KNA1-KTOKD", f"科目组 {account_group} 不存在", f"No account group {account_group}"
            )
        store = CustomizingStore(uow.session)
        store.acting_as(actor.user)
        changed = sum(
            store.put(
                FieldStatusRow,
                {
                    "ktokd": account_group,
                    "field_group": group,
                    "activity": activity,
                    "status": status.value,
                },
            )
            for (group, activity), status in sorted(statuses.items())
        )
        uow.commit()
        return changed


# --- change documents ------------------------------------------------------------------------


def customizing_changes(
    uow_factory: UowFactory,
    actor: Actor,
    table: str | None = None,
    key_prefix: str | None = None,
    limit: int = 1000,
) -> list[ChangeLine]:
    require_admin(actor)
    with uow_factory() as uow:
        return CustomizingStore(uow.session).changes(table, key_prefix, limit)


def customizing_version(uow_factory: UowFactory) -> int:
    """The counter every customizing change raises (anyone may read it)."""
    with uow_factory() as uow:
        return CustomizingStore(uow.session).version()


def lists_for_editor(cust: Customizing) -> list[str]:
    """The code lists of the generic editor: those a catalog field's value help names first
    (in catalog order), then the other lists (sales areas, partner determination, proposals);
    the account groups' list has its own page."""
    named: list[str] = []
    for fd in catalog():
        if fd.value_help and fd.value_help not in named and fd.value_help in cust.lists:
            named.append(fd.value_help)
    rest = sorted(set(cust.lists) - set(named))
    return [lst for lst in named + rest if lst != ACCOUNT_GROUPS]
