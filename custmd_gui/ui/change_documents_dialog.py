"""XD04: a customer's change documents — who changed which field when, from what to what.

A window of its own (not modal): the customer number with F4 search help, filters by field,
date range and activity, and the list newest first. A create (or extend) document is one line,
as in SAP; with a field chosen in the filter its items appear too, showing the first value.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.catalog import Text
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.value_texts import ValueText
from custmd_gui.services.change_documents import (
    ChangeDocumentRow,
    change_documents,
    changed_fields,
    customer_name,
)
from custmd_gui.ui import i18n
from custmd_gui.ui.customer_field import CustomerNumberField
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP
from custmd_gui.ui.styles import ERROR_STYLE
from custmd_gui.ui.value_help import HelpEntry

if TYPE_CHECKING:
    from custmd_gui.persistence.unit_of_work import UnitOfWork
    from custmd_gui.services.context import Actor

UowFactory = Callable[..., "UnitOfWork"]

OBJECT_NAME = "change_documents"
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


def value_tip(value: ValueText, lang: str) -> str:
    """The tooltip of an old or new value: the value as it reads, and for a code the
    customizing does not hold, that it is shown as stored."""
    shown = value.get(lang)
    if value.unknown:
        return f"{shown}\n{_tr(_TEXTS['unknown_code']).format(code=value.value)}"
    return shown


def list_lines(
    rows: Sequence[ChangeDocumentRow], lang: str, *, summarize: bool = True
) -> list[ListLine]:
    """The service's rows (documents oldest first) as lines newest document first. With
    `summarize`, a create or extend document becomes one line naming its segments."""
    documents: dict[uuid.UUID, list[ChangeDocumentRow]] = {}
    for row in rows:
        documents.setdefault(row.document, []).append(row)
    lines: list[ListLine] = []
    for items in reversed(list(documents.values())):
        head = items[0]
        when = f"{head.when.astimezone():%Y-%m-%d %H:%M:%S}"
        activity = head.activity_text.get(lang)
        if summarize and head.activity in ("create", "extend"):
            segments = list(dict.fromkeys(segment_text(r, with_row=False) for r in items))
            title = _TEXTS["created"] if head.activity == "create" else _TEXTS["extended"]
            lines.append(
                ListLine(
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
                )
            )
            continue
        for r in items:
            lines.append(
                ListLine(
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
                )
            )
    return lines


_ROOT = QModelIndex()


class ChangeDocumentsModel(QAbstractTableModel):
    """The lines of the list; plain data, no database."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lines: list[ListLine] = []

    def set_lines(self, lines: list[ListLine]) -> None:
        self.beginResetModel()
        self.lines = lines
        self.endResetModel()

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
            if key == "segment":
                return line.segment or None
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


class OpenDateEdit(QDateEdit):
    """A date that may be left empty (no limit): shown as the special text at its minimum.

    Delete empties it; typing a digit into the empty field starts from today; the calendar
    (Alt+Down) opens on the current month instead of the minimum's."""

    OPEN = QDate(1900, 1, 1)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(self.OPEN)
        self.setDate(self.OPEN)
        calendar = self.calendarWidget()
        calendar.installEventFilter(self)

    def value(self) -> date | None:
        current = self.date()
        if current == self.OPEN:
            return None
        return date(current.year(), current.month(), current.day())

    def set_value(self, value: date | None) -> None:
        if value is None:
            self.setDate(self.OPEN)
        else:
            self.setDate(QDate(value.year, value.month, value.day))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete:
            self.set_value(None)
            return
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and self.value() is None:
            # QDateTimeEdit swallows Tab on its special text: the field would trap the focus.
            forward = event.key() == Qt.Key.Key_Tab and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            QWidget.focusNextPrevChild(self, forward)
            return
        if self.value() is None and event.text().isdigit():
            self.setDate(QDate.currentDate())
            self.setSelectedSection(QDateEdit.Section.YearSection)
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QCalendarWidget)
            and event.type() == QEvent.Type.Show
            and self.value() is None
        ):
            today = QDate.currentDate()
            watched.setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)


