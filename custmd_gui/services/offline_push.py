"""The push of an offline replica's outbox to the server (issue 19; the rules are told in
services.offline_sync).

Operations go in batches: a page of the outbox, oldest first, is applied in one server
transaction (BATCH_SIZE operations at most, fewer once BATCH_SECONDS have passed). An
operation the server's checks refuse (validation, rights) gets its refusal as the answer;
what it may have written goes back with the transaction, and the operations before it in
the batch are applied again in a new one (no savepoints: see _batch). The batch reads the
offline_op rows of its operations in one query and the customers it changes in one query
per table, locked for update until it commits, and writes their search tokens together at
the end (services.search.write_deferred_index); an operation on a customer an earlier one of
the batch wrote reads it again, so operations on one customer apply in their order and
each sees the ones before. Every operation writes its own change document (origin: the
device) and its offline_op row with its answer, in the batch's transaction: the server has
all of a batch or none of it. Then the replica stores the batch's answers and drops their
outbox rows in one local transaction. A cut before the server's COMMIT leaves nothing
applied; a cut after it, before the replica stored the answers, leaves the outbox rows, and
the next push finds their offline_op rows and applies nothing twice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from custmd_gui.domain.change_document import creation_items, replay
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.model import Customer
from custmd_gui.domain.validation import Validator
from custmd_gui.persistence.replica import ReplicaUnitOfWorkFactory
from custmd_gui.persistence.tables import OfflineConflict, OfflineOperation, OutboxRow
from custmd_gui.persistence.unit_of_work import UnitOfWork, UnitOfWorkFactory
from custmd_gui.services.authorization import not_found
from custmd_gui.services.change import store_change
from custmd_gui.services.context import Actor
from custmd_gui.services.offline_merge import (
    conflict,
    merge_items,
    server_rows,
    status_conflict,
    target_customer,
)
from custmd_gui.services.offline_mirror import Mirror
from custmd_gui.services.search import write_deferred_index


@dataclass
class SyncReport:
    """What a sync did (services.offline_sync: push, then pull), for the window and the log."""

    pushed: int = 0  # operations the server confirmed (applied, partly or not at all)
    applied_fields: int = 0
    conflicts: int = 0  # conflict records made by this push
    pulled: int = 0  # customers refreshed from the server
    removed: int = 0  # customers the user no longer sees
    blocks: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Customers the push left on the server as the replica holds them, with the transaction
    # that wrote them last: the pull copies only their versions (services.offline_mirror).
    mirrored: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per step, for the log


BATCH_SIZE = 50  # operations per server transaction
# A batch ends early after this long: its customers stay locked until it commits, and a
# progress bar should move.
BATCH_SECONDS = 2.0

Answer = dict[str, Any]  # {"applied": [...], "conflicts": [...]}
Progress = Callable[[str, int, int], None]  # step ("push", "pull"), done, total


def _apply_change(
    uow: UnitOfWork, actor: Actor, row: OutboxRow, cust: Customizing, stored: Customer | None
) -> dict[str, Any]:
    """`stored`: the customer as this transaction holds it, read for update."""
    op = json.loads(row.fields)
    if stored is None or not actor.rights.can_see(stored.general.authorization_group):
        return {
            "applied": [],
            "conflicts": [
                conflict("deleted", None, None, f"客户 {row.kunnr} 在服务器上已删除或您已无权查看")
                | {"mine": json.dumps(op["items"], ensure_ascii=False)}
            ],
        }
    server = server_rows(stored)
    status = status_conflict(server, op)
    if status is not None:
        return {
            "applied": [],
            "conflicts": [
                conflict("status", None, status, f"客户 {row.kunnr} 在服务器上已被冻结或标记删除")
                | {"mine": json.dumps(op["items"], ensure_ascii=False)}
            ],
        }
    apply, conflicts = merge_items(server, op["items"])
    if apply:
        target = target_customer(row.kunnr, stored, apply)
        store_change(
            uow,
            row.kunnr,
            target,
            actor,
            cust,
            expected_version=stored.version,
            tcode=row.tcode,
            comment=row.comment,
            direct=True,
            stored=stored,
        )
    return {"applied": [list(a) for a in apply], "conflicts": conflicts}


def _apply_create(
    uow: UnitOfWork, actor: Actor, row: OutboxRow, cust: Customizing
) -> dict[str, Any]:
    from custmd_gui.services.create import check_new, stored_state_problems, write_new
    from custmd_gui.services.duplicates import duplicates_in

    op = json.loads(row.fields)
    customer = replay(row.kunnr, [tuple(i) for i in op["items"]])
    assert customer is not None
    mine = json.dumps(op["items"], ensure_ascii=False)
    rng = cust.number_range_of(customer.general.account_group)
    try:
        if rng is not None and rng.internal:
            # Numbered offline from the device's block: checked as XD01 checks an internal
            # create (number empty), then whether the number is still free.
            checked = check_new(uow, customer.with_number(""), actor, cust, Validator(cust))
            checked = checked.with_number(row.kunnr)
            problems = stored_state_problems(uow, [checked], actor)[0]
            if problems:
                raise DomainError(problems)
        else:
            checked = check_new(uow, customer, actor, cust, Validator(cust))
    except DomainError as refused:
        message = "；".join(p.line("zh") for p in refused.problems)
        return {
            "applied": [],
            "conflicts": [conflict("create", None, None, message) | {"mine": mine}],
        }
    hits = duplicates_in(uow, checked, actor=actor)
    if hits:
        message = "查重发现相似客户：" + "、".join(h.number for h in hits[:5])
        return {
            "applied": [],
            "conflicts": [conflict("create", None, None, message) | {"mine": mine}],
        }
    write_new(uow, [checked], actor, row.tcode, row.comment)
    return {"applied": op["items"], "conflicts": []}


def _apply_extend(
    uow: UnitOfWork, actor: Actor, row: OutboxRow, cust: Customizing
) -> dict[str, Any]:
    """An offline extension (XD01 on a stored customer): its new company codes and sales
    areas through store_extension, which refuses one the server has meanwhile."""
    from custmd_gui.services.create import store_extension

    op = json.loads(row.fields)
    stored = uow.customers.get(row.kunnr, for_update=True)
    if stored is None or not actor.rights.can_see(stored.general.authorization_group):
        raise not_found(row.kunnr)
    wanted = replay(
        row.kunnr, [i.as_tuple() for i in creation_items(stored)] + [tuple(i) for i in op["items"]]
    )
    assert wanted is not None
    segments = {str(k).split("/", 1)[1] for t, k, *_ in op["items"] if t in ("KNB1", "KNVV")}
    store_extension(
        uow,
        row.kunnr,
        actor,
        cust,
        [c for c in wanted.company_codes if c.company_code in segments],
        [a for a in wanted.sales_areas if a.segment_key in segments],
        comment=row.comment,
    )
    return {"applied": op["items"], "conflicts": []}


def _apply(
    uow: UnitOfWork, actor: Actor, row: OutboxRow, cust: Customizing, stored: Customer | None
) -> Answer:
    if row.activity == "create":
        return _apply_create(uow, actor, row, cust)
    if row.activity == "extend":
        return _apply_extend(uow, actor, row, cust)
    return _apply_change(uow, actor, row, cust, stored)


def _refusal(row: OutboxRow, refused: DomainError) -> Answer:
    message = "；".join(p.line("zh") for p in refused.problems)
    op = json.loads(row.fields)
    return {
        "applied": [],
        "conflicts": [
            conflict("refused", None, None, message)
            | {"mine": json.dumps(op["items"], ensure_ascii=False)}
        ],
    }


def without_jit(target: Session | Connection) -> None:
    """No JIT compilation for the rest of this PostgreSQL transaction. Row-level security
    makes the planner overestimate the short statements of a push or pull by far (a
    subquery on the customer per row), past jit_above_cost: compiling then took some 0.7 s
    of a statement that runs in milliseconds."""
    dialect = target.get_bind().dialect if isinstance(target, Session) else target.dialect
    if dialect.name == "postgresql":
        target.execute(text("SET LOCAL jit = off"))


def _orphan_answer(row: OutboxRow) -> Answer:
    """The answer, made in the replica, to an operation on a customer whose offline create
    the server did not take: it must not reach the server, where the number may be another
    customer's."""
    items = json.loads(row.fields)["items"]
    message = f"客户 {row.kunnr} 的离线创建未被服务器接受，此后的更改未上传"
    return {
        "applied": [],
        "conflicts": [
            conflict("create", None, None, message)
            | {"mine": json.dumps(items, ensure_ascii=False)}
        ],
    }


