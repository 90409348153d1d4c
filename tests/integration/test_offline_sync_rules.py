"""Offline sync's rules one by one on a real PostgreSQL server: a push repeated after a lost
answer applies nothing twice; the pull position does not skip a transaction that commits
after a younger one; a customer blocked or deleted on the server, or an offline create whose
number was taken meanwhile, is a conflict as a whole."""

from __future__ import annotations

import random
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import func, select, text

from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.model import CompanyCodeData
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.tables import (
    ChangeHeader,
    OfflineConflict,
    OfflineOperation,
    OutboxRow,
)
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, extend_customer, read_customer
from custmd_gui.services.offline_checkout import checkout, open_replica, replica_actor, server_user
from custmd_gui.services.offline_conflicts import Choice, list_conflicts, resolve
from custmd_gui.services.offline_sync import push_one, sync
from tests.integration.offline_support import (
    PASSWORD,
    Server,
    edit,
    get_field,
    new_customer,
    pg,
)

__all__ = ["pg"]  # the fixture

A, B, C = "2110380001", "2110380002", "2110380003"


def _seed(pg: Server, *numbers: str) -> UnitOfWorkFactory:
    rng = random.Random(len(numbers))
    setup = UnitOfWorkFactory(pg.owner)
    for number in numbers:
        create_customer(setup, new_customer(rng, number), Actor("setup"))
    return setup


def _documents(pg: Server, number: str) -> int:
    with pg.owner.connect() as conn:
        return int(
            conn.scalar(
                select(func.count())
                .select_from(ChangeHeader)
                .where(ChangeHeader.objectid == number)
            )
            or 0
        )


def test_a_push_repeated_after_a_lost_answer_applies_nothing_twice(
    pg: Server, tmp_path: Path
) -> None:
    setup = _seed(pg, A)
    laptop = open_replica(checkout(pg.url("laptop1"), tmp_path / "l.sqlite").path)
    pg.engines.append(laptop.engine)
    actor = replica_actor(laptop)
    with laptop() as uow:
        cust = uow.customizing.load()
    edit(laptop, actor, A, {"KNA1-NAME2": "第一次"}, cust)
    with laptop() as uow:
        row = uow.session.scalars(select(OutboxRow)).one()
        uow.session.expunge(row)
    server = pg.factory("laptop1")
    # The server applies and commits, and the answer never reaches the laptop.
    answer = push_one(server, server_user(server, pg.url("laptop1"), laptop.device), row)
    assert answer["conflicts"] == [] and len(answer["applied"]) == 1
    version, documents = read_customer(setup, A).version, _documents(pg, A)

    report = sync(laptop, pg.url("laptop1"))
    assert (report.pushed, report.applied_fields, report.conflicts) == (1, 1, 0)
    stored = read_customer(setup, A)
    assert get_field(stored, "KNA1-NAME2") == "第一次"
    assert (stored.version, _documents(pg, A)) == (version, documents)  # nothing twice
    with laptop() as uow:
        assert uow.session.scalar(select(OutboxRow.op_id)) is None
    assert read_customer(laptop, A) == stored


def test_the_pull_does_not_skip_a_transaction_that_commits_late(pg: Server, tmp_path: Path) -> None:
    setup = _seed(pg, A, B)
    laptop = open_replica(checkout(pg.url("laptop1"), tmp_path / "l.sqlite").path)
    pg.engines.append(laptop.engine)
    update = text("UPDATE kna1 SET name2 = :v, version = version + 1 WHERE kunnr = :k")
    owner = make_engine(pg.server.url(pg.database))
    pg.engines.append(owner)
    with owner.connect() as slow:
        slow.execute(update, {"v": "慢", "k": A})  # older transaction, still open
        with pg.owner.begin() as fast:
            fast.execute(update, {"v": "快", "k": B})
        sync(laptop, pg.url("laptop1"))
        assert get_field(read_customer(laptop, B), "KNA1-NAME2") == "快"
        assert get_field(read_customer(laptop, A), "KNA1-NAME2") == ""
        slow.commit()
    with pg.owner.connect() as conn:
        xids = {k: x for k, x in conn.execute(text("SELECT kunnr, xid FROM change_feed"))}
    assert xids[A] < xids[B]  # a "higher than the last id seen" position would miss A
    sync(laptop, pg.url("laptop1"))
    assert get_field(read_customer(laptop, A), "KNA1-NAME2") == "慢"
    assert read_customer(laptop, A) == read_customer(setup, A)


