"""The wizard session: the state and rules of XD01/XD02/XD03 without the window.

It holds the activity, the keys the initial screen decided, the account group's field status,
the screens in use, the document on the screens, the warnings already shown, the edit lock
(XD02) and whether anything was typed; it resolves the initial screen, proposes the screens'
first values and saves through the create, extend or change service. A window renders it and
hands it what the clerk typed (`update`); listeners hear when the keys open or close and
when the edit lock is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from custmd_gui.catalog import Catalog, catalog
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DatabaseBusy, DomainError, Problem, Severity
from custmd_gui.domain.field_status import Activity, FieldStatus
from custmd_gui.domain.model import Customer
from custmd_gui.domain.validation import Validator
from custmd_gui.wizard.carry_over import CarryOver, Parked, carry_over, typed
from custmd_gui.wizard.document import Document, build, merged_change
from custmd_gui.wizard.initial import Keys, Resolution, resolve_create, resolve_stored
from custmd_gui.wizard.prefill import prefill
from custmd_gui.wizard.proposals import WizardProposals
from custmd_gui.wizard.status import field_statuses, screens_in_use

if TYPE_CHECKING:
    from custmd_gui.domain.requests import Request
    from custmd_gui.services.context import Actor
    from custmd_gui.services.duplicates import DuplicateHit
    from custmd_gui.services.locks import EditLock
    from custmd_gui.services.ports import UowFactory

# Asked before creating a customer that looks like stored ones: True = create anyway.
DuplicatesAccepted = Callable[[Sequence["DuplicateHit"]], bool]
Acknowledged = tuple[str, str, str]  # (field key, segment, Chinese text): a warning shown once

log = logging.getLogger(__name__)


class Event(Enum):
    OPENED = "opened"  # the keys were accepted: the data screens are in use
    CLOSED = "closed"  # back to the initial screen
    LOCK_LOST = "lock_lost"  # XD02: another user took over the edit lock


class Outcome(Enum):
    CHECKS_FAILED = "checks_failed"  # errors, or warnings shown for the first time
    REFUSED = "refused"  # the service (or the credit-code check) refused it
    BUSY = "busy"  # the database was busy: nothing written, try again
    CANCELLED = "cancelled"  # the clerk did not go on past possible duplicates
    CREATED = "created"
    EXTENDED = "extended"
    CHANGED = "changed"
    UNCHANGED = "unchanged"  # XD02 with nothing changed: nothing written


@dataclass(frozen=True)
class SaveResult:
    outcome: Outcome
    number: str = ""
    message: str = ""  # the status message in the language asked for
    problems: tuple[Problem, ...] = ()

    @property
    def saved(self) -> bool:
        return self.outcome in (
            Outcome.CREATED,
            Outcome.EXTENDED,
            Outcome.CHANGED,
            Outcome.UNCHANGED,
        )


class WizardSession:
    """One wizard window's state, from the initial screen to the save."""

    def __init__(
        self,
        uow_factory: UowFactory,
        customizing: Customizing,
        actor: Actor,
        *,
        activity: Activity = Activity.CREATE,
        cat: Catalog | None = None,
    ) -> None:
        # CREATE: XD01 (create or extend); DISPLAY: XD03, the same screens read-only;
        # CHANGE: XD02, the same screens with the field status of a change, under an edit lock.
        self.activity = activity
        self.factory = uow_factory
        self.customizing = customizing
        self.actor = actor
        # XD02's reason for the change (the change document's comment): asked at the save
        # when the customizing requires one (change_reason); empty otherwise.
        self.reason = ""
        self.catalog = cat or catalog()
        self.validator = Validator(customizing, self.catalog)
        self.keys: Keys | None = None
        self.reference: Customer | None = None
        self.initial: dict[str, str] = {}
        self.statuses: dict[str, FieldStatus] = {}
        self.active: list[str] = []  # data screens in use for the current keys
        self.acknowledged: set[Acknowledged] = set()
        self.lock: EditLock | None = None  # XD02: held while a customer is open for change
        self.document: Document = {}
        self.snapshot: Document | None = None  # the document as it opened (or was saved)
        # XD01's proposals and the fields still holding them (wizard.proposals).
        self.proposals = WizardProposals(uow_factory, customizing, actor, self.catalog)
        # The filed request on the screens to be corrected and submitted again (ui: opened
        # from the work list); the save files it instead of a new request.
        self.correcting: Request | None = None
        # Typing kept while the initial screen is corrected (close(keep=True)).
        self.parked: Parked | None = None
        self._listeners: list[Callable[[Event, Sequence[Problem]], None]] = []

    # -- observing --------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[Event, Sequence[Problem]], None]) -> None:
        self._listeners.append(listener)

    def _emit(self, event: Event, problems: Sequence[Problem] = ()) -> None:
        for listener in list(self._listeners):
            listener(event, problems)

    # -- activity ---------------------------------------------------------------------------

    @property
    def displaying(self) -> bool:
        return self.activity is Activity.DISPLAY

    @property
    def changing(self) -> bool:
        return self.activity is Activity.CHANGE

    @property
    def stored(self) -> bool:
        """XD02 and XD03 work on a stored customer; XD01 makes one."""
        return self.activity is not Activity.CREATE

    # -- the initial screen -----------------------------------------------------------------

    def read(self, number: str) -> Customer | None:
        from custmd_gui.services.create import read_customer

        try:
            return read_customer(self.factory, number, self.actor)
        except DomainError:
            return None

    def resolve(self, values: Mapping[str, str]) -> Resolution:
        """The initial screen's values (field keys and REF_ fields) as keys, or the problems.
        XD02 takes the edit lock here; the session holds it until `close`."""
        if not self.stored:
            return resolve_create(values, self.customizing, self.read)
        shown = resolve_stored(values, self.read)
        if shown.keys is not None and self.changing:
            return self._lock_for_change(shown.keys)
        return shown

    def _lock_for_change(self, keys: Keys) -> Resolution:
        """XD02: take the edit lock, then read the customer again (the version a save is
        checked against is the one read under the lock)."""
        from custmd_gui.services.change import open_for_change
        from custmd_gui.services.locks import CustomerLocked

        try:
            lock, customer = open_for_change(self.factory, keys.number, self.actor)
        except CustomerLocked as exc:
            return Resolution(None, problems=tuple(exc.problems), locked=keys)
        except DomainError as exc:
            return Resolution(None, problems=tuple(exc.problems))
        self.lock = lock
        fresh = Keys(
            customer.general.account_group,
            keys.number,
            keys.company_code,
            keys.sales_area,
            customer,
        )
        return Resolution(fresh)

    def open(self, resolution: Resolution, initial: Mapping[str, str]) -> Document:
        """Accept the keys: field status, screens in use; returns the document to show."""
        keys = resolution.keys
        assert keys is not None
        self.keys = keys
        self.reference = resolution.reference
        self.initial = dict(initial)
        self.statuses = field_statuses(
            self.catalog, self.customizing, self.actor, self.activity, keys
        )
        self.active = screens_in_use(self.catalog, self.statuses, keys)
        doc = prefill(
            self.catalog,
            self.customizing,
            keys,
            resolution.reference,
            initial,
            stored=self.stored,
            active=self.active,
        )
        if not self.stored:
            self.proposals.at_open(
                doc, keys, self.statuses, reference=resolution.reference is not None
            )
        self.parked = None  # the window put back what applies (carry_over) or was told not to
        self._emit(Event.OPENED)
        return doc

    def carry_over(self, keys: Keys) -> CarryOver:
        """Where the parked typing goes under new keys (before `open`: the window asks the
        clerk about typing that does not simply apply)."""
        statuses = field_statuses(self.catalog, self.customizing, self.actor, self.activity, keys)
        active = screens_in_use(self.catalog, statuses, keys)
        return carry_over(self.catalog, self.parked, keys, statuses, active)

    def close(self, *, keep: bool = False) -> None:
        """Back to the initial screen: the lock goes, nothing of the last customer stays but,
        with `keep`, what was typed on the data screens (parked for the corrected keys)."""
        if not keep:
            self.parked = None
        elif self.keys is not None and self.snapshot is not None:
            typing = typed(self.document, self.snapshot)
            self.parked = Parked(self.keys, typing) if typing else None
        self.release_lock()
        self.proposals.reset()
        self.acknowledged = set()
        self.keys = None
        self.reference = None
        self.active = []
        self.snapshot = None
        self.document = {}
        self.statuses = {}
        self._emit(Event.CLOSED)

    def reference_warnings(self) -> list[Problem]:
        """Copying from a blocked or flagged customer is allowed; the clerk should know."""
        if self.reference is None:
            return []
        from custmd_gui.services.partner_checks import reference_warnings

        return reference_warnings(self.reference)

    # -- the document -----------------------------------------------------------------------

    def update(self, document: Document) -> None:
        """What the screens show now."""
        self.document = document

    def mark_clean(self, document: Document | None = None) -> None:
        """The document as it is now is the one to compare with (after opening)."""
        if document is not None:
            self.document = document
        self.snapshot = dict(self.document)

    @property
    def dirty(self) -> bool:
        return self.snapshot is not None and self.document != self.snapshot

    def build(self) -> Customer:
        """The customer (with the new segments only, when extending) from the document."""
        assert self.keys is not None
        return build(self.catalog, self.keys, self.document)

    def changed_customer(self) -> Customer:
        """XD02: the stored customer with the document put in place of what it shows."""
        keys = self.keys
        assert keys is not None and keys.extending is not None
        return merged_change(keys.extending, self.build())

    # -- checks -----------------------------------------------------------------------------

    def problems(self, screen: str | None = None) -> list[Problem]:
        """Every problem of the document (the new segments only, when extending), warnings
        (a blocked partner) included: see `blocking`. With `screen`, that screen's only (the
        partners are looked up in the database for the partner screen alone)."""
        problems = self._field_problems()
        if screen in (None, "partner"):
            problems += self._partner_checks()
        if screen is None:
            return problems
        return [p for p in problems if self.screen_of(p) == screen]

    def _partner_checks(self) -> list[Problem]:
        """Partners that do not exist, are blocked or flagged (errors and warnings of
        services.partner_checks); in XD02 only those typed in this change."""
        keys = self.keys
        if keys is None or not keys.sales_area or "partner" not in self.active:
            return []
        from custmd_gui.services.partner_checks import check_partners

        shown = self.build()
        area = shown.sales_areas[0]
        stored = keys.extending.sales_area(area.segment_key) if keys.extending else None
        before = {(p.segment_key, p.partner) for p in stored.partners} if stored else set()
        pairs = [(area, p) for p in area.partners if (p.segment_key, p.partner) not in before]
        if not pairs:
            return []
        return check_partners(self.factory, keys.number, pairs)

    def _field_problems(self) -> list[Problem]:
        keys = self.keys
        assert keys is not None
        if self.changing:
            assert keys.extending is not None
            shown = {"", keys.company_code, keys.sales_area_key if keys.sales_area else ""}
            return [
                p
                for p in self.validator.validate(
                    self.changed_customer(),
                    Activity.CHANGE,
                    before=keys.extending,
                    check_number=False,
                )
                if p.segment in shown
            ]
        customer = self.build()
        if keys.extending is None:
            return self.validator.validate(customer, Activity.CREATE)
        merged = keys.extending.model_copy(deep=True)
        merged.company_codes += customer.company_codes
        merged.sales_areas += customer.sales_areas
        new = {c.company_code for c in customer.company_codes} | {
            s.segment_key for s in customer.sales_areas
        }
        return [
            p
            for p in self.validator.validate(merged, Activity.CREATE, check_number=False)
            if p.segment in new
        ]

    def blocking(self, problems: Sequence[Problem]) -> bool:
        """Whether these problems stop Enter or the save: any error does; warnings do once,
        as in SAP (the clerk reads them, the same key again goes past them)."""
        if any(p.severity is Severity.ERROR for p in problems):
            return True
        warnings = {(p.field_key, p.segment, p.message.zh) for p in problems}
        if warnings <= self.acknowledged:
            return False
        self.acknowledged |= warnings
        return True

    def screen_of(self, problem: Problem) -> str:
        """The screen showing the problem's field ("initial" for the keys and the rest)."""
        if problem.field_key not in self.catalog:
            return "initial"
        fd = self.catalog.field(problem.field_key)
        screen = self.catalog.groups[fd.field_group].screen
        return screen if screen in self.active else "initial"

    # -- saving -----------------------------------------------------------------------------

    def save(self, language: str, duplicates_accepted: DuplicatesAccepted) -> SaveResult:
        """Ctrl+S: check the whole document, look for duplicates (a new customer), store in
        one transaction through the create, extend or change service. The two steps apart
        (`check_save`, then `store`) let a caller ask about duplicates in between on
        another thread than the one that reads and writes."""
        checked = self.check_save()
        if isinstance(checked, SaveResult):
            return checked
        if checked and not duplicates_accepted(checked):
            return SaveResult(Outcome.CANCELLED)
        return self.store(language)

    def check_save(self) -> SaveResult | list[DuplicateHit]:
        """Before storing: the refusal (errors, warnings not yet shown, a credit code held by
        another customer), or the possible duplicates of a new customer (often none)."""
        keys = self.keys
        if keys is None or self.displaying:
            return SaveResult(Outcome.CANCELLED)
        problems = self.problems()
        if problems and self.blocking(problems):
            return SaveResult(Outcome.CHECKS_FAILED, problems=tuple(problems))
        if self.changing or keys.extending is not None:
            return []
        from custmd_gui.services.duplicates import check_before_save

        # A credit code held by another customer is an error, not a possible duplicate:
        # say so before asking anything (the create service checks it again).
        taken, hits = check_before_save(self.factory, self.build(), actor=self.actor)
        if taken:
            return SaveResult(Outcome.REFUSED, problems=tuple(taken))
        return list(hits)

    def store(self, language: str) -> SaveResult:
        """Write the document (checked by `check_save`) in one transaction; the status
        message in `language`."""
        keys = self.keys
        if keys is None or self.displaying:
            return SaveResult(Outcome.CANCELLED)
        if self.changing:
            return self._save_change(keys, language)
        customer = self.build()
        from custmd_gui.services.create import create_customer, created_message, extend_customer

        try:
            if keys.extending is None:
                stored = create_customer(
                    self.factory, customer, self.actor, customizing=self.customizing
                )
                outcome = Outcome.CREATED
            else:
                extend_customer(
                    self.factory,
                    keys.number,
                    self.actor,
                    company_codes=customer.company_codes,
                    sales_areas=customer.sales_areas,
                    customizing=self.customizing,
                )
                stored = customer.with_number(keys.number)
                outcome = Outcome.EXTENDED
        except DatabaseBusy as exc:
            # Not the data's fault: the document stays as typed; Ctrl+S again.
            return SaveResult(Outcome.BUSY, problems=tuple(exc.problems))
        except DomainError as exc:
            return SaveResult(Outcome.REFUSED, problems=tuple(exc.problems))
        return SaveResult(outcome, stored.number, created_message(stored, language))

    @property
    def asks_reason(self) -> bool:
        """XD02's save asks for the reason of the change (customizing change_reason)."""
        from custmd_gui.services.request_rules import reason_required

        return self.changing and reason_required(self.customizing)

    def _save_change(self, keys: Keys, language: str) -> SaveResult:
        """XD02's save: only what changed, one change document, under the edit lock and the
        version read with it. Refused (stale, lock lost): the document stays as typed."""
        from custmd_gui.services.change import change_customer, changed_message

        assert keys.extending is not None
        try:
            result = change_customer(
                self.factory,
                keys.number,
                self.changed_customer(),
                self.actor,
                expected_version=keys.extending.version,
                lock=self.lock,
                customizing=self.customizing,
                comment=self.reason.strip(),
            )
        except DomainError as exc:
            return SaveResult(Outcome.REFUSED, problems=tuple(exc.problems))
        message = changed_message(result, language)
        outcome = Outcome.CHANGED if result.changed else Outcome.UNCHANGED
        return SaveResult(outcome, keys.number, message)

    # -- the edit lock (XD02) ---------------------------------------------------------------

    @property
    def renew_every(self) -> float | None:
        """Seconds between renewals of the held lock's lease, None without a lock."""
        return self.lock.renew_every if self.lock is not None else None

    def renew_lock(self) -> bool:
        """The lease's heartbeat; False when there is no lock (any more). A lock taken over
        (after this client was unreachable for a whole lease) is told to the listeners at
        once: the typing stays, but a save will be refused."""
        from custmd_gui.services.locks import LockLost, renew_lock

        lock = self.lock
        if lock is None:
            return False
        try:
            self.lock = renew_lock(self.factory, lock)
        except LockLost as exc:
            self._emit(Event.LOCK_LOST, exc.problems)
            return False
        except Exception:  # the server unreachable for a moment: the lease bridges the gap
            log.warning("renewing the edit lock on %s failed", lock.number, exc_info=True)
        return True

    def release_lock(self) -> None:
        lock, self.lock = self.lock, None
        if lock is None:
            return
        from custmd_gui.services.locks import release_lock

        try:
            release_lock(self.factory, lock)
        except Exception:  # the lease frees it soon enough
            log.warning("releasing the edit lock on %s failed", lock.number, exc_info=True)
