"""A customer the push leaves on the server as the replica holds it is not copied back by the
pull (services.offline_mirror): only its version and time of change are. Whatever the sync
copied or kept, the replica then holds, row for row, what a new checkout of the server holds
(the rows' surrogate ids aside: the search index rows the two wrote each for themselves)."""

from __future__ import annotations

import random
from pathlib import Path

from sqlalchemy import text

from custmd_gui.persistence import replica_copy
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.auth import server_actor
from custmd_gui.services.create import read_customer
from custmd_gui.services.offline_checkout import checkout, open_replica, replica_actor
from custmd_gui.services.offline_sync import sync
from tests.integration.offline_support import Server, edit, pg, seed

__all__ = ["pg"]  # the fixture

NUMBERS = [str(2110380201 + i) for i in range(5)]
CLEAN, TWICE, SERVER_TOO, CONFLICT, SERVER_ONLY = NUMBERS


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every customer table's rows without their surrogate id, sorted."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            out: dict[str, list[tuple[object, ...]]] = {}
            for name in replica_copy.CUSTOMER_TABLES:
                columns = [
                    c[1] for c in conn.exec_driver_sql(f"PRAGMA table_info({name})") if c[1] != "id"
                ]
                rows = conn.execute(text(f"SELECT {', '.join(columns)} FROM {name}")).all()
                out[name] = sorted((tuple(r) for r in rows), key=repr)
            return out
    finally:
        engine.dispose()


def test_pushed_customers_are_not_copied_back_and_the_replica_holds_the_servers_rows(
    pg: Server, tmp_path: Path
) -> None:
    cust = seed(pg, NUMBERS, random.Random(11))
    setup = UnitOfWorkFactory(pg.owner)
    path = checkout(pg.url("laptop1"), tmp_path / "l1.sqlite").path
    laptop = open_replica(path)
    pg.engines.append(laptop.engine)
    me = replica_actor(laptop)
    office = pg.factory("office")
    them = server_actor(office, pg.url("office"))
    assert them is not None

    edit(laptop, me, CLEAN, {"KNA1-NAME2": "离线一", "KNBK-KOINH": "离线户名"}, cust)
    edit(laptop, me, TWICE, {"KNA1-NAME2": "离线二"}, cust)
    edit(laptop, me, TWICE, {"KNA1-NAME4": "离线二又", "KNVV-INCO2": "离线地点"}, cust)
    edit(laptop, me, SERVER_TOO, {"KNA1-NAME3": "离线三"}, cust)
    edit(office, them, SERVER_TOO, {"KNA1-ORT01": "办公室城市"}, cust)  # another field
    edit(laptop, me, CONFLICT, {"KNA1-NAME2": "离线四"}, cust)
    edit(office, them, CONFLICT, {"KNA1-NAME2": "办公室四"}, cust)
    edit(office, them, SERVER_ONLY, {"KNA1-NAME3": "办公室五"}, cust)

    report = sync(laptop, pg.url("laptop1"))
    assert report.conflicts == 1
    # Applied whole onto what the laptop had seen: the server holds the replica's state.
    # SERVER_TOO was changed on the server since, CONFLICT not applied whole.
    assert sorted(report.mirrored) == [CLEAN, TWICE]
    assert report.pulled == 3  # SERVER_TOO, CONFLICT, SERVER_ONLY
    for number in (CLEAN, TWICE, SERVER_TOO, SERVER_ONLY):
        assert read_customer(laptop, number) == read_customer(setup, number), number
    assert _rows(path) == _rows(checkout(pg.url("laptop1"), tmp_path / "new1.sqlite").path)

    # Written on the server after the push: the next pull copies it whole again.
    edit(office, them, CLEAN, {"KNA1-NAME4": "办公室再改"}, cust)
    again = sync(laptop, pg.url("laptop1"))
    assert (again.pushed, again.pulled, again.mirrored) == (0, 1, {})
    assert read_customer(laptop, CLEAN).general.name_4 == "办公室再改"
    assert _rows(path) == _rows(checkout(pg.url("laptop1"), tmp_path / "new2.sqlite").path)
