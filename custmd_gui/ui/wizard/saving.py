"""The XD01 window's save (Ctrl+S): checks, the duplicate question, the store or, where the
user must request instead, the filed request (ui.wizard.request_filing); refusals listed with
the typing kept.

A layer of CustomerWizard (ui.wizard.window), which adds the screens' navigation and keys.
The checks and the write run in worker threads (ui.operations): on a slow link the window keeps
painting while it waits, and takes no input meanwhile.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import Signal, Slot

from custmd_gui.domain.errors import DomainError, Problem, Severity
from custmd_gui.ui import i18n
from custmd_gui.ui.duplicate_dialog import DuplicateChoice
from custmd_gui.ui.operations import Operation, process_until
from custmd_gui.ui.wizard import dialogs, request_filing
from custmd_gui.ui.wizard.proposal_marks import ProposalMarks
from custmd_gui.ui.wizard.request_filing import Filed
from custmd_gui.ui.wizard.shell import WizardShell
from custmd_gui.wizard import Keys, Outcome
from custmd_gui.wizard.requesting import file_request
from custmd_gui.wizard.session import SaveResult

if TYPE_CHECKING:
    from custmd_gui.services.duplicates import DuplicateHit


# Outcomes after which the customer is stored differently than before.
WRITTEN = (Outcome.CREATED, Outcome.EXTENDED, Outcome.CHANGED)


def _written(outcome: SaveResult | list[DuplicateHit]) -> list[str]:
    """The customer a save changed, for customers_changed (none: refused, or a question)."""
    if isinstance(outcome, SaveResult) and outcome.outcome in WRITTEN:
        return [outcome.number]
    return []


T = TypeVar("T")


class SavingWizard(WizardShell):
    """The wizard window's save. `saved` carries the status message after a successful save."""

    saved = Signal(str, str)  # number, message
    open_customer = Signal(str)  # number the user wants to see (duplicate dialog)
    marks: ProposalMarks  # made by CustomerWizard
    _saving: bool  # a save is under way in worker threads (start_save)
    _last_saved: bool

    def show_initial(self, *, keep: bool = False, propose: bool = True) -> None:
        """Back to the initial screen (ui.wizard.window)."""
        raise NotImplementedError

    def _show_problems(self, problems: Sequence[Problem], *, all_screens: bool = True) -> None:
        """The problems in the message panel (ui.wizard.window)."""
        raise NotImplementedError

    @Slot()
    def save(self) -> bool:
        """Save and wait until it is done (scripts, tests, benchmarks); True if saved. The
        window's own Ctrl+S is start_save: the clerk's window never waits in a call."""
        self.start_save()
        process_until(lambda: not self._saving)
        return self._last_saved

    @Slot()
    def start_save(self) -> None:
        """Ctrl+S: check all screens, look for duplicates, store in one transaction. The
        checks and the write run in worker threads (ui.operations): on a slow link the
        window keeps painting while it waits, and takes no input meanwhile; the duplicate
        question comes in between, on the GUI thread."""
        keys = self.keys
        if keys is None or self.displaying or self._saving:
            return
        self._sync()
        if request_filing.must_file(self.session):
            self._start_filing(keys)
            return
        if self.session.asks_reason:
            reason = dialogs.change_reason(self)
            if reason is None:
                return
            self.session.reason = reason
        self._saving, self._last_saved = True, False
        language = i18n.language()
        session = self.session

        def check_then_store() -> SaveResult | list[DuplicateHit]:
            # One trip to the worker when there is nothing to ask (the usual case); back to
            # the GUI thread only with possible duplicates.
            checked = session.check_save()
            if isinstance(checked, SaveResult) or checked:
                return checked
            return session.store(language)

        Operation(self, check_then_store, changes=_written).on_success(
            lambda outcome: self._checked(outcome, keys, language)
        ).on_crash(self._save_crashed).run()

    def _checked(self, checked: SaveResult | list[DuplicateHit], keys: Keys, language: str) -> None:
        if isinstance(checked, SaveResult):
            self._saved(checked, keys)
            return
        if not self._duplicates_accepted(checked):
            self._saved(SaveResult(Outcome.CANCELLED), keys)
            return
        Operation(self, lambda: self.session.store(language), changes=_written).on_success(
            lambda result: self._saved(result, keys)
        ).on_crash(self._save_crashed).run()

    def _start_filing(self, keys: Keys) -> None:
        """提交申请: the save's checks and duplicate question, the reason, then the requests
        (request_filing); a refusal is listed like the save's, the typing kept."""
        # a request corrected keeps its reason: the screens change only its data
        if (request := self.session.correcting) is not None:
            reason: str | None = request.reason
        else:
            reason = request_filing.request_reason(self)
        if reason is None:
            return
        self._saving, self._last_saved = True, False
        session = self.session

        def filing() -> Filed:
            return Filed(file_request(session, reason))

        def check_then_file() -> SaveResult | list[DuplicateHit] | Filed:
            checked = session.check_save()
            if isinstance(checked, SaveResult) or checked:
                return checked
            return filing()

        def checked(outcome: SaveResult | list[DuplicateHit] | Filed) -> None:
            if isinstance(outcome, Filed):
                self._filed(outcome, keys)
            elif isinstance(outcome, SaveResult):
                self._saved(outcome, keys)
            elif self._duplicates_accepted(outcome):
                self._file(filing, keys, lambda filed: self._filed(filed, keys))
            else:
                self._saved(SaveResult(Outcome.CANCELLED), keys)

        self._file(check_then_file, keys, checked)

    def _file(self, work: Callable[[], T], keys: Keys, then: Callable[[T], None]) -> None:
        def refused(error: DomainError) -> None:
            self._saved(SaveResult(Outcome.REFUSED, problems=tuple(error.problems)), keys)

        Operation(self, work).on_success(then).on_failure(refused).on_crash(
            self._save_crashed
        ).run()

    def _filed(self, filed: Filed, keys: Keys) -> None:
        from custmd_gui.ui.request_events import request_events

        self._saving, self._last_saved = False, True
        for request in filed.requests:
            request_events().requests_changed.emit(request.number)
        if self.session.correcting is not None:
            self.keys = None  # filed: nothing is lost by closing
            self.close()
            return
        if self.changing:  # as after XD02's save: the initial screen, the number kept
            self.show_initial()
            self.screens.set_initial({"KNA1-KUNNR": keys.number})
        else:
            self._after_save(keys)
        numbers = ", ".join(r.number for r in filed.requests)
        self.statusBar().showMessage(self.tr("Request {numbers} submitted").format(numbers=numbers))

    def _save_crashed(self, info: Any) -> None:
        self._saving = False
        sys.excepthook(*info)

    def _saved(self, result: SaveResult, keys: Keys) -> None:
        self._saving, self._last_saved = False, result.saved
        if not result.saved:
            self._refused(result)
            return
        if result.outcome is Outcome.UNCHANGED:
            self.statusBar().showMessage(result.message)  # SAP stays on the screen
            return
        self.saved.emit(result.number, result.message)
        if result.outcome is Outcome.CHANGED:
            # As SAP: back to the initial screen, the customer's number kept for the next change.
            self.show_initial()
            self.screens.set_initial({"KNA1-KUNNR": keys.number})
        else:
            self._after_save(keys)
        self.statusBar().showMessage(result.message)

    def _refused(self, result: SaveResult) -> None:
        """The typing stays on the screens; the problems are listed and the first one shown."""
        problems = list(result.problems)
        if result.outcome is Outcome.CANCELLED:
            return
        self._show_problems(problems)
        if result.outcome is Outcome.BUSY:
            # Not the data's fault: stay on the screen with everything typed; Ctrl+S again.
            self.statusBar().showMessage(problems[0].message.get(i18n.language()))
        elif result.outcome is Outcome.CHECKS_FAILED and not any(
            p.severity is Severity.ERROR for p in problems
        ):
            self.statusBar().showMessage(
                self.tr("Please check the warnings; press Ctrl+S again to save")
            )
        elif problems and not (self.changing and self.screen_of(problems[0]) == "initial"):
            self.jump_to_problem(problems[0])

    def _after_save(self, keys: Keys) -> None:
        """Back to the initial screen for the next customer, keeping the organisation."""
        self.show_initial()
        self.screens.set_initial({"KNA1-KUNNR": ""})
        self.screens.clear_reference()
        self.marks.initial_shown()  # the next free number again

    def _duplicates_accepted(self, hits: Sequence[DuplicateHit]) -> bool:
        choice, number = dialogs.duplicates_choice(self, hits)
        if choice is DuplicateChoice.OPEN:
            self.open_customer.emit(number)
            return False
        return choice is DuplicateChoice.CONTINUE
