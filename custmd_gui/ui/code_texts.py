"""Texts beside codes, as SAP shows them: 0021 广告业, 1038 责任中心 1038, AG 售达方.

Every line edit of a coded field (a catalog field with a value help, or a customer number
with the customer search help) gets a label beside it holding the text of the code typed, in
the UI language, updated as the clerk types; a grid's coded cells show `code text` while not
edited. The text comes from the customizing through domain/value_texts (the same reading as
XD04), a customer's name from the database through services/customer_names, cached: a name is
looked up when a number is shown or left, never on each keystroke. A code the customizing does
not know shows no text: the validator names it, and a guess beside it would mislead.

What the widgets hold is never touched: the line edit and the grid item keep the code alone,
so the document the screens hand back (ScreenStack.collect) is what it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QBoxLayout,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
)

from custmd_gui.catalog import Catalog, FieldDef, catalog
from custmd_gui.domain import field_types
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.value_texts import ValueTexts
from custmd_gui.ui import i18n
from custmd_gui.ui.form_rows import form_row
from custmd_gui.ui.operations import customer_events

if TYPE_CHECKING:
    from custmd_gui.ui.field_binding import GridBinding, ScreenBinding

NameLookup = Callable[[Iterable[str]], Mapping[str, str]]

_NO_LIMIT = 16_777_215  # QWIDGETSIZE_MAX: a widget without a maximum width


def has_text(fd: FieldDef) -> bool:
    """Does a value of this field read with a text beside it?"""
    return bool(fd.value_help) or fd.search_help == "customers"


class CustomerNames:
    """Customer names by number, looked up once and kept for the window's life (a name read
    a minute ago is good enough to tell which customer a number is)."""

    def __init__(self, lookup: NameLookup | None) -> None:
        self._lookup = lookup
        self._names: dict[str, str] = {}  # "" for a number without a (visible) customer

    def known(self, number: str) -> bool:
        """Looked up already (or nothing to look it up with)."""
        return number in self._names or self._lookup is None

    def get(self, number: str) -> str:
        return self._names.get(number, "")

    def forget(self, numbers: Iterable[str]) -> None:
        """Read these again when next shown (created, renamed or deleted meanwhile)."""
        for number in numbers:
            self._names.pop(number, None)

    def fetch(self, numbers: Iterable[str]) -> bool:
        """Look up the numbers not looked up yet; True if any was."""
        wanted = {n for n in numbers if n and n not in self._names}
        if not wanted or self._lookup is None:
            return False
        found = self._lookup(wanted)
        for number in wanted:
            self._names[number] = found.get(number, "")
        return True


class CodeTexts(QObject):
    """The texts beside the codes of one window's screens."""

    def __init__(
        self,
        customizing: Customizing,
        names: NameLookup | None = None,
        cat: Catalog | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.catalog = cat or catalog()
        self.values = ValueTexts(customizing, self.catalog)
        self.names = CustomerNames(names)
        self.labels: dict[str, CodeTextLabel] = {}  # by the line edit's object name
        self.grids: list[GridTexts] = []
        # The customer on the screens (its number on the initial screen, NAME1 on the
        # address screen): a partner pointing at the customer itself reads with the name
        # typed, which a new customer has nowhere else.
        self._own_number: QLineEdit | None = None
        self._own_name: QLineEdit | None = None
        # A customer saved, renamed or deleted in any window: its name is read again.
        customer_events().customers_changed.connect(self.customers_changed)

    # -- reading ----------------------------------------------------------------------------

    def text(self, fd: FieldDef, value: str, row: Mapping[str, str] | None = None) -> str:
        """The text of `value` of field `fd` in the UI language; "" for none or unknown."""
        value = field_types.of(fd).normalize(value.strip())
        if not value:
            return ""
        if fd.search_help == "customers":
            return self.customer_name(value)
        found = self.values.text(fd.key, value, row)
        if found.text is None or found.unknown or found.flag:
            return ""
        text = found.text.get(i18n.language())
        return "" if text == value else text  # a title 公司 needs no 公司 beside it

    def customer_name(self, number: str) -> str:
        own = self._own_number.text().strip() if self._own_number is not None else ""
        if own and number == own and self._own_name is not None:
            typed = self._own_name.text().strip()
            if typed:
                return typed
        return self.names.get(number)

    @Slot(list)
    def customers_changed(self, numbers: list[str]) -> None:
        self.names.forget(numbers)
        for label in self.labels.values():
            if label.fd.search_help == "customers" and label.edit.text().strip() in numbers:
                label.refresh(fetch=True)
        for grid in self.grids:
            grid.schedule()

    # -- attaching --------------------------------------------------------------------------

    def attach(self, binding: ScreenBinding) -> None:
        """Texts beside the coded line edits and in the coded grid cells of a screen."""
        if "KNA1-KUNNR" in binding.editors and binding.screen == "initial":
            editor = binding.editors["KNA1-KUNNR"]
            self._own_number = editor if isinstance(editor, QLineEdit) else None
        if isinstance(name := binding.editors.get("KNA1-NAME1"), QLineEdit):
            self._own_name = name
        for key, editor in binding.editors.items():
            fd = binding.fields[key]
            if isinstance(editor, QLineEdit) and has_text(fd):
                parent = binding.editors.get(fd.value_help_parent or "")
                self.attach_edit(editor, fd, parent if isinstance(parent, QLineEdit) else None)
        for grid in binding.grids.values():
            if any(has_text(fd) for fd in grid.columns):
                self.grids.append(GridTexts(self, grid))

    def attach_edit(
        self, edit: QLineEdit, fd: FieldDef, parent: QLineEdit | None = None
    ) -> CodeTextLabel:
        """A text label beside `edit` (a field of `fd`'s kind); `parent`: the line edit of
        the field a dependent value help depends on (the country of a region)."""
        label = CodeTextLabel(self, edit, fd, parent)
        self.labels[edit.objectName()] = label
        return label


class CodeTextLabel(QLabel):
    """The text of the code in a line edit, beside it in the same form row."""

    def __init__(
        self, texts: CodeTexts, edit: QLineEdit, fd: FieldDef, parent_edit: QLineEdit | None
    ) -> None:
        super().__init__(edit.parentWidget())
        self.setObjectName(f"text_{edit.objectName()}")
        self.texts = texts
        self.edit = edit
        self.fd = fd
        self.parent_edit = parent_edit
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet("color: #455a64;")
        self._place()
        edit.textChanged.connect(self._changed)
        edit.editingFinished.connect(self._left)
        if parent_edit is not None:
            parent_edit.textChanged.connect(self._changed)
        self.refresh()

    def _place(self) -> None:
        """Put the line edit and this label side by side where the line edit was. The line
        edit keeps its width (a long text must not squeeze it); the label is never cut."""
        edit = self.edit
        if edit.maximumWidth() < _NO_LIMIT:
            edit.setMinimumWidth(edit.maximumWidth())
        container = edit.parentWidget()
        layout = container.layout() if container is not None else None
        box = QHBoxLayout()
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(8)
        if isinstance(layout, QFormLayout):
            row = form_row(layout, edit)
            role = QFormLayout.ItemRole.FieldRole
            layout.takeAt(layout.indexOf(edit))
            self._fill(box)
            layout.setLayout(row, role, box)
        elif isinstance(layout, QBoxLayout):
            index = layout.indexOf(edit)
            layout.takeAt(index)
            self._fill(box)
            layout.insertLayout(index, box)

    def _fill(self, box: QHBoxLayout) -> None:
        box.addWidget(self.edit)
        box.addWidget(self)
        box.addStretch(1)

    def row(self) -> dict[str, str]:
        parent = self.fd.value_help_parent
        if parent is None or self.parent_edit is None:
            return {}
        return {parent: self.parent_edit.text().strip()}

    @Slot()
    def refresh(self, fetch: bool = False) -> None:
        if fetch and self.fd.search_help == "customers":
            self.texts.names.fetch([self.edit.text().strip()])
        text = self.texts.text(self.fd, self.edit.text(), self.row())
        self.setText(text)
        self.setToolTip(text)

    @Slot(str)
    def _changed(self, _text: str) -> None:
        # Typed: the cached name only (no database trip per key); set by the program (a
        # customer shown, a value picked): look the name up now.
        self.refresh(fetch=not self.edit.hasFocus())

    @Slot()
    def _left(self) -> None:
        self.refresh(fetch=True)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(event)


class GridTexts(QObject):
    """A grid whose coded cells show `code text` while not edited (the item keeps the code);
    the columns widen to what they show."""

    def __init__(self, texts: CodeTexts, grid: GridBinding) -> None:
        super().__init__(grid.table)
        self.texts = texts
        self.grid = grid
        table = grid.table
        self.coded = {i for i, fd in enumerate(grid.columns) if has_text(fd)}
        grid.show_text(self.shown)
        # Names are looked up and columns fitted once the rows are in, not while painting.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.update)
        model = table.model()
        model.dataChanged.connect(self.schedule)
        model.rowsInserted.connect(self.schedule)
        table.installEventFilter(self)
        self.schedule()

    def row_values(self, row: int) -> dict[str, str]:
        return {fd.key: self.grid.cell(row, c) for c, fd in enumerate(self.grid.columns)}

    def shown(self, row: int, column: int, value: str) -> str:
        """What cell (row, column) holding `value` shows."""
        if column not in self.coded:
            return value
        fd = self.grid.columns[column]
        if fd.search_help == "customers" and not self.texts.names.known(value.strip()):
            self.schedule()
        text = self.texts.text(fd, value, self.row_values(row))
        return f"{value} {text}" if text else value

    @Slot()
    def schedule(self, *_args: object) -> None:
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def update(self) -> None:
        """Look up the names of the partner numbers shown, widen the coded columns to their
        texts and paint again."""
        table = self.grid.table
        numbers = [
            self.grid.cell(r, c)
            for r in range(table.rowCount())
            for c in self.coded
            if self.grid.columns[c].search_help == "customers"
        ]
        self.texts.names.fetch(numbers)
        metrics = table.fontMetrics()
        last = table.columnCount() - 1
        for c in self.coded:
            if c == last:
                continue  # the last column stretches to the table's width
            widest = max(
                (
                    metrics.horizontalAdvance(self.shown(r, c, self.grid.cell(r, c)))
                    for r in range(table.rowCount())
                ),
                default=0,
            )
            if table.columnWidth(c) < widest + 24:
                table.setColumnWidth(c, widest + 24)
        table.viewport().update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.grid.table and event.type() == QEvent.Type.LanguageChange:
            self.schedule()
        return super().eventFilter(watched, event)
