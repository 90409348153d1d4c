"""部门与机构: departments or organizations, as a tree of hierarchical codes with a form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.domain.errors import DomainError
from custmd_gui.services import users
from custmd_gui.ui.admin.texts import label_text, problem_lines, tr_
from custmd_gui.ui.length_guard import guard_length
from custmd_gui.ui.qtutils import error_label
from custmd_gui.ui.styles import HINT_STYLE

if TYPE_CHECKING:
    from custmd_gui.domain.authorization import ArchiveEntry
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory


class ArchivePage(QGroupBox):
    """Departments or organizations: the tree of codes and the form of the one chosen."""

    # What was done, the kind and the code to select: the window says it and reads every
    # page again (a department's organization list follows the organizations).
    saved = Signal(str, str, str)

    def __init__(
        self, kind: str, factory: UowFactory, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.kind = kind  # "department" | "organization"
        self.factory = factory
        self.actor = actor
        self.entries: list[ArchiveEntry] = []
        layout = QVBoxLayout(self)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName(f"{kind}_tree")
        self.tree.setColumnCount(3 if kind == "department" else 2)
        self.tree.setRootIsDecorated(True)
        self.tree.currentItemChanged.connect(lambda *_: self._show_selected())
        layout.addWidget(self.tree, 1)
        form = QFormLayout()
        self.code = QLineEdit(self)
        self.code.setObjectName(f"{kind}_code")
        guard_length(self.code, 20)
        self.name = QLineEdit(self)
        self.name.setObjectName(f"{kind}_name")
        self.parent_code = QLineEdit(self)
        self.parent_code.setObjectName(f"{kind}_parent")
        self.code_label, self.name_label, self.parent_label = (
            QLabel(self),
            QLabel(self),
            QLabel(self),
        )
        for label, edit in (
            (self.code_label, self.code),
            (self.name_label, self.name),
            (self.parent_label, self.parent_code),
        ):
            label.setBuddy(edit)
        form.addRow(self.code_label, self.code)
        form.addRow(self.name_label, self.name)
        form.addRow(self.parent_label, self.parent_code)
        self.organization: QComboBox | None = None
        self.organization_label: QLabel | None = None
        if kind == "department":
            self.organization = QComboBox(self)
            self.organization.setObjectName("department_organization")
            self.organization_label = QLabel(self)
            self.organization_label.setBuddy(self.organization)
            form.addRow(self.organization_label, self.organization)
        layout.addLayout(form)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        layout.addWidget(self.hint)
        self.error = error_label(self, f"{kind}_error")
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(self)
        self.new_button.setObjectName(f"{kind}_new")
        self.new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName(f"{kind}_save")
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton(self)
        self.delete_button.setObjectName(f"{kind}_delete")
        self.delete_button.clicked.connect(self.delete)
        for button in (self.new_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr_(f"{self.kind}.box"))
        headers = [label_text("code"), label_text("name")]
        if self.kind == "department":
            headers.append(label_text("organization"))
        self.tree.setHeaderLabels(headers)
        self.code_label.setText(tr_("code"))
        self.name_label.setText(tr_("name"))
        self.parent_label.setText(tr_("parent"))
        if self.organization_label is not None:
            self.organization_label.setText(tr_("organization"))
        self.hint.setText(tr_("archive.hint"))
        self.new_button.setText(tr_("archive.new"))
        self.save_button.setText(tr_("archive.save"))
        self.delete_button.setText(tr_("archive.delete"))

    def reload(self, select: str = "", organizations: Sequence[ArchiveEntry] = ()) -> None:
        read = users.departments if self.kind == "department" else users.organizations
        self.entries = read(self.factory, self.actor)
        if self.organization is not None:
            self.organization.clear()
            self.organization.addItem("", "")
            for org in organizations:
                self.organization.addItem(f"{org.code} {org.name}", org.code)
        self.tree.blockSignals(True)
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        chosen: QTreeWidgetItem | None = None
        for entry in sorted(self.entries, key=lambda e: (len(e.code), e.code)):
            values = [entry.code, entry.name]
            if self.kind == "department":
                values.append(entry.organization_code or "")
            parent = items.get(entry.parent_code or "")
            item = QTreeWidgetItem(values)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            items[entry.code] = item
            if entry.code == select:
                chosen = item
        self.tree.expandAll()
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        self.tree.blockSignals(False)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        self._show_selected()

    def current(self) -> ArchiveEntry | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        return next((e for e in self.entries if e.code == item.text(0)), None)

    def _show_selected(self) -> None:
        entry = self.current()
        self.error.hide()
        if entry is None:
            self.code.setReadOnly(False)
            self.parent_code.setReadOnly(False)
            return
        self.code.setText(entry.code)
        self.name.setText(entry.name)
        self.parent_code.setText(entry.parent_code or "")
        # The code (and with it the parent) never changes once created.
        self.code.setReadOnly(True)
        self.parent_code.setReadOnly(True)
        if self.organization is not None:
            self.organization.setCurrentIndex(
                max(0, self.organization.findData(entry.organization_code))
            )

    @Slot()
    def start_new(self) -> None:
        parent = self.current()
        self.tree.setCurrentItem(None)  # type: ignore[call-overload]
        self.code.setReadOnly(False)
        self.parent_code.setReadOnly(False)
        self.code.setText(parent.code if parent else "")
        self.parent_code.setText(parent.code if parent else "")
        self.name.clear()
        self.error.hide()
        self.code.setFocus(Qt.FocusReason.OtherFocusReason)
        self.code.end(False)

    @Slot()
    def save(self) -> None:
        code, name = self.code.text().strip(), self.name.text()
        parent = self.parent_code.text().strip() or None
        try:
            if self.kind == "department":
                organization = self.organization.currentData() if self.organization else None
                users.save_department(
                    self.factory,
                    self.actor,
                    code,
                    name,
                    parent=parent,
                    organization=organization or None,
                )
            else:
                users.save_organization(self.factory, self.actor, code, name, parent=parent)
        except DomainError as exc:
            self.error.setText(problem_lines(exc.problems))
            self.error.show()
            return
        self._saved(tr_("archive.saved").format(code=code, name=name.strip()), code)

    @Slot()
    def delete(self) -> None:
        entry = self.current()
        if entry is None:
            return
        try:
            users.delete_archive_entry(self.factory, self.actor, self.kind, entry.code)
        except DomainError as exc:
            self.error.setText(problem_lines(exc.problems))
            self.error.show()
            return
        self._saved(tr_("archive.deleted").format(code=entry.code), "")

    def _saved(self, message: str, select: str) -> None:
        self.saved.emit(message, self.kind, select)
