"""XD04's list: the change documents' rows as lines a clerk reads, and the table model that
hands them to the view a page at a time.

A customer with years of history has thousands of lines; the model turns only the pages the
view reaches into rows and lines (the view asks for more as it scrolls: canFetchMore and
fetchMore), so opening the window costs the first page, not the whole history.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby, islice
from operator import attrgetter
from typing import Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from custmd_gui.domain.value_texts import ValueText
from custmd_gui.services.change_documents import ChangeDocumentRow
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP

CONTEXT = "ChangeDocumentsModel"
# (key, header) of the table's columns, in order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("when", QT_TRANSLATE_NOOP("ChangeDocumentsModel", "Date and time")),
    ("user", QT_TRANSLATE_NOOP("ChangeDocumentsModel", "User")),
    ("activity", QT_TRANSLATE_NOOP("ChangeDocumentsModel", "Activity")),
    ("tcode", QT_TRANSLATE_NOOP("ChangeDocumentsModel", "Transaction")),
    ("segment", QT_TRANSLATE_NOOP("ChangeDocumentsModel", "Segment")),
    ("field", QT_TRANSLATE_NOOP("ChangeDocumentsModel", "Field")),
    ("field_key", QT_TRANSLATE_NOOP("ChangeDocumentsModel", "Technical name")),
    ("old", QT_TRANSLATE_NOOP("ChangeDocumentsModel", "Old value")),
    ("new", QT_TRANSLATE_NOOP("ChangeDocumentsModel", "New value")),
    # The maintenance request whose activation wrote the document (empty: a direct change).
    ("request", QT_TRANSLATE_NOOP("ChangeDocumentsModel", "Request")),
    # The document's comment (why finance blocked or flagged, the reason of a request or of
    # XD02): last, it takes the room left.
    ("comment", QT_TRANSLATE_NOOP("ChangeDocumentsModel", "Comment")),
)
COLUMN_KEYS = tuple(key for key, _ in COLUMNS)

_TEXTS = {
    "general": QT_TRANSLATE_NOOP("ChangeDocumentsModel", "General data"),
    "bank": QT_TRANSLATE_NOOP("ChangeDocumentsModel", "Bank details {key}"),
    "company_code": QT_TRANSLATE_NOOP("ChangeDocumentsModel", "Company code {code}"),
    "sales_area": QT_TRANSLATE_NOOP("ChangeDocumentsModel", "Sales area {area}"),
    "KNVI": QT_TRANSLATE_NOOP("ChangeDocumentsModel", "Tax classification {key}"),
    "KNVP": QT_TRANSLATE_NOOP("ChangeDocumentsModel", "Partner {key}"),
    "created": QT_TRANSLATE_NOOP("ChangeDocumentsModel", "Customer created"),
    "extended": QT_TRANSLATE_NOOP("ChangeDocumentsModel", "Customer extended"),
    "summary_tip": QT_TRANSLATE_NOOP(
        "ChangeDocumentsModel",
        "Fields filled: %n; choose a field in the filter to see its first value",
    ),
    "list_separator": QT_TRANSLATE_NOOP("ChangeDocumentsModel", ", "),
    "unknown_code": QT_TRANSLATE_NOOP(
        "ChangeDocumentsModel", "Code {code} is not (or no longer) in the customizing"
    ),
}


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate(CONTEXT, text, None, n)


def segment_text(row: ChangeDocumentRow, *, with_row: bool = True) -> str:
    """Where the field lives, as a clerk reads it: 一般数据, 公司代码 F011, 销售范围 F011/10/01,
    with the row of a bank, tax or partner table (销售范围 F011/10/01 · 合伙人 AG/000)."""
    if row.table == "KNBK":
        return _tr(_TEXTS["bank"]).format(key=row.row) if with_row else _tr(_TEXTS["general"])
    if row.table == "KNB1":
        return _tr(_TEXTS["company_code"]).format(code=row.segment)
    if row.table in ("KNVV", "KNVI", "KNVP"):
        area = _tr(_TEXTS["sales_area"]).format(area=row.segment)
        if with_row and row.row and row.table in _TEXTS:
            return f"{area} · {_tr(_TEXTS[row.table]).format(key=row.row)}"
        return area
    if row.segment:  # a table not known here: its key as it is
        return row.segment
    return _tr(_TEXTS["general"])


@dataclass(frozen=True, slots=True)
class ListLine:
    """One line of the list: a changed field, or the summary of a create/extend document."""

    when: str  # local time, yyyy-MM-dd HH:mm:ss
    user: str
    activity: str
    tcode: str
    segment: str
    field: str
    field_key: str
    old: str  # as it reads: a code with its text (0001 立即支付), a flag as 是/否
    new: str
    tooltip: str = ""  # for the field column
    origin: str = ""
    old_tip: str = ""  # for the old and new columns
    new_tip: str = ""
    comment: str = ""  # the document's, on each of its lines: a copied line keeps it
    request: str = ""  # the request the document was written for, likewise


def value_tip(value: ValueText, lang: str) -> str:
    """The tooltip of an old or new value: the value as it reads, and for a code the
    customizing does not hold, that it is shown as stored."""
    shown = value.get(lang)
    if value.unknown:
        return f"{shown}\n{_tr(_TEXTS['unknown_code']).format(code=value.value)}"
    return shown


class DocumentItem(Protocol):
    """What grouping and counting need of an item: a row, or a record not yet a row."""

    @property
    def document(self) -> uuid.UUID | None: ...

    @property
    def activity(self) -> str: ...


Item = TypeVar("Item", bound=DocumentItem)


def is_summary(head: DocumentItem, summarize: bool) -> bool:
    return summarize and head.activity in ("create", "extend")


def group_documents(items: Sequence[Item]) -> list[list[Item]]:
    """The service's rows or records (documents oldest first, a document's items together)
    as documents, newest first."""
    # By the UUID's integer: compared in C, where UUID.__eq__ is Python.
    by_document = attrgetter("document.int")
    documents = [list(group) for _, group in groupby(items, key=by_document)]
    documents.reverse()
    return documents


def line_count(documents: Sequence[Sequence[DocumentItem]], *, summarize: bool) -> int:
    """How many lines iter_lines makes, without making them."""
    return sum(1 if is_summary(items[0], summarize) else len(items) for items in documents)


def iter_lines(
    documents: Iterable[Sequence[ChangeDocumentRow]], lang: str, *, summarize: bool = True
) -> Iterator[ListLine]:
    """The lines of `documents` (group_documents), in their order. With `summarize`, a create
    or extend document becomes one line naming its segments."""
    for items in documents:
        head = items[0]
        when = f"{head.when.astimezone():%Y-%m-%d %H:%M:%S}"
        activity = head.activity_text.get(lang)
        if is_summary(head, summarize):
            segments = list(dict.fromkeys(segment_text(r, with_row=False) for r in items))
            title = _TEXTS["created"] if head.activity == "create" else _TEXTS["extended"]
            yield ListLine(
                when,
                head.user,
                activity,
                head.tcode,
                _tr(_TEXTS["list_separator"]).join(segments),
                _tr(title),
                "",
                "",
                "",
                _tr(_TEXTS["summary_tip"], len(items)),
                head.origin,
                comment=head.comment,
                request=head.request,
            )
            continue
        for r in items:
            yield ListLine(
                when,
                r.user,
                activity,
                r.tcode,
                segment_text(r),
                r.label.get(lang),
                r.field_key,
                r.old_text.get(lang),
                r.new_text.get(lang),
                f"{r.label.get(lang)} ({r.field_key}) · {r.indicator_text.get(lang)}",
                r.origin,
                value_tip(r.old_text, lang),
                value_tip(r.new_text, lang),
                r.comment,
                r.request,
            )


def list_lines(
    rows: Sequence[ChangeDocumentRow], lang: str, *, summarize: bool = True
) -> list[ListLine]:
    """All lines of the service's rows at once, newest document first."""
    return list(iter_lines(group_documents(rows), lang, summarize=summarize))


