"""Offline laptops (issue 19) against a real PostgreSQL server: two replicas checked out as
their users' own LOGIN roles, edited through the normal services offline, synced back.

PostgreSQL only (the shared server is the one authority). Roles are cluster-global: each run
names its roles with a random prefix and drops them."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url

from custmd_gui.catalog import catalog
from custmd_gui.domain.change_document import replay
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.model import Customer
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import db_roles
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.tables import ChangeHeader, ChangeItem, OfflineConflict, OutboxRow
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.auth import server_actor
from custmd_gui.services.change import change_customer, open_for_change
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.offline_checkout import checkout, open_replica, replica_actor
from custmd_gui.services.offline_conflicts import Choice, list_conflicts, resolve
from custmd_gui.services.offline_sync import sync
from tests.conftest import PostgresServer, example_document

PASSWORD = "Geheim-2024!"
FIELDS = ("KNA1-NAME2", "KNA1-NAME3", "KNA1-NAME4", "KNA1-STRAS", "KNVV-INCO2")
# Characters for names no duplicate check finds alike.
CHARS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月星辰山川河海风云雷电松竹梅兰菊"


@dataclass
class Server:
    server: PostgresServer
    database: str
    owner: Engine
    prefix: str
    users: dict[str, str] = field(default_factory=dict)
    engines: list[Engine] = field(default_factory=list)

    def url(self, person: str) -> str:
        return (
            make_url(self.server.url(self.database))
            .set(username=self.users[person], password=PASSWORD)
            .render_as_string(hide_password=False)
        )

    def factory(self, person: str) -> UnitOfWorkFactory:
        engine = make_engine(self.url(person))
        self.engines.append(engine)
        return UnitOfWorkFactory(engine)


@pytest.fixture
def pg(postgres: PostgresServer) -> Iterator[Server]:
    name = postgres.create(template=postgres.template)
    owner = make_engine(postgres.url(name))
    s = Server(postgres, name, owner, f"otest_{uuid.uuid4().hex[:8]}")
    people = {"laptop1": ["*"], "laptop2": ["*"], "office": ["*"], "narrow": ["1038"]}
    try:
        with owner.begin() as conn:
            for person, groups in people.items():
                user = f"{s.prefix}_{person}"
                conn.execute(
                    text("INSERT INTO app_user (username, created_at) VALUES (:u, :t)"),
                    {"u": user, "t": datetime.now(UTC)},
                )
                db_roles.create_login(
                    conn,
                    user,
                    PASSWORD,
                    ["assistant" if person == "narrow" else "administrator"],
                    auth_groups=groups,
                    company_codes=["*"],
                )
                conn.execute(
                    text(
                        "INSERT INTO user_sales_area (username, vkorg, vtweg, spart) "
                        "VALUES (:u, '*', '*', '*')"
                    ),
                    {"u": user},
                )
                conn.execute(
                    text("INSERT INTO user_role (username, role) VALUES (:u, :r)"),
                    {"u": user, "r": "assistant" if person == "narrow" else "administrator"},
                )
                s.users[person] = user
        yield s
    finally:
        for engine in s.engines:
            engine.dispose()
        for user in s.users.values():
            with owner.begin() as conn:
                db_roles.drop_login(conn, user)
        owner.dispose()
        postgres.drop(name)


def _name(rng: random.Random) -> str:
    return "".join(rng.sample(CHARS, 8))


def _new(rng: random.Random, number: str = "", group: str = "1110") -> Customer:
    doc = example_document()
    doc["KNA1"].update(
        KUNNR=number,
        KTOKD=group,
        NAME1=_name(rng),
        NAME2="",
        NAME3=_name(rng),
        SORTL=_name(rng)[:4],
        BEGRU="4002",
    )
    for area in doc["KNVV"]:
        for partner in area["KNVP"]:
            partner["KUNN2"] = number
    return from_document(doc)


def _set(customer: Customer, key: str, value: str) -> Customer:
    out = customer.model_copy(deep=True)
    fd = catalog().field(key)
    target = out.general if key.startswith("KNA1") else out.sales_areas[0]
    setattr(target, fd.name, value)
    return out


def _get(customer: Customer, key: str) -> str:
    fd = catalog().field(key)
    target = customer.general if key.startswith("KNA1") else customer.sales_areas[0]
    return str(getattr(target, fd.name))


def _edit(
    factory: UnitOfWorkFactory, actor: Actor, number: str, values: dict[str, str], cust: Customizing
) -> None:
    """An edit as XD02 makes it: lock, read, change, save, release."""
    lock, customer = open_for_change(factory, number, actor)
    for key, value in values.items():
        customer = _set(customer, key, value)
    change_customer(
        factory,
        number,
        customer,
        actor,
        expected_version=customer.version,
        lock=lock,
        release=True,
        customizing=cust,  # as the windows' cache hands it
    )


def _history_replays(owner: Engine, number: str) -> Customer | None:
    """The customer the server's change documents build, strictly (an update whose old value
    was not the value then, i.e. a lost update, fails)."""
    with owner.connect() as conn:
        rows = conn.execute(
            select(
                ChangeItem.tabname,
                ChangeItem.tabkey,
                ChangeItem.fname,
                ChangeItem.chngind,
                ChangeItem.value_old,
                ChangeItem.value_new,
            )
            .join(ChangeHeader, ChangeHeader.id == ChangeItem.header_id)
            .where(ChangeHeader.objectid == number)
            .order_by(ChangeHeader.udate, ChangeHeader.id)
        ).all()
    return replay(number, [tuple(r) for r in rows], strict=True)


def test_two_laptops_and_the_server_give_exactly_the_chosen_conflicts(
    pg: Server, tmp_path: Path
) -> None:
    rng = random.Random(19)
    setup = UnitOfWorkFactory(pg.owner)
    numbers = [str(2110380001 + i) for i in range(100)]
    for number in numbers:
        create_customer(setup, _new(rng, number), Actor("setup"))

    initial = {(n, key): _get(read_customer(setup, n), key) for n in numbers for key in FIELDS}
    r1 = checkout(pg.url("laptop1"), tmp_path / "l1.sqlite", block_size=3)
    r2 = checkout(pg.url("laptop2"), tmp_path / "l2.sqlite", block_size=3)
    assert (r1.customers, r2.customers) == (100, 100)
    assert r1.device != r2.device
    laptop1, laptop2 = open_replica(r1.path), open_replica(r2.path)
    pg.engines += [laptop1.engine, laptop2.engine]
    a1, a2 = replica_actor(laptop1), replica_actor(laptop2)
    assert a1.origin == r1.device

    # 500 (customer, field) slots: 200 for each laptop, 100 for the server, disjoint; then
    # 10 of laptop 1's slots taken from the server's and 10 from laptop 2's, on purpose.
    slots = [(n, f) for n in numbers for f in FIELDS]
    rng.shuffle(slots)
    s_slots, l1_slots, l2_slots = slots[:100], slots[100:300], slots[300:500]
    l1_slots = s_slots[:10] + l2_slots[:10] + l1_slots[20:]
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
            _edit(factory, actor, number, fields, cust)

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
            assert _get(stored, key) == expected.get((number, key), initial[(number, key)])
        built = _history_replays(pg.owner, number)
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
            made.append(create_customer(replica, _new(rng, group="1610"), actor).general.number)
        with pytest.raises(DomainError) as refused:
            create_customer(replica, _new(rng, group="1610"), actor)
        assert "编号段" in refused.value.problems[0].message.zh
        report = sync(replica, pg.url(path.stem.replace("l", "laptop")))
        assert report.conflicts == 0
    assert len(set(made)) == 6
    setup = UnitOfWorkFactory(pg.owner)
    for number in made:
        assert read_customer(setup, number).general.number == number
    # The blocks were topped up at sync: creation works again.
    replica = open_replica(r1.path)
    pg.engines.append(replica.engine)
    assert create_customer(replica, _new(rng, group="1610"), replica_actor(replica))


def test_checkout_holds_only_what_the_user_may_see(pg: Server, tmp_path: Path) -> None:
    rng = random.Random(3)
    setup = UnitOfWorkFactory(pg.owner)
    create_customer(setup, _new(rng, "2110380001"), Actor("setup"))
    seen = _new(rng, "2110380002")
    seen.general.authorization_group = "1038"
    create_customer(setup, seen, Actor("setup"))
    result = checkout(pg.url("narrow"), tmp_path / "n.sqlite")
    replica = open_replica(result.path)
    pg.engines.append(replica.engine)
    with replica() as uow:
        assert uow.customers.existing(["2110380001", "2110380002"]) == {"2110380002"}
        assert PASSWORD not in uow.meta.get("server")
