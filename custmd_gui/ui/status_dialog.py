"""XD05/XD06: block and unblock one customer, or set its deletion flags, at every level
(the mass block is ui/mass_status_dialog.py). services.status does the work.

The single-customer window reads the customer's blocks (or flags) into one compact grid: a row
per level (central, each company code, each sales area), a column per block. Saving sends only
what the clerk changed (the diff against what was read), with the version read, so that a
change made meanwhile by someone else is refused instead of overwritten. A refusal keeps
everything typed; nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError
from custmd_gui.services.context import Actor
from custmd_gui.services.locks import lock_holder
from custmd_gui.services.status import (
    COMMENT_KEY,
    CustomerStatus,
    Level,
    SalesBlocks,
    StatusEdit,
    StatusReport,
    change_status,
    changed_numbers,
    read_status,
)
from custmd_gui.ui import i18n, icons
from custmd_gui.ui.customer_field import CustomerNumberField
from custmd_gui.ui.operations import Operation
from custmd_gui.ui.qtutils import bring_up
from custmd_gui.ui.status_widgets import (
    KINDS,
    ReasonCombo,
    comment_and_message,
    problem_lines,
    widget_key,
)
from custmd_gui.ui.styles import WARNING_STYLE
from custmd_gui.ui.value_help import customer_search

if TYPE_CHECKING:
    from custmd_gui.services.ports import UowFactory

Mode = Literal["block", "deletion"]

OBJECT_NAMES: dict[Mode, str] = {"block": "status_xd05", "deletion": "status_xd06"}


class StatusDialog(QDialog):
    """XD05 (mode "block") or XD06 (mode "deletion") for one customer at a time."""

    saved = Signal(str, str)  # customer number, the summary of what was saved
    loaded = Signal(str)

    def __init__(
        self,
        uow_factory: UowFactory,
        customizing: Customizing,
        actor: Actor,
        *,
        mode: Mode = "block",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(OBJECT_NAMES[mode])
        self.setWindowFlag(Qt.WindowType.Window)
        self.setSizeGripEnabled(True)
        self.factory = uow_factory
        self.customizing = customizing
        self.actor = actor
        self.mode: Mode = mode
        self.status: CustomerStatus | None = None
        # The editors of the grid, by level; rebuilt for each customer read.
        self.central_reasons: dict[str, ReasonCombo] = {}
        self.central_posting: QCheckBox | None = None
        self.central_deletion: QCheckBox | None = None
        self.company_code_boxes: dict[str, QCheckBox] = {}
        self.area_reasons: dict[str, dict[str, ReasonCombo]] = {}
        self.area_deletion: dict[str, QCheckBox] = {}
        self.level_labels: list[tuple[QLabel, Callable[[], str]]] = []
        self.header_labels: list[tuple[QLabel, Callable[[], str]]] = []

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.setSpacing(4)
        self.number_label = QLabel(self)
        # Every customer, those flagged for deletion too: XD06 removes flags, XD05 blocks them.
        self.customer_field = CustomerNumberField(customer_search(uow_factory, actor), self)
        self.customer_field.chosen.connect(self._number_entered)
        self.customer_field.confirmed.connect(self._number_entered)
        self.number_edit = self.customer_field.edit
        self.name_label = self.customer_field.name_label
        self.number_label.setBuddy(self.number_edit)
        top.addWidget(self.number_label)
        top.addWidget(self.customer_field, 1)
        layout.addLayout(top)

        self.rule_label = QLabel(self)
        self.rule_label.setObjectName("rule")
        self.rule_label.setWordWrap(True)
        self.rule_label.setStyleSheet(WARNING_STYLE)
        self.rule_label.setVisible(mode == "deletion")
        layout.addWidget(self.rule_label)

        self.levels_area = QScrollArea(self)
        self.levels_area.setObjectName("levels")
        self.levels_area.setWidgetResizable(True)
        self.levels_area.setFrameShape(QFrame.Shape.StyledPanel)
        self.levels_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.grid_widget = QWidget()
        self.levels_area.setWidget(self.grid_widget)
        layout.addWidget(self.levels_area, 1)

        self.comment_label, self.comment_edit, self.message = comment_and_message(self, layout)

        buttons = QHBoxLayout()
        self.setWindowIcon(icons.icon("block" if mode == "block" else "deletion_flags"))
        self.save_button = QPushButton(icons.icon("save"), "", self)
        self.save_button.setObjectName("save_button")
        self.save_button.clicked.connect(self.save)
        self.all_button = QPushButton(
            icons.icon("unblock" if mode == "block" else "deletion_flags"), "", self
        )
        self.all_button.setObjectName("all_button")
        self.all_button.clicked.connect(self.clear_all)
        self.cancel_button = QPushButton(icons.icon("cancel"), "", self)
        self.cancel_button.setObjectName("cancel_button")
        self.cancel_button.clicked.connect(self.close)
        buttons.addStretch(1)
        for button in (self.save_button, self.all_button, self.cancel_button):
            # Enter reads the customer in the number field; it never saves or closes.
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout.addLayout(buttons)

        save = QShortcut(QKeySequence("Ctrl+S"), self)
        save.setContext(Qt.ShortcutContext.WindowShortcut)
        save.activated.connect(self.save)

        self.retranslate()
        self._build_grid()
        self.resize(640 if mode == "block" else 520, 300)
        self.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- texts -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        if self.mode == "block":
            self.setWindowTitle(self.tr("Block/unblock customer (XD05)"))
            self.all_button.setText(self.tr("&Unblock everything"))
            self.all_button.setToolTip(
                self.tr("Remove every block at every level (the comment is still required)")
            )
        else:
            self.setWindowTitle(self.tr("Set deletion flags (XD06)"))
            self.all_button.setText(self.tr("&Remove every deletion flag"))
            self.all_button.setToolTip(
                self.tr("Remove the deletion flags at every level (the comment is required)")
            )
        self.rule_label.setText(
            self.tr("A customer with business data cannot be deleted, only blocked")
        )
        self.number_label.setText(self.tr("&Customer:"))
        self.number_edit.setToolTip(
            self.tr("Customer number; Enter reads it, F4 searches by name, city, …")
        )
        self.comment_label.setText(self.tr("Co&mment:"))
        self.comment_edit.setPlaceholderText(self.tr("Required: why (e.g. overdue payments)"))
        self.save_button.setText(self.tr("&Save (Ctrl+S)"))
        self.cancel_button.setText(self.tr("Cancel"))
        for label, text in self.level_labels + self.header_labels:
            label.setText(text())
        for combo in self._combos():
            combo.fill()

    def changeEvent(self, event: QEvent) -> None:
        # The settings dialog installs the other language's translator: follow it.
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _combos(self) -> list[ReasonCombo]:
        combos = list(self.central_reasons.values())
        for by_kind in self.area_reasons.values():
            combos += by_kind.values()
        return combos

    # -- the grid ----------------------------------------------------------------------------

    def _header_texts(self) -> list[Callable[[], str]]:
        if self.mode == "block":
            return [
                lambda: self.tr("Level"),
                lambda: self.tr("Order block"),
                lambda: self.tr("Delivery block"),
                lambda: self.tr("Billing block"),
                lambda: self.tr("Posting block"),
            ]
        return [lambda: self.tr("Level"), lambda: self.tr("Deletion flag")]

    def _level_text(self, level: str, key: str = "") -> str:
        lang = i18n.language()
        if level == "central":
            if self.mode == "block":
                return self.tr("Central (all sales areas and company codes)")
            return self.tr("Central (the whole customer)")
        if level == "company_code":
            value = self.customizing.value("company_codes", key)
            text = self.tr("Company code {code}").format(code=key)
        else:
            value = self.customizing.value("sales_areas", key)
            text = self.tr("Sales area {area}").format(area=key)
        return f"{text}  {value.text.get(lang)}" if value is not None else text

    def _build_grid(self) -> None:
        """One row per level of the customer read (only the header when none is)."""
        self.central_reasons = {}
        self.central_posting = self.central_deletion = None
        self.company_code_boxes = {}
        self.area_reasons = {}
        self.area_deletion = {}
        self.level_labels = []
        self.header_labels = []
        container = QWidget()
        container.setObjectName("levels_grid")
        grid = QGridLayout(container)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        for column, text in enumerate(self._header_texts()):
            label = QLabel(text(), container)
            label.setStyleSheet("QLabel { font-weight: bold; }")
            grid.addWidget(label, 0, column)
            self.header_labels.append((label, text))
        status = self.status
        if status is not None:
            row = 1
            self._add_level_label(grid, container, row, "central")
            if self.mode == "block":
                for column, kind in enumerate(KINDS, start=1):
                    combo = self._reason(container, f"central_{kind}")
                    combo.set_value(getattr(status.central, kind))
                    self.central_reasons[kind] = combo
                    grid.addWidget(combo, row, column)
                self.central_posting = self._check(container, "central_posting", status.posting)
                grid.addWidget(self.central_posting, row, 4)
            else:
                self.central_deletion = self._check(container, "central_deletion", status.deletion)
                grid.addWidget(self.central_deletion, row, 1)
            for code, (posting, deletion) in sorted(status.company_codes.items()):
                row += 1
                self._add_level_label(grid, container, row, "company_code", code)
                suffix = "posting" if self.mode == "block" else "deletion"
                box = self._check(
                    container,
                    f"company_code_{widget_key(code)}_{suffix}",
                    posting if self.mode == "block" else deletion,
                )
                self.company_code_boxes[code] = box
                grid.addWidget(box, row, 4 if self.mode == "block" else 1)
            for area, (blocks, deletion) in sorted(status.sales_areas.items()):
                row += 1
                self._add_level_label(grid, container, row, "sales_area", area)
                if self.mode == "block":
                    by_kind = {}
                    for column, kind in enumerate(KINDS, start=1):
                        combo = self._reason(container, f"sales_area_{widget_key(area)}_{kind}")
                        combo.set_value(getattr(blocks, kind))
                        by_kind[kind] = combo
                        grid.addWidget(combo, row, column)
                    self.area_reasons[area] = by_kind
                else:
                    box = self._check(
                        container, f"sales_area_{widget_key(area)}_deletion", deletion
                    )
                    self.area_deletion[area] = box
                    grid.addWidget(box, row, 1)
        grid.setColumnStretch(grid.columnCount(), 1)
        grid.setRowStretch(grid.rowCount(), 1)
        self.levels_area.setWidget(container)  # deletes the previous customer's grid
        self.grid_widget = container
        self._chain_tab_order()
        self._fit_grid()

    def _fit_grid(self) -> None:
        """Wide enough for every column without a horizontal scroll bar, tall enough for a
        few levels (more scroll)."""
        hint = self.grid_widget.sizeHint()
        frame = 2 * self.levels_area.frameWidth() + 4
        bar = self.levels_area.verticalScrollBar().sizeHint().width()
        self.levels_area.setMinimumWidth(min(hint.width() + frame + bar, 1200))
        self.levels_area.setMinimumHeight(min(hint.height() + frame, 320))
        needed = self.sizeHint()
        if needed.width() > self.width() or needed.height() > self.height():
            self.resize(max(needed.width(), self.width()), max(needed.height(), self.height()))

    def _add_level_label(
        self, grid: QGridLayout, parent: QWidget, row: int, level: str, key: str = ""
    ) -> None:
        label = QLabel(self._level_text(level, key), parent)
        label.setObjectName(f"level_{level}_{widget_key(key)}" if key else f"level_{level}")
        grid.addWidget(label, row, 0)
        self.level_labels.append((label, lambda: self._level_text(level, key)))

    def _reason(self, parent: QWidget, name: str) -> ReasonCombo:
        combo = ReasonCombo(self.customizing, parent)
        combo.setObjectName(name)
        combo.setToolTip(self.tr("Block reason; empty = no block, Delete empties it"))
        return combo

    @staticmethod
    def _check(parent: QWidget, name: str, checked: bool) -> QCheckBox:
        box = QCheckBox(parent)
        box.setObjectName(name)
        box.setChecked(checked)
        return box

    def editors(self) -> list[QWidget]:
        """The grid's editors in reading order (rows, then columns)."""
        widgets: list[QWidget] = [*self.central_reasons.values()]
        widgets += [w for w in (self.central_posting, self.central_deletion) if w is not None]
        widgets += [self.company_code_boxes[c] for c in sorted(self.company_code_boxes)]
        for area in sorted(set(self.area_reasons) | set(self.area_deletion)):
            widgets += list(self.area_reasons.get(area, {}).values())
            if area in self.area_deletion:
                widgets.append(self.area_deletion[area])
        return widgets

    def _chain_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.number_edit,
            *self.editors(),
            self.comment_edit,
            self.save_button,
            self.all_button,
            self.cancel_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- reading -----------------------------------------------------------------------------

    def load(self, number: str) -> bool:
        """Read the customer's blocks and flags into the grid; False (and why) if there is
        no such customer. The comment stays."""
        number = number.strip()
        self.number_edit.setText(number)
        if not number:
            self._show(self.tr("Enter a customer number (F4 searches)"), error=True)
            return False
        try:
            status = read_status(self.factory, number, self.actor)
        except DomainError as exc:
            self.status = None
            self.customer_field.set_name("")
            self._build_grid()
            self._show(problem_lines(exc.problems), error=True)
            self.number_edit.selectAll()
            return False
        self.status = status
        self.customer_field.set_name(status.name)
        self._build_grid()
        holder = lock_holder(self.factory, number)
        if holder is not None:
            # Saving would be refused; say so now rather than after the typing.
            self._show(holder.message.get(i18n.language()), warning=True)
        else:
            self._show("")
        self.loaded.emit(number)
        return True

    @Slot(str)
    def _number_entered(self, number: str) -> None:
        """Enter in the number field, or a customer picked with F4: read it, the focus in
        its first editor."""
        if self.load(number):
            editors = self.editors()
            if editors:
                editors[0].setFocus(Qt.FocusReason.OtherFocusReason)

    # -- saving ------------------------------------------------------------------------------

    def edits(self) -> list[StatusEdit]:
        """What the clerk changed against what was read, one edit per level changed."""
        status = self.status
        if status is None:
            return []
        edits: list[StatusEdit] = []
        if self.mode == "block":
            central = self._sales_edit(Level.CENTRAL, "", status.central, self.central_reasons)
            posting = self.central_posting is not None and self.central_posting.isChecked()
            if posting != status.posting:
                central = StatusEdit(
                    Level.CENTRAL,
                    "",
                    *(central.order, central.delivery, central.billing),
                    posting=posting,
                )
            if central.touches_blocks:
                edits.append(central)
            for code, box in sorted(self.company_code_boxes.items()):
                if box.isChecked() != status.company_codes[code][0]:
                    edits.append(StatusEdit(Level.COMPANY_CODE, code, posting=box.isChecked()))
            for area, combos in sorted(self.area_reasons.items()):
                edit = self._sales_edit(Level.SALES_AREA, area, status.sales_areas[area][0], combos)
                if edit.touches_blocks:
                    edits.append(edit)
            return edits
        deletion = self.central_deletion is not None and self.central_deletion.isChecked()
        if deletion != status.deletion:
            edits.append(StatusEdit(Level.CENTRAL, deletion=deletion))
        for code, box in sorted(self.company_code_boxes.items()):
            if box.isChecked() != status.company_codes[code][1]:
                edits.append(StatusEdit(Level.COMPANY_CODE, code, deletion=box.isChecked()))
        for area, box in sorted(self.area_deletion.items()):
            if box.isChecked() != status.sales_areas[area][1]:
                edits.append(StatusEdit(Level.SALES_AREA, area, deletion=box.isChecked()))
        return edits

    @staticmethod
    def _sales_edit(
        level: Level, key: str, read: SalesBlocks, combos: dict[str, ReasonCombo]
    ) -> StatusEdit:
        def changed(kind: str) -> str | None:
            value = combos[kind].value()
            return value if value != getattr(read, kind) else None

        return StatusEdit(level, key, changed("order"), changed("delivery"), changed("billing"))

    @Slot()
    def save(self) -> None:
        """Ctrl+S: save exactly what was changed in the grid."""
        if self._ready():
            self._apply(self.edits())

    @Slot()
    def clear_all(self) -> None:
        """Every block (XD05) or every deletion flag (XD06) off, at every level."""
        if self._ready():
            edit = (
                StatusEdit.unblock_everything()
                if self.mode == "block"
                else StatusEdit.unflag_everything()
            )
            self._apply([edit])

    def _ready(self) -> bool:
        """A customer is read and is still the one in the number field."""
        typed = self.customer_field.number()
        if self.status is None or typed != self.status.number:
            if typed:
                text = self.tr("Press Enter to read customer {number} first").format(number=typed)
            else:
                text = self.tr("Enter a customer number (F4 searches)")
            self._show(text, error=True)
            self.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        return True

    def _apply(self, edits: list[StatusEdit]) -> None:
        """Save in a worker thread (ui.operations); the window waits without freezing."""
        status = self.status
        assert status is not None
        number, comment = status.number, self.comment_edit.text()
        Operation(
            self,
            lambda: change_status(
                self.factory,
                [number],
                edits,
                self.actor,
                comment,
                expected_versions={number: status.version},
                customizing=self.customizing,
            ),
            changes=changed_numbers,
        ).on_success(lambda report: self._applied(number, report)).on_failure(self._refused).run()

    def _applied(self, number: str, report: StatusReport) -> None:
        message = report.summary(i18n.language())
        self.comment_edit.clear()
        self.load(number)
        self._show(message)
        self.saved.emit(number, message)

    def _refused(self, exc: DomainError) -> None:
        # Nothing was written; what the clerk typed stays for another try.
        self._show(problem_lines(exc.problems), error=True)
        if any(p.field_key == COMMENT_KEY for p in exc.problems):
            self.comment_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show(self, text: str, *, error: bool = False, warning: bool = False) -> None:
        self.message.say(text, "error" if error else "warning" if warning else "success")


def open_status_dialog(
    parent: QWidget | None,
    uow_factory: UowFactory,
    customizing: Customizing,
    actor: Actor,
    mode: Mode = "block",
    number: str = "",
    *,
    on_saved: Callable[[str, str], None] | None = None,
) -> StatusDialog:
    """XD05 or XD06 for `number` (or for a number still to enter): the parent's window of that
    mode if it has one open, else a new one (`on_saved` connected to its `saved`)."""
    dialog = None
    if parent is not None:
        dialog = parent.findChild(StatusDialog, OBJECT_NAMES[mode])
    if dialog is None or dialog.factory is not uow_factory:
        dialog = StatusDialog(uow_factory, customizing, actor, mode=mode, parent=parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if on_saved is not None:
            dialog.saved.connect(on_saved)
    bring_up(dialog)
    focus: QWidget = dialog.number_edit
    if number and dialog.load(number) and dialog.editors():
        focus = dialog.editors()[0]
    focus.setFocus(Qt.FocusReason.OtherFocusReason)
    return dialog
