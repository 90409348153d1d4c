"""The wizard window's shell: header, step list, screens, message panel and buttons, and
how it renders its WizardSession (the screen shown, the focus, the steps, the header)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.catalog import Catalog
from custmd_gui.domain.errors import Problem
from custmd_gui.domain.field_status import Activity
from custmd_gui.domain.model import Customer
from custmd_gui.services.customer_names import customer_names
from custmd_gui.ui import i18n, icons
from custmd_gui.ui.code_texts import CodeTexts
from custmd_gui.ui.edit_history import EditHistory
from custmd_gui.ui.field_binding import ScreenBinding
from custmd_gui.ui.message_panel import MessagePanel
from custmd_gui.ui.window_layout import restore_geometry, save_geometry
from custmd_gui.ui.wizard.header import window_title_and_header
from custmd_gui.ui.wizard.screens import ScreenStack
from custmd_gui.ui.wizard.steps import StepList
from custmd_gui.wizard import Document, Keys, WizardSession

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory


STYLE = """
QLineEdit[required="true"], QTableWidget[required="true"] { background: #fffbe6; }
QLineEdit[display="true"] { background: #f0f0f0; color: #333; }
QLineEdit[error="true"], QTableWidget[error="true"], QCheckBox[error="true"] {
    border: 2px solid #c62828; background: #fdecea; }
"""


class WizardShell(QMainWindow):
    """The window around a session; CustomerWizard adds the keyboard, the checks and saving."""

    def __init__(
        self, session: WizardSession, parent: QWidget | None = None, *, style: str = ""
    ) -> None:
        """`style`: rules the subclass's parts add to STYLE. The whole style sheet is set
        here, before any widget of the window exists: set later, it would polish every
        widget again (a quarter of the time to the first screen)."""
        super().__init__(parent)
        self.setObjectName("customer_wizard")
        self.session = session
        self.error_screens: set[str] = set()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.setStyleSheet(STYLE + style)

        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 8, 8, 4)
        self.header = QLabel(central)
        self.header.setObjectName("wizard_header")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.header)

        splitter = QSplitter(Qt.Orientation.Vertical, central)
        top = QWidget(splitter)
        row = QHBoxLayout(top)
        row.setContentsMargins(0, 0, 0, 0)
        self.steps = StepList(top)
        row.addWidget(self.steps)
        # Screens: the initial one now, the data screens when first shown (start-up speed).
        self.history = EditHistory(self, lambda b: self.show_screen(b.screen, focus=False))
        names = functools.partial(customer_names, session.factory, actor=session.actor)
        self.screens = ScreenStack(
            self.catalog,
            i18n.language,
            lambda: self.session.statuses,
            self.history.watch,
            top,
            texts=CodeTexts(session.customizing, names, self.catalog, self),
        )
        row.addWidget(self.screens, 1)
        splitter.addWidget(top)
        self.messages = MessagePanel(splitter)
        self.messages.chosen.connect(self.jump_to_problem)
        splitter.addWidget(self.messages)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 110])
        outer.addWidget(splitter, 1)

        buttons = QHBoxLayout()
        self.back_button = QPushButton(central)
        self.back_button.setObjectName("back")
        self.next_button = QPushButton(central)
        self.next_button.setObjectName("next")
        self.save_button = QPushButton(icons.icon("save"), "", central)
        self.save_button.setObjectName("save")
        for b in (self.back_button, self.next_button, self.save_button):
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.setCentralWidget(central)
        self.statusBar()  # from the start: the layout must not jump at the first message
        # The transaction's icon, as its menu entry and toolbar button show it.
        self.setWindowIcon(icons.icon(session.activity.value))

        if session.stored:
            self.screens.ask_for_stored_customer()
        if session.displaying:
            self.save_button.hide()
        self.resize(1200, 720)
        # Where the clerk left this transaction's window, as large (ui.window_layout).
        restore_geometry(self, self.layout_name)

    @property
    def layout_name(self) -> str:
        """XD01, XD02 and XD03 each keep their own size and place."""
        return f"wizard_{self.activity.value}"

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closed by the clerk; a window let go of unseen (another database) keeps what was.
        if self.isVisible():
            save_geometry(self, self.layout_name)
        super().closeEvent(event)

    # -- the session's state, as the callers and tests read it --------------------------------

    @property
    def keys(self) -> Keys | None:
        return self.session.keys

    @keys.setter
    def keys(self, keys: Keys | None) -> None:
        # Callers clear the keys to close without the "unsaved data" question.
        self.session.keys = keys
        if keys is None:
            self.session.parked = None

    @property
    def activity(self) -> Activity:
        return self.session.activity

    @property
    def active(self) -> list[str]:
        return self.session.active

    @property
    def catalog(self) -> Catalog:
        return self.session.catalog

    @property
    def factory(self) -> UowFactory:
        return self.session.factory

    @property
    def actor(self) -> Actor:
        return self.session.actor

    @property
    def displaying(self) -> bool:
        return self.session.displaying

    @property
    def changing(self) -> bool:
        return self.session.changing

    @property
    def stored(self) -> bool:
        return self.session.stored

    @property
    def pages(self) -> dict[str, QWidget]:
        return self.screens.pages

    @property
    def bindings(self) -> dict[str, ScreenBinding]:
        return self.screens.bindings

    def binding(self, screen: str) -> ScreenBinding:
        return self.screens.binding(screen)

    # -- rendering ----------------------------------------------------------------------------

    def current_screen(self) -> str:
        return self.screens.current_screen()

    def show_screen(self, screen: str, focus: bool = True) -> None:
        binding = self.screens.show_screen(screen)
        self._update_steps()
        self._update_header()
        self.back_button.setEnabled(screen != "initial")
        self.save_button.setEnabled(screen != "initial")
        if focus:
            self._focus_first(binding)

    def _focus_first(self, binding: ScreenBinding) -> None:
        if binding.screen == "initial":
            first = binding.editors.get("KNA1-KUNNR" if self.stored else "KNA1-KTOKD")
            if first is not None:
                first.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        for editor in binding.editors.values():
            if (
                editor.isVisible()
                and editor.isEnabled()
                and not (isinstance(editor, QLineEdit) and editor.isReadOnly())
            ):
                editor.setFocus(Qt.FocusReason.TabFocusReason)
                return
        for grid in binding.grids.values():
            if grid.table.isVisible() and not grid.read_only:
                grid.table.setFocus(Qt.FocusReason.TabFocusReason)
                grid.table.setCurrentCell(0, 0)
                return
        self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_steps(self) -> None:
        keys = self.keys
        self.steps.show_steps(
            self.active,
            self.current_screen(),
            self.error_screens,
            keys.company_code if keys else "",
            keys.sales_area_key if keys else "",
        )

    def _update_header(self) -> None:
        binding = self.bindings.get("address")
        name = ""
        if binding is not None and "KNA1-NAME1" in binding.editors:
            name = str(binding.values().get("KNA1-NAME1", ""))
        title, header = window_title_and_header(
            self.activity, self.keys, self.current_screen(), name
        )
        self.setWindowTitle(title)
        self.header.setText(header)

    @Slot(object)
    def jump_to_problem(self, problem: Problem) -> None:
        screen = self.screen_of(problem)
        self.show_screen(screen, focus=False)
        widget = self.binding(screen).widget_for(problem.field_key)
        if widget is None:
            return
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self.screens.scrolls[screen].ensureWidgetVisible(widget)  # under a taller panel too
        grid = self.binding(screen).grid_of(widget)
        if grid is not None:
            column = (
                grid.column(problem.field_key)
                if problem.field_key in {fd.key for fd in grid.columns}
                else 0
            )
            grid.table.setCurrentCell(0, column)

    # -- the document -------------------------------------------------------------------------

    def collect(self) -> Document:
        """Everything on the data screens: {field key: value} and grid rows per table."""
        return self.screens.collect(self.active)

    def _sync(self) -> None:
        self.session.update(self.collect())

    def build(self) -> Customer:
        self._sync()
        return self.session.build()

    def problems(self, screen: str | None = None) -> list[Problem]:
        self._sync()
        return self.session.problems(screen)

    def screen_of(self, problem: Problem) -> str:
        return self.session.screen_of(problem)

    def is_dirty(self) -> bool:
        if self.keys is None:  # typed and kept while the initial screen is corrected?
            return self.session.parked is not None
        if self.session.snapshot is None:
            return False
        self._sync()
        return self.session.dirty
