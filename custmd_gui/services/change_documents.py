"""Change documents of a customer (XD04): who changed which field when, from what to what."""

from __future__ import annotations

import dataclasses
import gc
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain.change_document import TABLE_ORDER
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError, NotFound
from custmd_gui.domain.value_texts import ValueText, ValueTexts
from custmd_gui.persistence.change_documents import ChangeRecord
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.authorization import check_visible
from custmd_gui.services.context import Actor
from custmd_gui.services.ports import UowFactory

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
    # The document's comment (CDHDR): why finance blocked, flagged or deleted, the reason of
    # the request or of a direct XD02 save; "" if none.
    comment: str = ""
    # The maintenance request whose activation wrote the document; "" for a direct change.
    request: str = ""


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


class _CachedTexts:
    """ValueTexts asked once per field for its parent field and once per field, value and
    parent value for the text: a long history names a few dozen fields and repeats their
    codes in thousands of items (a ValueText is immutable, so rows share one)."""

    def __init__(self, texts: ValueTexts) -> None:
        self.texts = texts
        self.parents: dict[str, str | None] = {}
        self.read: dict[tuple[str, str | None, str | None], ValueText] = {}

    def parent(self, key: str) -> str | None:
        """The field a dependent value help needs (KNA1-LAND1 for KNA1-REGIO), or None."""
        if key not in self.parents:
            self.parents[key] = self.texts.parent_field(key)
        return self.parents[key]

    def text(self, key: str, value: str | None, parent_value: str | None = None) -> ValueText:
        """`value` as it reads; `parent_value` for a field with a parent (see parent)."""
        wanted = (key, value, parent_value)
        hit = self.read.get(wanted)
        if hit is None:
            parent_key = self.parent(key)
            row = None if parent_key is None else {parent_key: parent_value}
            hit = self.read[wanted] = self.texts.text(key, value, row)
        return hit


