"""New screens see customizing changes without a restart; another client notices within its
check interval (issue 21), on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine

from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.customizing_cache import CHECK_INTERVAL, CustomizingCache
from custmd_gui.services.customizing_maintenance import CodeEntry, save_code

ADMIN = Actor("admin_wang")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_another_client_sees_a_new_code_within_its_interval(engine: Engine, db_url: str) -> None:
    assert CHECK_INTERVAL <= 60  # "other clients notice within a minute"
    other_engine = make_engine(db_url)  # a second client: its own engine and connections
    try:
        clock = Clock()
        theirs = CustomizingCache(UnitOfWorkFactory(other_engine), interval=30, clock=clock)
        assert not theirs.current().has("payment_terms", "Z099")
        save_code(
            UnitOfWorkFactory(engine), ADMIN, "payment_terms", CodeEntry("Z099", "99天", "99")
        )
        clock.now += 29
        assert not theirs.current().has("payment_terms", "Z099")  # not asked yet
        clock.now += 1
        assert theirs.current().has("payment_terms", "Z099")
        assert theirs.loads == 2
        # Unchanged: the next checks read the counter only.
        clock.now += 60
        theirs.current()
        assert theirs.loads == 2
    finally:
        other_engine.dispose()


def test_the_maintaining_client_refreshes_at_once(uow_factory: UnitOfWorkFactory) -> None:
    cache = CustomizingCache(uow_factory, clock=Clock())
    before = cache.version
    cache.current()
    save_code(uow_factory, ADMIN, "incoterms", CodeEntry("CIF", "到岸价", "CIF"))
    cust = cache.refresh()
    value = cust.value("incoterms", "CIF")
    assert value is not None and value.text.zh == "到岸价"
    assert cache.version > before
