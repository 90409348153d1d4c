"""The main window's customer list and the search above it (the base of ui.main.MainWindow).

The search field and the filters (ui.customer_search) search as the clerk types: after a short
pause the first page of the new query is found in a worker thread, and only the newest query's
answer is shown; further pages load as the list scrolls.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.ui import crash
from custmd_gui.ui.customer_list_model import COLUMNS, CustomerListModel, Fetch
from custmd_gui.ui.customer_search import SearchBar, SearchRunner, SearchValues
from custmd_gui.ui.main_texts import language, tr_
from custmd_gui.ui.operations import customer_events

if TYPE_CHECKING:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory
    from custmd_gui.services.search import SearchPage
    from custmd_gui.ui.startup import OpenedDatabase


def search_fetch(factory: UowFactory, values: SearchValues, actor: Actor) -> Fetch:
    """The list's next pages of the query `values` (services.search), each in its own unit of
    work, with only the customers `actor` may see."""
    from custmd_gui.services.search import search_customers

    query = values.query()

    def fetch(after: str, limit: int) -> SearchPage:
        return search_customers(factory, query, after, limit, actor)

    return fetch


class CustomerListWindow(QMainWindow):
    """The search bar, the banner for problems and the list of customers, in the central
    widget; the database and the user are set once they are known (ui.main)."""

    def __init__(self) -> None:
        super().__init__()
        self.crash_handler: crash.CrashHandler | None = None
        self.database: OpenedDatabase | None = None
        # Who works in this window: the logged-in user (or, in single-user mode and for now
        # in the shared mode, the operating-system user); set once the database is open.
        self.actor: Actor | None = None
        self._message_after_load = ""
        self._shown_values = SearchValues()  # the query of the rows the list shows
        self._enter_pending = False  # Enter in the search field waits for the newest answer

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(6)

        self.search_bar = SearchBar(central)
        self.search_bar.setEnabled(False)  # until the database is open
        self.search = self.search_bar.text
        self.search_bar.changed.connect(self.start_search)
        self.search_bar.enter.connect(self._search_entered)
        self.search_bar.down.connect(self._focus_list)
        layout.addWidget(self.search_bar)
        self.searcher = SearchRunner(self)
        self.searcher.found.connect(self._search_found)
        self.searcher.failed.connect(self._search_failed)
        customer_events().customers_changed.connect(self._customers_changed)

        self.banner = QLabel(central)
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setStyleSheet(
            "QLabel { background: #fff4ce; color: #5c4400; border: 1px solid #e0c060;"
            " padding: 6px; }"
        )
        self.banner.hide()
        layout.addWidget(self.banner)

        self.model = CustomerListModel(tr=tr_, parent=self)
        self.table = QTableView(central)
        self.table.setObjectName("customer_list")
        self.table.setModel(self.model)
        self._setup_table()
        layout.addWidget(self.table, 1)
        QWidget.setTabOrder(self.search_bar.deletion_flag, self.table)
        self.setCentralWidget(central)

    def _setup_table(self) -> None:
        table = self.table
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several customers for a mass block (Ctrl/Shift+click, Shift+arrows); Enter still
        # displays the current one.
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setSortingEnabled(False)
        table.setCornerButtonEnabled(False)
        table.setTabKeyNavigation(False)  # Tab leaves the list (back to the search field)
        table.verticalHeader().hide()
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(40)
        header.setSectionResizeMode(COLUMNS.index("name"), QHeaderView.ResizeMode.Stretch)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Every column but the name (which takes the rest) as wide as a typical value or its
        title in the current language, whichever is wider: again after a language switch, or
        the English titles are clipped ("Account gr")."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        samples = {
            "number": "0000000000",
            "search_term": "东宁广告东宁广告",
            "city": "乌鲁木齐市",
            "account_group": "1110",
            "telephone": "+86 021-12345678",
            "status": tr_("status.blocked") + tr_("status.separator") + tr_("status.deleted"),
        }
        for column, key in enumerate(COLUMNS):
            if key != "name":
                value = metrics.horizontalAdvance(samples[key]) + 28  # the cell's margins
                # The header's own size hint: the title with the style's margins and font.
                header.resizeSection(column, max(value, header.sectionSizeHint(column)))

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def retranslate_list(self) -> None:
        self.search_bar.retranslate()
        self._fill_search_choices()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self.fit_columns()

    # -- the search ---------------------------------------------------------------------------

    def _fill_search_choices(self) -> None:
        """The filters' choices from the customizing, in the current language."""
        if self.database is None:
            return
        customizing = self.database.customizing
        lang = language()
        self.search_bar.set_choices(
            [(g.code, g.text.get(lang)) for g in customizing.account_groups.values()],
            [(v.code, v.text.get(lang)) for v in customizing.values("company_codes")],
            [(v.code, v.text.get(lang)) for v in customizing.values("sales_areas")],
        )

    @Slot()
    def start_search(self) -> None:
        """Find the first page of what the search bar holds, in a worker thread."""
        database = self.database
        if database is None:
            return
        from custmd_gui.domain.errors import DomainError

        values = self.search_bar.values()
        try:
            values.query().filters()  # a filter it cannot read is refused here, at once
        except DomainError as exc:
            self._search_refused(exc)
            return
        self.search_bar.clear_error()
        assert self.actor is not None  # the database is set with the actor
        self.searcher.start(database.factory, values, self.model.page_size, self.actor)

    @Slot(list)
    def _customers_changed(self, _numbers: list[str]) -> None:
        """Customers were saved, blocked or deleted, in whichever window: the list shows
        them as they are now, and the status bar keeps what that window said."""
        self.reload_list(keep_message=self.statusBar().currentMessage())

    def reload_list(self, keep_message: str = "") -> None:
        """Fetch the list again; `keep_message` stays in the status bar instead of the count
        (SAP's "created" line is what the clerk must see)."""
        if self.database is not None:
            self._message_after_load = keep_message
            self.start_search()

    @Slot(int, object, object)
    def _search_found(self, generation: int, values: SearchValues, page: SearchPage) -> None:
        if not self.searcher.is_current(generation) or self.database is None:
            return  # a newer query is under way: this answer is stale
        self.searcher.answer(generation)
        self._shown_values = values
        assert self.actor is not None
        self.model.show_page(
            search_fetch(self.database.factory, values, self.actor), page.rows, page.more
        )
        if self._enter_pending:
            self._enter_pending = False
            self._go_to_result()

    @Slot(int, object)
    def _search_failed(self, generation: int, info: crash.ExcInfo) -> None:
        if not self.searcher.is_current(generation):
            return
        self.searcher.answer(generation)
        self._enter_pending = False
        from custmd_gui.domain.errors import DomainError

        if isinstance(info[1], DomainError):
            self._search_refused(info[1])
            return
        self.statusBar().showMessage(crash.summary(info[1]))
        if self.crash_handler is not None:
            self.crash_handler.report(info)
        else:
            sys.excepthook(*info)

    def _search_refused(self, error: DomainError) -> None:
        """A filter the search cannot read: say why; the typing and the list stay."""
        self._enter_pending = False
        text = "; ".join(p.message.get(language()) for p in error.problems)
        self.search_bar.show_error(text)
        self.statusBar().showMessage(text)

    @Slot()
    def focus_search(self) -> None:
        """Ctrl+F: into the search field, its text selected for typing over."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    @Slot()
    def _search_entered(self) -> None:
        if self.searcher.busy:
            self._enter_pending = True  # once the answer is there
        else:
            self._go_to_result()

    def _go_to_result(self) -> None:
        """Enter in the search field: the customer whose number was typed (loading pages up
        to it), else the first one found; the list takes the focus."""
        number = self.search_bar.values().number()
        row = -1
        if number:
            model = self.model
            while model.find(number) < 0 and model.canFetchMore() and model.last_number < number:
                model.fetchMore()
            row = model.find(number)
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self._select_row(row)

    @Slot()
    def _focus_list(self) -> None:
        """Down in the search field: into the list, on its current (or first) row."""
        current = self.table.currentIndex().row()
        if 0 <= current < self.model.rowCount():
            self._select_row(current)
        elif self.model.rowCount():
            self._select_row(0)
        else:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.selectRow(row)
        self.table.scrollTo(index)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- the customers chosen ----------------------------------------------------------------

    def current_number(self) -> str:
        row = self.table.currentIndex().row()
        return self.model.row(row).number if 0 <= row < self.model.rowCount() else ""

    def _selected_numbers(self) -> list[str]:
        """The customers selected in the list, in list order; else the current one."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        numbers = [self.model.row(r).number for r in rows if 0 <= r < self.model.rowCount()]
        if not numbers and (current := self.current_number()):
            numbers = [current]
        return numbers

    def selected_flagged(self) -> list[str]:
        """The customers selected in the list that carry the deletion flag, in list order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [
            self.model.row(r).number
            for r in rows
            if 0 <= r < self.model.rowCount() and self.model.row(r).deletion_flag
        ]
