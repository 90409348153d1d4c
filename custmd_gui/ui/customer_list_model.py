"""The customer list as a lazy, read-only table model: pages by keyset, never all rows.

The model knows nothing of the database: it calls `fetch(after, limit)`, which returns up to
`limit` rows with customer numbers greater than `after` (see services.search.search): a list,
or a page that also says whether more follow. Until a fetch function is set (the database
opens after the window is shown), it is empty. A first page found elsewhere (the main window
runs a new search in a worker thread) comes in by `show_page`; later pages by fetchMore.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

if TYPE_CHECKING:
    from custmd_gui.domain.list_row import CustomerListRow

Index = QModelIndex | QPersistentModelIndex


class Page(Protocol):
    """A page of rows that knows whether another follows (services.search.SearchPage)."""

    @property
    def rows(self) -> Sequence[CustomerListRow]: ...

    @property
    def more(self) -> bool: ...


Fetch = Callable[[str, int], "list[CustomerListRow] | Page"]

PAGE_SIZE = 200

# Column keys; the visible header is tr(f"col.{key}").
COLUMNS = ("number", "name", "search_term", "city", "account_group", "telephone", "status")


def _identity(key: str) -> str:
    return key


class CustomerListModel(QAbstractTableModel):
    """Customers in number order, loaded `page_size` at a time through canFetchMore/fetchMore."""

    # Emitted after every fetched page with the number of rows it brought.
    page_loaded = Signal(int)

    def __init__(
        self,
        fetch: Fetch | None = None,
        *,
        tr: Callable[[str], str] = _identity,
        page_size: int = PAGE_SIZE,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._tr = tr
        self._page_size = page_size
        self._rows: list[CustomerListRow] = []
        self._fetch: Fetch | None = fetch
        self._exhausted = False
        self.pages_fetched = 0

    # -- the data source ---------------------------------------------------------------------

    def set_fetch(self, fetch: Fetch | None) -> None:
        """Switch to another source (or none) and start over from the first customer."""
        self.beginResetModel()
        self._fetch = fetch
        self._rows = []
        self._exhausted = False
        self.pages_fetched = 0
        self.endResetModel()

    def show_page(self, fetch: Fetch | None, rows: Sequence[CustomerListRow], more: bool) -> None:
        """Start over with `rows` as the first page (fetched elsewhere); `fetch` brings the
        next pages when `more`. The same first page again (the start-up's, read before the
        database was open, then the search's) only takes the new `fetch`: no reset, so the
        clerk's selection and scrolling stay."""
        if self.pages_fetched == 1 and self._rows == list(rows[: self._page_size]):
            self._fetch = fetch
            self._exhausted = not more
            self.page_loaded.emit(len(self._rows))
            return
        self.beginResetModel()
        self._fetch = fetch
        self._rows = list(rows[: self._page_size])
        self._exhausted = not more
        self.pages_fetched = 1
        self.endResetModel()
        self.page_loaded.emit(len(self._rows))

    @property
    def page_size(self) -> int:
        return self._page_size

    @property
    def exhausted(self) -> bool:
        """True once the last page is loaded (a short page, or one that said so)."""
        return self._exhausted

    def row(self, row: int) -> CustomerListRow:
        return self._rows[row]

    def find(self, number: str) -> int:
        """The row of customer `number` among the loaded rows (in number order), or -1."""
        i = bisect.bisect_left(self._rows, number, key=lambda r: r.number)
        return i if i < len(self._rows) and self._rows[i].number == number else -1

    @property
    def last_number(self) -> str:
        return self._rows[-1].number if self._rows else ""

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._fetch is not None and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent) or self._fetch is None:
            return
        after = self._rows[-1].number if self._rows else ""
        try:
            result = self._fetch(after, self._page_size)
        except BaseException:
            # No endless retries from the view; the exception goes on to the crash handler.
            self._exhausted = True
            raise
        if isinstance(result, list):
            rows, more = result[: self._page_size], len(result) >= self._page_size
        else:
            rows, more = list(result.rows[: self._page_size]), result.more
        self.pages_fetched += 1
        if not more:
            self._exhausted = True
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.page_loaded.emit(len(rows))

    # -- QAbstractTableModel -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(COLUMNS):
                return self._tr(f"col.{COLUMNS[section]}")
            return None
        return str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(index.row(), index.column())
        return None

    def text(self, row: int, column: int) -> str:
        r = self._rows[row]
        key = COLUMNS[column]
        if key == "status":
            parts = []
            if r.blocked:
                parts.append(self._tr("status.blocked"))
            elif r.partly_blocked:
                parts.append(self._tr("status.partly_blocked"))
            if r.deletion_flag:
                parts.append(self._tr("status.deleted"))
            elif r.partly_flagged:
                parts.append(self._tr("status.partly_deleted"))
            return self._tr("status.separator").join(parts)
        value: str = getattr(r, key)
        return value