def _parent_history(
    uow: UnitOfWork | None, number: str, records: list[ChangeRecord], texts: _CachedTexts
) -> _History:
    """The change documents' items of the fields that dependent value helps among `records`
    need (the country of a region): all of them, whatever the filters, since a region changed
    on its own reads with the country the customer had then, which an earlier document
    (the create at the latest) wrote. Without `uow`, `records` are all of the customer's
    items, so they hold that history already."""
    wanted = {
        parent
        for rec in records
        if (parent := texts.parent(f"{rec.table}-{rec.field}")) is not None
    }
    if not wanted:
        return {}
    pairs = [(k.split("-", 1)[0], k.split("-", 1)[1]) for k in sorted(wanted)]
    source = records if uow is None else uow.changes.for_customer(number, fields=pairs)
    kept = set(pairs)
    history: _History = {}
    for item in source:
        if (item.table, item.field) in kept:
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
    rec: ChangeRecord, key: str, texts: _CachedTexts, history: _History
) -> tuple[ValueText, ValueText]:
    parent_key = texts.parent(key)
    if parent_key is None:
        return texts.text(key, rec.old), texts.text(key, rec.new)
    old_parent, new_parent = _parent_values(rec, parent_key, history)
    return texts.text(key, rec.old, old_parent), texts.text(key, rec.new, new_parent)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a long history is read and put in order: tens
    of thousands of objects without cycles, most of them kept, and the passes the collector
    makes over the app's objects while they are made took some 40 % of XD04's opening time
    for 3,000 documents (and of customer_history's, measured alone, half). Nested or in two
    threads at once it ends enabled."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _RowMaker:
    """Makes XD04's rows of the repository's records, with their texts; each field's label
    and each row key's segment read once."""

    def __init__(self, number: str, texts: _CachedTexts, history: _History) -> None:
        self.number = number
        self.texts = texts
        self.history = history
        self.labels: dict[str, Text] = {}
        self.places: dict[tuple[str, str], tuple[str, str]] = {}  # (table, key) -> segment, row

    def place(self, rec: ChangeRecord) -> tuple[str, str]:
        """The segment and the row within it of `rec`'s table row."""
        where = (rec.table, rec.key)
        if where not in self.places:
            self.places[where] = _split_key(rec.table, self.number, rec.key)
        return self.places[where]

    def __call__(self, rec: ChangeRecord) -> ChangeDocumentRow:
        assert rec.document is not None
        key = f"{rec.table}-{rec.field}"
        segment, row = self.place(rec)
        old_text, new_text = _texts(rec, key, self.texts, self.history)
        if key not in self.labels:
            self.labels[key] = _label(key)
        return ChangeDocumentRow(
            document=rec.document,
            number=rec.number,
            user=rec.username,
            when=rec.udate,
            tcode=rec.tcode,
            activity=rec.activity,
            activity_text=ACTIVITY_TEXTS.get(rec.activity) or Text(rec.activity, rec.activity),
            origin=rec.origin,
            table=rec.table,
            field_key=key,
            label=self.labels[key],
            segment=segment,
            row=row,
            indicator=rec.indicator,
            indicator_text=INDICATOR_TEXTS.get(rec.indicator) or Text(rec.indicator, rec.indicator),
            old=rec.old,
            new=rec.new,
            old_text=old_text,
            new_text=new_text,
            comment=rec.comment,
            request=rec.request,
        )


def _in_order(records: list[ChangeRecord], make: _RowMaker) -> list[ChangeRecord]:
    """The records in the order of XD04's rows: oldest document first, within a document in
    SAP's table order and catalog field order."""
    table_order = {t: i for i, t in enumerate(TABLE_ORDER)}
    field_order = {fd.key: i for i, fd in enumerate(catalog())}
    # The repository returns a document's items together, documents in time order; plain
    # tuples as keys, compared in C.
    keyed: list[tuple[tuple[int, int, str, str, int, int], ChangeRecord]] = []
    document: uuid.UUID | None = None
    ordinal = -1
    for n, rec in enumerate(records):
        assert rec.document is not None
        if document is None or rec.document.int != document.int:
            document, ordinal = rec.document, ordinal + 1
        segment, row = make.place(rec)
        order = (
            ordinal,
            table_order.get(rec.table, len(table_order)),
            segment,
            row,
            field_order.get(f"{rec.table}-{rec.field}", len(field_order)),
            n,  # unique: records themselves are never compared
        )
        keyed.append((order, rec))
    keyed.sort()
    return [rec for _, rec in keyed]


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
        texts = _CachedTexts(ValueTexts(customizing or uow.customizing.load(), cat))
        history = _parent_history(uow, number, records, texts)
    make = _RowMaker(number, texts, history)
    return [make(rec) for rec in _in_order(records, make)]


# The item of a history as read: XD04 holds these and filters them (the windows take the
# type from here, not from the persistence layer).
HistoryRecord = ChangeRecord


@dataclass(frozen=True, slots=True)
class CustomerHistory:
    """All change documents of one customer, read at once: what XD04 lists and filters. The
    items stay records until shown (`rows`): a window shows a page of thousands."""

    number: str
    name: str  # NAME1, to head the list
    records: list[ChangeRecord]  # all items, in the order of change_documents' rows
    fields: list[tuple[str, Text]]  # the fields in `records`, in catalog order: the filter
    make_row: Callable[[ChangeRecord], ChangeDocumentRow] = dataclasses.field(
        repr=False, compare=False
    )

    @property
    def documents(self) -> int:
        return len({r.document for r in self.records})

    def rows(self, records: Iterable[ChangeRecord] | None = None) -> list[ChangeDocumentRow]:
        """`records` (by default all) as change_documents returns them, with their texts."""
        return [self.make_row(r) for r in (self.records if records is None else records)]


def customer_history(
    uow_factory: UowFactory,
    number: str,
    *,
    actor: Actor | None = None,
    customizing: Customizing | None = None,
) -> CustomerHistory:
    """The customer's name and all its change documents, with the customizing to read their
    values, in one unit of work and one read of the documents; filter them with
    filter_records. `actor` and `customizing` as for change_documents; NotFound for an
    unknown customer (or one the actor may not see)."""
    with _collector_paused():
        with uow_factory() as uow:
            if actor is not None:
                check_visible(uow, actor, number)
            names = uow.customers.names([number])
            if number not in names:
                raise NotFound.single(
                    "KNA1-KUNNR", f"客户 {number} 不存在", f"Customer {number} does not exist"
                )
            records = uow.changes.for_customer(number)
            texts = _CachedTexts(ValueTexts(customizing or uow.customizing.load(), catalog()))
        make = _RowMaker(number, texts, _parent_history(None, number, records, texts))
        ordered = _in_order(records, make)
    present = {f"{r.table}-{r.field}" for r in records}
    fields = [(fd.key, fd.label) for fd in catalog() if fd.key in present]
    return CustomerHistory(number, names[number], ordered, fields, make)


def filter_records(
    records: Iterable[ChangeRecord],
    *,
    field: str | Iterable[str] | None = None,
    date_from: date | datetime | None = None,
    date_to: date | datetime | None = None,
    activity: str | Iterable[str] | None = None,
) -> list[ChangeRecord]:
    """The records whose rows change_documents would have returned with these filters (same
    meaning, same order), taken from records already read; a field or activity not known
    matches nothing."""
    fields = None if field is None else {field} if isinstance(field, str) else set(field)
    kinds = None if activity is None else {activity} if isinstance(activity, str) else set(activity)
    since = _start(date_from) if date_from is not None else None
    before = _end(date_to) if date_to is not None else None
    return [
        r
        for r in records
        if (fields is None or f"{r.table}-{r.field}" in fields)
        and (kinds is None or r.activity in kinds)
        and (since is None or r.udate >= since)
        and (before is None or r.udate < before)
    ]


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
