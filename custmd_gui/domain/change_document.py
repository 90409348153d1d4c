"""Change-document items (CDPOS) derived from customers: what a create or change wrote."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from custmd_gui.catalog import catalog
from custmd_gui.domain.model import Customer
from custmd_gui.domain.validation import Row, rows


@dataclass(frozen=True, slots=True)
class Item:
    table: str
    key: str  # readable table key: 2110380001/F011/10/01/AG/000
    field: str  # SAP field name
    indicator: str  # I inserted, U updated, D deleted
    old: str | None
    new: str | None

    def as_tuple(self) -> tuple[str, str, str, str, str | None, str | None]:
        return (self.table, self.key, self.field, self.indicator, self.old, self.new)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "X" if value else ""
    return str(value)


def row_key(number: str, row: Row) -> str:
    parts = [number]
    if row.segment:
        parts.append(row.segment)
    seg_key = getattr(row.model, "segment_key", "")
    if seg_key and seg_key != row.segment:
        parts.append(seg_key)
    return "/".join(parts)


def creation_tuples(
    customer: Customer, only_segments: set[str] | None = None
) -> list[tuple[str, str, str, str, str | None, str | None]]:
    """creation_items as the change-document repository writes them (Item.as_tuple)."""
    cat = catalog()
    number = customer.general.number
    items: list[tuple[str, str, str, str, str | None, str | None]] = []
    for row in rows(customer):
        if only_segments is not None and (
            row.table in ("KNA1", "KNBK") or row.segment not in only_segments
        ):
            continue
        table, key, model = row.table, row_key(number, row), row.model
        names = cat.names(table)
        for name, _, sap_name in names:
            if text := _text(getattr(model, name)):
                items.append((table, key, sap_name, "I", None, text))
    return items


def creation_items(customer: Customer, only_segments: set[str] | None = None) -> list[Item]:
    """One item per filled field of every row (of the given segments only, if named), so
    that replaying the change documents rebuilds the customer."""
    return [Item(*t) for t in creation_tuples(customer, only_segments)]


# --- changes (XD02) -------------------------------------------------------------------------

# SAP's table order: parents before children (inserts), children before parents (deletes).
TABLE_ORDER = ("KNA1", "KNBK", "KNB1", "KNVV", "KNVI", "KNVP")
_AREA_KEYS = ("KNVV-VKORG", "KNVV-VTWEG", "KNVV-SPART")


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a row: its catalog key with the value before and after."""

    field_key: str  # KNA1-NAME1
    name: str  # python name on the domain model (name)
    column: str  # database column (name1)
    old: object
    new: object


@dataclass(frozen=True, slots=True)
class RowChange:
    """One row of a segment table that a change inserts (I), updates (U) or deletes (D)."""

    table: str
    segment: str  # as problems name it: "", "F011", "F011/10/01"
    key: str  # readable table key of the change document: 2110380001/F011/10/01/AG/000
    # Columns and values that find the row among the customer's rows (KUNNR left out):
    # the row's own key fields, and for KNVI/KNVP those of their sales area.
    identity: tuple[tuple[str, str], ...]
    indicator: str
    # U: the fields that differ; I: every filled field (new); D: every filled field (old).
    fields: tuple[FieldChange, ...]

    def items(self) -> list[Item]:
        return [
            Item(
                self.table,
                self.key,
                f.field_key.split("-", 1)[1],
                self.indicator,
                None if self.indicator == "I" else _text(f.old),
                None if self.indicator == "D" else _text(f.new),
            )
            for f in self.fields
        ]


def _identity(row: Row, area: BaseModel | None) -> tuple[tuple[str, str], ...]:
    cat = catalog()
    out: list[tuple[str, str]] = []
    if area is not None and row.table in ("KNVI", "KNVP"):
        out += [(cat.field(k).column, str(getattr(area, cat.field(k).name))) for k in _AREA_KEYS]
    if row.table != "KNA1":
        out += [
            (fd.column, str(getattr(row.model, fd.name)))
            for fd in cat.table(row.table)
            if fd.key_field
        ]
    return tuple(out)


def _rows_with_area(customer: Customer) -> Iterator[tuple[Row, BaseModel | None]]:
    areas = {a.segment_key: a for a in customer.sales_areas}
    for row in rows(customer):
        yield row, areas.get(row.segment) if row.table in ("KNVI", "KNVP") else None


def _match_key(row: Row) -> tuple[str, str, str]:
    # As the validator matches old and new rows: table, segment and the row's own key.
    return (row.table, row.segment, str(getattr(row.model, "segment_key", "")))


