"""Offline laptops (issue 19) against a real PostgreSQL server: two replicas checked out as
their users' own LOGIN roles, edited through the normal services offline, synced back.
PostgreSQL only: the shared server is the one authority."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.requests import RequestType
from custmd_gui.domain.validation import Validator
from custmd_gui.persistence import migrate
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.tables import (
    ChangeFeed,
    ChangeHeader,
    MaintenanceRequest,
    OfflineConflict,
    OutboxRow,
)
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.auth import server_actor
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer, store_new
from custmd_gui.services.offline_checkout import (
    checkout,
    open_replica,
    replica_actor,
    replica_status,
)
from custmd_gui.services.offline_conflicts import Choice, list_conflicts, resolve
from custmd_gui.services.offline_sync import sync
from custmd_gui.services.requests import create_request
from custmd_gui.services.users import create_user
from tests.integration.offline_support import (
    FIELDS,
    PASSWORD,
    Server,
    edit,
    get_field,
    history_replays,
    new_customer,
    pg,
)

__all__ = ["pg"]  # the fixture


def test_two_laptops_and_the_server_give_exactly_the_chosen_conflicts(
    pg: Server, tmp_path: Path
) -> None:
    rng = random.Random(19)
    setup = UnitOfWorkFactory(pg.owner)
    numbers = [str(2110380001 + i) for i in range(60)]
    with setup() as uow:
        cust = uow.customizing.load()
    with setup(write=True) as uow:  # one transaction: the seed is not what is tested
        validator = Validator(cust)
        for number in numbers:
            store_new(uow, new_customer(rng, number), Actor("setup"), cust, validator)
        uow.commit()

    initial = {(n, key): get_field(read_customer(setup, n), key) for n in numbers for key in FIELDS}
    r1 = checkout(pg.url("laptop1"), tmp_path / "l1.sqlite", block_size=3)
    r2 = checkout(pg.url("laptop2"), tmp_path / "l2.sqlite", block_size=3)
    assert (r1.customers, r2.customers) == (60, 60)
    assert r1.device != r2.device
    laptop1, laptop2 = open_replica(r1.path), open_replica(r2.path)
    pg.engines += [laptop1.engine, laptop2.engine]
    a1, a2 = replica_actor(laptop1), replica_actor(laptop2)
    assert a1.origin == r1.device

    # 480 (customer, field) slots: 100 for the server, 180 for laptop 1 and 200 for laptop 2,
    # disjoint; laptop 1 also edits 10 of the server's and 10 of laptop 2's, on purpose.
    slots = [(n, f) for n in numbers for f in FIELDS]
    rng.shuffle(slots)
    s_slots, l1_slots, l2_slots = slots[:100], slots[100:280], slots[280:480]
    l1_slots = s_slots[:10] + l2_slots[:10] + l1_slots
    assert len(l1_slots) == len(l2_slots) == 200
    chosen = set(s_slots[:10]) | set(l2_slots[:10])

    def values(slots: list[tuple[str, str]], tag: str) -> dict[tuple[str, str], str]:
        return {slot: f"{tag}{i}" for i, slot in enumerate(slots)}

    v_s, v_1, v_2 = values(s_slots, "服务器"), values(l1_slots, "甲机"), values(l2_slots, "乙机")

    def apply(factory: UnitOfWorkFactory, actor: Actor, edits: dict[tuple[str, str], str]) -> None:
        with factory() as uow:
            cust = uow.customizing.load()
        by_customer: dict[str, dict[str, str]] = {}
        for (number, key), value in edits.items():
            by_customer.setdefault(number, {})[key] = value
        for number, fields in by_customer.items():  # one save per customer
            edit(factory, actor, number, fields, cust)

    office = pg.factory("office")
    office_actor = server_actor(office, pg.url("office"))
    assert office_actor is not None
    apply(office, office_actor, v_s)
    apply(laptop1, a1, v_1)
    apply(laptop2, a2, v_2)
    with laptop1() as uow:
        devices = list(uow.session.scalars(select(OutboxRow.device)))
    assert devices and set(devices) == {r1.device}

    report1 = sync(laptop1, pg.url("laptop1"))
    report2 = sync(laptop2, pg.url("laptop2"))
    assert report1.conflicts + report2.conflicts == 20

    found = set()
    for replica in (laptop1, laptop2):
        with replica() as uow:
            assert uow.session.scalar(select(OutboxRow.op_id)) is None
            for c in uow.session.scalars(select(OfflineConflict)):
                assert c.kind == "field"
                key = f"{c.tabname}-{c.fname}"
                found.add((c.kunnr, key))
                theirs = v_s.get((c.kunnr, key)) or v_1.get((c.kunnr, key))
                assert (c.base, c.theirs) == (initial[(c.kunnr, key)], theirs)
    assert found == chosen

    # Three of laptop 1's conflicts resolved: take mine, take theirs, an edited value; each
    # with a change document naming the device.
    mine = list_conflicts(laptop1)[:3]
    resolved: dict[tuple[str, str], str] = {}
    for view, choice in zip(mine, (Choice.MINE, Choice.THEIRS, Choice.EDIT), strict=True):
        resolve(
            laptop1, view.id, choice, "编辑值" if choice is Choice.EDIT else None, pg.url("laptop1")
        )
        resolved[(view.kunnr, view.field)] = {
            Choice.MINE: view.mine,
            Choice.THEIRS: view.theirs,
            Choice.EDIT: "编辑值",
        }[choice] or ""
    with pg.owner.connect() as conn:
        origins = conn.execute(
            select(ChangeHeader.origin, ChangeHeader.comment).where(ChangeHeader.tcode == "OFFLINE")
        ).all()
    assert len(origins) == 3 and {o for o, _c in origins} == {r1.device}
    assert all(r1.device in c for _o, c in origins)

    # Every other change applied, no conflicting one: the server holds, per slot, the value
    # of whoever changed it first (the server, laptop 1 before laptop 2), and the history
    # replays strictly into exactly the stored customers (no silent overwrite).
    expected: dict[tuple[str, str], str] = {**v_2, **v_1, **v_s, **resolved}
    for number in numbers:
        stored = read_customer(setup, number)
        for key in FIELDS:
            assert get_field(stored, key) == expected.get((number, key), initial[(number, key)])
        built = history_replays(pg.owner, number)
        assert built is not None
        assert built == stored.model_copy(update={"version": 0})
    # Both laptops are brought up to the server's state (laptop 1 pulls laptop 2's push).
    assert sync(laptop1, pg.url("laptop1")).conflicts == 0
    assert sync(laptop2, pg.url("laptop2")).conflicts == 0
    for replica in (laptop1, laptop2):
        for number in numbers[:10]:
            assert read_customer(replica, number) == read_customer(setup, number)


def test_offline_creation_numbers_come_from_reserved_blocks(pg: Server, tmp_path: Path) -> None:
    rng = random.Random(7)
    r1 = checkout(pg.url("laptop1"), tmp_path / "l1.sqlite", block_size=3)
    r2 = checkout(pg.url("laptop2"), tmp_path / "l2.sqlite", block_size=3)
    made: list[str] = []
    for path in (r1.path, r2.path):
        replica = open_replica(path)
        pg.engines.append(replica.engine)
        actor = replica_actor(replica)
        for _ in range(3):
            made.append(
                create_customer(replica, new_customer(rng, group="1610"), actor).general.number
            )
        with pytest.raises(DomainError) as refused:
            create_customer(replica, new_customer(rng, group="1610"), actor)
        assert "编号段" in refused.value.problems[0].message.zh
        with pytest.raises(DomainError) as refused:  # users are the server's
            create_user(replica, actor, "neu", password=None, roles=["assistant"])
        assert "离线时不能维护用户和角色" in refused.value.problems[0].message.zh
        with pytest.raises(DomainError) as refused:  # requests are reviewed on the server
            create_request(
                replica,
                actor,
                RequestType.CREATE,
                new_customer(rng, group="1610"),
                reason="离线",
                submit=True,
            )
        assert "离线时不能提交或处理维护申请" in refused.value.problems[0].message.zh
        with replica() as uow:
            assert uow.session.scalar(select(func.count()).select_from(MaintenanceRequest)) == 0
        report = sync(replica, pg.url(path.stem.replace("l", "laptop")))
        assert report.conflicts == 0
    assert len(set(made)) == 6
    second = open_replica(r2.path)
    pg.engines.append(second.engine)
    status = replica_status(second)
    assert (status.waiting, status.conflicts, status.user) == (0, 0, pg.users["laptop2"])
    assert status.numbers_left["05"] == 3  # the used-up block topped up by the sync
    setup = UnitOfWorkFactory(pg.owner)
    for number in made:
        assert read_customer(setup, number).general.number == number
    # The blocks were topped up at sync: creation works again.
    replica = open_replica(r1.path)
    pg.engines.append(replica.engine)
    assert create_customer(replica, new_customer(rng, group="1610"), replica_actor(replica))


def test_checkout_holds_only_what_the_user_may_see(pg: Server, tmp_path: Path) -> None:
    rng = random.Random(3)
    setup = UnitOfWorkFactory(pg.owner)
    create_customer(setup, new_customer(rng, "2110380001"), Actor("setup"))
    seen = new_customer(rng, "2110380002")
    seen.general.authorization_group = "1038"
    create_customer(setup, seen, Actor("setup"))
    result = checkout(pg.url("narrow"), tmp_path / "n.sqlite")
    replica = open_replica(result.path)
    pg.engines.append(replica.engine)
    with replica() as uow:
        assert uow.customers.existing(["2110380001", "2110380002"]) == {"2110380002"}
        # The list's and the duplicate check's indexes came along for what is there.
        for table in ("kna1_find", "kna1_search"):
            held = uow.session.execute(text(f"SELECT DISTINCT kunnr FROM {table}")).scalars()
            assert list(held) == ["2110380002"]
        assert PASSWORD not in uow.meta.get("server")

    # The secondary indexes the checkout drops for its load are all back.
    def indexes(engine: Engine) -> set[str]:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            )
            return set(found.scalars())

    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    migrate.upgrade(fresh)
    pg.engines.append(fresh)
    assert indexes(replica.engine) == indexes(
        fresh
    ) and "ix_kna1_search_kind_token_kunnr" in indexes(fresh)
    # The server's change feed shows the user the customers he sees, and nothing more.
    with pg.factory("narrow")() as uow:
        assert list(uow.session.scalars(select(ChangeFeed.kunnr))) == ["2110380002"]