def _refuses_create(answer: Answer) -> bool:
    return any(c["kind"] == "create" for c in answer["conflicts"])


class _Redo(Exception):
    """An operation of a batch was refused after others had written: the batch is rolled
    back and done again up to that operation, which then comes first in the next one."""

    def __init__(self, upto: int) -> None:
        super().__init__(upto)
        self.upto = upto


def push_batch(
    server: UnitOfWorkFactory,
    actor: Actor,
    rows: list[OutboxRow],
    cust: Customizing,
    refused: set[str],
    mirror: Mirror | None = None,
) -> list[tuple[OutboxRow, Answer]]:
    """Apply `rows` (in sequence order) on the server in one transaction, once each (see
    the module); the answers of a prefix of them, committed. `refused`: customers whose
    offline create the server did not take (grows with this batch's). `mirror` learns
    which customers the batch left as the replica holds them."""
    while True:
        mine = set(refused)
        try:
            answers = _batch(server, actor, rows, cust, mine, mirror)
        except _Redo as redo:
            rows = rows[: redo.upto]
            continue
        refused |= mine
        return answers


def _batch(
    server: UnitOfWorkFactory,
    actor: Actor,
    rows: list[OutboxRow],
    cust: Customizing,
    refused: set[str],
    mirror: Mirror | None,
) -> list[tuple[OutboxRow, Answer]]:
    started = time.monotonic()
    answers: list[tuple[OutboxRow, Answer]] = []
    made: list[tuple[OutboxRow, Answer]] = []  # answered here, to be recorded
    written = False  # whether an operation of the transaction as it is now may have written
    with server(write=True) as uow:
        s = uow.session
        without_jit(s)
        uow.deferred_index = {}  # the search tokens of the batch's customers, at the end
        uow.changes.defer()  # and its change documents (written before the COMMIT)
        done = {
            o.op_id: o.result
            for o in s.scalars(
                select(OfflineOperation).where(OfflineOperation.op_id.in_([r.op_id for r in rows]))
            )
        }
        changed = sorted(
            {
                r.kunnr
                for r in rows
                if r.activity not in ("create", "extend")
                and r.op_id not in done
                and r.kunnr not in refused
            }
        )
        # Read once for the batch; dropped once an operation wrote the customer.
        held: dict[str, Customer | None] = dict.fromkeys(changed)
        held.update((c.number, c) for c in uow.customers.get_page(changed, for_update=True))
        uow.indexed = {n: c for n, c in held.items() if c is not None}
        same = mirror.unchanged(s, list(uow.indexed)) if mirror is not None else set()
        for i, row in enumerate(rows):
            if answers and time.monotonic() - started > BATCH_SECONDS:
                break
            if row.kunnr in refused:
                answer = _orphan_answer(row)
            elif row.op_id in done:
                answer = json.loads(done[row.op_id])
            else:
                stored = (
                    held.pop(row.kunnr)
                    if row.kunnr in held
                    else uow.customers.get(row.kunnr, for_update=True)
                )
                if row.activity in ("create", "extend"):
                    write_deferred_index(uow)  # their checks read the indexes
                try:
                    answer = _apply(uow, actor, row, cust, stored)
                    written = True
                except DomainError as refusal:
                    # No savepoint can take back one operation alone: the server requires a
                    # change document written by the transaction itself (migration 0012
                    # compares cdhdr's xmin with the top transaction's id), and a
                    # savepoint's rows carry a subtransaction's. So the transaction goes
                    # back; what others wrote in it is done again without this operation.
                    if written:
                        raise _Redo(i) from refusal
                    uow.rollback()
                    without_jit(s)
                    held.clear()  # the locks went with the transaction
                    uow.indexed = {}  # and with them what the index holds, and what the
                    same = set()  # server held untouched: others may write them now
                    uow.deferred_index = {}  # nothing was kept back: nothing had written
                    answer = _refusal(row, refusal)
                held.pop(row.kunnr, None)
                made.append((row, answer))
            if _refuses_create(answer):
                refused.add(row.kunnr)
            if mirror is not None and (row.activity != "change" or answer["conflicts"]):
                mirror.spoil(row.kunnr)
            answers.append((row, answer))
        write_deferred_index(uow)
        now = uow.now()
        s.add_all(
            OfflineOperation(
                op_id=row.op_id,
                device=row.device,
                seq=row.seq,
                username=actor.user,
                kunnr=row.kunnr,
                applied_at=now,
                result=json.dumps(answer, ensure_ascii=False),
            )
            for row, answer in made
        )
        xid = mirror.transaction(s) if mirror is not None else None
        uow.commit()
    if mirror is not None:
        mirror.committed(xid, same & {row.kunnr for row, _ in made})
    return answers