_ROOT = QModelIndex()


def _same(row: ChangeDocumentRow) -> ChangeDocumentRow:
    return row


class ChangeDocumentsModel(QAbstractTableModel):
    """The lines of the list, made a page at a time as the view reaches them; plain data, no
    database. `total` counts all lines, `lines` those made so far."""

    PAGE = 200  # a few screens of lines: the first is shown, the view asks for the next

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lines: list[ListLine] = []
        self.total = 0
        self._pending: Iterator[ListLine] = iter(())
        # Some document was written by a request's activation: the request column is shown.
        self.has_requests = False

    def set_rows(self, rows: Sequence[ChangeDocumentRow], lang: str, *, summarize: bool) -> int:
        """List the service's rows; returns how many documents they are."""
        return self.set_items(rows, _same, lang, summarize=summarize)

    def set_items(
        self,
        items: Sequence[Item],
        make_row: Callable[[Item], ChangeDocumentRow],
        lang: str,
        *,
        summarize: bool,
    ) -> int:
        """List items that `make_row` turns into the service's rows (a document's as its
        lines are made: a long history's records become rows a page at a time); returns how
        many documents they are."""
        documents = group_documents(items)
        rows = ([make_row(item) for item in document] for document in documents)
        pending = iter_lines(rows, lang, summarize=summarize)
        self.beginResetModel()
        self.has_requests = any(getattr(item, "request", "") for item in items)
        self.total = line_count(documents, summarize=summarize)
        self.lines = list(islice(pending, self.PAGE))
        self._pending = pending
        self.endResetModel()
        return len(documents)

    def set_lines(self, lines: list[ListLine]) -> None:
        self.beginResetModel()
        self.lines = lines
        self.has_requests = any(line.request for line in lines)
        self.total = len(lines)
        self._pending = iter(())
        self.endResetModel()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return not parent.isValid() and len(self.lines) < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        if not self.canFetchMore(parent):
            return
        first = len(self.lines)
        count = min(self.PAGE, self.total - first)
        self.beginInsertRows(_ROOT, first, first + count - 1)
        self.lines.extend(islice(self._pending, count))
        self.endInsertRows()

    def fetch_all(self) -> None:
        """Every line, for a selection of all (Ctrl+A) that Ctrl+C then copies whole."""
        if not self.canFetchMore():
            return
        first = len(self.lines)
        self.beginInsertRows(_ROOT, first, self.total - 1)
        self.lines.extend(self._pending)
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def text(self, row: int, column: int) -> str:
        return str(getattr(self.lines[row], COLUMN_KEYS[column]))

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        line = self.lines[index.row()]
        key = COLUMN_KEYS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "field":
                return line.tooltip or None
            if key == "user" and line.origin:
                return f"{line.user} @ {line.origin}"
            if key in ("old", "new"):
                return getattr(line, f"{key}_tip") or None
            if key in ("segment", "comment"):  # whole, where the column cuts them
                return getattr(line, key) or None
        if role == Qt.ItemDataRole.ForegroundRole and key == "field_key":
            return Qt.GlobalColor.darkGray
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return _tr(COLUMNS[section][1])
        return None

    def as_text(self, rows: Sequence[int]) -> str:
        """The rows as tab-separated lines (a spreadsheet pastes them into cells), values as
        they read: code and text in one cell (`0001 立即支付`), which a spreadsheet keeps as
        text, leading zeros and all (a cell of its own would turn code 0001 into 1)."""
        return "\n".join(
            "\t".join(self.text(r, c) for c in range(len(COLUMNS))) for r in sorted(rows)
        )
