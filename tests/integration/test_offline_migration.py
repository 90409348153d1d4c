"""Migration 0019 (offline laptops): on PostgreSQL the customers already stored enter the
change feed, and every later change of a customer moves its row to the changing transaction;
the migration goes down and up again on both databases."""

from __future__ import annotations

import random

from alembic import command
from sqlalchemy import inspect, select, text

from custmd_gui.persistence import migrate
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.tables import ChangeFeed
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.services.customizing import upgrade_database
from tests.integration.offline_support import new_customer


def test_the_feed_holds_old_and_new_customers_and_the_migration_goes_down(
    empty_url: str,
) -> None:
    engine = make_engine(empty_url)
    try:
        upgrade_database(engine)
        factory = UnitOfWorkFactory(engine)
        cfg = migrate.alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0018")
        assert not inspect(engine).has_table("change_feed")
        create_customer(factory, new_customer(random.Random(1), "2110380001"), Actor("setup"))
        migrate.upgrade(engine)
        create_customer(factory, new_customer(random.Random(2), "2110380002"), Actor("setup"))
        with engine.connect() as conn:
            feed = {k: x for k, x in conn.execute(select(ChangeFeed.kunnr, ChangeFeed.xid))}
        if engine.dialect.name != "postgresql":
            assert feed == {}  # a local file has no server to sync with
            return
        assert set(feed) == {"2110380001", "2110380002"}
        assert feed["2110380001"] < feed["2110380002"]
        with engine.begin() as conn:
            conn.execute(text("UPDATE kna1 SET name2 = 'x' WHERE kunnr = '2110380001'"))
            mine = conn.scalar(text("SELECT pg_current_xact_id()::text::bigint"))
        with engine.connect() as conn:
            moved = conn.scalar(select(ChangeFeed.xid).where(ChangeFeed.kunnr == "2110380001"))
        assert moved == mine
    finally:
        engine.dispose()