def push_one(
    server: UnitOfWorkFactory, actor: Actor, row: OutboxRow, cust: Customizing | None = None
) -> Answer:
    """Apply one outbox operation on the server, once (see the module); its answer."""
    if cust is None:
        with server() as uow:
            cust = uow.customizing.load()
    return push_batch(server, actor, [row], cust, set())[0][1]


def _store_answers(
    replica: ReplicaUnitOfWorkFactory, answers: list[tuple[OutboxRow, Answer]]
) -> int:
    """The server's answers into the replica, in one transaction: their conflicts stored (a
    field already in conflict keeps its first base and takes the newer mine), the outbox
    rows gone. The number of conflict records made."""
    made = 0
    ops = [row.op_id for row, _ in answers]
    with replica(write=True) as uow:
        s = uow.session
        now = uow.now()
        s.execute(delete(OfflineConflict).where(OfflineConflict.op_id.in_(ops)))
        fields = [(row, c) for row, result in answers for c in result["conflicts"]]
        # The field conflicts already recorded for these customers, read at once.
        earlier = (
            {
                (c.kunnr, c.tabname, c.tabkey, c.fname): c
                for c in s.scalars(
                    select(OfflineConflict).where(
                        OfflineConflict.kind == "field",
                        OfflineConflict.kunnr.in_({row.kunnr for row, c in fields}),
                    )
                )
            }
            if any(c["kind"] == "field" for _, c in fields)
            else {}
        )
        for row, c in fields:
            key = (row.kunnr, c["tabname"], c["tabkey"], c["fname"])
            found = earlier.get(key) if c["kind"] == "field" else None
            if found is not None:
                found.mine, found.theirs, found.op_id = c["mine"], c["theirs"], row.op_id
                continue
            record = OfflineConflict(op_id=row.op_id, kunnr=row.kunnr, created_at=now, **c)
            s.add(record)
            if c["kind"] == "field":
                earlier[key] = record  # a later answer of the page finds it, as a flush would
            made += 1
        s.execute(delete(OutboxRow).where(OutboxRow.op_id.in_(ops)))
        uow.commit()
    return made