def test_blocked_deleted_and_taken_numbers_are_conflicts_of_the_whole_operation(
    pg: Server, tmp_path: Path
) -> None:
    setup = _seed(pg, A, B)
    laptop = open_replica(checkout(pg.url("laptop1"), tmp_path / "l.sqlite").path)
    pg.engines.append(laptop.engine)
    actor = replica_actor(laptop)
    with laptop() as uow:
        cust = uow.customizing.load()
    edit(laptop, actor, A, {"KNA1-NAME2": "离线甲"}, cust)
    edit(laptop, actor, B, {"KNA1-NAME2": "离线乙"}, cust)
    create_customer(laptop, new_customer(random.Random(5), C), actor)
    edit(laptop, actor, C, {"KNA1-NAME2": "离线丙"}, cust)  # must not reach the server's C
    # Meanwhile on the server: A blocked, B deleted, C created by someone else.
    with pg.owner.begin() as conn:
        conn.execute(
            text("UPDATE kna1 SET sperr = true, version = version + 1 WHERE kunnr = :k"), {"k": A}
        )
        for table in ("knvp", "knvi", "knvv", "knb1", "knbk", "kna1"):
            conn.execute(text(f"DELETE FROM {table} WHERE kunnr = :k"), {"k": B})
    theirs = create_customer(setup, new_customer(random.Random(6), C), Actor("setup"))

    report = sync(laptop, pg.url("laptop1"))
    assert report.conflicts == 4
    kinds = {c.kunnr: c.kind for c in list_conflicts(laptop)}
    assert kinds == {A: "status", B: "deleted", C: "create"}
    assert get_field(read_customer(setup, A), "KNA1-NAME2") == ""  # not applied
    assert read_customer(setup, C) == theirs.model_copy(update={"version": 1})
    with laptop() as uow:  # the pull brought the server's state
        assert uow.customers.existing([A, B, C]) == {A, C}
    conflicts = {c.kunnr: c for c in list_conflicts(laptop)}
    resolve(laptop, conflicts[A].id, Choice.MINE, server_url=pg.url("laptop1"))
    resolve(laptop, conflicts[B].id, Choice.THEIRS, server_url=pg.url("laptop1"))
    stored = read_customer(setup, A)
    assert get_field(stored, "KNA1-NAME2") == "离线甲" and stored.general.posting_block
    assert [c.kunnr for c in list_conflicts(laptop)] == [C, C]
    with laptop() as uow:
        assert uow.session.scalar(select(func.count()).select_from(OfflineConflict)) == 2


def test_a_block_whose_reservation_answer_was_lost_is_adopted(pg: Server, tmp_path: Path) -> None:
    laptop = open_replica(checkout(pg.url("laptop1"), tmp_path / "l.sqlite", block_size=2).path)
    pg.engines.append(laptop.engine)
    server = pg.factory("laptop1")
    with server(write=True) as uow:  # reserved on the server; the laptop never heard of it
        lost = uow.numbers.reserve_block("05", laptop.device, 2, uow.now(), pg.users["laptop1"])
        first = int(lost.first_number)
        uow.commit()
    actor = replica_actor(laptop)
    rng = random.Random(9)
    made = [create_customer(laptop, new_customer(rng, group="1610"), actor) for _ in range(2)]
    sync(laptop, pg.url("laptop1"))
    made += [create_customer(laptop, new_customer(rng, group="1610"), actor) for _ in range(2)]
    numbers = sorted(int(c.general.number) for c in made)
    assert first in numbers and first + 1 in numbers  # the adopted block, used
    assert len(set(numbers)) == 4


def test_an_offline_extension_is_applied_unless_the_server_extended_first(
    pg: Server, tmp_path: Path
) -> None:
    setup = _seed(pg, A, B)
    laptop = open_replica(checkout(pg.url("laptop1"), tmp_path / "l.sqlite").path)
    pg.engines.append(laptop.engine)
    actor = replica_actor(laptop)

    def f015(number: str) -> CompanyCodeData:
        code = read_customer(setup, number).company_codes[0].model_copy(deep=True)
        code.company_code = "F015"
        return code

    extend_customer(laptop, A, actor, company_codes=[f015(A)])
    extend_customer(laptop, B, actor, company_codes=[f015(B)])
    extend_customer(setup, B, Actor("setup"), company_codes=[f015(B)])  # the server first
    with laptop() as uow:
        assert list(uow.session.scalars(select(OutboxRow.activity))) == ["extend", "extend"]

    report = sync(laptop, pg.url("laptop1"))
    assert report.conflicts == 1
    assert [c.company_code for c in read_customer(setup, A).company_codes] == ["F011", "F015"]
    [conflict] = list_conflicts(laptop)
    assert (conflict.kunnr, conflict.kind) == (B, "refused") and "F015" in conflict.message
    assert read_customer(laptop, A) == read_customer(setup, A)


