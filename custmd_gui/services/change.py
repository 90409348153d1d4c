"""Change a customer (XD02): open it under an edit lock, save only what changed with one change
document, refuse a save made from a stale state."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm.exc import StaleDataError

from custmd_gui.catalog import Text
from custmd_gui.domain.change_document import (
    Item,
    RowChange,
    canonical,
    change_items,
    diff_customers,
)
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError, Problem, errors_only
from custmd_gui.domain.field_status import Activity
from custmd_gui.domain.model import Customer
from custmd_gui.domain.validation import Validator
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.authorization import authorize_change, change_refusal, not_found
from custmd_gui.services.context import Actor
from custmd_gui.services.create import read_customer
from custmd_gui.services.duplicates import uscc_problems
from custmd_gui.services.locks import (
    DEFAULT_LEASE,
    Client,
    EditLock,
    acquire_lock,
    confirm_lock,
    release_lock,
)
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.request_rules import change_request_problems, reason_problems
from custmd_gui.services.search import reindex


@dataclass(frozen=True, slots=True)
class ChangeResult:
    """What a save did: the customer as stored now and the change document written."""

    customer: Customer  # as stored after the save (lists in key order), with its new version
    items: tuple[Item, ...]  # one per changed field; empty when nothing had changed
    document: uuid.UUID | None  # the change document's header (CDHDR), None if none

    @property
    def changed(self) -> bool:
        return bool(self.items)


class StaleCustomer(DomainError):
    """The customer was changed by someone else since the caller read it; nothing written."""

    def __init__(self, number: str, message: Text, stored_version: int) -> None:
        self.number = number
        self.stored_version = stored_version
        super().__init__([Problem("KNA1-KUNNR", "", message)])


def open_for_change(
    uow_factory: UowFactory,
    number: str,
    actor: Actor,
    client: Client | None = None,
    *,
    lease: float = DEFAULT_LEASE,
) -> tuple[EditLock, Customer]:
    """XD02's initial screen: take the edit lock, then read the customer (after the lock, so
    that the version read is the one the save will be checked against). Raises
    CustomerLocked (offer display instead), NotFound (also for a customer the actor may not
    see) or Forbidden (no change permission at all)."""
    lock = acquire_lock(uow_factory, number, actor, client, lease=lease)
    try:
        return lock, read_customer(uow_factory, number, actor)
    except BaseException:
        release_lock(uow_factory, lock)
        raise


def _stale(uow: UnitOfWork, number: str, stored_version: int) -> StaleCustomer:
    last = uow.changes.latest(number)
    if last is None:  # pragma: no cover - every customer has its create document
        return StaleCustomer(
            number,
            Text(
                zh=f"客户 {number} 在您打开后已被更改，请重新打开",
                en=f"Customer {number} was changed after you opened it; open it again",
            ),
            stored_version,
        )
    when = last.udate.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    return StaleCustomer(
        number,
        Text(
            zh=f"客户 {number} 已被用户 {last.username} 于 {when} 更改，请重新打开；未保存任何更改",
            en=f"Customer {number} was changed by user {last.username} at {when} since you "
            "opened it; nothing was saved, open it again",
        ),
        stored_version,
    )


def _structure_problems(number: str, stored: Customer, changed: Customer) -> list[Problem]:
    """What XD02 never does: renumber a customer, add or drop company codes or sales areas
    (extending is XD01's; dropping is a deletion flag)."""
    problems: list[Problem] = []
    if changed.general.number not in ("", number):
        problems.append(
            Problem(
                "KNA1-KUNNR",
                "",
                Text(
                    zh=f"客户编号 {number} 不能更改",
                    en=f"The customer number {number} cannot be changed",
                ),
            )
        )
    old_codes = {c.company_code for c in stored.company_codes}
    new_codes = {c.company_code for c in changed.company_codes}
    for code in sorted(new_codes - old_codes):
        problems.append(
            Problem(
                "KNB1-BUKRS",
                code,
                Text(
                    zh=f"客户 {number} 尚未在公司代码 {code} 中创建；扩展请使用创建 (XD01)",
                    en=f"Customer {number} does not exist in company code {code}; extend it "
                    "with Create (XD01)",
                ),
            )
        )
    for code in sorted(old_codes - new_codes):
        problems.append(
            Problem(
                "KNB1-BUKRS",
                code,
                Text(
                    zh=f"公司代码 {code} 的数据不能在更改中删除；请设置删除标记",
                    en=f"Company code {code} cannot be removed in a change; set its deletion "
                    "flag instead",
                ),
            )
        )
    old_areas = {a.segment_key for a in stored.sales_areas}
    new_areas = {a.segment_key for a in changed.sales_areas}
    for key in sorted(new_areas - old_areas):
        problems.append(
            Problem(
                "KNVV-VKORG",
                key,
                Text(
                    zh=f"客户 {number} 尚未在销售范围 {key} 中创建；扩展请使用创建 (XD01)",
                    en=f"Customer {number} does not exist in sales area {key}; extend it "
                    "with Create (XD01)",
                ),
            )
        )
    for key in sorted(old_areas - new_areas):
        problems.append(
            Problem(
                "KNVV-VKORG",
                key,
                Text(
                    zh=f"销售范围 {key} 的数据不能在更改中删除；请设置删除标记",
                    en=f"Sales area {key} cannot be removed in a change; set its deletion "
                    "flag instead",
                ),
            )
        )
    return problems


def _partner_problems(
    uow: UnitOfWork, number: str, changed: Customer, changes: list[RowChange]
) -> list[Problem]:
    """Partners typed in this change must exist, not be flagged for deletion, and a payer
    must not have an order block (services.partner_checks); those stored before are not
    re-judged: a block put on a partner later does not stop its customers' changes."""
    from custmd_gui.services.partner_checks import partner_problems

    typed = {
        (c.segment, str(f.new))
        for c in changes
        if c.table == "KNVP" and c.indicator in ("I", "U")
        for f in c.fields
        if f.field_key == "KNVP-KUNN2" and f.new and f.new != number
    }
    pairs = [
        (a, p)
        for a in changed.sales_areas
        for p in a.partners
        if (a.segment_key, p.partner) in typed
    ]
    return errors_only(partner_problems(uow, number, pairs))


def _reindex(uow: UnitOfWork, customer: Customer, changes: list[RowChange]) -> None:
    """Both search indexes (the list's and the duplicate check's) follow the customer in the
    same transaction: a customer is found by what it is, from the moment it is so. Only
    general data feeds them (names, address, telephones, tax numbers, central blocks); XD02
    adds or drops no company code or sales area."""
    if any(c.table == "KNA1" for c in changes):
        reindex(uow, customer)


def change_customer(
    uow_factory: UowFactory,
    number: str,
    changed: Customer,
    actor: Actor,
    *,
    expected_version: int,
    lock: EditLock | None,
    customizing: Customizing | None = None,
    tcode: str = "XD02",
    release: bool = False,
    comment: str = "",
) -> ChangeResult:
    """Save a changed customer (XD02), all or nothing, in one transaction:

    - the actor must hold the edit lock `lock` on `number` (LockLost otherwise);
    - the stored version must still be `expected_version`, the version read when the
      customer was opened (StaleCustomer otherwise: someone saved in between);
    - `changed` is checked with the field status of activity change against the stored
      customer (display-only fields, the number, company codes and sales areas stay);
    - only changed columns and rows are written, the version rises by one, one change
      document (activity change) gets an item per changed field, the search index follows.

    `release` gives the lock back in the same transaction (SAP leaves XD02 after a save).
    Nothing changed: nothing is written and the version stays.

    Rights, segment by segment (services.authorization.change_refusal): general data needs
    change_general, a company code change_company_code there, a sales area
    change_sales_area there, and the segments' authorization groups; Forbidden otherwise,
    before anything is written. A customer the actor may not see is not found."""
    authorize_change(actor)
    with uow_factory(write=True) as uow:
        confirm_lock(uow, lock, number, actor)
        assert lock is not None
        cust = customizing or uow.customizing.load()
        result = store_change(
            uow,
            number,
            changed,
            actor,
            cust,
            expected_version=expected_version,
            tcode=tcode,
            comment=comment,
            direct=True,
        )
        if release:
            uow.locks.release(number, lock.token)
        uow.commit()
    return result


def store_change(
    uow: UnitOfWork,
    number: str,
    changed: Customer,
    actor: Actor,
    cust: Customizing,
    *,
    expected_version: int,
    tcode: str = "XD02",
    comment: str = "",
    request: str = "",
    direct: bool = False,
    stored: Customer | None = None,
) -> ChangeResult:
    """The checks and the write of a change inside the caller's transaction (not committed):
    version, structure, the actor's rights segment by segment, the validator, partners, the
    credit code. `direct` (XD02 itself, not a request's activation): the customizing's
    rules for direct changes apply too, i.e. fields whose change needs a request (unless the
    actor may skip review) and a required reason. `request` names the maintenance request
    being activated on the change document. `stored`: the customer as this transaction has
    already read it for update (the offline push reads a batch of customers at once)."""
    if stored is None or stored.number != number:
        stored = uow.customers.get(number, for_update=True)
    if stored is None or not actor.rights.can_see(stored.general.authorization_group):
        raise not_found(number)
    if stored.version != expected_version:
        raise _stale(uow, number, stored.version)
    problems = _structure_problems(number, stored, changed)
    if problems:
        raise DomainError(problems)
    changed = changed.with_number(number)  # partners left empty mean the customer itself
    changes = diff_customers(stored, changed)
    if refusal := change_refusal(actor, stored, changed, changes):
        raise refusal
    problems = errors_only(  # warnings are the screens' to show
        Validator(cust).validate(changed, Activity.CHANGE, before=stored, check_number=False)
    )
    problems += _partner_problems(uow, number, changed, changes)
    general_changed = [c for c in changes if c.table == "KNA1"]
    if any(f.field_key == "KNA1-STCD5" for c in general_changed for f in c.fields):
        problems += uscc_problems(uow, changed, actor)
    if direct and changes:
        problems += change_request_problems(actor, cust, changes)
        problems += reason_problems(cust, comment)
    if problems:
        raise DomainError(problems)
    try:
        return write_change(
            uow, stored, changed, actor, tcode, comment=comment, changes=changes, request=request
        )
    except StaleDataError:
        # Unreachable while the check above holds (the row is locked since); should it
        # ever not, the database's version column refuses the write all the same.
        uow.rollback()
        now_stored = uow.customers.get(number)
        raise _stale(uow, number, now_stored.version if now_stored else expected_version) from None


def write_change(
    uow: UnitOfWork,
    stored: Customer,
    changed: Customer,
    actor: Actor,
    tcode: str,
    *,
    comment: str = "",
    changes: list[RowChange] | None = None,
    request: str = "",
) -> ChangeResult:
    """Inside a writing unit of work, with `stored` read for update: write what turns
    `stored` into `changed` (only changed columns and rows, the version up by one, the search
    indexes along) and one change document with an item per changed field and the user's
    `comment`. Nothing changed: nothing written. The callers check rights, locks and input;
    this is the one way a stored customer changes (XD02, XD05, XD06)."""
    number = stored.number
    if changes is None:
        changes = diff_customers(stored, changed.with_number(number))
    if not changes:
        return ChangeResult(stored, (), None)
    now = uow.now()
    version = uow.customers.apply_changes(number, changes, now, expected_version=stored.version)
    # What is stored now, without reading it back: the checked input, in key order.
    current = canonical(changed.with_number(number)).model_copy(update={"version": version})
    _reindex(uow, current, changes)
    items = change_items(changes)
    document = uow.changes.write(
        number,
        actor.user,
        now,
        tcode,
        Activity.CHANGE.value,
        actor.origin,
        [i.as_tuple() for i in items],
        comment=comment,
        request=request,
    )
    return ChangeResult(current, tuple(items), document)


def changed_message(result: ChangeResult, lang: str) -> str:
    """SAP's status line after a save in XD02."""
    number = result.customer.number
    if not result.changed:
        return "No data changed" if lang.startswith("en") else "没有更改数据"
    if lang.startswith("en"):
        return f"Changes have been made to customer {number}"
    return f"客户 {number} 的更改已保存"
