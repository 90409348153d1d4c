"""Change documents of a customer (XD04): who changed which field when, from what to what."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain.change_document import TABLE_ORDER
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError, NotFound
from custmd_gui.domain.value_texts import ValueText, ValueTexts
from custmd_gui.persistence.repository import ChangeRecord
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.authorization import check_visible
from custmd_gui.services.context import Actor

UowFactory = Callable[..., UnitOfWork]

ACTIVITY_TEXTS = {
    "create": Text(zh="创建", en="Create"),
    "extend": Text(zh="扩展", en="Extend"),
    "change": Text(zh="更改", en="Change"),
}
INDICATOR_TEXTS = {
    "I": Text(zh="插入", en="Inserted"),
    "U": Text(zh="更新", en="Updated"),
    "D": Text(zh="删除", en="Deleted"),
}
# Tables whose rows hang below a sales area: their key is the area's three parts, then theirs.
_AREA_CHILDREN = ("KNVI", "KNVP")


@dataclass(frozen=True, slots=True)
class ChangeDocumentRow:
    """One changed field of one change document, as XD04 lists it."""

    document: uuid.UUID  # the change document (CDHDR) this item belongs to
    number: str
    user: str
    when: datetime  # aware, UTC; show it in local time
    tcode: str
    activity: str  # create, extend, change
    activity_text: Text
    origin: str
    table: str
    field_key: str  # KNA1-NAME1
    label: Text  # the field's label from the catalog
    segment: str  # as problems name it: "" general data, "F011", "F011/10/01"
    row: str  # the row within the segment: bank "CN/F011/1234567", partner "AG/000"; or ""
    indicator: str  # I inserted, U updated, D deleted
    indicator_text: Text
    old: str | None
    new: str | None
    # The values as they read, in both languages: a code with its text (`0001 立即支付`), a
    # flag as 是/否, an empty value empty. The service reads them, not the window, so that
    # every reader of change documents (XD04, the CLI, an export) tells the same story and
    # the window switches language without asking the database again.
    old_text: ValueText
    new_text: ValueText


def _split_key(table: str, number: str, key: str) -> tuple[str, str]:
    rest = key[len(number) + 1 :] if key.startswith(f"{number}/") else ""
    if table == "KNBK":
        return "", rest
    if table in _AREA_CHILDREN:
        parts = rest.split("/")
        return "/".join(parts[:3]), "/".join(parts[3:])
    return rest, ""


def _label(field_key: str) -> Text:
    cat = catalog()
    if field_key in cat:
        return cat.field(field_key).label
    return Text(zh=field_key, en=field_key)


def _start(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone()  # naive: local time
    return datetime.combine(value, time.min).astimezone()


def _end(value: date | datetime) -> datetime:
    """The first instant after an inclusive upper bound: the next day for a date."""
    if isinstance(value, datetime):
        return value.astimezone() + timedelta(microseconds=1)
    return datetime.combine(value + timedelta(days=1), time.min).astimezone()


# (table, row key, field) -> that field's items in the row, oldest first.
_History = dict[tuple[str, str, str], list[ChangeRecord]]


def _parent_history(
    uow: UnitOfWork, number: str, records: list[ChangeRecord], texts: ValueTexts
) -> _History:
    """The change documents' items of the fields that dependent value helps among `records`
    need (the country of a region): all of them, whatever the filters, since a region changed
    on its own reads with the country the customer had then, which an earlier document
    (the create at the latest) wrote."""
    wanted = {
        parent
        for rec in records
        if (parent := texts.parent_field(f"{rec.table}-{rec.field}")) is not None
    }
    if not wanted:
        return {}
    pairs = [(k.split("-", 1)[0], k.split("-", 1)[1]) for k in sorted(wanted)]
    history: _History = {}
    for item in uow.changes.for_customer(number, fields=pairs):
        history.setdefault((item.table, item.key, item.field), []).append(item)
    return history


def _parent_values(rec: ChangeRecord, parent_key: str, history: _History) -> tuple[str, str]:
    """The parent field's value in `rec`'s row before and after `rec`'s document: as that
    document changed it, else as the documents before it left it ("" when none says)."""
    table, field = parent_key.split("-", 1)
    assert rec.document is not None
    before = ""
    for item in history.get((table, rec.key, field), []):
        assert item.document is not None
        if item.document == rec.document:
            return item.old or "", item.new or ""
        if (item.udate, item.document) > (rec.udate, rec.document):
            break  # the repository's order: time, then document
        before = item.new or ""
    return before, before


def _texts(
    rec: ChangeRecord, key: str, texts: ValueTexts, history: _History
) -> tuple[ValueText, ValueText]:
    parent_key = texts.parent_field(key)
    if parent_key is None:
        return texts.text(key, rec.old), texts.text(key, rec.new)
    old_parent, new_parent = _parent_values(rec, parent_key, history)
    return (
        texts.text(key, rec.old, {parent_key: old_parent}),
        texts.text(key, rec.new, {parent_key: new_parent}),
    )


def change_documents(
    uow_factory: UowFactory,
    number: str,
    *,
    field: str | Iterable[str] | None = None,
    date_from: date | datetime | None = None,
    date_to: date | datetime | None = None,
    activity: str | Iterable[str] | None = None,
    actor: Actor | None = None,
    customizing: Customizing | None = None,
) -> list[ChangeDocumentRow]:
    """The customer's change documents, one row per changed field, oldest first (within a
    document in SAP's table order and catalog field order).

    `field`: a field key (KNA1-NAME1) or several, to see only those. `date_from`/`date_to`:
    inclusive bounds; a date means that whole day in local time, a naive datetime local time.
    `activity`: create, extend or change (or several), to see only those documents.
    `actor`: see read_customer (display, and not found for a customer the actor may not see).
    Old and new values come with their texts (`old_text`, `new_text`) from `customizing`, by
    default the database's as it is now: a code since removed from it stays a bare code.
    """
    cat = catalog()
    wanted: list[tuple[str, str]] | None = None
    if field is not None:
        keys = [field] if isinstance(field, str) else list(field)
        unknown = [k for k in keys if k not in cat]
        if unknown:
            raise DomainError.single(
                "CDPOS-FNAME",
                f"字段 {', '.join(unknown)} 不在字段目录中",
                f"Field {', '.join(unknown)} is not in the field catalog",
            )
        wanted = [(cat.field(k).table, cat.field(k).sap_name) for k in keys]
    activities: list[str] | None = None
    if activity is not None:
        activities = [activity] if isinstance(activity, str) else list(activity)
        unknown = [a for a in activities if a not in ACTIVITY_TEXTS]
        if unknown:
            raise DomainError.single(
                "CDHDR-CHANGE_IND",
                f"活动 {', '.join(unknown)} 未知（应为 create、extend 或 change）",
                f"Unknown activity {', '.join(unknown)} (known: create, extend, change)",
            )
    with uow_factory() as uow:
        if actor is not None:
            check_visible(uow, actor, number)
        if not uow.customers.exists(number):
            raise NotFound.single(
                "KNA1-KUNNR", f"客户 {number} 不存在", f"Customer {number} does not exist"
            )
        records = uow.changes.for_customer(
            number,
            fields=wanted,
            since=_start(date_from) if date_from is not None else None,
            before=_end(date_to) if date_to is not None else None,
            activities=activities,
        )
        texts = ValueTexts(customizing or uow.customizing.load(), cat)
        parents = _parent_history(uow, number, records, texts)
    table_order = {t: i for i, t in enumerate(TABLE_ORDER)}
    field_order = {fd.key: i for i, fd in enumerate(cat)}
    rows: list[ChangeDocumentRow] = []
    for rec in records:
        key = f"{rec.table}-{rec.field}"
        segment, row = _split_key(rec.table, number, rec.key)
        assert rec.document is not None
        old_text, new_text = _texts(rec, key, texts, parents)
        rows.append(
            ChangeDocumentRow(
                document=rec.document,
                number=rec.number,
                user=rec.username,
                when=rec.udate,
                tcode=rec.tcode,
                activity=rec.activity,
                activity_text=ACTIVITY_TEXTS.get(
                    rec.activity, Text(zh=rec.activity, en=rec.activity)
                ),
                origin=rec.origin,
                table=rec.table,
                field_key=key,
                label=_label(key),
                segment=segment,
                row=row,
                indicator=rec.indicator,
                indicator_text=INDICATOR_TEXTS.get(
                    rec.indicator, Text(rec.indicator, rec.indicator)
                ),
                old=rec.old,
                new=rec.new,
                old_text=old_text,
                new_text=new_text,
            )
        )
    # The repository returns documents in time order; items of one document in table order.
    first: dict[uuid.UUID, int] = {}
    for i, item in enumerate(rows):
        first.setdefault(item.document, i)
    rows.sort(
        key=lambda r: (
            first[r.document],
            table_order.get(r.table, len(table_order)),
            r.segment,
            r.row,
            field_order.get(r.field_key, len(field_order)),
        )
    )
    return rows


def changed_fields(uow_factory: UowFactory, number: str) -> list[tuple[str, Text]]:
    """The fields that appear in the customer's change documents, in catalog order, with
    their labels: the choices of XD04's field filter."""
    with uow_factory() as uow:
        records = uow.changes.for_customer(number)
    present = {f"{r.table}-{r.field}" for r in records}
    return [(fd.key, fd.label) for fd in catalog() if fd.key in present]


def customer_name(uow_factory: UowFactory, number: str) -> str:
    """The customer's name (NAME1), to head XD04's list; NotFound for an unknown number."""
    with uow_factory() as uow:
        names = uow.customers.names([number])
    if number not in names:
        raise NotFound.single(
            "KNA1-KUNNR", f"客户 {number} 不存在", f"Customer {number} does not exist"
        )
    return names[number]
