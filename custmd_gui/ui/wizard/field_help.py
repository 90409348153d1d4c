"""F4 and F1 on the wizard's screens: the value help of the focused field (codes of the
customizing, or a customer search) and its help text from the catalog."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLineEdit, QMainWindow, QMessageBox, QWidget

from custmd_gui.catalog import FieldDef
from custmd_gui.ui import i18n
from custmd_gui.ui.field_binding import GridBinding, ScreenBinding
from custmd_gui.ui.value_help import HelpEntry, ValueHelpDialog, customer_entries
from custmd_gui.ui.wizard.dialogs import modal
from custmd_gui.wizard.screens import REFERENCE_AS

if TYPE_CHECKING:
    from custmd_gui.ui.wizard.screens import ScreenStack
    from custmd_gui.wizard import WizardSession


class FieldHelp:
    """F4/F1 for one wizard window."""

    def __init__(self, window: QMainWindow, screens: ScreenStack, session: WizardSession):
        self.window = window
        self.screens = screens
        self.session = session

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text)

    def focused_field(self) -> tuple[FieldDef | None, QWidget | None]:
        focus = self.window.focusWidget()
        cat = self.session.catalog
        for name, edit in self.screens.reference_edits.items():
            if focus is edit:
                return cat.field(REFERENCE_AS[name]), edit
        binding = self.screens.bindings.get(self.screens.current_screen())
        if binding is None or focus is None:
            return None, None
        return binding.field_of(focus), focus

    def value_help(self) -> None:
        no_help = QCoreApplication.translate("CustomerWizard", "No value help for this field")
        fd, widget = self.focused_field()
        if fd is None or widget is None:
            self._status(no_help)
            return
        if isinstance(widget, QLineEdit) and widget.isReadOnly():
            return
        binding = self.screens.bindings[self.screens.current_screen()]
        grid = binding.grid_of(widget)
        if grid is not None and grid.read_only:
            return
        current = widget.text() if isinstance(widget, QLineEdit) else ""
        if grid is not None:
            current = grid.cell(grid.table.currentRow(), grid.table.currentColumn())
        lang = i18n.language()
        title = QCoreApplication.translate("CustomerWizard", "Value help: {field}").format(
            field=fd.label.get(lang)
        )
        if fd.search_help == "customers":
            dialog = ValueHelpDialog(
                title,
                current=current,
                # Which customer to open (XD02/XD03) may be one flagged for deletion; one to
                # name as partner or reference may not.
                search=functools.partial(
                    self.search_customers,
                    include_flagged=self.session.stored
                    and widget is binding.editors.get("KNA1-KUNNR"),
                ),
                headers=(
                    QCoreApplication.translate("CustomerWizard", "Customer"),
                    QCoreApplication.translate("CustomerWizard", "Name"),
                    QCoreApplication.translate("CustomerWizard", "City"),
                ),
                parent=self.window,
            )
        elif fd.value_help:
            entries = self.entries(fd, binding)
            if not entries:
                self._status(no_help)
                return
            dialog = ValueHelpDialog(title, entries, current=current, parent=self.window)
        else:
            self._status(no_help)
            return
        if modal(self.window, dialog) and dialog.chosen():
            self._put(widget, grid, dialog.chosen())

    def _put(self, widget: QWidget, grid: GridBinding | None, value: str) -> None:
        if grid is not None:
            table = grid.table
            row, column = max(table.currentRow(), 0), max(table.currentColumn(), 0)
            item = table.item(row, column)
            if item is not None:
                table.closePersistentEditor(item)
            if isinstance(widget, QLineEdit):
                widget.setText(value)
            grid.set_cell(row, column, value)
            table.setFocus(Qt.FocusReason.OtherFocusReason)
            table.setCurrentCell(row, column)
        elif isinstance(widget, QLineEdit):
            widget.setText(value)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def entries(self, fd: FieldDef, binding: ScreenBinding) -> list[HelpEntry]:
        lang = i18n.language()
        customizing = self.session.customizing
        if fd.value_help == "account_groups":
            groups = customizing.account_groups.values()
            return [HelpEntry(g.code, g.text.get(lang)) for g in groups]
        parent: str | None = None
        if fd.value_help_parent:
            parent = str(binding.values().get(fd.value_help_parent, "")) or None
        if fd.value_help == "sales_orgs" or fd.value_help == "distribution_channels":
            parent = None
        return [
            HelpEntry(v.code, v.text.get(lang), v.parent)
            for v in customizing.values(fd.value_help or "", parent)
        ]

    def search_customers(self, text: str, *, include_flagged: bool = False) -> list[HelpEntry]:
        from custmd_gui.services.search import search_help

        session = self.session
        rows = search_help(
            session.factory, text, 50, include_flagged=include_flagged, actor=session.actor
        )
        return customer_entries(rows)

    def field_help(self) -> None:
        fd, _widget = self.focused_field()
        if fd is None:
            return
        lang = i18n.language()
        box = QMessageBox(
            QMessageBox.Icon.Information,
            QCoreApplication.translate("CustomerWizard", "Help: {field}").format(
                field=fd.label.get(lang)
            ),
            fd.help.get(lang),
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setObjectName("field_help")
        box.setInformativeText(f"{fd.key} · {fd.type} {fd.length}")
        modal(self.window, box)
