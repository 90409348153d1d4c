"""系统 → 删除客户: the administrator's physical deletion run (services.deletion; permission
delete), as `custmd customer delete` does it.

The customers (several numbers, separated by commas or spaces; F4 lists the customers flagged
for deletion and adds the one picked), the archive folder (default: `archive/` in the app's
data folder, as the CLI) and a required comment. 删除 asks first (the default answer is no),
naming how many customers; then either every customer is removed, archived first (the table
names each archive file), or none is, and every reason is listed, one line per problem (a
customer with business in a company code or sales area must be blocked instead). A refusal
keeps everything typed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.domain.errors import DomainError, Problem
from custmd_gui.ui import i18n
from custmd_gui.ui.customer_field import pick_customer
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP
from custmd_gui.ui.length_guard import guard_length
from custmd_gui.ui.qtutils import bring_up
from custmd_gui.ui.styles import DONE_STYLE, ERROR_STYLE, WARNING_STYLE
from custmd_gui.ui.value_help import customer_search

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.deletion import DeletionReport
    from custmd_gui.services.ports import UowFactory


OBJECT_NAME = "deletion_run"
CONFIRM_NAME = "confirm_deletion"
CONTEXT = "DeletionDialog"
COMMENT_KEY = "CDHDR-COMMENT"  # services.status.COMMENT_KEY, without importing the services
NUMBER_KEY = "KNA1-KUNNR"
# Numbers as a clerk separates them: commas (also the Chinese ones), semicolons, spaces.
_SEPARATORS = re.compile(r"[\s,，、;；]+")

TEXTS: dict[str, str] = {
    "title": QT_TRANSLATE_NOOP("DeletionDialog", "Delete customers - custmd"),
    "rule": QT_TRANSLATE_NOOP(
        "DeletionDialog",
        "Deletes customers physically: only those flagged for deletion (XD06) that have no "
        "business in the usage register, are nobody's partner and are not open in XD02. Each is "
        "archived first as a JSON file. If one customer cannot be deleted, none is.",
    ),
    "numbers": QT_TRANSLATE_NOOP("DeletionDialog", "&Customers:"),
    "numbers.placeholder": QT_TRANSLATE_NOOP(
        "DeletionDialog", "Numbers separated by commas or spaces; F4 lists the flagged ones"
    ),
    "search": QT_TRANSLATE_NOOP("DeletionDialog", "Customers flagged for deletion (F4)"),
    "archive": QT_TRANSLATE_NOOP("DeletionDialog", "&Archive folder:"),
    "archive.tip": QT_TRANSLATE_NOOP(
        "DeletionDialog", "Each customer is written here as a JSON file before it is removed"
    ),
    "browse": QT_TRANSLATE_NOOP("DeletionDialog", "&Browse…"),
    "browse.title": QT_TRANSLATE_NOOP("DeletionDialog", "Choose the archive folder"),
    "comment": QT_TRANSLATE_NOOP("DeletionDialog", "Co&mment:"),
    "comment.placeholder": QT_TRANSLATE_NOOP(
        "DeletionDialog", "Required: why (e.g. created twice by mistake)"
    ),
    "delete": QT_TRANSLATE_NOOP("DeletionDialog", "&Delete…"),
    "close": QT_TRANSLATE_NOOP("DeletionDialog", "Close"),
    "col.number": QT_TRANSLATE_NOOP("DeletionDialog", "Customer"),
    "col.name": QT_TRANSLATE_NOOP("DeletionDialog", "Name"),
    "col.archive": QT_TRANSLATE_NOOP("DeletionDialog", "Archive file"),
    "confirm.title": QT_TRANSLATE_NOOP("DeletionDialog", "Delete customers"),
    "confirm.info": QT_TRANSLATE_NOOP(
        "DeletionDialog",
        "Each is archived first, to:\n{folder}\n\nThis cannot be undone in the app; an "
        "archive file can only be created again as a new customer.",
    ),
    "confirm.yes": QT_TRANSLATE_NOOP("DeletionDialog", "&Delete"),
    "confirm.no": QT_TRANSLATE_NOOP("DeletionDialog", "Do &not delete"),
    "list_separator": QT_TRANSLATE_NOOP("DeletionDialog", ", "),
    "cancelled": QT_TRANSLATE_NOOP("DeletionDialog", "Nothing was deleted"),
    "refused": QT_TRANSLATE_NOOP("DeletionDialog", "Nothing was deleted:"),
    "no_folder": QT_TRANSLATE_NOOP("DeletionDialog", "Choose the folder for the archive files"),
    "relative": QT_TRANSLATE_NOOP(
        "DeletionDialog", "Enter the folder's full path (for example {example})"
    ),
    "field_message": QT_TRANSLATE_NOOP("DeletionDialog", "{field}: {message}"),
}


def tr_(key: str) -> str:
    return QCoreApplication.translate(CONTEXT, TEXTS[key])


def field_name(key: str) -> str:
    return i18n.field_name(tr_(key))


def parse_numbers(text: str) -> list[str]:
    """The customer numbers typed, each once, in the order typed."""
    return list(dict.fromkeys(n for n in _SEPARATORS.split(text.strip()) if n))


def problem_lines(problems: Sequence[Problem], *, numbers_typed: bool = True) -> str:
    """One line per problem. The comment's names its field; a customer's names the customer
    (the services' messages do), so only "choose the customers" gets the field's name."""
    lang = i18n.language()
    lines = []
    for p in problems:
        message = p.message.get(lang)
        if p.field_key == COMMENT_KEY:
            message = tr_("field_message").format(field=field_name("comment"), message=message)
        elif p.field_key == NUMBER_KEY and not numbers_typed:
            message = tr_("field_message").format(field=field_name("numbers"), message=message)
        lines.append(message)
    return "\n".join(lines)


class DeletionDialog(QDialog):
    """The physical deletion run over the customers typed."""

    deleted = Signal(str)  # the summary of a run that removed customers

    def __init__(
        self,
        uow_factory: UowFactory,
        actor: Actor,
        archive_folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from custmd_gui.settings import default_archive_dir

        self.setObjectName(OBJECT_NAME)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setSizeGripEnabled(True)
        self.factory = uow_factory
        self.actor = actor
        self.report: DeletionReport | None = None
        self.refusal: list[Problem] = []
        self._refusal_numbers_typed = True
        self._message_key = ""

        layout = QVBoxLayout(self)
        self.rule_label = QLabel(self)
        self.rule_label.setObjectName("rule")
        self.rule_label.setWordWrap(True)
        self.rule_label.setStyleSheet(WARNING_STYLE)
        layout.addWidget(self.rule_label)

        form = QGridLayout()
        form.setHorizontalSpacing(6)
        self.numbers_label = QLabel(self)
        # Not a CustomerNumberField: several numbers, no name, and the field and its F4 button
        # line up with the archive folder and 浏览 below; only the search help is shared.
        self.numbers_edit = QLineEdit(self)
        self.numbers_edit.setObjectName("delete_numbers")
        self.numbers_label.setBuddy(self.numbers_edit)
        self.f4_button = QToolButton(self)
        self.f4_button.setObjectName("f4_button")
        self.f4_button.setText("…")
        self.f4_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # F4 is the keyboard's way
        self.f4_button.clicked.connect(self.search_customer)
        form.addWidget(self.numbers_label, 0, 0)
        form.addWidget(self.numbers_edit, 0, 1)
        form.addWidget(self.f4_button, 0, 2)

        self.archive_label = QLabel(self)
        self.archive_edit = QLineEdit(self)
        self.archive_edit.setObjectName("archive_folder")
        self.archive_edit.setText(str(archive_folder or default_archive_dir()))
        self.archive_label.setBuddy(self.archive_edit)
        self.browse_button = QPushButton(self)
        self.browse_button.setObjectName("browse_button")
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.browse)
        form.addWidget(self.archive_label, 1, 0)
        form.addWidget(self.archive_edit, 1, 1)
        form.addWidget(self.browse_button, 1, 2)

        self.comment_label = QLabel(self)
        self.comment_edit = QLineEdit(self)
        self.comment_edit.setObjectName("CDHDR_COMMENT")
        guard_length(self.comment_edit, 255)
        self.comment_label.setBuddy(self.comment_edit)
        form.addWidget(self.comment_label, 2, 0)
        form.addWidget(self.comment_edit, 2, 1, 1, 2)
        form.setColumnStretch(1, 1)
        layout.addLayout(form)

        # Under the form: the refusal (red, one line per problem) or what was done.
        # A run over many customers may be refused for many reasons: they scroll.
        self.message_area = QScrollArea(self)
        self.message_area.setObjectName("message_area")
        self.message_area.setWidgetResizable(True)
        self.message_area.setFrameShape(QFrame.Shape.NoFrame)
        self.message_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.message = QLabel()
        self.message.setObjectName("deletion_message")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_area.setWidget(self.message)
        layout.addWidget(self.message_area, 1)

        self.removed_table = QTableWidget(0, 3, self)
        self.removed_table.setObjectName("removed_table")
        self.removed_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.removed_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.removed_table.setTabKeyNavigation(False)
        self.removed_table.verticalHeader().hide()
        header = self.removed_table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.removed_table.hide()
        layout.addWidget(self.removed_table, 3)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.delete_button = QPushButton(self)
        self.delete_button.setObjectName("delete_button")
        self.delete_button.clicked.connect(self.run)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("close_button")
        self.close_button.clicked.connect(self.close)
        for button in (self.delete_button, self.close_button):
            # Enter in a field never deletes: the button (or Alt+D) does, after asking.
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout.addLayout(buttons)

        f4 = QShortcut(QKeySequence(Qt.Key.Key_F4), self.numbers_edit)
        f4.setContext(Qt.ShortcutContext.WidgetShortcut)
        f4.activated.connect(self.search_customer)
        for first, second in itertools.pairwise(
            [
                self.numbers_edit,
                self.archive_edit,
                self.browse_button,
                self.comment_edit,
                self.delete_button,
                self.close_button,
                self.removed_table,
            ]
        ):
            QWidget.setTabOrder(first, second)

        self.retranslate()
        self.resize(720, 420)
        self.numbers_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- texts -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(tr_("title"))
        self.rule_label.setText(tr_("rule"))
        self.numbers_label.setText(tr_("numbers"))
        self.numbers_edit.setPlaceholderText(tr_("numbers.placeholder"))
        self.f4_button.setToolTip(tr_("search"))
        self.archive_label.setText(tr_("archive"))
        self.archive_edit.setToolTip(tr_("archive.tip"))
        self.browse_button.setText(tr_("browse"))
        self.comment_label.setText(tr_("comment"))
        self.comment_edit.setPlaceholderText(tr_("comment.placeholder"))
        self.delete_button.setText(tr_("delete"))
        self.close_button.setText(tr_("close"))
        self.removed_table.setHorizontalHeaderLabels(
            [tr_(k) for k in ("col.number", "col.name", "col.archive")]
        )
        if self.refusal:
            self._show_refusal(self.refusal, self._refusal_numbers_typed)
        elif self.report is not None:
            self._show_report(self.report)
        elif self._message_key:
            self.message.setText(tr_(self._message_key))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the fields --------------------------------------------------------------------------

    def numbers(self) -> list[str]:
        return parse_numbers(self.numbers_edit.text())

    def set_numbers(self, numbers: Sequence[str]) -> None:
        self.numbers_edit.setText(tr_("list_separator").join(numbers))

    @Slot()
    def search_customer(self) -> None:
        """F4: the customers flagged for deletion (the only ones a run removes); the one
        picked is added to those typed."""
        picked = pick_customer(
            self,
            customer_search(self.factory, self.actor, flagged_only=True),
            title=tr_("search"),
            search_at_once=True,
        )
        if picked is not None:
            chosen, _name = picked
            numbers = self.numbers()
            if chosen not in numbers:
                self.set_numbers([*numbers, chosen])
        self.numbers_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.numbers_edit.end(False)

    @Slot()
    def browse(self) -> None:
        current = Path(self.archive_edit.text().strip()).expanduser()
        start = current if current.is_dir() else Path.home()
        folder = QFileDialog.getExistingDirectory(self, tr_("browse.title"), str(start))
        self.activateWindow()
        if folder:
            self.archive_edit.setText(folder)
        self.archive_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def archive_folder(self) -> Path | None:
        """The folder typed, or None after saying what is wrong with it."""
        typed = self.archive_edit.text().strip()
        if not typed:
            self._field_error("archive", tr_("no_folder"))
            return None
        folder = Path(typed).expanduser()
        if not folder.is_absolute():
            from custmd_gui.settings import default_archive_dir

            example = default_archive_dir()
            self._field_error("archive", tr_("relative").format(example=example))
            return None
        return folder

    # -- the run -----------------------------------------------------------------------------

    @Slot()
    def run(self) -> None:
        """Ask, then delete; the summary or every reason why not under the form."""
        from custmd_gui.domain.authorization import Permission
        from custmd_gui.services.deletion import delete_customers
        from custmd_gui.ui.operations import Operation

        numbers = self.numbers()
        comment = self.comment_edit.text()
        folder = self.archive_folder()
        if folder is None:
            return
        # Without the right, a customer or a comment the service refuses before it reads a
        # customer: its own words at once, and no question first.
        incomplete = not (numbers and comment.strip() and self.actor.rights.has(Permission.DELETE))
        if not incomplete and not self.confirm(numbers, folder):
            self._clear()
            self._message_key = "cancelled"
            self.message.setText(tr_("cancelled"))
            self.message.setStyleSheet("")
            return
        # In a worker thread (ui.operations): archiving and removing many customers on a
        # slow link must not freeze the window.
        Operation(
            self,
            lambda: delete_customers(self.factory, numbers, self.actor, folder, comment),
            changes=lambda report: [r.number for r in report.removed],
        ).on_success(self._deleted).on_failure(
            lambda exc: self._refused(exc, bool(numbers))
        ).run()

    def _deleted(self, report: DeletionReport) -> None:
        self._clear()
        self._show_report(report)
        self.numbers_edit.clear()
        self.comment_edit.clear()
        self.numbers_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.deleted.emit(report.summary(i18n.language()))

    def _refused(self, exc: DomainError, typed: bool) -> None:
        self._clear()
        self._show_refusal(exc.problems, typed)

    def confirm(self, numbers: Sequence[str], folder: Path) -> bool:
        """Are you sure? The default answer (Enter, Esc) is no."""
        box = self.confirmation(numbers, folder)
        answer = box.exec()
        box.deleteLater()
        self.activateWindow()
        return answer == QMessageBox.StandardButton.Yes

    def confirmation(self, numbers: Sequence[str], folder: Path) -> QMessageBox:
        """The question before a run: how many customers, which, and where they go."""
        shown = tr_("list_separator").join(numbers[:10])
        if len(numbers) > 10:
            shown += tr_("list_separator") + "…"
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            tr_("confirm.title"),
            self.tr("Delete %n customer(s) physically: {numbers}?", "", len(numbers)).format(
                numbers=shown
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName(CONFIRM_NAME)
        box.setInformativeText(tr_("confirm.info").format(folder=folder))
        box.button(QMessageBox.StandardButton.Yes).setText(tr_("confirm.yes"))
        box.button(QMessageBox.StandardButton.No).setText(tr_("confirm.no"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        return box

    def _clear(self) -> None:
        self.report = None
        self.refusal = []
        self._message_key = ""
        self.message.clear()
        self.removed_table.setRowCount(0)
        self.removed_table.hide()
        self.message_area.setMaximumHeight(16777215)  # QWIDGETSIZE_MAX: the reasons' room

    def _field_error(self, field: str, message: str) -> None:
        self._clear()
        self.message.setText(tr_("field_message").format(field=field_name(field), message=message))
        self.message.setStyleSheet(ERROR_STYLE)
        edit = {"archive": self.archive_edit, "numbers": self.numbers_edit}[field]
        edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_refusal(self, problems: Sequence[Problem], numbers_typed: bool) -> None:
        """Nothing was removed: why, one line per problem; the typing stays."""
        self.refusal = list(problems)
        self._refusal_numbers_typed = numbers_typed
        lines = problem_lines(problems, numbers_typed=numbers_typed)
        self.message.setText(f"{tr_('refused')}\n{lines}")
        self.message.setStyleSheet(ERROR_STYLE)
        keys = {p.field_key for p in problems}
        focus = self.comment_edit if keys == {COMMENT_KEY} else self.numbers_edit
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_report(self, report: DeletionReport) -> None:
        self.report = report
        self.message.setText(report.summary(i18n.language()))
        self.message.setStyleSheet(DONE_STYLE)
        table = self.removed_table
        table.setRowCount(len(report.removed))
        for row, removal in enumerate(report.removed):
            for column, text in enumerate((removal.number, removal.name, str(removal.archive))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, column, item)
        # The summary is one line; the table of archive files gets the room.
        height = self.message.heightForWidth(self.message_area.viewport().width())
        self.message_area.setMaximumHeight(max(height, self.fontMetrics().lineSpacing()) + 2)
        table.show()


def open_deletion_dialog(
    parent: QWidget | None,
    uow_factory: UowFactory,
    actor: Actor,
    numbers: Sequence[str] = (),
    *,
    on_deleted: Callable[[str], None] | None = None,
) -> DeletionDialog:
    """The deletion window (one per main window); `numbers` (the flagged customers selected
    in the list) are filled in when given."""
    dialog = parent.findChild(DeletionDialog, OBJECT_NAME) if parent is not None else None
    if dialog is None or dialog.factory is not uow_factory or dialog.actor != actor:
        dialog = DeletionDialog(uow_factory, actor, parent=parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if on_deleted is not None:
            dialog.deleted.connect(on_deleted)
    if numbers:
        dialog.set_numbers(numbers)
    bring_up(dialog)
    dialog.numbers_edit.setFocus(Qt.FocusReason.OtherFocusReason)
    return dialog
