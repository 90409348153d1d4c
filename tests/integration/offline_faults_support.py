"""A laptop replica synced through the fault-injecting proxy, and a model of what the sync
must do, checked after every step (tests/integration/test_offline_faults.py).

The model knows every field of a few customers on the server and on the replica, and every
operation the laptop queued. After a sync, cut or not, it learns from the server's
offline_op which operations the server applied (always the oldest ones first) and merges
them itself by the rule of services.offline_sync (base equal to the server's value: apply;
new equal to it: nothing; else a conflict). Then it checks:

- nothing lost: every operation is in the replica's outbox or applied on the server, and one
  the outbox dropped is applied;
- nothing doubled: the server holds exactly one change document of the device per operation
  that applied something, and each operation's stored answer is what the model expects;
- the server's fields are the model's, and after a sync that finished (or a pull that
  committed) the replica's are the server's; its conflicts are the model's.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError
from custmd_gui.persistence.tables import ChangeHeader, OfflineConflict, OfflineOperation, OutboxRow
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.auth import server_actor
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.offline_checkout import checkout, open_replica, replica_actor
from custmd_gui.services.offline_sync import connection_lost, sync
from tests.integration.offline_support import (
    Server,
    edit,
    get_field,
    history_replays,
    new_customer,
)
from tests.integration.tcp_proxy import Cut, FaultProxy

# The slots the laptop and the server edit: general data and a sales area, so that one
# operation may touch two tables.
FIELDS = ("KNA1-NAME2", "KNA1-NAME3", "KNA1-ORT01", "KNVV-INCO2")
VALUES = ("甲", "乙", "丙")  # few: both sides often pick the same value, or change back

Slot = tuple[str, str]  # customer, field key


def via_proxy(url: str, proxy: FaultProxy) -> str:
    return (
        make_url(url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    )


@dataclass
class Op:
    op_id: uuid.UUID
    kunnr: str
    items: dict[str, tuple[str, str]]  # field key -> (base, new)
    created: list[str] | None = None  # an offline create: TABLE-FIELD of each of its items


@dataclass
class Laptop:
    """One laptop's replica, the office's connection, and the model."""

    pg: Server
    proxy: FaultProxy
    numbers: list[str]
    path: Path
    replica: Any = None
    actor: Actor | None = None
    office: UnitOfWorkFactory | None = None
    office_actor: Actor | None = None
    cust: Customizing | None = None
    server: dict[Slot, str] = field(default_factory=dict)
    local: dict[Slot, str] = field(default_factory=dict)
    pending: list[Op] = field(default_factory=list)  # queued, not yet applied by the server
    answered: list[tuple[Op, dict[str, Any]]] = field(default_factory=list)  # applied, in outbox
    conflicts: dict[tuple[str, str], tuple[str | None, str | None, str | None]] = field(
        default_factory=dict
    )
    applied_ops: int = 0  # operations that changed something on the server
    on_server: set[str] = field(default_factory=set)  # the numbers the server holds
    cuts: int = 0

    @property
    def url(self) -> str:
        return via_proxy(self.pg.url("laptop1"), self.proxy)

    def start(self) -> None:
        """Check out through the proxy (the replica keeps the proxy as its server)."""
        self.proxy.arm(None)
        self.numbers = list(self.numbers)  # grows with offline creates
        self.replica = open_replica(checkout(self.url, self.path, block_size=2).path)
        self.pg.engines.append(self.replica.engine)
        self.actor = replica_actor(self.replica)
        if self.office is None:
            self.office = self.pg.factory("office")
        self.office_actor = server_actor(self.office, self.pg.url("office"))
        with self.office() as uow:
            self.cust = uow.customizing.load()
        owner = UnitOfWorkFactory(self.pg.owner)
        self.on_server = set(self.numbers)
        for n in self.numbers:
            stored = read_customer(owner, n)
            for key in FIELDS:
                self.server[(n, key)] = self.local[(n, key)] = get_field(stored, key)

    # --- the steps --------------------------------------------------------------------------

    def laptop_edit(self, number: str, values: dict[str, str]) -> None:
        values = {k: v for k, v in values.items() if self.local[(number, k)] != v}
        if not values:
            return
        assert self.actor is not None and self.cust is not None
        edit(self.replica, self.actor, number, values, self.cust)
        with self.replica() as uow:
            row = uow.session.scalars(select(OutboxRow).order_by(OutboxRow.seq.desc())).first()
            assert row is not None and row.kunnr == number
            op_id, items = row.op_id, json.loads(row.fields)["items"]
        assert {f"{t}-{f}": (b or "", n or "") for t, _k, f, _i, b, n in items} == {
            k: (self.local[(number, k)], v) for k, v in values.items()
        }
        self.pending.append(
            Op(op_id, number, {k: (self.local[(number, k)], v) for k, v in values.items()})
        )
        for k, v in values.items():
            self.local[(number, k)] = v

    def laptop_create(self, seed: int) -> None:
        """A new customer created offline, numbered from the device's block (none left:
        nothing, as the window refuses it until a sync tops the block up)."""
        assert self.actor is not None
        try:
            made = create_customer(
                self.replica, new_customer(random.Random(seed), group="1610"), self.actor
            )
        except DomainError as refused:
            assert "编号段" in refused.problems[0].message.zh, refused
            return
        number = made.general.number
        with self.replica() as uow:
            row = uow.session.scalars(select(OutboxRow).order_by(OutboxRow.seq.desc())).first()
            assert row is not None and (row.kunnr, row.activity) == (number, "create")
            op_id, items = row.op_id, json.loads(row.fields)["items"]
        values = {k: get_field(made, k) for k in FIELDS}
        self.pending.append(
            Op(
                op_id,
                number,
                {k: ("", v) for k, v in values.items()},
                [f"{t}-{f}" for t, _k, f, *_ in items],
            )
        )
        self.numbers.append(number)
        self.local.update({(number, k): v for k, v in values.items()})

    def server_edit(self, number: str, values: dict[str, str]) -> None:
        if number not in self.on_server:
            return  # created offline, not yet pushed
        values = {k: v for k, v in values.items() if self.server[(number, k)] != v}
        if not values:
            return
        assert self.office is not None and self.office_actor is not None and self.cust
        edit(self.office, self.office_actor, number, values, self.cust)
        self.server.update({(number, k): v for k, v in values.items()})

    def sync(self, cut: Cut | None) -> bool:
        """A sync, with `cut` armed; whether it finished. Then the model's checks."""
        before = self.last_sync()
        self.proxy.arm(cut)
        finished = True
        try:
            sync(self.replica, self.url)
        except DomainError as failed:
            # A connection the proxy cut on the way: the message for it, nothing else.
            finished = False
            assert self.proxy.fired.is_set(), f"a sync failed without a cut: {failed!r}"
            assert str(failed) == str(connection_lost()), repr(failed)
        except OperationalError as failed:
            # A cut while connecting: the driver's error (the CLI's last resort tells it).
            finished = False
            assert self.proxy.fired.is_set(), f"a sync failed without a cut: {failed!r}"
            assert not failed.connection_invalidated, repr(failed)
        fired = self.proxy.fired.is_set()
        self.proxy.arm(None)
        self.cuts += fired
        self.observe(before, finished=finished)
        return finished

    def observe(self, before: str, *, finished: bool) -> None:
        """The checks after a sync that started at last_sync() `before`."""
        self.check(pulled=finished or self.last_sync() != before)
        if finished:
            assert not self.pending and not self.answered

    def converge(self) -> None:
        """A sync without a cut finishes the job: the outbox empty, the replica equal to the
        server, and every customer's history of change documents replays strictly to it."""
        assert self.sync(None)
        owner = UnitOfWorkFactory(self.pg.owner)
        for n in self.numbers:
            stored = read_customer(owner, n)
            assert history_replays(self.pg.owner, n) == stored.model_copy(update={"version": 0})

    def close(self) -> None:
        if self.replica is not None:
            self.replica.engine.dispose()

    # --- the model --------------------------------------------------------------------------

    def last_sync(self) -> str:
        with self.replica() as uow:
            return str(uow.meta.get("last_sync"))

    def _merge(self, op: Op) -> dict[str, Any]:
        """What the server must have done with `op`: the module's rule, field by field; an
        offline create is taken whole (its number is the device's, its name new)."""
        if op.created is not None:
            self.on_server.add(op.kunnr)
            self.server.update({(op.kunnr, k): new for k, (_base, new) in op.items.items()})
            return {"applied": sorted(op.created), "conflicts": []}
        applied, conflicts = [], []
        for key, (base, new) in op.items.items():
            theirs = self.server[(op.kunnr, key)]
            if theirs == base:
                applied.append(key)
            elif theirs != new:
                conflicts.append((key, base, new, theirs))
        for key in applied:
            self.server[(op.kunnr, key)] = op.items[key][1]
        return {"applied": sorted(applied), "conflicts": sorted(conflicts)}

    @staticmethod
    def _shape(result: dict[str, Any]) -> dict[str, Any]:
        return {
            "applied": sorted(f"{a[0]}-{a[2]}" for a in result["applied"]),
            "conflicts": sorted(
                (f"{c['tabname']}-{c['fname']}", c["base"] or "", c["mine"] or "", c["theirs"])
                for c in result["conflicts"]
            ),
        }

    def check(self, *, pulled: bool) -> None:
        device = self.replica.device
        with self.pg.owner.connect() as conn:
            done = {
                r.op_id: json.loads(r.result)
                for r in conn.execute(
                    select(OfflineOperation.op_id, OfflineOperation.result).where(
                        OfflineOperation.device == device
                    )
                )
            }
            documents = int(
                conn.scalar(
                    select(func.count())
                    .select_from(ChangeHeader)
                    .where(ChangeHeader.origin == device)
                )
                or 0
            )
        with self.replica() as uow:
            outbox = set(uow.session.scalars(select(OutboxRow.op_id)))
            stored_conflicts = {
                (c.kunnr, f"{c.tabname}-{c.fname}"): (c.base, c.mine, c.theirs)
                for c in uow.session.scalars(select(OfflineConflict))
            }
        # The server applies the oldest operations first: those it newly holds are a prefix.
        while self.pending and self.pending[0].op_id in done:
            op = self.pending.pop(0)
            expected = self._merge(op)
            assert self._shape(done[op.op_id]) == expected, (op, done[op.op_id])
            self.applied_ops += bool(expected["applied"])
            self.answered.append((op, done[op.op_id]))
        assert not any(op.op_id in done for op in self.pending), "applied out of order"
        queued = {op.op_id for op in self.pending}
        # The outbox drops the oldest answered ones first, and only answered ones.
        while self.answered and self.answered[0][0].op_id not in outbox:
            op, result = self.answered.pop(0)
            for key, base, mine, theirs in self._shape(result)["conflicts"]:
                earlier = self.conflicts.get((op.kunnr, key))
                self.conflicts[(op.kunnr, key)] = (earlier[0] if earlier else base, mine, theirs)
        assert outbox == queued | {op.op_id for op, _ in self.answered}, "lost operation"
        assert documents == self.applied_ops, "a change document missing or doubled"
        assert {
            s: (b or "", m or "", t) for s, (b, m, t) in stored_conflicts.items()
        } == self.conflicts
        owner = UnitOfWorkFactory(self.pg.owner)
        with owner() as uow:
            assert uow.customers.existing(self.numbers) == self.on_server
        for n in sorted(self.on_server):
            stored = read_customer(owner, n)
            assert {k: get_field(stored, k) for k in FIELDS} == {
                k: self.server[(n, k)] for k in FIELDS
            }, n
        if pulled:
            assert self.on_server == set(self.numbers)  # pushed all before the pull
            self.local = dict(self.server)
        for n in self.numbers:
            here = read_customer(self.replica, n)
            assert {k: get_field(here, k) for k in FIELDS} == {
                k: self.local[(n, k)] for k in FIELDS
            }, n
            if pulled:
                assert here == read_customer(owner, n)


@contextmanager
def fault_proxy(pg: Server) -> Iterator[FaultProxy]:
    target = make_url(pg.server.url(pg.database))
    proxy = FaultProxy(target.host or "127.0.0.1", int(target.port or 5432))
    try:
        yield proxy
    finally:
        proxy.close()
