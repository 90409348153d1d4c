"""The customizing window's pages: every code list in one generic editor (the lists the
catalog's value helps name), the account groups, the number-range intervals."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError
from custmd_gui.services import customizing_maintenance as maintenance
from custmd_gui.ui import i18n
from custmd_gui.ui.customizing.edit_table import Column, EditTable
from custmd_gui.ui.customizing.texts import problem_lines, tr_

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory


def _buttons(page: QWidget, layout: QVBoxLayout, *keys: str) -> dict[str, QPushButton]:
    row = QHBoxLayout()
    buttons: dict[str, QPushButton] = {}
    for key in keys:
        button = QPushButton(page)
        button.setObjectName(f"{page.objectName()}_{key}")
        button.setAutoDefault(False)
        row.addWidget(button)
        buttons[key] = button
    row.addStretch(1)
    layout.addLayout(row)
    return buttons


def _attrs_text(attrs: Mapping[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in attrs.items())


def _parse_attrs(text: str) -> dict[str, str] | None:
    out: dict[str, str] = {}
    for part in text.replace("；", ";").split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            return None
        out[key.strip()] = value.strip()
    return out


class Page(QWidget):
    """A page that maintains through the services and says what happened."""

    said = Signal(str)
    saved = Signal()  # the customizing changed: the window refreshes every page

    def __init__(self, name: str, factory: UowFactory, actor: Actor, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.factory = factory
        self.actor = actor
        self.customizing: Customizing | None = None
        self.levels: dict[str, int] = {}

    def show_data(self, customizing: Customizing, levels: dict[str, int]) -> None:
        self.customizing, self.levels = customizing, levels

    def retranslate(self) -> None:
        raise NotImplementedError

    def history_key(self) -> tuple[str, str]:
        """(table, key prefix) of the change documents of the entry chosen here."""
        raise NotImplementedError

    def save_rows(self, table: EditTable, save_row: Callable[[int], bool]) -> None:
        """Save each changed row; the first refusal stops, keeps every edit, and is said."""
        done = 0
        changed = False
        for row in table.changed_rows():
            try:
                changed |= save_row(row)
            except DomainError as exc:
                table.setCurrentCell(row, 0)
                self.said.emit(problem_lines(exc.problems))
                if done:
                    self.saved.emit()
                return
            table.changed.discard(row)
            done += 1
        self.said.emit(tr_("saved").format(n=done) if changed else tr_("nothing"))
        if changed:
            self.saved.emit()


class CodeListsPage(Page):
    """代码表: pick a list on the left, maintain its values on the right."""

    def __init__(self, factory: UowFactory, actor: Actor, parent: QWidget) -> None:
        super().__init__("code_lists_page", factory, actor, parent)
        layout = QHBoxLayout(self)
        split = QSplitter(self)
        self.lists = QListWidget(split)
        self.lists.setObjectName("code_lists")
        right = QWidget(split)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.used_by = QLabel(right)
        self.used_by.setObjectName("code_list_used_by")
        self.used_by.setWordWrap(True)
        right_layout.addWidget(self.used_by)
        self.table = EditTable(
            "code_values",
            [
                Column(lambda: tr_("col.code"), width=90),
                Column(lambda: tr_("col.parent"), width=60),
                Column(lambda: tr_("col.text_zh"), width=220),
                Column(lambda: tr_("col.text_en"), width=220),
                Column(lambda: tr_("col.active"), kind="check", width=50),
                Column(lambda: tr_("col.attrs")),
            ],
            right,
        )
        right_layout.addWidget(self.table, 1)
        self.buttons = _buttons(self, right_layout, "add", "save", "delete", "where_used")
        split.addWidget(self.lists)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([320, 780])
        layout.addWidget(split)
        self.lists.currentItemChanged.connect(self._list_chosen)
        self.buttons["add"].clicked.connect(lambda: self.table.add_row())
        self.buttons["save"].clicked.connect(self.save)
        self.buttons["delete"].clicked.connect(self.delete)
        self.buttons["where_used"].clicked.connect(self.where_used)

    def retranslate(self) -> None:
        for key, button in self.buttons.items():
            button.setText(tr_(key))
        self.table.retranslate()
        if self.customizing is not None:
            self.show_data(self.customizing, self.levels)

    @property
    def list_id(self) -> str:
        item = self.lists.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def show_data(self, customizing: Customizing, levels: dict[str, int]) -> None:
        super().show_data(customizing, levels)
        keep = self.list_id
        lang = i18n.language()
        self.lists.blockSignals(True)
        self.lists.clear()
        for list_id in maintenance.lists_for_editor(customizing):
            label = customizing.lists[list_id].label.get(lang)
            item = QListWidgetItem(f"{label}  ({list_id})", self.lists)
            item.setData(Qt.ItemDataRole.UserRole, list_id)
            if list_id == keep:
                self.lists.setCurrentItem(item)
        self.lists.blockSignals(False)
        if self.lists.currentItem() is None and self.lists.count():
            self.lists.setCurrentRow(0)
        else:
            self._list_chosen()

    def choose(self, list_id: str) -> None:
        for row in range(self.lists.count()):
            if self.lists.item(row).data(Qt.ItemDataRole.UserRole) == list_id:
                self.lists.setCurrentRow(row)
                return

    @Slot()
    def _list_chosen(self, *_args: object) -> None:
        cust = self.customizing
        if cust is None or not self.list_id:
            return
        lst = cust.lists[self.list_id]
        fields = [f.key for f in maintenance.fields_of_list(self.list_id)]
        self.used_by.setText(
            tr_("used_by").format(fields=", ".join(fields)) if fields else tr_("used_by_none")
        )
        self.table.setColumnHidden(1, not lst.parent)
        self.table.load(
            [
                [v.code, v.parent, v.text.zh, v.text.en, v.active, _attrs_text(v.attrs)]
                for v in lst.values.values()
            ]
        )

    @Slot()
    def save(self) -> None:
        list_id = self.list_id
        table = self.table

        def save_row(row: int) -> bool:
            attrs = _parse_attrs(table.value(row, 5))
            if attrs is None:
                raise DomainError.single(
                    f"{list_id}-ATTRS",
                    tr_("bad_attrs").format(row=row + 1),
                    tr_("bad_attrs").format(row=row + 1),
                )
            entry = maintenance.CodeEntry(
                table.value(row, 0),
                table.value(row, 2),
                table.value(row, 3),
                table.value(row, 1),
                attrs,
                table.checked(row, 4),
            )
            return maintenance.save_code(self.factory, self.actor, list_id, entry)

        self.save_rows(table, save_row)

    def history_key(self) -> tuple[str, str]:
        row = self.table.currentRow()
        parts = [self.list_id]
        if 0 <= row < self.table.stored_rows:
            parts += [self.table.value(row, 1), self.table.value(row, 0)]
        return "cust_value", ":".join(p for p in parts if p)

    def _current_code(self) -> tuple[str, str] | None:
        row = self.table.currentRow()
        if row < 0 or row >= self.table.stored_rows:
            self.said.emit(tr_("select_row"))
            return None
        return self.table.value(row, 0), self.table.value(row, 1)

    @Slot()
    def delete(self) -> None:
        current = self._current_code()
        if current is None:
            return
        try:
            maintenance.delete_code(self.factory, self.actor, self.list_id, *current)
        except DomainError as exc:
            self.said.emit(problem_lines(exc.problems))
            return
        self.said.emit(tr_("deleted").format(code=current[0]))
        self.saved.emit()

    @Slot()
    def where_used(self) -> None:
        current = self._current_code()
        if current is None:
            return
        try:
            usage = maintenance.code_usage(self.factory, self.actor, self.list_id, *current)
        except DomainError as exc:
            self.said.emit(problem_lines(exc.problems))
            return
        if not usage.in_use:
            self.said.emit(tr_("not_used").format(code=current[0]))
            return
        numbers = ", ".join(usage.numbers) + (" …" if usage.count > len(usage.numbers) else "")
        self.said.emit(
            tr_("used").format(
                code=current[0], n=usage.count, numbers=numbers, fields=", ".join(usage.fields)
            )
        )


class AccountGroupsPage(Page):
    """科目组: texts, number range, reconciliation account; a new group copies the field
    status of the group selected when 新建 was pressed (SAP's "copy as")."""

    def __init__(self, factory: UowFactory, actor: Actor, parent: QWidget) -> None:
        super().__init__("account_groups_page", factory, actor, parent)
        layout = QVBoxLayout(self)
        self.table = EditTable(
            "account_groups",
            [
                Column(lambda: tr_("col.code"), width=70),
                Column(lambda: tr_("col.text_zh"), width=200),
                Column(lambda: tr_("col.text_en"), width=200),
                Column(lambda: tr_("col.range"), kind="choice", choices=self._ranges),
                Column(lambda: tr_("col.akont"), kind="choice", choices=self._accounts),
            ],
            self,
        )
        layout.addWidget(self.table, 1)
        self.buttons = _buttons(self, layout, "add", "save")
        self.copy_from: dict[int, str] = {}
        self.buttons["add"].clicked.connect(self.add)
        self.buttons["save"].clicked.connect(self.save)

    def _ranges(self) -> list[tuple[str, str]]:
        cust, lang = self.customizing, i18n.language()
        if cust is None:
            return []
        return [
            (r.id, f"{r.id} {r.text.get(lang)}")
            for r in sorted(cust.number_ranges.values(), key=lambda r: r.id)
        ]

    def _accounts(self) -> list[tuple[str, str]]:
        cust, lang = self.customizing, i18n.language()
        if cust is None:
            return []
        values = cust.values("reconciliation_accounts")
        return [("", "")] + [(v.code, f"{v.code} {v.text.get(lang)}") for v in values]

    def retranslate(self) -> None:
        for key, button in self.buttons.items():
            button.setText(tr_(key))
        if self.customizing is not None:
            self.show_data(self.customizing, self.levels)

    def show_data(self, customizing: Customizing, levels: dict[str, int]) -> None:
        super().show_data(customizing, levels)
        self.copy_from.clear()
        self.table.retranslate()
        self.table.load(
            [
                [g.code, g.text.zh, g.text.en, g.number_range, g.reconciliation_account]
                for g in sorted(customizing.account_groups.values(), key=lambda g: g.code)
            ]
        )

    def history_key(self) -> tuple[str, str]:
        row = self.table.currentRow()
        # The group's own row and its field status ("1110", "1110:address.name:create").
        return "", self.table.value(row, 0) if 0 <= row < self.table.stored_rows else ""

    @Slot()
    def add(self) -> None:
        current = self.table.currentRow()
        source = self.table.value(current, 0) if 0 <= current < self.table.stored_rows else ""
        row = self.table.add_row()
        self.copy_from[row] = source
        if source:  # the copied group's range and account as a start
            self.table.set_value(row, 3, self.table.value(current, 3))
            self.table.set_value(row, 4, self.table.value(current, 4))

    @Slot()
    def save(self) -> None:
        table = self.table

        def save_row(row: int) -> bool:
            entry = maintenance.AccountGroupEntry(
                table.value(row, 0),
                table.value(row, 1),
                table.value(row, 2),
                table.value(row, 3),
                table.value(row, 4),
                self.copy_from.get(row, ""),
            )
            return maintenance.save_account_group(self.factory, self.actor, entry)

        self.save_rows(table, save_row)


class NumberRangesPage(Page):
    """编号范围: the intervals, internal or external, the external rule; the current number
    is shown, never edited (an interval in use cannot shrink below it)."""

    def __init__(self, factory: UowFactory, actor: Actor, parent: QWidget) -> None:
        super().__init__("number_ranges_page", factory, actor, parent)
        layout = QVBoxLayout(self)
        self.table = EditTable(
            "number_ranges",
            [
                Column(lambda: tr_("col.code"), width=50),
                Column(
                    lambda: tr_("col.kind"),
                    kind="choice",
                    choices=lambda: [(k, tr_(k)) for k in ("internal", "external")],
                ),
                Column(lambda: tr_("col.from"), width=110),
                Column(lambda: tr_("col.to"), width=110),
                Column(
                    lambda: tr_("col.rule"),
                    kind="choice",
                    choices=lambda: [("", ""), ("sd02", "SD02")],
                ),
                Column(lambda: tr_("col.text_zh"), width=180),
                Column(lambda: tr_("col.text_en"), width=180),
                Column(lambda: tr_("col.level"), kind="fixed"),
            ],
            self,
        )
        layout.addWidget(self.table, 1)
        self.buttons = _buttons(self, layout, "add", "save")
        self.buttons["add"].clicked.connect(lambda: self.table.add_row())
        self.buttons["save"].clicked.connect(self.save)

    def retranslate(self) -> None:
        for key, button in self.buttons.items():
            button.setText(tr_(key))
        self.table.retranslate()

    def show_data(self, customizing: Customizing, levels: dict[str, int]) -> None:
        super().show_data(customizing, levels)
        rows = []
        for r in sorted(customizing.number_ranges.values(), key=lambda r: r.id):
            level = levels.get(r.id)
            shown = (
                str(level)
                if r.internal and level is not None and level >= int(r.from_number)
                else ""
            )
            rows.append(
                [
                    r.id,
                    r.kind,
                    r.from_number,
                    r.to_number,
                    r.rule or "",
                    r.text.zh,
                    r.text.en,
                    shown,
                ]
            )
        self.table.load(rows)

    def history_key(self) -> tuple[str, str]:
        row = self.table.currentRow()
        return "nriv", self.table.value(row, 0) if 0 <= row < self.table.stored_rows else ""

    @Slot()
    def save(self) -> None:
        table = self.table

        def save_row(row: int) -> bool:
            entry = maintenance.IntervalEntry(
                table.value(row, 0),
                table.value(row, 1),
                table.value(row, 2),
                table.value(row, 3),
                table.value(row, 5),
                table.value(row, 6),
                table.value(row, 4),
            )
            return maintenance.save_interval(self.factory, self.actor, entry)

        self.save_rows(table, save_row)
