"""Sync of an offline replica with the shared server (issue 19): push the outbox, then pull.

Push (services.offline_push). Outbox operations are applied on the server in batches, each
batch in one server transaction and each operation inside it in a savepoint, through the
change and create services' own steps (store_change, check_new/write_new) and as the user
(his LOGIN role and rights, origin = the device), together with a row of offline_op per
operation holding its id and its answer. A push repeated after a lost answer finds those
rows and applies nothing twice; only then are the outbox rows deleted (and their conflicts
stored) in the replica. Every step is restartable: the server's transaction either committed
with its offline_op rows or not at all, and the replica drops an outbox row only once the
server has that row.

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
sets of numbers. A customer the push of the same sync left on the server as the replica
holds it, and nobody wrote since, is not copied back: only its version and time of change
are (services.offline_mirror). The replica stores the customers and the new position in one
local transaction; a cut anywhere leaves the old position, and the next pull does it again.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from custmd_gui.domain.errors import DATABASE_KEY, DomainError
from custmd_gui.persistence import replica_copy, replica_load
from custmd_gui.persistence.replica import ReplicaUnitOfWorkFactory, status_values
from custmd_gui.persistence.tables import OutboxRow
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.offline_checkout import (
    DEFAULT_BLOCK_SIZE,
    public_url,
    server_engine,
    server_user,
    top_up_blocks,
)
from custmd_gui.services.offline_merge import merge_items, server_rows, target_customer
from custmd_gui.services.offline_push import Progress, SyncReport, push, push_one, without_jit

log = logging.getLogger(__name__)


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
        without_jit(src)
        dst = local.session.connection()
        position = replica_copy.snapshot(src)
        feed = replica_copy.changed_since(src, local.meta.get("position"))
        visible = replica_copy.visible_numbers(src)
        held = replica_copy.visible_numbers(dst)
        # Left by the push as the replica holds them, and not written since.
        same = {n for n, xid in report.mirrored.items() if feed.get(n) == xid} & visible & held
        gone = sorted(held - visible)
        fetch = sorted(((set(feed) - same) & visible) | (visible - held))
        if gone:
            replica_copy.drop_customers(dst, gone)
        if fetch:
            replica_load.copy_customers(src, dst, fetch)
        if same:
            replica_copy.copy_versions(src, dst, sorted(same))
        version = replica_copy.customizing_version(src)
        if str(version) != local.meta.get("customizing_version"):
            replica_copy.copy_customizing(src, dst)
            local.meta.set("customizing_version", str(version))
        replica_copy.copy_user(src, dst, actor.user)
        local.meta.set("position", position)
        local.meta.set("last_sync", uow.now().isoformat())
        local.commit()
    report.pulled += len(fetch)
    report.mirrored = {n: report.mirrored[n] for n in sorted(same)}
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
        started = time.perf_counter()
        push(server, replica, actor, report, progress)
        pushed = time.perf_counter()
        if progress is not None:
            progress("pull", 0, 1)
        pull(server, replica, actor, report)
        pulled = time.perf_counter()
        if progress is not None:
            progress("pull", 1, 1)
        report.blocks = top_up_blocks(server, replica, actor, size)
        report.seconds = {
            "push": pushed - started,
            "pull": pulled - pushed,
            "blocks": time.perf_counter() - pulled,
        }
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


__all__ = [
    "Progress",
    "SyncReport",
    "merge_items",
    "pull",
    "push",
    "push_one",
    "server_rows",
    "status_values",
    "sync",
    "target_customer",
]
