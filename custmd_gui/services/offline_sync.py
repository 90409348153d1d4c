"""Sync of an offline replica with the shared server (issue 19): push the outbox, then pull.

Push. Each outbox operation is applied on the server in one server transaction, through the
change and create services' own steps (store_change, check_new/write_new) and as the user
(his LOGIN role and rights, origin = the device), together with a row of offline_op holding
the operation id and the answer. A push repeated after a lost answer finds that row and
applies nothing twice; only then is the outbox row deleted (and its conflicts stored) in the
replica. Every step is restartable: the server's transaction either committed with its
offline_op row or not at all, and the replica drops an outbox row only once the server has
that row.

Merge (field level, three-way on values). An operation carries for every field it changed
the base value (what the replica had) and the new one. Against the server's current value:
equal to the base, the server did not change the field and the new value is applied; equal
to the new value, both sides agree and nothing is written; anything else is a conflict
(base / mine / theirs), not applied. A row the operation inserts or deletes is judged the
same way, field by field. A change of a customer the server has deleted (or no longer
shows the user), or blocked or flagged for deletion since the operation's base (the block
and deletion-flag values are kept with every operation), is a conflict as a whole; so is an
offline create whose number or USCC is now taken, or that the duplicate check flags; an
offline extension goes through store_extension, which refuses a company code or sales
area the server added meanwhile. Operations on a customer whose offline create was refused
stay in the replica as conflicts (the number may be another customer's on the server). A
change the server's checks refuse (validation, rights) is kept as a conflict with the
server's message. Comparing values, not versions, means that a field the server changed
and changed back counts as unchanged: what the server holds is what the offline user saw.

Pull and its position. The server keeps a change feed (migration 0019): per customer the
transaction id (xid8) of its last change, written by a trigger of kna1 in that very
transaction. The replica's position is the server snapshot (pg_current_snapshot) under which
it last read the server, in a REPEATABLE READ transaction. A pull takes a new snapshot the
same way and fetches every customer whose feed xid the old snapshot did not see
(pg_visible_in_snapshot false). That covers transactions committed since and also those
that were in progress at the old snapshot, whatever order they commit in: a transaction
with a lower xid that commits after a higher one is not skipped, which a "greater than the
highest id seen" position (a sequence or a timestamp) would do. Customers the user newly
sees or no longer sees (rights or authorization groups changed) are found by comparing the
sets of numbers. The replica stores the customers and the new position in one local
transaction; a cut anywhere leaves the old position, and the next pull does it again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import OperationalError

from custmd_gui.domain.change_document import creation_items, replay
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DATABASE_KEY, DomainError
from custmd_gui.domain.model import Customer
from custmd_gui.domain.validation import Validator
from custmd_gui.persistence import replica_copy
from custmd_gui.persistence.replica import STATUS_FIELDS, ReplicaUnitOfWorkFactory, status_values
from custmd_gui.persistence.tables import OfflineConflict, OfflineOperation, OutboxRow
from custmd_gui.persistence.unit_of_work import UnitOfWork, UnitOfWorkFactory
from custmd_gui.services.authorization import not_found
from custmd_gui.services.change import store_change
from custmd_gui.services.context import Actor
from custmd_gui.services.offline_checkout import (
    DEFAULT_BLOCK_SIZE,
    public_url,
    server_engine,
    server_user,
    top_up_blocks,
)

log = logging.getLogger(__name__)

Rows = dict[tuple[str, str], dict[str, str]]


@dataclass
class SyncReport:
    pushed: int = 0  # operations the server confirmed (applied, partly or not at all)
    applied_fields: int = 0
    conflicts: int = 0  # conflict records made by this push
    pulled: int = 0  # customers refreshed from the server
    removed: int = 0  # customers the user no longer sees
    blocks: dict[str, tuple[int, int]] = field(default_factory=dict)


def server_rows(customer: Customer) -> Rows:
    out: Rows = {}
    for t, k, f, _i, _o, new in (i.as_tuple() for i in creation_items(customer)):
        out.setdefault((t, k), {})[f] = new or ""
    return out


def _conflict(
    kind: str, item: list[Any] | None, theirs: str | None, message: str
) -> dict[str, Any]:
    t, k, f, _ind, base, mine = item if item else ("", "", "", "", None, None)
    return {
        "kind": kind,
        "tabname": t,
        "tabkey": k,
        "fname": f,
        "base": base,
        "mine": mine,
        "theirs": theirs,
        "message": message,
    }


def merge_items(
    server: Rows, items: list[list[Any]]
) -> tuple[list[tuple[str, str, str, str, str | None, str | None]], list[dict[str, Any]]]:
    """The items to apply on the server and the conflicts (see the module's merge rule)."""
    apply: list[tuple[str, str, str, str, str | None, str | None]] = []
    conflicts: list[dict[str, Any]] = []
    for item in items:
        table, key, fname, ind, base, new = item
        row = server.get((table, key))
        theirs = None if row is None else row.get(fname, "")
        if ind == "U":
            if row is None:
                conflicts.append(_conflict("field", item, None, "服务器上已没有该行"))
            elif theirs == (base or ""):
                apply.append((table, key, fname, "U", base, new))
            elif theirs != (new or ""):
                conflicts.append(_conflict("field", item, theirs, "双方都更改了此字段"))
        elif ind == "I":
            if theirs is None or theirs == "":
                apply.append((table, key, fname, "I" if row is None else "U", None, new))
            elif theirs != (new or ""):
                conflicts.append(_conflict("field", item, theirs, "双方都更改了此字段"))
        elif ind == "D":
            if theirs is None or theirs == "":
                continue
            if theirs == (base or ""):
                apply.append((table, key, fname, "D", base, None))
            else:
                conflicts.append(_conflict("field", item, theirs, "服务器上该行已被更改"))
    return apply, conflicts


def target_customer(
    number: str, server: Customer, apply: list[tuple[str, str, str, str, str | None, str | None]]
) -> Customer:
    items = [i.as_tuple() for i in creation_items(server)] + apply
    built = replay(number, items)
    if built is None:  # pragma: no cover - the server customer has general data
        raise not_found(number)
    return built


def _status_conflict(server: Rows, op: dict[str, Any]) -> str | None:
    """What blocks or flags the server set since the operation's base, None if nothing."""
    own = {f"{t} {k} {f}" for t, k, f, *_ in op["items"]}
    now = {
        f"{t} {k} {f}": v
        for (t, k), row in server.items()
        for f, v in row.items()
        if f in STATUS_FIELDS.get(t, ())
    }
    base: dict[str, str] = op.get("status", {})
    changed = [
        key
        for key in sorted(set(now) | set(base))
        if key not in own and now.get(key, "") != base.get(key, "") and now.get(key, "")
    ]
    return ", ".join(f"{key}={now[key]}" for key in changed) or None


def _apply_change(
    uow: UnitOfWork, actor: Actor, row: OutboxRow, cust: Customizing
) -> dict[str, Any]:
    op = json.loads(row.fields)
    stored = uow.customers.get(row.kunnr, for_update=True)
    if stored is None or not actor.rights.can_see(stored.general.authorization_group):
        return {
            "applied": [],
            "conflicts": [
                _conflict("deleted", None, None, f"客户 {row.kunnr} 在服务器上已删除或您已无权查看")
                | {"mine": json.dumps(op["items"], ensure_ascii=False)}
            ],
        }
    server = server_rows(stored)
    status = _status_conflict(server, op)
    if status is not None:
        return {
            "applied": [],
            "conflicts": [
                _conflict("status", None, status, f"客户 {row.kunnr} 在服务器上已被冻结或标记删除")
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
            "conflicts": [_conflict("create", None, None, message) | {"mine": mine}],
        }
    hits = duplicates_in(uow, checked, actor=actor)
    if hits:
        message = "查重发现相似客户：" + "、".join(h.number for h in hits[:5])
        return {
            "applied": [],
            "conflicts": [_conflict("create", None, None, message) | {"mine": mine}],
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


def push_one(
    server: UnitOfWorkFactory, actor: Actor, row: OutboxRow, cust: Customizing | None = None
) -> dict[str, Any]:
    """Apply one outbox operation on the server, once (see the module); its answer."""
    with server(write=True) as uow:
        done = uow.session.get(OfflineOperation, row.op_id)
        if done is not None:
            return dict(json.loads(done.result))
        cust = cust or uow.customizing.load()
        try:
            if row.activity == "create":
                result = _apply_create(uow, actor, row, cust)
            elif row.activity == "extend":
                result = _apply_extend(uow, actor, row, cust)
            else:
                result = _apply_change(uow, actor, row, cust)
        except DomainError as refused:
            uow.rollback()
            message = "；".join(p.line("zh") for p in refused.problems)
            op = json.loads(row.fields)
            result = {
                "applied": [],
                "conflicts": [
                    _conflict("refused", None, None, message)
                    | {"mine": json.dumps(op["items"], ensure_ascii=False)}
                ],
            }
        uow.session.add(
            OfflineOperation(
                op_id=row.op_id,
                device=row.device,
                seq=row.seq,
                username=actor.user,
                kunnr=row.kunnr,
                applied_at=uow.now(),
                result=json.dumps(result, ensure_ascii=False),
            )
        )
        uow.commit()
    return result


def _store_answer(replica: ReplicaUnitOfWorkFactory, row: OutboxRow, result: dict[str, Any]) -> int:
    """The server's answer into the replica: its conflicts stored (a field already in
    conflict keeps its first base and takes the newer mine), the outbox row gone."""
    made = 0
    with replica(write=True) as uow:
        s = uow.session
        s.execute(delete(OfflineConflict).where(OfflineConflict.op_id == row.op_id))
        now = uow.now()
        for c in result["conflicts"]:
            earlier = None
            if c["kind"] == "field":
                earlier = s.scalars(
                    select(OfflineConflict).where(
                        OfflineConflict.kunnr == row.kunnr,
                        OfflineConflict.kind == "field",
                        OfflineConflict.tabname == c["tabname"],
                        OfflineConflict.tabkey == c["tabkey"],
                        OfflineConflict.fname == c["fname"],
                    )
                ).first()
            if earlier is not None:
                earlier.mine, earlier.theirs, earlier.op_id = c["mine"], c["theirs"], row.op_id
                continue
            s.add(OfflineConflict(op_id=row.op_id, kunnr=row.kunnr, created_at=now, **c))
            made += 1
        s.execute(delete(OutboxRow).where(OutboxRow.op_id == row.op_id))
        uow.commit()
    return made


Progress = Callable[[str, int, int], None]  # step ("push", "pull"), done, total


def _orphaned(replica: ReplicaUnitOfWorkFactory, row: OutboxRow) -> dict[str, Any] | None:
    """A later operation on a customer whose offline create the server did not take: it
    must not reach the server, where the number may be another customer's. Its answer,
    made here: a conflict of the create kind; None for any other operation."""
    with replica() as uow:
        refused = uow.session.scalar(
            select(OfflineConflict.id).where(
                OfflineConflict.kunnr == row.kunnr, OfflineConflict.kind == "create"
            )
        )
    if refused is None:
        return None
    items = json.loads(row.fields)["items"]
    message = f"客户 {row.kunnr} 的离线创建未被服务器接受，此后的更改未上传"
    return {
        "applied": [],
        "conflicts": [
            _conflict("create", None, None, message)
            | {"mine": json.dumps(items, ensure_ascii=False)}
        ],
    }


def push(
    server: UnitOfWorkFactory,
    replica: ReplicaUnitOfWorkFactory,
    actor: Actor,
    report: SyncReport,
    progress: Progress | None = None,
) -> None:
    """The outbox, oldest first, one operation at a time (see the module)."""
    with server() as uow:
        cust = uow.customizing.load()  # once: the push is short, a stale copy only warns
    with replica() as uow:
        total = int(uow.session.scalar(select(func.count()).select_from(OutboxRow)) or 0)
    while True:
        with replica() as uow:
            row = uow.session.scalars(select(OutboxRow).order_by(OutboxRow.seq).limit(1)).first()
            if row is not None:
                uow.session.expunge(row)  # read on after the unit of work has ended
        if row is None:
            return
        result = _orphaned(replica, row) or push_one(server, actor, row, cust)
        report.conflicts += _store_answer(replica, row, result)
        report.pushed += 1
        report.applied_fields += len(result["applied"])
        if progress is not None:
            progress("push", report.pushed, total)


def pull(
    server: UnitOfWorkFactory, replica: ReplicaUnitOfWorkFactory, actor: Actor, report: SyncReport
) -> None:
    """Server changes since the replica's position, its rights and customizing (see the
    module). Refused while the outbox holds operations: they would be overwritten."""
    with replica(write=True) as local, server() as uow:
        if local.session.scalar(select(OutboxRow.op_id).limit(1)) is not None:
            raise DomainError.single(
                "OFFLINE-OUTBOX",
                "还有未上传的离线更改，请先上传（同步时先上传后下载）",
                "Offline changes are waiting; push them before pulling",
            )
        src = uow.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        dst = local.session.connection()
        position = replica_copy.snapshot(src)
        changed = set(replica_copy.changed_since(src, local.meta.get("position")))
        visible = replica_copy.visible_numbers(src)
        held = replica_copy.visible_numbers(dst)
        gone = sorted(held - visible)
        fetch = sorted((changed & visible) | (visible - held))
        if gone:
            replica_copy.drop_customers(dst, gone)
        if fetch:
            replica_copy.copy_customers(src, dst, fetch)
        version = replica_copy.customizing_version(src)
        if str(version) != local.meta.get("customizing_version"):
            replica_copy.copy_customizing(src, dst)
            local.meta.set("customizing_version", str(version))
        replica_copy.copy_user(src, dst, actor.user)
        local.meta.set("position", position)
        local.meta.set("last_sync", uow.now().isoformat())
        local.commit()
    report.pulled += len(fetch)
    report.removed += len(gone)


def server_for(
    replica: ReplicaUnitOfWorkFactory, server_url: str | None
) -> tuple[UnitOfWorkFactory, str]:
    """The server of the replica (its stored URL, or `server_url` with a password) as a
    unit-of-work factory, refusing another server than the one checked out from."""
    with replica() as uow:
        stored = uow.meta.get("server")
    url = server_url or stored
    if public_url(url) != stored:
        raise DomainError.single(
            "OFFLINE-SERVER",
            f"此离线副本属于服务器 {stored}，不能与其他服务器同步",
            f"This replica belongs to {stored}; it cannot sync with another server",
        )
    return UnitOfWorkFactory(server_engine(url)), url


def connection_lost() -> DomainError:
    """What a sync whose connection broke off tells (the driver's text is in the log)."""
    return DomainError.single(
        DATABASE_KEY,
        "与服务器的连接中断，同步未完成：服务器已确认的更改已保存，其余的仍在待上传列表中，"
        "不会丢失也不会重复；请在连接恢复后再次同步",
        "The connection to the server broke off and the sync is unfinished: what the server "
        "confirmed is kept, the rest waits in the outbox, nothing is lost or applied twice; "
        "sync again when connected",
    )


def sync(
    replica: ReplicaUnitOfWorkFactory,
    server_url: str | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """Push then pull, then top up the number blocks; restartable at every step: a cut or
    a killed process anywhere leaves both sides consistent, and the next sync goes on.
    `progress` (a window's progress bar) hears of every operation pushed and of the pull."""
    server, url = server_for(replica, server_url)
    report = SyncReport()
    try:
        actor = server_user(server, url, replica.device)
        with replica() as uow:
            if uow.meta.get("user") != actor.user:
                raise DomainError.single(
                    "OFFLINE-SERVER",
                    f"此离线副本属于用户 {uow.meta.get('user')}，请以该用户登录服务器",
                    f"This replica belongs to user {uow.meta.get('user')}",
                )
            size = int(uow.meta.get("block_size") or DEFAULT_BLOCK_SIZE)
        push(server, replica, actor, report, progress)
        if progress is not None:
            progress("pull", 0, 1)
        pull(server, replica, actor, report)
        if progress is not None:
            progress("pull", 1, 1)
        report.blocks = top_up_blocks(server, replica, actor, size)
    except OperationalError as failed:
        if not failed.connection_invalidated:  # not a connection lost on the way
            raise
        log.warning("sync of device %s: connection lost: %s", replica.device, failed)
        raise connection_lost() from failed
    finally:
        server.engine.dispose()
    log.info("sync of device %s: %s", replica.device, report)
    return report


def with_origin(actor: Actor, device: str) -> Actor:
    return replace(actor, origin=device)


__all__ = ["SyncReport", "merge_items", "pull", "push", "push_one", "status_values", "sync"]