def diff_customers(before: Customer, after: Customer) -> list[RowChange]:
    """What changes `before` into `after`, row by row in table order: updated fields of rows
    present in both, inserted and deleted rows with all their filled fields. A changed key
    field (a bank account number) is a deleted row and an inserted one, as in SAP."""
    cat = catalog()
    number = before.general.number
    old_rows = {_match_key(r): (r, a) for r, a in _rows_with_area(before)}
    new_rows = {_match_key(r): (r, a) for r, a in _rows_with_area(after)}
    out: list[RowChange] = []
    for match, (row, area) in new_rows.items():
        fds = cat.table(row.table)
        previous = old_rows.get(match)
        if previous is None:
            filled = [
                FieldChange(fd.key, fd.name, fd.column, None, v)
                for fd in fds
                if _text(v := getattr(row.model, fd.name))
            ]
            ind = "I"
        else:
            old_model = previous[0].model
            filled = [
                FieldChange(fd.key, fd.name, fd.column, o, n)
                for fd in fds
                if (o := getattr(old_model, fd.name)) != (n := getattr(row.model, fd.name))
            ]
            ind = "U"
            if not filled:
                continue
        out.append(
            RowChange(
                row.table,
                row.segment,
                row_key(number, row),
                _identity(row, area),
                ind,
                tuple(filled),
            )
        )
    for match, (row, area) in old_rows.items():
        if match in new_rows:
            continue
        gone = [
            FieldChange(fd.key, fd.name, fd.column, v, None)
            for fd in cat.table(row.table)
            if _text(v := getattr(row.model, fd.name))
        ]
        out.append(
            RowChange(
                row.table,
                row.segment,
                row_key(number, row),
                _identity(row, area),
                "D",
                tuple(gone),
            )
        )
    order = {t: i for i, t in enumerate(TABLE_ORDER)}
    return sorted(out, key=lambda c: order[c.table])  # stable: rows keep their order


def change_items(changes: Iterable[RowChange]) -> list[Item]:
    """The change-document items (CDPOS) of a change: one per changed field."""
    return [item for change in changes for item in change.items()]


# --- replay ---------------------------------------------------------------------------------


class ReplayError(ValueError):
    """The change documents contradict themselves (an old value that was not the value)."""


def replay(
    number: str,
    items: Iterable[tuple[str, str, str, str, str | None, str | None]],
    *,
    strict: bool = False,
) -> Customer | None:
    """The customer that the change documents' items build, applied in the order given
    (documents by time; within a document any order). None if nothing was ever created.

    `strict` also checks that every update and deletion found the old value it names: a
    document written from a stale state (a lost update) does not replay strictly."""
    stored: dict[tuple[str, str], dict[str, str]] = {}
    for table, key, fname, ind, old, new in items:
        row = stored.get((table, key))
        if ind == "D":
            # A deleted row has an item per filled field; it is gone once none is left.
            if strict and (row is None or row.get(fname, "") != (old or "")):
                raise ReplayError(f"{table} {key} {fname}: deleted {old!r}, was {row!r}")
            if row is not None:
                row.pop(fname, None)
                if not any(row.values()):
                    del stored[(table, key)]
            continue
        if row is None:
            if strict and ind == "U":
                raise ReplayError(f"{table} {key} {fname}: updated before it was inserted")
            row = stored.setdefault((table, key), {})
        if strict and ind == "U" and row.get(fname, "") != (old or ""):
            raise ReplayError(
                f"{table} {key} {fname}: old value {old!r}, but it was {row.get(fname, '')!r}"
            )
        row[fname] = new or ""
    general = stored.get(("KNA1", number))
    if general is None:
        return None
    doc: dict[str, Any] = {"KNA1": general, "KNBK": [], "KNB1": [], "KNVV": []}
    areas: list[tuple[str, dict[str, Any]]] = []
    for (table, key), values in stored.items():
        if table in ("KNBK", "KNB1"):
            doc[table].append(values)
        elif table == "KNVV":
            area: dict[str, Any] = {**values, "KNVI": [], "KNVP": []}
            areas.append((f"{key}/", area))
            doc["KNVV"].append(area)
    for (table, key), values in stored.items():
        if table in ("KNVI", "KNVP"):
            parent = next((a for prefix, a in areas if key.startswith(prefix)), None)
            if parent is None:
                raise ReplayError(f"{table} {key}: no sales area for it")
            parent[table].append(values)
    return canonical(Customer.model_validate(doc, by_alias=True))


def _sort_key(table: str) -> Callable[[BaseModel], tuple[str, ...]]:
    names = [fd.name for fd in catalog().table(table) if fd.key_field]
    return lambda m: tuple(str(getattr(m, n)) for n in names)


def canonical(customer: Customer) -> Customer:
    """A copy with every list in key order (as the repository reads them), version 0: two
    customers with the same data compare equal."""
    copy = customer.deep_copy().model_copy(update={"version": 0})
    copy.bank_details.sort(key=_sort_key("KNBK"))
    copy.company_codes.sort(key=_sort_key("KNB1"))
    copy.sales_areas.sort(key=_sort_key("KNVV"))
    for area in copy.sales_areas:
        area.tax_classifications.sort(key=_sort_key("KNVI"))
        area.partners.sort(key=_sort_key("KNVP"))
    return copy
