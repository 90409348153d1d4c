"""A replica's unit of work: the normal one, plus an outbox row with every change document
and internal numbers from the blocks the server reserved for the device."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from custmd_gui.domain.errors import DomainError
from custmd_gui.persistence.change_documents import ChangeDocumentRepository
from custmd_gui.persistence.number_ranges import NumberRangeRepository
from custmd_gui.persistence.requests import RequestRepository
from custmd_gui.persistence.tables import (
    Kna1,
    OutboxRow,
    ReplicaMeta,
    ReplicaNumberBlock,
)
from custmd_gui.persistence.unit_of_work import UnitOfWork, UnitOfWorkFactory
from custmd_gui.persistence.users import UserRepository

ItemTuple = tuple[str, str, str, str, str | None, str | None]

# Block and deletion-flag fields (migration 0012's STATUS): a customer blocked or flagged on
# the server while edited offline is a conflict, so each operation keeps their base values.
STATUS_FIELDS: dict[str, tuple[str, ...]] = {
    "KNA1": ("AUFSD", "LIFSD", "FAKSD", "SPERR", "LOEVM"),
    "KNB1": ("SPERR", "LOEVM"),
    "KNVV": ("AUFSD", "LIFSD", "FAKSD", "LOEVM"),
}


def no_physical_deletion() -> DomainError:
    return DomainError.single(
        "KNA1-KUNNR",
        "离线时不能物理删除客户；请联网后在服务器上删除",
        "A customer cannot be deleted physically offline; delete it on the server when online",
    )


class ReplicaMetaStore:
    """replica_meta as a dictionary of strings."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str, default: str = "") -> str:
        value = self.session.scalar(select(ReplicaMeta.value).where(ReplicaMeta.key == key))
        return default if value is None else value

    def set(self, key: str, value: str) -> None:
        row = self.session.get(ReplicaMeta, key)
        if row is None:
            self.session.add(ReplicaMeta(key=key, value=value))
        else:
            row.value = value
        self.session.flush()

    def all(self) -> dict[str, str]:
        return {r.key: r.value for r in self.session.scalars(select(ReplicaMeta))}


def status_values(items: Sequence[ItemTuple]) -> dict[str, str]:
    """The block and deletion-flag fields among creation-shaped items, "TABLE KEY FIELD" ->
    value: what the server compares with its own before it applies an offline change."""
    return {
        f"{t} {k} {f}": new or "" for t, k, f, _i, _o, new in items if f in STATUS_FIELDS.get(t, ())
    }


class OutboxChangeDocuments(ChangeDocumentRepository):
    """Change documents that also queue their items in the outbox, in the same transaction:
    a change is either stored with its outbox row or not at all."""

    def __init__(self, session: Session, device: str) -> None:
        super().__init__(session)
        self.device = device

    def write_many(
        self,
        documents: Sequence[tuple[str, Sequence[ItemTuple]]],
        user: str,
        now: datetime,
        tcode: str,
        activity: str,
        origin: str,
        *,
        comment: str = "",
        request: str = "",
    ) -> list[uuid.UUID]:
        from custmd_gui.domain.change_document import creation_items
        from custmd_gui.persistence.repository import CustomerRepository

        for _number, items in documents:
            if any(i[0] == "KNA1" and i[3] == "D" for i in items):
                raise no_physical_deletion()
        headers = super().write_many(
            documents, user, now, tcode, activity, origin, comment=comment, request=request
        )
        seq = int(self.session.scalar(select(func.coalesce(func.max(OutboxRow.seq), 0))) or 0)
        customers = CustomerRepository(self.session)
        for number, items in documents:
            created = any(i[0] == "KNA1" and i[3] == "I" for i in items)
            version = self.session.scalar(select(Kna1.version).where(Kna1.kunnr == number))
            status: dict[str, str] = {}
            if not created:
                # The state before this change: the stored one with the items undone.
                stored = customers.get(number)
                assert stored is not None
                status = status_values([i.as_tuple() for i in creation_items(stored)])
                for t, k, f, _ind, old, _new in items:
                    if f in STATUS_FIELDS.get(t, ()):
                        status[f"{t} {k} {f}"] = old or ""
            seq += 1
            self.session.add(
                OutboxRow(
                    op_id=uuid.uuid4(),
                    seq=seq,
                    device=self.device,
                    kunnr=number,
                    activity="create"
                    if created
                    else ("extend" if activity == "extend" else "change"),
                    tcode=tcode,
                    segments=json.dumps(sorted({i[1] for i in items}), ensure_ascii=False),
                    fields=json.dumps(
                        {"items": [list(i) for i in items], "status": status},
                        ensure_ascii=False,
                    ),
                    base_version=0 if created else int(version or 1) - 1,
                    comment=comment,
                    created_at=now,
                )
            )
        self.session.flush()
        return headers


