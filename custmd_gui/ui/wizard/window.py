"""XD01: create a customer, or extend one to a new company code or sales area (XD02 and XD03
in the same window: change under an edit lock, display read-only).

The initial screen takes the account group, the number, the company code, the sales area and
an optional reference; then the screens follow in XD01 order, with a step list to jump, a
message panel for every problem at once and the keyboard of SAP: Enter = check and next,
F4 = value help, F1 = help, Ctrl+S = save, F3/Esc = back to the initial screen with the
typing kept (carried over to the corrected keys where they still apply; the window asks
before anything typed is discarded). The state and rules live in a
WizardSession (custmd_gui.wizard); this window renders it and hands it what was typed.

Every screen keeps what was typed until the user saves or confirms leaving: checks only mark.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import Problem, Severity
from custmd_gui.domain.field_status import Activity
from custmd_gui.ui import i18n, wizard_keys
from custmd_gui.ui.operations import customer_events
from custmd_gui.ui.qtutils import in_cell_editor
from custmd_gui.ui.wizard import dialogs, proposal_marks, request_filing
from custmd_gui.ui.wizard.field_help import FieldHelp
from custmd_gui.ui.wizard.proposal_marks import ProposalMarks
from custmd_gui.ui.wizard.saving import SavingWizard
from custmd_gui.wizard import SCREEN_SEGMENT, Event, WizardSession

if TYPE_CHECKING:
    from custmd_gui.domain.requests import Request
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory


class CustomerWizard(SavingWizard):
    """The XD01 window: its screens, the steps between them and its keys (the save: the
    SavingWizard layer)."""

    # XD02 refused by an edit lock, the user chose to display: number, company code, area.
    display_requested = Signal(str, str, str)

    def __init__(
        self,
        uow_factory: UowFactory,
        customizing: Customizing,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        activity: Activity = Activity.CREATE,
        ahead: bool = False,
    ) -> None:
        """`ahead`: made before anybody asked for it (ui.main_transactions); the initial
        screen's proposals, which read the database, wait for `propose`."""
        session = WizardSession(uow_factory, customizing, actor, activity=activity)
        super().__init__(session, parent, style=proposal_marks.STYLE)
        session.subscribe(self._session_event)
        self._saving = False  # a save is under way in worker threads (start_save)
        customer_events().customers_changed.connect(self._customers_changed)
        self._last_saved = False
        # XD02: renews the session's edit lock while a customer is open for change.
        self.lock_timer = QTimer(self)
        self.lock_timer.timeout.connect(self._renew_lock)
        self.help = FieldHelp(self, self.screens, session)
        self.steps.chosen.connect(self._step_chosen)
        self.back_button.clicked.connect(self.previous_screen)
        self.next_button.clicked.connect(self.enter)
        self.save_button.clicked.connect(self.start_save)
        self.marks = ProposalMarks(self)  # proposed values: marked until typed over
        # The keys' one table (ui.wizard_keys) also lists them in 帮助 → 快捷键.
        for entry in wizard_keys.window_shortcuts():
            shortcut = QShortcut(QKeySequence(entry.key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(getattr(self, entry.slot))
        self.retranslate()
        self.show_initial(propose=not ahead)

    def _session_event(self, event: Event, problems: Sequence[Problem]) -> None:
        if event is Event.CLOSED:
            self.lock_timer.stop()
        elif event is Event.LOCK_LOST:
            # The typing stays, but a save will be refused: say so at once.
            self.lock_timer.stop()
            self._show_problems(problems, all_screens=False)

    @Slot()
    def _renew_lock(self) -> None:
        if not self.session.renew_lock():
            self.lock_timer.stop()

    # -- the initial screen -------------------------------------------------------------------

    def display(self, number: str, company_code: str = "", sales_area: str = "") -> bool:
        """XD03 (XD02 in a change window) for `number` (and, if given, a company code and a
        sales area "F011/10/01"): fills the initial screen and presses Enter for the user."""
        org, channel, division = [*sales_area.split("/"), "", "", ""][:3]
        self.show_initial()
        self.screens.set_initial(
            {
                "KNA1-KUNNR": number,
                "KNB1-BUKRS": company_code,
                "KNVV-VKORG": org,
                "KNVV-VTWEG": channel,
                "KNVV-SPART": division,
            }
        )
        return self.enter_data()

    @Slot(list)
    def _customers_changed(self, numbers: list[str]) -> None:
        """XD03 showing a customer that was changed, blocked or flagged meanwhile (in any
        window) shows it as it is stored now, on the same screen. XD01/XD02 keep what is
        typed: their save refuses a stale version instead."""
        keys = self.keys
        if not self.displaying or keys is None or keys.number not in numbers:
            return
        screen = self.current_screen()
        if self.display(keys.number, keys.company_code, keys.sales_area_key) and (
            screen in self.active
        ):
            self.show_screen(screen)

    def _update_save_text(self) -> None:
        if request_filing.resubmits(self.session):
            self.save_button.setText(self.tr("Resubmit request (Ctrl+S)"))
        elif request_filing.must_file(self.session):
            self.save_button.setText(self.tr("Submit request (Ctrl+S)"))
        else:
            self.save_button.setText(self.tr("Save (Ctrl+S)"))

    def show_screen(self, screen: str, focus: bool = True) -> None:
        super().show_screen(screen, focus)
        self._update_save_text()  # the keys decide: a create may need a request

    def _update_header(self) -> None:
        super()._update_header()
        if (request := self.session.correcting) is not None:
            title = self.tr("Request {number}").format(number=request.number)
            self.setWindowTitle(f"{title} – {self.windowTitle()}")

    def open_request(self, request: Request) -> bool:
        """The requester's filed request on the screens, to correct and submit again: its
        keys on the initial screen and Enter for him, then its proposed data in place of the
        proposals, as if typed (nothing to save yet). False, the problems listed, when the
        screens cannot show it (the customizing changed since, a number now taken)."""
        self.show_initial()
        values = request_filing.correction_keys(self, request)
        if values is None:
            return False
        self.screens.set_initial(values)
        if not self.enter_data():
            return False
        request_filing.show_request(self, request)
        self.marks.refresh()  # the request's values are the requester's, not proposals
        self.session.mark_clean(self.collect())
        return True

    def retranslate(self) -> None:
        self.back_button.setText(self.tr("Previous screen (Ctrl+PgUp)"))
        self.next_button.setText(self.tr("Check / next (Enter)"))
        self._update_save_text()
        self.messages.retranslate()
        self.screens.retranslate()
        self.marks.refresh()
        self._update_steps()
        self._update_header()

    def show_initial(self, *, keep: bool = False, propose: bool = True) -> None:
        """The initial screen; `keep`: the typing waits for the corrected keys (F3/Esc)."""
        self.session.close(keep=keep)
        self.error_screens = set()
        self.messages.show_problems([], i18n.language())
        self.screens.clear_data()
        self.history.reset([])
        self.show_screen("initial")
        if propose:
            self.propose()

    def propose(self) -> None:
        """The initial screen's proposals: the user's company code and sales area, the next
        free number (read now: for a window made ahead, when it is first shown)."""
        self.marks.initial_shown()

    def initial_values(self) -> dict[str, str]:
        return self.screens.initial_values()

    def enter_data(self) -> bool:
        """Leave the initial screen for the data screens (Enter on the initial screen)."""
        values = self.initial_values()
        resolution = self.session.resolve(values)
        locked = resolution.locked
        if locked is not None and dialogs.display_instead(self, resolution.problems[0]):
            self.display_requested.emit(locked.number, locked.company_code, locked.sales_area_key)
        self._show_problems(resolution.problems)
        if resolution.keys is None:
            return False
        carry = self.session.carry_over(resolution.keys)
        answer = dialogs.keep_typing(self, carry, self.catalog) if carry.asks else None
        if answer is dialogs.Typing.CANCEL:
            self.session.release_lock()  # XD02: taken by resolve; still correcting the keys
            return False
        document = self.session.open(resolution, values)
        if self.session.renew_every is not None:
            self.lock_timer.start(int(self.session.renew_every * 1000))
        self.screens.apply_statuses(self.active)
        self.screens.show_document(self.active, document)
        self.marks.opened()
        self.session.mark_clean(self.collect())
        # The typing kept from before the keys were corrected: typed, not yet saved.
        take_over = answer is not dialogs.Typing.DISCARD
        self.screens.show_document(self.active, carry.document(take_over))
        self.marks.refresh()  # a kept value is the clerk's, not a proposal
        self.history.reset([self.binding(s) for s in self.active])
        self.show_screen(self.active[0])
        if resolution.keys.extending is not None and not self.stored:
            # General data exist already: start at the first screen of a new segment.
            first_new = next(
                (s for s in self.active if SCREEN_SEGMENT[s] != "general"), self.active[0]
            )
            self.show_screen(first_new)
        if warnings := self.session.reference_warnings():
            self.messages.show_problems(warnings, i18n.language())
        return True

    # -- checking and moving ------------------------------------------------------------------

    def _show_problems(self, problems: Sequence[Problem], *, all_screens: bool = True) -> None:
        self.messages.show_problems(problems, i18n.language())
        keys_by_screen: dict[str, set[str]] = {}
        for p in problems:
            keys_by_screen.setdefault(self.screen_of(p), set()).add(p.field_key)
        if all_screens:
            self.error_screens = {s for s in keys_by_screen if s != "initial"}
        current = self.current_screen()
        self.screens.mark_errors(
            keys_by_screen, [s for s in self.bindings if all_screens or s == current]
        )
        self._update_steps()
        if problems:
            self.statusBar().showMessage(
                self.tr(
                    "%n problem(s): click a message (or Ctrl+M, Enter) to go to its field",
                    "",
                    len(problems),
                )
            )

    @Slot()
    def enter(self) -> None:
        """Enter: check the current screen; without errors go on to the next one."""
        screen = self.current_screen()
        if screen == "initial":
            self.enter_data()
            return
        if self.displaying:
            self.next_screen_unchecked()
            return
        problems = self.problems(screen)
        self.messages.show_problems(problems, i18n.language())
        binding = self.binding(screen)
        binding.mark_errors({p.field_key for p in problems if p.severity is Severity.ERROR})
        if problems and not self.session.blocking(problems):
            problems = []  # warnings read: go on
        elif problems and not any(p.severity is Severity.ERROR for p in problems):
            self._update_steps()
            self.statusBar().showMessage(
                self.tr("Please check the warnings; press Enter again to continue")
            )
            return
        if problems:
            self.error_screens.add(screen)
            self._update_steps()
            self.jump_to_problem(problems[0])
            self.statusBar().showMessage(self.tr("%n problem(s) on this screen", "", len(problems)))
            return
        self.error_screens.discard(screen)
        index = self.active.index(screen)
        if index + 1 < len(self.active):
            self.show_screen(self.active[index + 1])
            self.statusBar().clearMessage()
        else:
            self._update_steps()
            self.statusBar().showMessage(self.tr("Last screen checked; press Ctrl+S to save"))

    @Slot()
    def next_screen_unchecked(self) -> None:
        screen = self.current_screen()
        if screen in self.active and self.active.index(screen) + 1 < len(self.active):
            self.show_screen(self.active[self.active.index(screen) + 1])

    @Slot()
    def previous_screen(self) -> None:
        screen = self.current_screen()
        if screen in self.active and self.active.index(screen) > 0:
            self.show_screen(self.active[self.active.index(screen) - 1])

    def _step_chosen(self, screen: str) -> None:
        if screen == self.current_screen():
            return
        if screen == "initial":
            self.back()
        else:
            self.show_screen(screen)

    # -- keyboard -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Line edits and check boxes pass Enter and Esc on to their window. A grid takes its
        # cell editor's Enter (ui.grid_enter); one that comes through anyway only commits.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if in_cell_editor(QApplication.focusWidget()):
                event.accept()
                return
            self.enter()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.back()
            return
        super().keyPressEvent(event)

    @Slot()
    def back(self) -> None:
        """F3 / Esc: from the data screens back to the initial screen, the typing kept for the
        corrected keys (nothing is lost yet: nothing to ask); from there close."""
        if self.keys is None or self.session.correcting is not None:
            self.close()  # a request's keys are not corrected here: its screens close
            return
        self._sync()
        self.show_initial(keep=True)
        if self.session.parked is not None:
            self.statusBar().showMessage(
                self.tr("What was typed is kept: correct the initial screen and press Enter")
            )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_dirty() and not dialogs.confirm_loss(self):
            event.ignore()
            return
        self.session.release_lock()
        self.lock_timer.stop()
        super().closeEvent(event)

    @Slot()
    def value_help(self) -> None:
        self.help.value_help()

    @Slot()
    def field_help(self) -> None:
        self.help.field_help()

    @Slot()
    def change_documents(self) -> None:
        """Ctrl+H: XD04 for the customer on the screens (or typed on the initial screen)."""
        from custmd_gui.ui.change_documents_dialog import open_change_documents

        number = self.keys.number if self.keys else self.initial_values().get("KNA1-KUNNR", "")
        open_change_documents(self, self.factory, number, self.actor)
