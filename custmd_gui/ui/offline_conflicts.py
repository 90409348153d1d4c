"""The conflicts of an offline replica (issue 19): one line per conflict with base / mine /
theirs, and 采用本机值 / 采用服务器值 / 编辑… on the selected one. Each is resolved on the
server through services.offline_conflicts (in a worker thread); an edited value is checked
there by the same validation as any change, and a refusal is shown here, the conflict kept."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.ui import i18n
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP
from custmd_gui.ui.operations import Operation
from custmd_gui.ui.qtutils import error_label, push_button

if TYPE_CHECKING:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.services.offline_checkout import ReplicaStatus
    from custmd_gui.services.offline_conflicts import ConflictView

CONTEXT = "ConflictDialog"

TEXTS: dict[str, str] = {
    "title": QT_TRANSLATE_NOOP("ConflictDialog", "Sync conflicts - custmd"),
    "info": QT_TRANSLATE_NOOP(
        "ConflictDialog",
        "These changes made offline clash with changes on the server; nothing of them was "
        "applied. Choose per line which value stays.",
    ),
    "col.customer": QT_TRANSLATE_NOOP("ConflictDialog", "Customer"),
    "col.field": QT_TRANSLATE_NOOP("ConflictDialog", "Field"),
    "col.base": QT_TRANSLATE_NOOP("ConflictDialog", "Before"),
    "col.mine": QT_TRANSLATE_NOOP("ConflictDialog", "Mine (offline)"),
    "col.theirs": QT_TRANSLATE_NOOP("ConflictDialog", "Theirs (server)"),
    "col.message": QT_TRANSLATE_NOOP("ConflictDialog", "Why"),
    "whole": QT_TRANSLATE_NOOP("ConflictDialog", "(whole change)"),
    "why.field": QT_TRANSLATE_NOOP("ConflictDialog", "Changed on both sides"),
    "mine": QT_TRANSLATE_NOOP("ConflictDialog", "Take &mine"),
    "theirs": QT_TRANSLATE_NOOP("ConflictDialog", "Take &theirs"),
    "edit": QT_TRANSLATE_NOOP("ConflictDialog", "&Edit…"),
    "edit.tip": QT_TRANSLATE_NOOP("ConflictDialog", "Only a field's conflict can be edited"),
    "close": QT_TRANSLATE_NOOP("ConflictDialog", "Close"),
    "edit.title": QT_TRANSLATE_NOOP("ConflictDialog", "Edit the value - custmd"),
    "edit.value": QT_TRANSLATE_NOOP("ConflictDialog", "{field}:"),
    "none": QT_TRANSLATE_NOOP("ConflictDialog", "No conflicts left"),
    "resolved": QT_TRANSLATE_NOOP("ConflictDialog", "Resolved: customer {customer}, {field}"),
}


@contextlib.contextmanager
def server_refusals() -> Iterator[None]:
    """A failed or cut connection to the server as a refusal with a message, not a crash
    (services.offline_checkout.connection_refusal)."""
    from custmd_gui.services.offline_checkout import connection_refusal

    try:
        yield
    except Exception as exc:
        refusal = connection_refusal(exc)
        if refusal is None:
            raise
        raise refusal from exc


COLUMNS = ("customer", "field", "base", "mine", "theirs", "message")


def tr_(key: str) -> str:
    return QCoreApplication.translate(CONTEXT, TEXTS[key])


def field_label(key: str) -> str:
    """A conflict's field as the screens name it, with its technical key."""
    if not key:
        return tr_("whole")
    from custmd_gui.catalog import catalog

    try:
        return f"{catalog().field(key).label.get(i18n.language())} ({key})"
    except KeyError:
        return key


