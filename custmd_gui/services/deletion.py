"""Physical deletion of customers: the administrator's run over customers flagged for
deletion that never had business.

The rule of the process documents: a customer with business data is never deleted, only
blocked. The app cannot see the ERP's documents, so "business" is what the usage register
(services.usage) holds; a customer is removed only when

- it exists and carries the central deletion flag (KNA1-LOEVM, set in XD06);
- the register records no use in any company code or sales area;
- no other customer names it as a partner (its KNVP rows would point nowhere);
- nobody has it open for change (its XD02 edit lock).

Any customer failing a rule refuses the whole run, with every reason; nothing is removed.
Before anything is removed, each customer is written to the archive folder as the SAP-shaped
JSON document of `custmd customer show --format json`, which `custmd customer create` reads
back into the same customer. The removal itself is recorded as a change document (activity
delete) with the comment and the archive file's name; the customer's earlier change documents
stay, so its history survives it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from custmd_gui.catalog import Text
from custmd_gui.domain.authorization import Permission
from custmd_gui.domain.errors import DomainError, Problem
from custmd_gui.domain.model import Customer
from custmd_gui.domain.sap_document import to_document
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.authorization import authorize, not_found
from custmd_gui.services.context import Actor
from custmd_gui.services.locks import locked_text
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.status import COMMENT_KEY
from custmd_gui.services.usage import usage_of_customers

TCODE = "XD07"  # no SAP dialog deletes customers (archiving does); the run's own code
ACTIVITY = "delete"


@dataclass(frozen=True, slots=True)
class Removal:
    number: str
    name: str
    archive: Path


@dataclass(frozen=True, slots=True)
class DeletionReport:
    removed: list[Removal] = field(default_factory=list)

    def summary(self, lang: str) -> str:
        if lang.startswith("en"):
            return f"{len(self.removed)} customer(s) deleted and archived"
        return f"已删除并归档 {len(self.removed)} 个客户"


def _p(zh: str, en: str, key: str = "KNA1-KUNNR") -> Problem:
    return Problem(key, "", Text(zh=zh, en=en))


def deletion_problems(uow: UnitOfWork, customers: Sequence[Customer]) -> list[Problem]:
    """Why these stored customers may not be removed (see the module); [] when they may."""
    problems: list[Problem] = []
    usage = usage_of_customers(uow, [c.number for c in customers])
    for customer in customers:
        number = customer.number
        if not customer.general.deletion_flag:
            problems.append(
                _p(
                    f"客户 {number} 没有删除标记，不能删除；请先在 XD06 中设置删除标记",
                    f"Customer {number} is not flagged for deletion; flag it in XD06 first",
                    "KNA1-LOEVM",
                )
            )
        for entry in usage[number]:
            if entry.has_business:
                where = entry.describe()
                problems.append(
                    _p(
                        f"客户 {number} 在{where.zh}，有业务数据，不能删除；请冻结该客户",
                        f"Customer {number} has business in {where.en}; it cannot be "
                        "deleted, block it instead",
                    )
                )
        for other, area, function in uow.customers.partner_of(number):
            problems.append(
                _p(
                    f"客户 {number} 是客户 {other} 在销售范围 {area} 的合伙人 ({function})，"
                    "不能删除",
                    f"Customer {number} is partner {function} of customer {other} in sales "
                    f"area {area}; it cannot be deleted",
                )
            )
        holder = uow.locks.get(number)
        if holder is not None and not holder.expired:
            problems.append(Problem("KNA1-KUNNR", "", locked_text(number, holder.user)))
    return problems


def _authorize_segments(actor: Actor, customer: Customer) -> None:
    for cc in customer.company_codes:
        authorize(
            actor,
            Permission.DELETE,
            company_code=cc.company_code,
            auth_group=cc.authorization_group,
        )
    for sa in customer.sales_areas:
        authorize(
            actor, Permission.DELETE, sales_area=sa.segment_key, auth_group=sa.authorization_group
        )


def _archive_path(folder: Path, number: str, stamp: str) -> Path:
    return folder / f"custmd-deleted-{number}-{stamp}.json"


def _write_archive(path: Path, customer: Customer) -> None:
    """Written in full and flushed to disk before the customer is removed: the archive is
    the only copy afterwards."""
    text = json.dumps(to_document(customer), ensure_ascii=False, indent=2)
    temporary = path.with_suffix(".json.part")
    with temporary.open("w", encoding="utf-8") as f:
        f.write(text + "\n")
        f.flush()
        os.fsync(f.fileno())
    temporary.replace(path)


def delete_customers(
    uow_factory: UowFactory,
    numbers: Sequence[str],
    actor: Actor,
    archive_folder: Path,
    comment: str,
) -> DeletionReport:
    """Remove the customers, archived first, in one transaction; DomainError with every
    reason when any may not be removed, and then nothing is removed or archived.

    The actor needs `delete` in every company code and sales area of each customer (and its
    authorization groups); a customer the actor may not see is reported as not existing."""
    authorize(actor, Permission.DELETE)
    numbers = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    problems: list[Problem] = []
    if not comment.strip():
        problems.append(
            _p(
                "请填写备注，说明删除的原因",
                "Enter a comment: why the customers are deleted",
                COMMENT_KEY,
            )
        )
    if not numbers:
        problems.append(_p("请选择客户", "Choose the customers"))
    if problems:
        raise DomainError(problems)
    written: list[Path] = []
    try:
        with uow_factory(write=True) as uow:
            customers: list[Customer] = []
            for number in numbers:
                customer = uow.customers.get(number, for_update=True)
                if customer is None or not actor.rights.can_see(
                    customer.general.authorization_group
                ):
                    problems += not_found(number).problems
                else:
                    _authorize_segments(actor, customer)
                    customers.append(customer)
            problems += deletion_problems(uow, customers)
            if problems:
                raise DomainError(problems)
            archive_folder.mkdir(parents=True, exist_ok=True)
            now = uow.now()
            stamp = now.strftime("%Y%m%dT%H%M%S")
            report = DeletionReport()
            for customer in customers:
                path = _archive_path(archive_folder, customer.number, stamp)
                _write_archive(path, customer)
                written.append(path)
                uow.customers.remove(customer.number)
                uow.changes.write(
                    customer.number,
                    actor.user,
                    now,
                    TCODE,
                    ACTIVITY,
                    actor.origin,
                    [("KNA1", customer.number, "KUNNR", "D", customer.number, None)],
                    comment=f"{comment.strip()} [{path.name}]",
                )
                report.removed.append(Removal(customer.number, customer.general.name, path))
            uow.commit()
    except BaseException:
        # Not removed: an archive of a customer that still exists would only mislead.
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return report
