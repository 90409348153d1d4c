"""Transport of customizing between databases: export a selection to a YAML file in the
format of resources/customizing, import such a file with a preview of what it changes.

A list in the file is the whole list: values the database has and the file lacks are
removed, which is refused (naming the customers) for a code customers hold. Number-range
intervals and account groups in the file are added or changed (an interval keeps its level
and cannot shrink below its use); those the file lacks stay. An account group's field status
is the file's. Everything is written in one transaction through the maintenance store, so it
leaves change documents like any other maintenance, or nothing at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from sqlalchemy import select

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain.customizing import (
    Customizing,
    CustomizingError,
    parse_account_groups,
    parse_lists,
)
from custmd_gui.domain.errors import DomainError, Problem
from custmd_gui.persistence.customizing_store import CustomizingStore
from custmd_gui.persistence.tables import (
    AccountGroupRow,
    CodeListRow,
    CodeValueRow,
    FieldStatusRow,
    NumberRangeRow,
)
from custmd_gui.services.context import Actor
from custmd_gui.services.customizing_maintenance import (
    IntervalEntry,
    check_consistency,
    check_interval_use,
    in_use_error,
    interval_problems,
    require_admin,
    usage_of,
)
from custmd_gui.services.ports import UowFactory

HEADER = "# custmd customizing transport (format of resources/customizing)\n"


def _problem(zh: str, en: str, key: str = "CUSTOMIZING") -> DomainError:
    return DomainError([Problem(key, "", Text(zh=zh, en=en))])


# --- export ------------------------------------------------------------------------------------


def customizing_document(
    cust: Customizing, lists: Iterable[str] | None = None, structure: bool = True
) -> dict[str, Any]:
    """The customizing (the lists named, all if None; with `structure` the number ranges and
    account groups) as a resources/customizing document."""
    wanted = sorted(cust.lists) if lists is None else sorted(set(lists))
    unknown = [lst for lst in wanted if lst not in cust.lists]
    if unknown:
        raise _problem(
            f"代码表不存在：{', '.join(unknown)}", f"No such lists: {', '.join(unknown)}"
        )
    doc: dict[str, Any] = {"lists": {}}
    for list_id in wanted:
        lst = cust.lists[list_id]
        values = []
        for v in lst.values.values():
            entry: dict[str, Any] = {"code": v.code}
            if v.parent:
                entry["parent"] = v.parent
            entry |= {"zh": v.text.zh, "en": v.text.en}
            if v.attrs:
                entry["attrs"] = dict(sorted(v.attrs.items()))
            if v.source:
                entry["source"] = v.source
            if not v.active:
                entry["active"] = False
            values.append(entry)
        doc["lists"][list_id] = {
            "label": {"zh": lst.label.zh, "en": lst.label.en},
            "parent": lst.parent,
            "values": values,
        }
    if structure:
        doc["number_ranges"] = {
            r.id: {"kind": r.kind, "from": r.from_number, "to": r.to_number}
            | ({"rule": r.rule} if r.rule else {})
            | {"zh": r.text.zh, "en": r.text.en}
            for r in sorted(cust.number_ranges.values(), key=lambda r: r.id)
        }
        # Each group's stored status, per activity, as a variant of its own.
        doc["field_status_variants"] = {}
        doc["account_groups"] = {}
        for g in sorted(cust.account_groups.values(), key=lambda g: g.code):
            activities: dict[str, dict[str, str]] = {}
            for (fg, act), status in sorted(g.statuses.items()):
                activities.setdefault(act, {})[fg] = status.value
            doc["field_status_variants"][g.code] = {"activities": activities}
            doc["account_groups"][g.code] = {
                "zh": g.text.zh,
                "en": g.text.en,
                "number_range": g.number_range,
                "reconciliation_account": g.reconciliation_account,
                "variant": g.code,
            }
    return doc


def export_customizing(
    uow_factory: UowFactory,
    actor: Actor,
    lists: Iterable[str] | None = None,
    structure: bool = True,
) -> str:
    """The selection as YAML text (write it to a file)."""
    require_admin(actor)
    with uow_factory() as uow:
        cust = uow.customizing.load()
    document = customizing_document(cust, lists, structure)
    return HEADER + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


# --- import ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedChange:
    indicator: str  # I insert, U update, D delete
    table: str
    key: str
    detail: str = ""

    def line(self) -> str:
        return f"{self.indicator} {self.table} {self.key}" + (
            f"  {self.detail}" if self.detail else ""
        )


@dataclass
class ImportPlan:
    changes: list[PlannedChange] = field(default_factory=list)
    applied: bool = False

    def summary(self, lang: str = "zh") -> str:
        counts = {i: sum(c.indicator == i for c in self.changes) for i in "IUD"}
        if lang.startswith("en"):
            state = "imported" if self.applied else "preview, nothing written"
            return f"{counts['I']} new, {counts['U']} changed, {counts['D']} removed ({state})"
        state = "已导入" if self.applied else "预览，未写入"
        return f"新增 {counts['I']}，更改 {counts['U']}，删除 {counts['D']}（{state}）"


@dataclass(frozen=True, slots=True)
class _Parsed:
    lists: dict[str, Any]
    ranges: dict[str, Any]
    groups: dict[str, Any]


def parse_transport(text: str) -> _Parsed:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise _problem(f"文件不是有效的 YAML：{exc}", f"Not a valid YAML file: {exc}") from exc
    if not isinstance(data, dict):
        raise _problem("文件顶层必须是映射", "The file must hold a mapping at the top")
    try:
        lists = parse_lists([{"lists": data.get("lists") or {}}])
        ranges, groups = parse_account_groups(data, catalog().groups)
    except (CustomizingError, AttributeError, TypeError) as exc:
        raise _problem(f"定制文件有误：{exc}", f"The customizing file is wrong: {exc}") from exc
    return _Parsed(lists, ranges, groups)


def _attrs(values: Mapping[str, str]) -> str:
    return json.dumps(dict(values), ensure_ascii=False, sort_keys=True)


def import_customizing(
    uow_factory: UowFactory, actor: Actor, text: str, *, dry_run: bool = False
) -> ImportPlan:
    """Bring the database's customizing to what the file holds (see the module); with
    `dry_run` only the plan. Refused as a whole when a code customers hold would vanish."""
    require_admin(actor)
    parsed = parse_transport(text)
    plan = ImportPlan()
    with uow_factory(write=not dry_run) as uow:
        have = uow.customizing.load()
        store = CustomizingStore(uow.session)
        store.acting_as(actor.user)
        refusals: list[Problem] = []
        for list_id, lst in sorted(parsed.lists.items()):
            if lst.parent and lst.parent not in parsed.lists and lst.parent not in have.lists:
                raise _problem(
                    f"代码表 {list_id} 的上级代码表 {lst.parent} 不存在",
                    f"List {list_id}: parent list {lst.parent} is unknown",
                )
            stored = have.lists.get(list_id)
            if stored is None:
                plan.changes.append(PlannedChange("I", "cust_list", list_id))
            elif (stored.label, stored.parent) != (lst.label, lst.parent):
                plan.changes.append(PlannedChange("U", "cust_list", list_id))
            for key, old in sorted((stored.values if stored else {}).items()):
                if key not in lst.values:
                    usage = usage_of(uow, list_id, old.code, old.parent)
                    if usage.in_use:
                        refusals += in_use_error(
                            f"{list_id}-CODE", f"代码表 {list_id} 的代码 {old.code}", usage
                        ).problems
                    plan.changes.append(PlannedChange("D", "cust_value", f"{list_id}:{old.code}"))
            for key, v in lst.values.items():
                old_v = stored.values.get(key) if stored else None
                if old_v is None:
                    plan.changes.append(
                        PlannedChange("I", "cust_value", f"{list_id}:{v.code}", v.text.zh)
                    )
                elif (old_v.text, dict(old_v.attrs), old_v.active, old_v.source) != (
                    v.text,
                    dict(v.attrs),
                    v.active,
                    v.source,
                ):
                    plan.changes.append(
                        PlannedChange("U", "cust_value", f"{list_id}:{v.code}", v.text.zh)
                    )
        for rid, r in sorted(parsed.ranges.items()):
            entry = IntervalEntry(
                rid, r.kind, r.from_number, r.to_number, r.text.zh, r.text.en, r.rule or ""
            )
            problems = interval_problems(entry)
            if problems:
                raise DomainError(problems)
            old_r = have.number_ranges.get(rid)
            if old_r is None:
                plan.changes.append(PlannedChange("I", "nriv", rid))
            elif old_r != r:
                row = uow.session.scalars(
                    select(NumberRangeRow).where(NumberRangeRow.nrrangenr == rid)
                ).one()
                check_interval_use(uow, row, entry)
                plan.changes.append(PlannedChange("U", "nriv", rid))
        for code, g in sorted(parsed.groups.items()):
            old_g = have.account_groups.get(code)
            if old_g is None:
                plan.changes.append(PlannedChange("I", "cust_ktokd", code, g.text.zh))
            elif old_g != g:
                plan.changes.append(PlannedChange("U", "cust_ktokd", code, g.text.zh))
        if refusals:
            raise DomainError(refusals)
        if dry_run:
            return plan
        _apply(store, parsed, have)
        check_consistency(uow)
        uow.commit()
    plan.applied = True
    return plan


def _apply(store: CustomizingStore, parsed: _Parsed, have: Customizing) -> None:
    for list_id, lst in sorted(parsed.lists.items()):
        store.put(
            CodeListRow,
            {
                "list_id": list_id,
                "parent_list": lst.parent or "",
                "label_zh": lst.label.zh,
                "label_en": lst.label.en,
            },
        )
    for list_id, lst in sorted(parsed.lists.items()):
        stored = have.lists.get(list_id)
        for key, old in (stored.values if stored else {}).items():
            if key not in lst.values:
                store.remove(
                    CodeValueRow, {"list_id": list_id, "parent": old.parent, "code": old.code}
                )
        for sort, v in enumerate(lst.values.values()):
            store.put(
                CodeValueRow,
                {
                    "list_id": list_id,
                    "parent": v.parent,
                    "code": v.code,
                    "text_zh": v.text.zh,
                    "text_en": v.text.en,
                    "attrs": _attrs(v.attrs),
                    "source": v.source,
                    "sort": sort,
                    "active": v.active,
                },
            )
    for rid, r in sorted(parsed.ranges.items()):
        values: dict[str, Any] = {
            "nrrangenr": rid,
            "kind": r.kind,
            "fromnumber": r.from_number,
            "tonumber": r.to_number,
            "rule": r.rule or "",
            "text_zh": r.text.zh,
            "text_en": r.text.en,
        }
        if rid not in have.number_ranges:
            values["nrlevel"] = int(r.from_number) - 1
        store.put(NumberRangeRow, values)
    for code, g in sorted(parsed.groups.items()):
        store.put(
            AccountGroupRow,
            {
                "ktokd": code,
                "text_zh": g.text.zh,
                "text_en": g.text.en,
                "nrrangenr": g.number_range,
                "akont": g.reconciliation_account,
            },
        )
        old_group = have.account_groups.get(code)
        gone = set(old_group.statuses) - set(g.statuses) if old_group else set()
        for fg, act in sorted(gone):
            store.remove(FieldStatusRow, {"ktokd": code, "field_group": fg, "activity": act})
        for (fg, act), status in sorted(g.statuses.items()):
            store.put(
                FieldStatusRow,
                {"ktokd": code, "field_group": fg, "activity": act, "status": status.value},
            )