def block_exhausted(range_id: str) -> DomainError:
    return DomainError.single(
        "KNA1-KUNNR",
        f"离线编号段（编号范围 {range_id}）已用完，不能内部编号；请联网同步以领取新的编号段，"
        "或使用外部编号的账户组",
        f"The offline number block of range {range_id} is used up; sync when online to get "
        "a new block, or use an account group with external numbers",
    )


class ReplicaNumbers(NumberRangeRepository):
    """Internal numbers from the blocks the server reserved for this device, lowest first;
    the replica's own nriv levels are never used (the server's are the truth)."""

    def draw(self, range_id: str) -> int:
        return self.draw_many(range_id, 1)[0]

    def adopt(self, range_id: str, level: int) -> None:
        # The server's levels are the truth: a number kept offline could be drawn there.
        raise offline_refused("沿用内部编号导入客户", "Keeping internal numbers in an import")

    def draw_many(self, range_id: str, count: int) -> list[int]:
        drawn: list[int] = []
        blocks = self.session.scalars(
            select(ReplicaNumberBlock)
            .where(ReplicaNumberBlock.nrrangenr == range_id)
            .where(ReplicaNumberBlock.level < ReplicaNumberBlock.last_number)
            .order_by(ReplicaNumberBlock.first_number)
        ).all()
        for block in blocks:
            while len(drawn) < count and block.level < block.last_number:
                block.level += 1
                taken = self.session.scalar(
                    select(Kna1.kunnr).where(Kna1.kunnr == self._number(range_id, block.level))
                )
                if taken is None:
                    drawn.append(block.level)
        if len(drawn) < count:
            raise block_exhausted(range_id)
        return drawn

    def _number(self, range_id: str, level: int) -> str:
        from custmd_gui.persistence.tables import NumberRangeRow

        width = self.session.scalar(
            select(func.length(NumberRangeRow.fromnumber)).where(
                NumberRangeRow.nrrangenr == range_id
            )
        )
        return str(level).zfill(int(width or 10))

    def remaining(self, range_id: str) -> int:
        return int(
            self.session.scalar(
                select(
                    func.coalesce(
                        func.sum(ReplicaNumberBlock.last_number - ReplicaNumberBlock.level), 0
                    )
                ).where(ReplicaNumberBlock.nrrangenr == range_id)
            )
            or 0
        )


def offline_refused(what_zh: str, what_en: str) -> DomainError:
    return DomainError.single(
        "OFFLINE",
        f"离线时不能{what_zh}；请联网后在服务器上进行",
        f"{what_en} is not possible offline; do it on the server when online",
    )


class ReplicaUsers(UserRepository):
    """Users and roles are the server's: a replica holds a copy of its user's, refreshed at
    every sync, and refuses to maintain them."""

    def _refuse(self, *_args: object, **_kwargs: object) -> Any:
        raise offline_refused("维护用户和角色", "Maintaining users and roles")

    add = set_password_hash = set_disabled = set_archive_links = _refuse
    set_roles = set_auth_groups = set_company_codes = set_sales_areas = _refuse
    grant_everything = set_role_permissions = _refuse


def no_requests() -> DomainError:
    return offline_refused("提交或处理维护申请", "Filing or processing maintenance requests")


class ReplicaRequests(RequestRepository):
    """Maintenance requests live on the server, where others review them: a request filed
    on a laptop would reach nobody and be lost with the replica, so it is refused and the
    typing stays on the screens until the clerk is online."""

    def _refuse(self, *_args: object, **_kwargs: object) -> Any:
        raise no_requests()

    add = update = add_step = add_attachment = remove_attachment = _refuse


class ReplicaUnitOfWork(UnitOfWork):
    """The unit of work of a replica: the same repositories, but change documents feed the
    outbox and internal numbers come from the device's blocks."""

    meta: ReplicaMetaStore

    def __init__(self, engine: Engine, device: str, *, write: bool = False) -> None:
        super().__init__(engine, write=write)
        self.device = device

    def __enter__(self) -> ReplicaUnitOfWork:
        super().__enter__()
        self.changes = OutboxChangeDocuments(self.session, self.device)
        self.numbers = ReplicaNumbers(self.session)
        self.meta = ReplicaMetaStore(self.session)
        self.users = ReplicaUsers(self.session)
        self.requests = ReplicaRequests(self.session)
        return self


class ReplicaUnitOfWorkFactory(UnitOfWorkFactory):
    def __init__(self, engine: Engine, device: str) -> None:
        super().__init__(engine)
        self.device = device

    def __call__(self, *, write: bool = False) -> ReplicaUnitOfWork:
        return ReplicaUnitOfWork(self.engine, self.device, write=write)


def replica_device(engine: Engine) -> str | None:
    """The device id if the database at `engine` is a replica, else None."""
    from sqlalchemy import inspect

    if not inspect(engine).has_table("replica_meta"):
        return None
    with Session(engine) as session:
        value = ReplicaMetaStore(session).get("device")
    return value or None