class EditValueDialog(QDialog):
    """A line edit for the value that stays, prefilled with mine."""

    def __init__(self, field: str, value: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_edit")
        self.setWindowTitle(tr_("edit.title"))
        layout = QFormLayout(self)
        self.edit = QLineEdit(value, self)
        self.edit.setObjectName("conflict_value")
        self.edit.setMinimumWidth(320)
        label = QLabel(tr_("edit.value").format(field=field), self)
        label.setBuddy(self.edit)
        layout.addRow(label, self.edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)


class ConflictDialog(QDialog):
    """The replica's conflicts; `resolved` carries the replica's status after each one."""

    resolved = Signal(object)

    def __init__(self, replica: Any, server_url: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_dialog")
        self.setWindowFlag(Qt.WindowType.Window)
        self.replica = replica
        self.server_url = server_url
        self.conflicts: list[ConflictView] = []
        self.operation: Operation[Any] | None = None

        layout = QVBoxLayout(self)
        self.info = QLabel(tr_("info"), self)
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("conflict_table")
        self.table.setHorizontalHeaderLabels([tr_(f"col.{c}") for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        self.outcome = QLabel(self)
        self.outcome.setObjectName("conflict_outcome")
        self.outcome.setWordWrap(True)
        layout.addWidget(self.outcome)
        self.error = error_label(self, "conflict_error")
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.mine_button = self._button("mine_button", tr_("mine"), lambda: self.resolve("mine"))
        self.theirs_button = self._button(
            "theirs_button", tr_("theirs"), lambda: self.resolve("theirs")
        )
        self.edit_button = self._button("edit_button", tr_("edit"), self.edit_value)
        buttons.addWidget(self.mine_button)
        buttons.addWidget(self.theirs_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        self.close_button = self._button("close_button", tr_("close"), self.accept)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.setWindowTitle(tr_("title"))
        self.resize(900, 380)
        self.reload()

    def _button(self, name: str, text: str, slot: Any) -> QPushButton:
        button = push_button(self, name, slot)
        button.setText(text)
        return button

    def reload(self) -> None:
        from custmd_gui.services.offline_conflicts import list_conflicts

        self.show_conflicts(list_conflicts(self.replica))

    def show_conflicts(self, conflicts: list[ConflictView]) -> None:
        self.conflicts = conflicts
        self.table.setRowCount(len(conflicts))
        for row, c in enumerate(conflicts):
            # A field's conflict says the same in every language; the others keep the
            # service's (Chinese) message on why the whole change was held back.
            why = tr_("why.field") if c.kind == "field" else c.message
            values = (c.kunnr, field_label(c.field), c.base, c.mine, c.theirs, why)
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value or ""))
        if conflicts:
            self.table.selectRow(0)
        else:
            self.outcome.setText(
                self.outcome.text() + ("\n" if self.outcome.text() else "") + tr_("none")
            )
        self._selection_changed()

    def current(self) -> ConflictView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.conflicts[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        conflict = self.current()
        busy = self.operation is not None and self.operation.running
        for button in (self.mine_button, self.theirs_button):
            button.setEnabled(conflict is not None and not busy)
        editable = conflict is not None and conflict.kind == "field" and not busy
        self.edit_button.setEnabled(editable)
        self.edit_button.setToolTip("" if editable else tr_("edit.tip"))

    def edit_value(self) -> EditValueDialog | None:
        conflict = self.current()
        if conflict is None or conflict.kind != "field":
            return None
        dialog = EditValueDialog(field_label(conflict.field), conflict.mine or "", self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.resolve("edit", dialog.edit.text()))
        dialog.open()
        self.edit_dialog = dialog
        return dialog

    def resolve(self, choice: str, value: str | None = None) -> None:
        from custmd_gui.services.offline_checkout import replica_status
        from custmd_gui.services.offline_conflicts import Choice, list_conflicts, resolve

        conflict = self.current()
        if conflict is None:
            return
        replica, url = self.replica, self.server_url

        def work() -> tuple[list[ConflictView], ReplicaStatus]:
            with server_refusals():
                resolve(replica, conflict.id, Choice(choice), value, url)
            return list_conflicts(replica), replica_status(replica)

        def done(outcome: tuple[list[ConflictView], ReplicaStatus]) -> None:
            conflicts, status = outcome
            self.error.hide()
            self.outcome.setText(
                tr_("resolved").format(customer=conflict.kunnr, field=field_label(conflict.field))
            )
            self.show_conflicts(conflicts)
            self.resolved.emit(status)

        def refused(exc: DomainError) -> None:
            self.error.setText("\n".join(p.message.get(i18n.language()) for p in exc.problems))
            self.error.show()
            self._selection_changed()

        operation: Operation[Any] = Operation(self, work, changes=lambda _r: [conflict.kunnr])
        operation.on_success(done).on_failure(refused)
        self.operation = operation.run()
        self._selection_changed()
