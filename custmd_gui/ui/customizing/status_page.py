"""字段状态: an account group's field status as a grid, field groups (rows) by activity, the
status the group sets (a choice per cell) and beside it the result per activity as the
screens apply it (the group's status combined with the activity's, SAP's priority)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.catalog import catalog
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.field_status import Activity, FieldStatus, activity_status, combine
from custmd_gui.services import customizing_maintenance as maintenance
from custmd_gui.ui import i18n
from custmd_gui.ui.customizing.edit_table import Column, EditTable
from custmd_gui.ui.customizing.pages import Page, _buttons
from custmd_gui.ui.customizing.texts import problem_lines, tr_

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory

ACTIVITIES = tuple(Activity)
STATUSES = (FieldStatus.REQUIRED, FieldStatus.OPTIONAL, FieldStatus.DISPLAY, FieldStatus.SUPPRESSED)
FIRST = 2  # the first activity column; results follow the activities
RESULT_COLORS = {
    FieldStatus.REQUIRED: "#fde2c8",
    FieldStatus.DISPLAY: "#e4e4e4",
    FieldStatus.SUPPRESSED: "#cfcfcf",
}


def _statuses() -> list[tuple[str, str]]:
    return [(s.value, tr_(f"status.{s.value}")) for s in STATUSES]


def _activity_title(activity: Activity) -> Callable[[], str]:
    return lambda: tr_(f"activity.{activity.value}")


def _result_title(activity: Activity) -> Callable[[], str]:
    return lambda: tr_("col.result").format(activity=tr_(f"activity.{activity.value}"))


class FieldStatusPage(Page):
    def __init__(self, factory: UowFactory, actor: Actor, parent: QWidget) -> None:
        super().__init__("field_status_page", factory, actor, parent)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.group = QComboBox(self)
        self.group.setObjectName("field_status_group")
        self.group_label = QLabel(self)
        self.group_label.setBuddy(self.group)
        form.addRow(self.group_label, self.group)
        layout.addLayout(form)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        columns = [
            Column(lambda: tr_("col.screen"), kind="fixed"),
            Column(lambda: tr_("col.field_group"), kind="fixed"),
        ]
        columns += [
            Column(_activity_title(a), kind="choice", choices=_statuses) for a in ACTIVITIES
        ]
        columns += [Column(_result_title(a), kind="fixed") for a in ACTIVITIES]
        self.table = EditTable("field_status", columns, self)
        layout.addWidget(self.table, 1)
        self.buttons = _buttons(self, layout, "save")
        self.buttons["save"].clicked.connect(self.save)
        self.group.currentIndexChanged.connect(self._group_chosen)
        self.groups = list(catalog().groups.values())

    def retranslate(self) -> None:
        self.group_label.setText(tr_("group"))
        self.hint.setText(tr_("status_hint"))
        self.buttons["save"].setText(tr_("save"))
        if self.customizing is not None:
            self.show_data(self.customizing, self.levels)

    def show_data(self, customizing: Customizing, levels: dict[str, int]) -> None:
        super().show_data(customizing, levels)
        keep = self.group.currentData()
        lang = i18n.language()
        self.group.blockSignals(True)
        self.group.clear()
        for g in sorted(customizing.account_groups.values(), key=lambda g: g.code):
            self.group.addItem(f"{g.code} {g.text.get(lang)}", g.code)
        self.group.setCurrentIndex(max(0, self.group.findData(keep)))
        self.group.blockSignals(False)
        self._group_chosen()

    def choose(self, code: str) -> None:
        self.group.setCurrentIndex(self.group.findData(code))

    @Slot()
    def _group_chosen(self, *_args: object) -> None:
        cust = self.customizing
        code = self.group.currentData()
        if cust is None or code not in cust.account_groups:
            return
        group = cust.account_groups[code]
        lang = i18n.language()
        screens = catalog().screens
        rows = []
        for fg in self.groups:
            screen = screens.get(fg.screen)
            own = [
                group.statuses.get((fg.id, a.value), FieldStatus.OPTIONAL).value for a in ACTIVITIES
            ]
            rows.append(
                [screen.title.get(lang) if screen else fg.screen, fg.label.get(lang), *own]
                + [""] * len(ACTIVITIES)
            )
        self.table.load(rows)
        for row in range(self.table.rowCount()):
            self._show_result(row)
            for i in range(len(ACTIVITIES)):
                combo = self.table.cellWidget(row, FIRST + i)
                assert isinstance(combo, QComboBox)
                combo.currentIndexChanged.connect(lambda _i, r=row: self._show_result(r))

    def _show_result(self, row: int) -> None:
        for i, activity in enumerate(ACTIVITIES):
            own = FieldStatus(self.table.value(row, FIRST + i))
            result = combine(own, activity_status(activity))
            item = QTableWidgetItem(tr_(f"status.{result.value}"))
            item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
            color = RESULT_COLORS.get(result)
            if color:
                item.setBackground(QBrush(QColor(color)))
            self.table.blockSignals(True)
            self.table.setItem(row, FIRST + len(ACTIVITIES) + i, item)
            self.table.blockSignals(False)

    def history_key(self) -> tuple[str, str]:
        return "cust_field_status", str(self.group.currentData() or "")

    def set_status(self, field_group: str, activity: Activity, status: FieldStatus) -> None:
        """Choose a cell's status as the user does (tests, and a jump from a message)."""
        row = [g.id for g in self.groups].index(field_group)
        self.table.set_value(row, FIRST + ACTIVITIES.index(activity), status.value)

    def result(self, field_group: str, activity: Activity) -> str:
        row = [g.id for g in self.groups].index(field_group)
        return self.table.value(row, FIRST + len(ACTIVITIES) + ACTIVITIES.index(activity))

    @Slot()
    def save(self) -> None:
        code = self.group.currentData()
        assert self.customizing is not None
        stored = self.customizing.account_groups[code].statuses
        changes = {}
        for row in self.table.changed_rows():
            for i, a in enumerate(ACTIVITIES):
                key = (self.groups[row].id, a.value)
                status = FieldStatus(self.table.value(row, FIRST + i))
                if status != stored.get(key, FieldStatus.OPTIONAL):
                    changes[key] = status
        try:
            count = maintenance.set_field_status(self.factory, self.actor, code, changes)
        except DomainError as exc:
            self.said.emit(problem_lines(exc.problems))
            return
        self.table.changed.clear()
        self.said.emit(tr_("saved").format(n=count) if count else tr_("nothing"))
        if count:
            self.saved.emit()