class ChangeDocumentsDialog(QDialog):
    """XD04 for one customer at a time; filters apply as soon as they change."""

    loaded = Signal(str)  # the customer number whose documents are listed

    def __init__(
        self, uow_factory: UowFactory, parent: QWidget | None = None, actor: Actor | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(OBJECT_NAME)
        # The logged-in user: a customer the user may not see is "not found" here too.
        self.actor = actor
        self.setWindowFlag(Qt.WindowType.Window)
        self.setSizeGripEnabled(True)
        self.factory = uow_factory
        self.number = ""  # the customer listed
        self.rows: list[ChangeDocumentRow] = []
        self.fields: list[tuple[str, Text]] = []  # (key, label) of the field filter
        self.queried: tuple[object, ...] | None = None  # number and filters of the list shown
        self.dragged: set[int] = set()  # columns the user resized: no longer fitted
        self._fitting = False
        self.fitted: tuple[str, str] | None = None  # customer and language the widths fit

        layout = QVBoxLayout(self)
        top = QGridLayout()
        top.setHorizontalSpacing(8)
        self.number_label = QLabel(self)
        # F4 lists the customers flagged for deletion too: their history is still here.
        self.customer_field = CustomerNumberField(self._search_customers, self)
        self.customer_field.chosen.connect(self._customer_chosen)
        self.number_edit = self.customer_field.edit
        self.name_label = self.customer_field.name_label
        self.number_label.setBuddy(self.number_edit)
        self.show_button = QPushButton(self)
        self.show_button.setObjectName("show_button")
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self._show_clicked)
        top.addWidget(self.number_label, 0, 0)
        top.addWidget(self.customer_field, 0, 1, 1, 8)

        self.field_label = QLabel(self)
        self.field_combo = QComboBox(self)
        self.field_combo.setObjectName("field_filter")
        self.field_combo.setEditable(True)
        self.field_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.field_combo.setMinimumContentsLength(22)
        self.field_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        completer = QCompleter(self.field_combo.model(), self.field_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.field_combo.setCompleter(completer)
        self.field_edit = self.field_combo.lineEdit()
        assert self.field_edit is not None
        self.field_edit.setObjectName("field_filter_text")
        self.field_label.setBuddy(self.field_combo)
        self.from_label = QLabel(self)
        self.date_from = OpenDateEdit(self)
        self.date_from.setObjectName("date_from")
        self.from_label.setBuddy(self.date_from)
        self.to_label = QLabel(self)
        self.date_to = OpenDateEdit(self)
        self.date_to.setObjectName("date_to")
        self.to_label.setBuddy(self.date_to)
        self.activity_label = QLabel(self)
        self.activity_combo = QComboBox(self)
        self.activity_combo.setObjectName("activity_filter")
        self.activity_label.setBuddy(self.activity_combo)
        top.addWidget(self.field_label, 1, 0)
        top.addWidget(self.field_combo, 1, 1)
        top.addWidget(self.from_label, 1, 2)
        top.addWidget(self.date_from, 1, 3)
        top.addWidget(self.to_label, 1, 4)
        top.addWidget(self.date_to, 1, 5)
        top.addWidget(self.activity_label, 1, 6)
        top.addWidget(self.activity_combo, 1, 7)
        top.addWidget(self.show_button, 1, 8)
        top.setColumnStretch(9, 1)
        layout.addLayout(top)

        self.model = ChangeDocumentsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("documents")
        self.table.setModel(self.model)
        self._setup_table()
        layout.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom.addWidget(self.status, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.close)
        for button in self.buttons.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter shows the documents, it never closes
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        copy = QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), self.table)
        copy.setContext(Qt.ShortcutContext.WidgetShortcut)
        copy.activated.connect(self.copy_selection)
        # Enter in the number field: the default button (Show).
        self.field_combo.currentIndexChanged.connect(self._filters_changed)
        self.field_edit.editingFinished.connect(self._field_typed)
        self.date_from.dateChanged.connect(self._filters_changed)
        self.date_to.dateChanged.connect(self._filters_changed)
        self.activity_combo.currentIndexChanged.connect(self._filters_changed)

        self.setTabOrder(self.number_edit, self.field_combo)
        self.setTabOrder(self.field_combo, self.date_from)
        self.setTabOrder(self.date_from, self.date_to)
        self.setTabOrder(self.date_to, self.activity_combo)
        self.setTabOrder(self.activity_combo, self.show_button)
        self.setTabOrder(self.show_button, self.table)

        self.retranslate()
        self._set_filters_enabled(False)
        self.resize(1280, 560)
        self.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- construction ------------------------------------------------------------------------

    def _setup_table(self) -> None:
        table = self.table
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)
        table.setCornerButtonEnabled(False)
        rows = table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(40)
        header.sectionResized.connect(self._section_resized)

    @Slot(int, int, int)
    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._fitting and column != len(COLUMNS) - 1:  # the last one stretches
            self.dragged.add(column)

    def _resize_section(self, column: int, width: int) -> None:
        self._fitting = True
        try:
            self.table.horizontalHeader().resizeSection(column, width)
        finally:
            self._fitting = False

    def _fit_columns(self) -> None:
        """Starting widths from samples, until a customer's documents are listed (then
        _fit_contents)."""
        metrics = self.table.horizontalHeader().fontMetrics()
        samples = {
            "when": "2024-01-15 09:30:00",
            "user": "zhangsan",
            "activity": "更改",
            "tcode": "XD02",
            "segment": "一般数据、公司代码 F011、销售范围 F011/10/01",  # a create's summary
            "field": "统一社会信用代码",
            "field_key": "KNVV-VSBED",
            "old": "东宁广告有限公司",
        }
        for column, (key, title) in enumerate(COLUMNS):
            if key not in samples or column in self.dragged:
                continue
            width = max(
                metrics.horizontalAdvance(samples[key]), metrics.horizontalAdvance(_tr(title))
            )
            self._resize_section(column, width + 24)

    def _fit_contents(self) -> None:
        """Widths from what the list shows (the user may drag them; those stay). The short
        columns get what their texts need; segment, field and the old and new values (a code
        with a long text) share the rest, the narrower taking all it needs first, the wider
        cut (their tooltips show them whole). A create's summary of segments gets only room
        the others leave. Done once per customer and language: a filter does not make the
        columns jump."""
        lines = self.model.lines[:1000]
        if not lines:
            return
        header = self.table.horizontalHeader()
        metrics, head_metrics = self.table.fontMetrics(), header.fontMetrics()
        items = [line for line in lines if line.field_key] or lines  # not the summaries

        def need(column: int, rows: Sequence[ListLine]) -> int:
            key, title = COLUMNS[column]
            texts = [metrics.horizontalAdvance(str(getattr(row, key))) for row in rows]
            return max(head_metrics.horizontalAdvance(_tr(title)), *texts) + 24

        shown = self.table.isVisible()
        room = self.table.viewport().width() if shown else self.width() - 40
        widths: dict[int, int] = {}
        shared: list[int] = []
        for column, key in enumerate(COLUMN_KEYS):
            if column in self.dragged:
                widths[column] = header.sectionSize(column)
            elif key in ("segment", "field", "old", "new"):
                shared.append(column)
                continue
            else:
                widths[column] = need(column, lines)
            room -= widths[column]
        segment = COLUMN_KEYS.index("segment")
        wanted = {c: need(c, items if c == segment else lines) for c in shared}
        left = sorted(shared, key=lambda c: wanted[c])
        room = max(room, 0)
        while left:
            share = room // len(left)
            if wanted[left[0]] > share:
                for column in left:
                    widths[column] = max(share, 60)
                room = 0
                break
            column = left.pop(0)
            widths[column] = wanted[column]
            room -= wanted[column]
        if segment in shared and room > 0:  # what the new values leave: the summaries
            widths[segment] = max(
                widths[segment], min(need(segment, lines), widths[segment] + room)
            )
        for column in range(len(COLUMNS) - 1):  # the last stretches over the rest
            if column not in self.dragged:
                self._resize_section(column, widths[column])

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Customer change documents (XD04)"))
        self.number_label.setText(self.tr("&Customer:"))
        self.number_edit.setToolTip(self.tr("Customer number; F4 searches by name, city, …"))
        self.show_button.setText(self.tr("&Show"))
        self.field_label.setText(self.tr("&Field:"))
        self.field_combo.setToolTip(
            self.tr("Only this field; type part of its name or technical name")
        )
        self.from_label.setText(self.tr("F&rom:"))
        self.to_label.setText(self.tr("&To:"))
        date_tip = self.tr("Empty means no limit; Delete empties it, Alt+Down opens the calendar")
        for edit in (self.date_from, self.date_to):
            edit.setSpecialValueText(self.tr("any"))
            edit.setToolTip(date_tip)
        self.activity_label.setText(self.tr("&Activity:"))
        chosen = self.activity_combo.currentData()
        self.activity_combo.blockSignals(True)
        self.activity_combo.clear()
        for text, data in (
            (self.tr("All"), None),
            (self.tr("Create"), "create"),
            (self.tr("Extend"), "extend"),
            (self.tr("Change"), "change"),
        ):
            self.activity_combo.addItem(text, data)
        self.activity_combo.setCurrentIndex(max(self.activity_combo.findData(chosen), 0))
        self.activity_combo.blockSignals(False)
        self.table.setToolTip(self.tr("Ctrl+C copies the selected lines"))
        self._fill_field_combo()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self._fit_columns()
        self.fitted = None
        if self.number:
            self._show_rows()

    def changeEvent(self, event: QEvent) -> None:
        # The settings dialog installs the other language's translator: follow it.
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- loading -----------------------------------------------------------------------------

    def load(self, number: str) -> bool:
        """List the documents of customer `number`; False (and a message) if there is none."""
        number = number.strip()
        self.number_edit.setText(number)
        if not number:
            self._message(self.tr("Enter a customer number (F4 searches)"), error=True)
            return False
        lang = i18n.language()
        try:
            if self.actor is not None:
                self._check_visible(number)
            name = customer_name(self.factory, number)
            fields = changed_fields(self.factory, number)
        except DomainError as exc:
            self.number = ""
            self.queried = None
            self.rows = []
            self.model.set_lines([])
            self.customer_field.set_name("")
            self._set_filters_enabled(False)
            self._message("; ".join(p.message.get(lang) for p in exc.problems), error=True)
            self.number_edit.selectAll()
            return False
        self.number = number
        self.customer_field.set_name(name)
        self.fields = fields
        self._fill_field_combo()
        self._set_filters_enabled(True)
        self.refresh(force=True)
        self.loaded.emit(number)
        return True

    def _fill_field_combo(self) -> None:
        chosen = self.field_combo.currentData()
        self.field_combo.blockSignals(True)
        self.field_combo.clear()
        self.field_combo.addItem(self.tr("All fields"), None)
        lang = i18n.language()
        for key, label in self.fields:
            self.field_combo.addItem(f"{label.get(lang)} ({key})", key)
        self.field_combo.setCurrentIndex(max(self.field_combo.findData(chosen), 0))
        self.field_combo.blockSignals(False)

    def filters(self) -> tuple[str | None, date | None, date | None, str | None]:
        """(field key, from, to, activity) as chosen; None where not limited."""
        field = self.field_combo.currentData()
        activity = self.activity_combo.currentData()
        return (
            str(field) if field else None,
            self.date_from.value(),
            self.date_to.value(),
            str(activity) if activity else None,
        )

    def refresh(self, *, force: bool = False) -> None:
        """Query with the filters as they are now (unless that list is shown already)."""
        if not self.number:
            return
        query = (self.number, *self.filters())
        if query == self.queried and not force:
            return
        self.queried = query
        field, date_from, date_to, activity = self.filters()
        lang = i18n.language()
        try:
            self.rows = change_documents(
                self.factory,
                self.number,
                field=field,
                date_from=date_from,
                date_to=date_to,
                activity=activity,
                actor=self.actor,
            )
        except DomainError as exc:
            self.queried = None
            self.rows = []
            self.model.set_lines([])
            self._message("; ".join(p.message.get(lang) for p in exc.problems), error=True)
            return
        self._show_rows()

    def _show_rows(self) -> None:
        field = self.field_combo.currentData()
        lines = list_lines(self.rows, i18n.language(), summarize=not field)
        self.model.set_lines(lines)
        if lines and self.fitted != (self.number, i18n.language()):
            self._fit_contents()
            self.fitted = (self.number, i18n.language())
        if lines:
            self.table.selectRow(0)
            self.table.scrollToTop()
        documents = len({r.document for r in self.rows})
        if documents:
            self._message(
                self.tr("%n change documents", "", documents)
                + self.tr(", ")
                + self.tr("%n lines", "", len(lines))
            )
        else:
            self._message(self.tr("No change documents match the selection"))

    def _message(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "")

    def _set_filters_enabled(self, enabled: bool) -> None:
        for widget in (self.field_combo, self.date_from, self.date_to, self.activity_combo):
            widget.setEnabled(enabled)

    # -- slots -------------------------------------------------------------------------------

    @Slot()
    def _show_clicked(self) -> None:
        number = self.customer_field.number()
        if number == self.number and number:
            self.refresh(force=True)  # Enter again: what others changed meanwhile
        elif self.load(number):
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _filters_changed(self) -> None:
        self.refresh()

    @Slot()
    def _field_typed(self) -> None:
        """What was typed into the field filter: a label, a technical name or a unique part
        of one picks that field; empty means all fields."""
        typed = self.field_combo.currentText().strip()
        current = self.field_combo.currentIndex()
        if current >= 0 and self.field_combo.itemText(current) == typed:
            index = current
        else:
            index = self._match_field(typed)
        if index < 0:
            self._message(self.tr("No field matches “{text}”").format(text=typed), error=True)
            return
        self.field_combo.setCurrentIndex(index)
        self.refresh()

    def _match_field(self, typed: str) -> int:
        if not typed:
            return 0
        folded = typed.casefold()
        lang = i18n.language()
        for i, (key, label) in enumerate(self.fields, start=1):
            if folded in (key.casefold(), label.get(lang).casefold()):
                return i
        for i, (key, _label) in enumerate(self.fields, start=1):
            if key.casefold().endswith("-" + folded):  # NAME1 for KNA1-NAME1
                return i
        hits = [
            i
            for i in range(self.field_combo.count())
            if folded in self.field_combo.itemText(i).casefold()
        ]
        return hits[0] if len(hits) == 1 else -1

    @Slot(str)
    def _customer_chosen(self, number: str) -> None:
        """F4 picked a customer: its documents at once."""
        self.load(number)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _search_customers(self, text: str) -> list[HelpEntry]:
        from custmd_gui.services.listing import search_customers

        with self.factory() as uow:
            rows = search_customers(
                uow,
                text,
                50,
                include_flagged=True,
                rights=self.actor.rights if self.actor is not None else None,
            )
        return [HelpEntry(r.number, r.name, r.city) for r in rows]

    def _check_visible(self, number: str) -> None:
        from custmd_gui.services.authorization import check_visible

        assert self.actor is not None
        with self.factory() as uow:
            check_visible(uow, self.actor, number)

    @Slot()
    def copy_selection(self) -> None:
        """Ctrl+C: the selected lines, tab-separated."""
        rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        if not rows:
            return
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.model.as_text(rows))
        self._message(self.tr("%n lines copied", "", len(rows)))


def open_change_documents(
    parent: QWidget | None, uow_factory: UowFactory, number: str = "", actor: Actor | None = None
) -> ChangeDocumentsDialog:
    """XD04 for `number` (or for a number still to enter): the parent's window if it has one
    open already, else a new one. Returns the window, shown and in front."""
    dialog = None
    if parent is not None:
        dialog = parent.findChild(ChangeDocumentsDialog, OBJECT_NAME)
    if dialog is None or dialog.factory is not uow_factory or dialog.actor != actor:
        dialog = ChangeDocumentsDialog(uow_factory, parent, actor)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if number:
        dialog.load(number)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    if number and dialog.number == number:
        dialog.table.setFocus(Qt.FocusReason.OtherFocusReason)
    else:
        dialog.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)
    return dialog
