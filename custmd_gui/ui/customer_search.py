"""The search above the customer list: the search field and its filters (SearchBar), and the
worker that finds the first page of each new query off the GUI thread (SearchRunner).

Light at import (PySide6 only), like the main window: the services are imported when a search
runs, after the database is open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.ui.qtutils import signals_blocked

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory
    from custmd_gui.services.search import CustomerQuery
    from custmd_gui.ui.operations import Operation

# Typing pauses this long before the list searches (each key would be a query otherwise).
DEBOUNCE_MS = 200

ANY, YES, NO = "any", "yes", "no"  # the values of services.search.Either

# (code, text) pairs of a filter's choices, from the customizing.
Choices = Sequence[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class SearchValues:
    """What the search bar holds, as plain strings (services.search.CustomerQuery's fields)."""

    text: str = ""
    account_group: str = ""
    company_code: str = ""
    sales_area: str = ""
    blocked: str = ANY
    deletion_flag: str = ANY

    def is_empty(self) -> bool:
        """No text and no filter: the whole list."""
        return self == SearchValues(text=self.text) and not self.text.strip()

    def query(self) -> CustomerQuery:
        from custmd_gui.services.search import CustomerQuery, Either

        return CustomerQuery(
            self.text,
            self.account_group,
            self.company_code,
            self.sales_area,
            Either(self.blocked),
            Either(self.deletion_flag),
        )

    def number(self) -> str:
        """The customer number the text is, when it is one (10 letters or digits), else ""."""
        text = self.text.strip().upper()
        return text if len(text) == 10 and text.isascii() and text.isalnum() else ""


class SearchBar(QWidget):
    """One search field and the filters; says `changed` once typing pauses.

    In the search field Down goes to the list and Enter to the result (the window decides
    which: `down`, `enter`), Esc empties it."""

    changed = Signal()
    enter = Signal()
    down = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("search_bar")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)

        top = QHBoxLayout()
        self.label = QLabel(self)
        self.text = QLineEdit(self)
        self.text.setObjectName("search_text")
        self.text.setClearButtonEnabled(True)
        self.label.setBuddy(self.text)
        top.addWidget(self.label)
        top.addWidget(self.text, 1)
        layout.addLayout(top)

        filters = QGridLayout()
        filters.setHorizontalSpacing(6)
        filters.setContentsMargins(0, 0, 0, 0)
        self.account_group = self._combo("filter_account_group")
        self.company_code = self._combo("filter_company_code")
        self.sales_area = self._combo("filter_sales_area", editable=True)
        self.blocked = self._combo("filter_blocked")
        self.deletion_flag = self._combo("filter_deletion_flag")
        self.filter_labels: dict[str, QLabel] = {}
        combos = (
            self.account_group,
            self.company_code,
            self.sales_area,
            self.blocked,
            self.deletion_flag,
        )
        for column, combo in enumerate(combos):
            label = QLabel(self)
            label.setBuddy(combo)
            self.filter_labels[combo.objectName()] = label
            filters.addWidget(label, 0, 2 * column)
            filters.addWidget(combo, 0, 2 * column + 1)
        filters.setColumnStretch(2 * len(combos), 1)
        layout.addLayout(filters)

        # A filter the search refuses (a sales area not written VKORG/VTWEG/SPART) says why here.
        self.error = QLabel(self)
        self.error.setObjectName("search_error")
        self.error.setStyleSheet("QLabel { color: #b00020; }")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        for i, combo in enumerate(combos):
            QWidget.setTabOrder(combos[i - 1] if i else self.text, combo)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.changed)
        self.text.textChanged.connect(self._typed)
        self.sales_area.editTextChanged.connect(self._typed)
        for combo in (self.account_group, self.company_code, self.blocked, self.deletion_flag):
            combo.currentIndexChanged.connect(self._typed)
        self.text.installEventFilter(self)
        line = self.sales_area.lineEdit()
        if line is not None:
            line.returnPressed.connect(self.flush)

        self.set_choices([], [], [])
        self.retranslate()

    def _combo(self, name: str, *, editable: bool = False) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setEditable(editable)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        if editable:
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.setMinimumContentsLength(10)
        return combo

    # -- texts and choices ------------------------------------------------------------------

    def retranslate(self) -> None:
        self.label.setText(self.tr("&Search:"))
        self.text.setPlaceholderText(
            self.tr(
                "Customer number, name, search term, initials, city, postal code, "
                "telephone or tax number (Ctrl+F)"
            )
        )
        texts = {
            "filter_account_group": self.tr("Account &group:"),
            "filter_company_code": self.tr("Com&pany code:"),
            "filter_sales_area": self.tr("Sales &area:"),
            "filter_blocked": self.tr("B&locked:"),
            "filter_deletion_flag": self.tr("Marked for &deletion:"),
        }
        for name, label in self.filter_labels.items():
            label.setText(texts[name])
        everything = self.tr("All")
        for combo in (self.account_group, self.company_code):
            combo.setItemText(0, everything)
        line = self.sales_area.lineEdit()
        if line is not None:
            line.setPlaceholderText(everything)
        self.sales_area.setToolTip(
            self.tr("Sales organization/distribution channel/division, e.g. F011/10/01")
        )
        for combo in (self.blocked, self.deletion_flag):
            with signals_blocked(combo):
                current = combo.currentData() or ANY
                combo.clear()
                combo.addItem(everything, ANY)
                combo.addItem(self.tr("Yes"), YES)
                combo.addItem(self.tr("No"), NO)
                combo.setCurrentIndex(max(combo.findData(current), 0))

    def set_choices(
        self, account_groups: Choices, company_codes: Choices, sales_areas: Choices
    ) -> None:
        """The filters' choices (from the customizing); what is chosen stays chosen."""
        for combo, choices in (
            (self.account_group, account_groups),
            (self.company_code, company_codes),
        ):
            with signals_blocked(combo):
                current = combo.currentData() or ""
                combo.clear()
                combo.addItem(self.tr("All"), "")
                for code, text in choices:
                    combo.addItem(f"{code} {text}".strip(), code)
                combo.setCurrentIndex(max(combo.findData(current), 0))
        with signals_blocked(self.sales_area):
            typed = self.sales_area.currentText()
            self.sales_area.clear()
            self.sales_area.addItem("", "")
            for code, text in sales_areas:
                self.sales_area.addItem(code, code)
                self.sales_area.setItemData(
                    self.sales_area.count() - 1, text, Qt.ItemDataRole.ToolTipRole
                )
            self.sales_area.setEditText(typed)

    # -- values ------------------------------------------------------------------------------

    def values(self) -> SearchValues:
        return SearchValues(
            text=self.text.text(),
            account_group=str(self.account_group.currentData() or ""),
            company_code=str(self.company_code.currentData() or ""),
            sales_area=self.sales_area.currentText().strip(),
            blocked=str(self.blocked.currentData() or ANY),
            deletion_flag=str(self.deletion_flag.currentData() or ANY),
        )

    def set_values(self, values: SearchValues) -> None:
        """Put `values` into the fields (one `changed` follows, after the pause)."""
        self.text.setText(values.text)
        for combo, data in (
            (self.account_group, values.account_group),
            (self.company_code, values.company_code),
            (self.blocked, values.blocked),
            (self.deletion_flag, values.deletion_flag),
        ):
            combo.setCurrentIndex(max(combo.findData(data), 0))
        self.sales_area.setEditText(values.sales_area)

    @property
    def pending(self) -> bool:
        """Typed, but the pause has not passed yet."""
        return self._timer.isActive()

    @Slot()
    def flush(self) -> None:
        """Say `changed` now if typing is waiting for its pause."""
        if self._timer.isActive():
            self._timer.stop()
            self.changed.emit()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    @Slot()
    def _typed(self) -> None:
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.text and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                return super().eventFilter(watched, event)
            if key == Qt.Key.Key_Down:
                self.down.emit()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.flush()
                self.enter.emit()
                return True
            if key == Qt.Key.Key_Escape and self.text.text():
                self.text.clear()
                return True
        return super().eventFilter(watched, event)