def test_one_batch_applies_in_order_and_a_refused_operation_goes_alone(
    pg: Server, tmp_path: Path
) -> None:
    """Four operations in one server transaction: two on A (the second sees the first), an
    extension of B the server refuses (it extended B first), one on C. The refusal takes
    back nothing of the others; each operation has its offline_op row and those that
    applied something one change document each."""
    setup = _seed(pg, A, B, C)
    laptop = open_replica(checkout(pg.url("laptop1"), tmp_path / "l.sqlite").path)
    pg.engines.append(laptop.engine)
    actor = replica_actor(laptop)
    with laptop() as uow:
        cust = uow.customizing.load()
    code = read_customer(setup, B).company_codes[0].model_copy(deep=True)
    code.company_code = "F015"
    edit(laptop, actor, A, {"KNA1-NAME2": "甲一"}, cust)
    extend_customer(laptop, B, actor, company_codes=[code])
    edit(laptop, actor, A, {"KNA1-NAME2": "甲二", "KNA1-NAME3": "甲三"}, cust)
    edit(laptop, actor, C, {"KNA1-NAME2": "丙"}, cust)
    extend_customer(setup, B, Actor("setup"), company_codes=[code])  # the server first
    before = {n: _documents(pg, n) for n in (A, B, C)}

    report = sync(laptop, pg.url("laptop1"))
    assert (report.pushed, report.conflicts) == (4, 1)
    [conflict] = list_conflicts(laptop)
    assert (conflict.kunnr, conflict.kind) == (B, "refused")
    stored = read_customer(setup, A)
    assert (get_field(stored, "KNA1-NAME2"), get_field(stored, "KNA1-NAME3")) == ("甲二", "甲三")
    assert get_field(read_customer(setup, C), "KNA1-NAME2") == "丙"
    after = {n: _documents(pg, n) for n in (A, B, C)}
    assert {n: after[n] - before[n] for n in after} == {A: 2, B: 0, C: 1}
    with pg.owner.connect() as conn:
        seqs = conn.scalars(
            select(OfflineOperation.seq)
            .where(OfflineOperation.device == laptop.device)
            .order_by(OfflineOperation.seq)
        ).all()
    assert len(seqs) == 4
    with laptop() as uow:
        assert uow.session.scalar(select(func.count()).select_from(OutboxRow)) == 0


def test_the_replica_file_keeps_no_password(pg: Server, tmp_path: Path) -> None:
    url = pg.url("laptop1")
    assert PASSWORD in url or quote(PASSWORD) in url
    result = checkout(url, tmp_path / "l.sqlite")
    laptop = open_replica(result.path)
    pg.engines.append(laptop.engine)
    with laptop() as uow:
        server = uow.meta.get("server")
    assert pg.users["laptop1"] in server and "@" in server
    sync(laptop, url)  # the same server, named with its password
    laptop.engine.dispose()
    content = result.path.read_bytes()
    for secret in (PASSWORD, quote(PASSWORD)):
        assert secret.encode() not in content


def test_take_mine_creates_an_offline_customer_the_duplicate_check_held_back(
    pg: Server, tmp_path: Path
) -> None:
    """An offline create that the server's duplicate check flags (a similar customer was
    created there meanwhile) is held back with the later offline change of it; take mine
    creates it as the laptop left it, under its number from the device's block, similar
    customers accepted; take mine on a create whose external number was taken is refused,
    the conflict kept."""
    setup = _seed(pg, A)
    laptop = open_replica(checkout(pg.url("laptop1"), tmp_path / "l.sqlite").path)
    pg.engines.append(laptop.engine)
    actor = replica_actor(laptop)
    with laptop() as uow:
        cust = uow.customizing.load()
    mine = create_customer(laptop, new_customer(random.Random(5), group="1610"), actor)
    number = mine.general.number
    edit(laptop, actor, number, {"KNA1-NAME2": "离线丙"}, cust)
    create_customer(laptop, new_customer(random.Random(7), C), actor)  # external number
    # Meanwhile on the server: a customer like the laptop's, and another C.
    similar = create_customer(setup, new_customer(random.Random(5), group="1610"), Actor("setup"))
    assert similar.general.number != number
    create_customer(setup, new_customer(random.Random(6), C), Actor("setup"))

    sync(laptop, pg.url("laptop1"))
    held = [c for c in list_conflicts(laptop) if c.kunnr == number]
    assert [c.kind for c in held] == ["create", "create"]
    assert similar.general.number in held[0].message
    with laptop() as uow:  # the pull dropped it: the server does not know it
        assert uow.customers.existing([number]) == set()

    resolve(laptop, held[0].id, Choice.MINE, server_url=pg.url("laptop1"))
    created = read_customer(setup, number)
    assert created.general.name == mine.general.name
    assert get_field(created, "KNA1-NAME2") == "离线丙"  # the later change came along
    assert [c.kunnr for c in list_conflicts(laptop)] == [C]
    assert read_customer(laptop, number) == created
    with pg.owner.connect() as conn:
        origin, tcode = conn.execute(
            select(ChangeHeader.origin, ChangeHeader.tcode).where(ChangeHeader.objectid == number)
        ).one()
    assert tcode == "OFFLINE" and laptop.device in origin

    [taken] = list_conflicts(laptop)
    try:
        resolve(laptop, taken.id, Choice.MINE, server_url=pg.url("laptop1"))
    except DomainError as refused:
        assert "已存在" in refused.problems[0].message.zh
    else:
        raise AssertionError("an external number taken on the server was created again")
    assert [c.kunnr for c in list_conflicts(laptop)] == [C]
