"""The conflicts of an offline replica (issue 19): listed with base / mine / theirs, resolved
on the server (take mine, take theirs, or an edited value) with a change document whose
origin names the device; then the replica pulls the customer's new state."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import delete, select

from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.field_status import Activity
from custmd_gui.persistence.replica import ReplicaUnitOfWorkFactory
from custmd_gui.persistence.tables import OfflineConflict
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.change import store_change
from custmd_gui.services.context import Actor
from custmd_gui.services.offline_checkout import server_user
from custmd_gui.services.offline_sync import (
    SyncReport,
    pull,
    server_for,
    server_rows,
    target_customer,
)


class Choice(StrEnum):
    MINE = "mine"
    THEIRS = "theirs"
    EDIT = "edit"


@dataclass(frozen=True, slots=True)
class ConflictView:
    id: uuid.UUID
    kunnr: str
    kind: str
    field: str  # TABLE-FIELD, "" for a whole operation
    key: str
    base: str | None
    mine: str | None
    theirs: str | None
    message: str


def list_conflicts(replica: ReplicaUnitOfWorkFactory) -> list[ConflictView]:
    with replica() as uow:
        rows = uow.session.scalars(
            select(OfflineConflict).order_by(OfflineConflict.kunnr, OfflineConflict.created_at)
        ).all()
        return [
            ConflictView(
                r.id,
                r.kunnr,
                r.kind,
                f"{r.tabname}-{r.fname}" if r.fname else "",
                r.tabkey,
                r.base,
                r.mine,
                r.theirs,
                r.message,
            )
            for r in rows
        ]


def resolve(
    replica: ReplicaUnitOfWorkFactory,
    conflict_id: uuid.UUID,
    choice: Choice,
    value: str | None = None,
    server_url: str | None = None,
) -> None:
    """Resolve one conflict on the server (online), then drop it and pull. Taking theirs
    writes a change document without items, so the decision is on record too."""
    with replica() as uow:
        conflict = uow.session.get(OfflineConflict, conflict_id)
        if conflict is None:
            raise DomainError.single("OFFLINE-CONFLICT", "冲突不存在或已解决", "No such conflict")
        uow.session.expunge(conflict)
    if choice is Choice.EDIT and (value is None or conflict.kind != "field"):
        raise DomainError.single(
            "OFFLINE-CONFLICT",
            "编辑解决只适用于字段冲突，且需要给出值",
            "Edit needs a field and a value",
        )
    server, url = server_for(replica, server_url)
    try:
        actor = server_user(server, url, replica.device)
        note = {
            Choice.MINE: "采用本机值",
            Choice.THEIRS: "采用服务器值",
            Choice.EDIT: "采用编辑后的值",
        }[choice]
        comment = f"离线冲突解决（设备 {replica.device}）：{note}"
        gone = [conflict_id]
        with server(write=True) as uow:
            if conflict.kind == "create" and choice is Choice.MINE:
                gone = _create_mine(uow, actor, replica, conflict.kunnr, comment)
                uow.commit()
            else:
                _resolve_stored(uow, actor, conflict, choice, value, comment)
        with replica(write=True) as local:
            local.session.execute(delete(OfflineConflict).where(OfflineConflict.id.in_(gone)))
            local.commit()
        pull(server, replica, actor, SyncReport())
    finally:
        server.engine.dispose()


def _resolve_stored(
    uow: UnitOfWork,
    actor: Actor,
    conflict: OfflineConflict,
    choice: Choice,
    value: str | None,
    comment: str,
) -> None:
    """Take theirs (a change document without items), or write mine or the edited value
    over the server's customer; committed."""
    stored = uow.customers.get(conflict.kunnr, for_update=True)
    if choice is Choice.THEIRS or stored is None:
        if choice is not Choice.THEIRS:
            raise DomainError.single(
                "OFFLINE-CONFLICT",
                f"客户 {conflict.kunnr} 在服务器上已不存在，只能采用服务器的状态",
                f"Customer {conflict.kunnr} is gone from the server; take theirs",
            )
        uow.changes.write(
            conflict.kunnr,
            actor.user,
            uow.now(),
            "OFFLINE",
            Activity.CHANGE.value,
            actor.origin,
            [],
            comment=comment,
        )
    else:
        if conflict.kind == "field":
            wanted = value if choice is Choice.EDIT else conflict.mine
            items = [[conflict.tabname, conflict.tabkey, conflict.fname, "U", None, wanted]]
        else:  # status, refused: the whole operation
            items = json.loads(conflict.mine or "[]")
        present = server_rows(stored)
        apply: list[tuple[str, str, str, str, str | None, str | None]] = [
            (str(t), str(k), str(f), "U" if (t, k) in present else str(ind), None, new)
            for t, k, f, ind, _base, new in items
        ]
        store_change(
            uow,
            conflict.kunnr,
            target_customer(conflict.kunnr, stored, apply),
            actor,
            uow.customizing.load(),
            expected_version=stored.version,
            tcode="OFFLINE",
            comment=comment,
            direct=True,
        )
    uow.commit()


def _create_mine(
    uow: UnitOfWork,
    actor: Actor,
    replica: ReplicaUnitOfWorkFactory,
    kunnr: str,
    comment: str,
) -> list[uuid.UUID]:
    """Take mine for an offline create the sync did not apply: the customer as the laptop
    left it (the create and every later change held back with it, replayed) is created on
    the server with XD01's checks, its similar customers accepted as the user chose. An
    internal number from the device's block is kept while free, else the range's next is
    drawn; an external number taken is refused. Not committed; the conflicts resolved."""
    from custmd_gui.domain.change_document import replay
    from custmd_gui.domain.validation import Validator
    from custmd_gui.services.create import check_new, numbered_new, write_new

    with replica() as local:
        rows = local.session.scalars(
            select(OfflineConflict)
            .where(OfflineConflict.kunnr == kunnr, OfflineConflict.kind == "create")
            .order_by(OfflineConflict.created_at)
        ).all()
        items = [tuple(i) for r in rows for i in json.loads(r.mine or "[]")]
        ids = [r.id for r in rows]
    customer = replay(kunnr, items)
    if customer is None:
        raise DomainError.single(
            "OFFLINE-CONFLICT",
            f"客户 {kunnr} 的离线创建数据不完整，只能采用服务器的状态",
            f"The offline create of {kunnr} is incomplete; take theirs",
        )
    cust = uow.customizing.load()
    rng = cust.number_range_of(customer.general.account_group)
    if rng is None or not rng.internal:
        checked = check_new(uow, customer, actor, cust, Validator(cust))
    else:
        checked = check_new(uow, customer.with_number(""), actor, cust, Validator(cust))
        free = not uow.customers.existing([kunnr])
        checked = checked.with_number(kunnr) if free else numbered_new(uow, checked, cust)
    write_new(uow, [checked], actor, "OFFLINE", comment)
    return ids