class SearchRunner(QObject):
    """Runs the first page of a query in a worker thread (ui.operations); only the newest
    query counts.

    Every `start` draws a new generation; a result says which generation it answers, and
    `is_current` tells the window whether it is still wanted (typing fast leaves stale
    answers behind, dropped). Each job opens its own unit of work."""

    found = Signal(int, object, object)  # generation, SearchValues, services.search.SearchPage
    failed = Signal(int, object)  # generation, sys.exc_info()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.generation = 0  # the newest query's
        self.answered = 0  # the newest answered (applied or failed)
        self._operations: list[Operation[Any]] = []

    @property
    def busy(self) -> bool:
        """The newest query has not been answered yet."""
        return self.answered != self.generation

    def start(
        self, factory: UowFactory, values: SearchValues, limit: int, actor: Actor
    ) -> int:
        """Search in a worker thread for what `actor` may see."""
        from custmd_gui.ui.operations import Operation

        self.generation += 1
        generation = self.generation

        def work() -> Any:
            if generation != self.generation:
                return None  # overtaken before it started: nobody waits for it
            from custmd_gui.services.search import search_customers

            return search_customers(factory, values.query(), "", limit, actor)

        def found(page: Any) -> None:
            if page is not None:
                self.found.emit(generation, values, page)

        def failed(exc: BaseException) -> None:
            self.failed.emit(generation, (type(exc), exc, exc.__traceback__))

        # Not busy: the clerk types on while the list is looked up.
        operation = Operation(None, work, busy=False).on_success(found).on_failure(failed)
        operation.on_crash(lambda info: self.failed.emit(generation, info))
        self._operations = [op for op in self._operations if op.running]
        self._operations.append(operation.run())
        return generation

    def is_current(self, generation: int) -> bool:
        return generation == self.generation

    def answer(self, generation: int) -> None:
        """The window took the answer of `generation` (or its failure)."""
        self.answered = max(self.answered, generation)

    def drop(self) -> None:
        """Forget every query under way (the database is going)."""
        self.generation += 1
        self.answered = self.generation

    def wait(self, msecs: int = -1) -> bool:
        """Block until the searches' threads are done (the database is going)."""
        timeout = None if msecs < 0 else msecs / 1000
        return all(op.join(timeout) for op in self._operations)
