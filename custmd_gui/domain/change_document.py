"""Change-document items (CDPOS) derived from customers: what a create or change wrote."""

from __future__ import annotations

from dataclasses import dataclass

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


def creation_items(customer: Customer, only_segments: set[str] | None = None) -> list[Item]:
    """One item per filled field of every row (of the given segments only, if named), so
    that replaying the change documents rebuilds the customer."""
    cat = catalog()
    number = customer.general.number
    items: list[Item] = []
    for row in rows(customer):
        if only_segments is not None and (
            row.table in ("KNA1", "KNBK") or row.segment not in only_segments
        ):
            continue
        key = row_key(number, row)
        for fd in cat.table(row.table):
            value = _text(getattr(row.model, fd.name))
            if value:
                items.append(Item(row.table, key, fd.sap_name, "I", None, value))
    return items
