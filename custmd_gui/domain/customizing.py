"""Customizing: code lists, number ranges and account groups with their field status."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from custmd_gui.catalog import Text
from custmd_gui.domain.field_status import Activity, FieldStatus, activity_status, combine


class CustomizingError(ValueError):
    """A customizing document is inconsistent; the message names the entry."""


@dataclass(frozen=True, slots=True)
class CodeValue:
    list_id: str
    code: str
    text: Text
    parent: str = ""
    attrs: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    # Deactivated in the customizing maintenance: no longer offered (value helps, choices),
    # still known, so that customers holding it keep a valid code with its text.
    active: bool = True


@dataclass(frozen=True, slots=True)
class CodeList:
    id: str
    label: Text
    parent: str | None
    values: dict[tuple[str, str], CodeValue]

    def get(self, code: str, parent: str = "") -> CodeValue | None:
        return self.values.get((parent if self.parent else "", code))


@dataclass(frozen=True, slots=True)
class NumberRange:
    id: str
    kind: str  # "internal" or "external"
    from_number: str
    to_number: str
    text: Text
    rule: str | None = None

    @property
    def internal(self) -> bool:
        return self.kind == "internal"

    def contains(self, number: str) -> bool:
        if not (number.isascii() and number.isdigit()) or len(number) != len(self.from_number):
            return False
        return int(self.from_number) <= int(number) <= int(self.to_number)


@dataclass(frozen=True, slots=True)
class AccountGroup:
    code: str
    text: Text
    number_range: str
    reconciliation_account: str
    # (field group, activity) -> status as the account group sets it; absent = optional
    statuses: Mapping[tuple[str, str], FieldStatus]

    def field_status(self, field_group: str, activity: Activity) -> FieldStatus:
        own = self.statuses.get((field_group, activity.value), FieldStatus.OPTIONAL)
        return combine(own, activity_status(activity))


@dataclass
class Customizing:
    lists: dict[str, CodeList]
    number_ranges: dict[str, NumberRange]
    account_groups: dict[str, AccountGroup]

    def has(self, list_id: str, code: str, parent: str = "") -> bool:
        lst = self.lists.get(list_id)
        return lst is not None and lst.get(code, parent) is not None

    def value(self, list_id: str, code: str, parent: str = "") -> CodeValue | None:
        lst = self.lists.get(list_id)
        return lst.get(code, parent) if lst else None

    def values(
        self, list_id: str, parent: str | None = None, *, inactive: bool = False
    ) -> list[CodeValue]:
        """The values of a list (under `parent`), the deactivated ones only with `inactive`."""
        lst = self.lists.get(list_id)
        if lst is None:
            return []
        return [
            v
            for v in lst.values.values()
            if (parent is None or v.parent == parent) and (inactive or v.active)
        ]

    def account_group(self, code: str) -> AccountGroup | None:
        return self.account_groups.get(code)

    def number_range_of(self, account_group: str) -> NumberRange | None:
        group = self.account_groups.get(account_group)
        return self.number_ranges.get(group.number_range) if group else None


# ---------------------------------------------------------------------------------------------
# Reading the shipped documents (already parsed YAML) into customizing objects.

_ACTIVITIES = tuple(a.value for a in Activity)


def _text(entry: Mapping[str, Any], where: str) -> Text:
    zh, en = entry.get("zh"), entry.get("en")
    if not isinstance(zh, str) or not isinstance(en, str):
        raise CustomizingError(f"{where}: zh and en texts are required")
    return Text(zh=zh, en=en)


def _status(value: Any, where: str) -> FieldStatus:
    try:
        return FieldStatus(value)
    except ValueError:
        raise CustomizingError(f"{where}: unknown field status {value!r}") from None


def parse_lists(documents: Iterable[Mapping[str, Any]]) -> dict[str, CodeList]:
    lists: dict[str, CodeList] = {}
    for doc in documents:
        for list_id, spec in (doc.get("lists") or {}).items():
            if list_id in lists:
                raise CustomizingError(f"code list {list_id}: defined twice")
            parent = spec.get("parent")
            values: dict[tuple[str, str], CodeValue] = {}
            for i, raw in enumerate(spec.get("values") or []):
                where = f"code list {list_id} value {i + 1}"
                code = raw.get("code")
                if not isinstance(code, str) or not code:
                    raise CustomizingError(f"{where}: code must be a non-empty string")
                vparent = str(raw.get("parent") or "")
                if bool(parent) != bool(vparent):
                    raise CustomizingError(f"{where} ({code}): parent does not fit the list")
                if (vparent, code) in values:
                    raise CustomizingError(f"{where}: duplicate code {code}")
                attrs = {str(k): str(v) for k, v in (raw.get("attrs") or {}).items()}
                values[(vparent, code)] = CodeValue(
                    list_id,
                    code,
                    _text(raw, where),
                    vparent,
                    attrs,
                    str(raw.get("source", "")),
                    active=raw.get("active", True) is not False,
                )
            lists[list_id] = CodeList(
                list_id, _text(spec.get("label") or {}, f"code list {list_id}"), parent, values
            )
    return lists


def parse_account_groups(
    doc: Mapping[str, Any], field_groups: Iterable[str]
) -> tuple[dict[str, NumberRange], dict[str, AccountGroup]]:
    known_groups = set(field_groups)
    ranges: dict[str, NumberRange] = {}
    for rid, spec in (doc.get("number_ranges") or {}).items():
        where = f"number range {rid}"
        kind = spec.get("kind")
        if kind not in ("internal", "external"):
            raise CustomizingError(f"{where}: kind must be internal or external")
        lo, hi = str(spec.get("from", "")), str(spec.get("to", ""))
        if not (lo.isdigit() and hi.isdigit() and len(lo) == len(hi) and lo <= hi):
            raise CustomizingError(f"{where}: from/to must be numbers of equal length, from <= to")
        ranges[str(rid)] = NumberRange(str(rid), kind, lo, hi, _text(spec, where), spec.get("rule"))

    variants = doc.get("field_status_variants") or {}

    def expand(
        where: str, base: Mapping[str, Any], per_activity: Mapping[str, Any]
    ) -> dict[tuple[str, str], FieldStatus]:
        out: dict[tuple[str, str], FieldStatus] = {}
        for fg, st in base.items():
            if fg not in known_groups:
                raise CustomizingError(f"{where}: unknown field group {fg}")
            for act in _ACTIVITIES:
                out[(fg, act)] = _status(st, f"{where} {fg}")
        for act, mapping in per_activity.items():
            if act not in _ACTIVITIES:
                raise CustomizingError(f"{where}: unknown activity {act}")
            for fg, st in mapping.items():
                if fg not in known_groups:
                    raise CustomizingError(f"{where}: unknown field group {fg}")
                out[(fg, act)] = _status(st, f"{where} {fg}")
        return out

    groups: dict[str, AccountGroup] = {}
    for code, spec in (doc.get("account_groups") or {}).items():
        where = f"account group {code}"
        variant_id = spec.get("variant")
        if variant_id not in variants:
            raise CustomizingError(f"{where}: unknown field status variant {variant_id}")
        if spec.get("number_range") not in ranges:
            raise CustomizingError(f"{where}: unknown number range {spec.get('number_range')}")
        variant = variants[variant_id]
        statuses = expand(where, variant.get("statuses") or {}, variant.get("activities") or {})
        overrides = expand(where, spec.get("overrides") or {}, spec.get("activities") or {})
        statuses.update(overrides)
        groups[str(code)] = AccountGroup(
            code=str(code),
            text=_text(spec, where),
            number_range=str(spec["number_range"]),
            reconciliation_account=str(spec.get("reconciliation_account", "")),
            statuses=statuses,
        )
    return ranges, groups