def _outbox_page(replica: ReplicaUnitOfWorkFactory, size: int) -> tuple[list[OutboxRow], set[str]]:
    """The oldest `size` operations of the outbox, and which of their customers' offline
    creates the server did not take."""
    with replica() as uow:
        rows = list(uow.session.scalars(select(OutboxRow).order_by(OutboxRow.seq).limit(size)))
        for row in rows:
            uow.session.expunge(row)  # read on after the unit of work has ended
        refused = set(
            uow.session.scalars(
                select(OfflineConflict.kunnr).where(
                    OfflineConflict.kunnr.in_({r.kunnr for r in rows}),
                    OfflineConflict.kind == "create",
                )
            )
        )
    return rows, refused


def push(
    server: UnitOfWorkFactory,
    replica: ReplicaUnitOfWorkFactory,
    actor: Actor,
    report: SyncReport,
    progress: Progress | None = None,
    batch_size: int | None = None,
) -> None:
    """The outbox, oldest first, a batch at a time (see the module)."""
    full = batch_size or BATCH_SIZE
    one_by_one = 0  # operations to push unbatched, after a batch failed
    with server() as uow:
        cust = uow.customizing.load()  # once: the push is short, a stale copy only warns
    with replica() as uow:
        total = int(uow.session.scalar(select(func.count()).select_from(OutboxRow)) or 0)
        mirror = Mirror(uow.meta.get("position"))
    while True:
        rows, refused = _outbox_page(replica, 1 if one_by_one else full)
        if not rows:
            return
        try:
            answers = push_batch(server, actor, rows, cust, refused, mirror)
        except (DomainError, OperationalError) as failed:
            lost = isinstance(failed, OperationalError) and failed.connection_invalidated
            if lost or len(rows) == 1:
                raise
            # A database error (a refusal of the server, a lock timeout) ends the batch:
            # its operations go one by one, as if unbatched, so that those before the one
            # it came from are pushed and the error comes again where it belongs.
            one_by_one = len(rows)
            continue
        one_by_one = max(0, one_by_one - len(answers))
        report.conflicts += _store_answers(replica, answers)
        report.mirrored = dict(mirror.mirrored)
        for _row, answer in answers:
            report.pushed += 1
            report.applied_fields += len(answer["applied"])
            if progress is not None:
                progress("push", report.pushed, total)
