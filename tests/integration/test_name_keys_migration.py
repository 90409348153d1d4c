"""Migration 0015: the duplicate check's name keys of existing customers made anew (traditional
characters, bracketed qualifiers), on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine, insert, select

from custmd_gui.domain import names
from custmd_gui.domain import search_terms as st
from custmd_gui.persistence import migrate, tables
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.search_index import token_rows
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.duplicates import find_duplicates
from tests.integration.old_schema import as_stored
from tests.integration.test_duplicates import _kna1_row, _new

S = tables.Kna1Search.__table__
F = tables.Kna1Find.__table__
# (number, NAME1, the key an older version stored)
CUSTOMERS = (
    ("2110380001", "上海东宁广告有限公司（总部）", "东宁广告有限公司总部"),
    ("2110380002", "廈門航空有限公司", "廈門航空"),
    ("2110380003", "华为技术有限公司", "华为技术"),  # made the same way now: left alone
)
NAME_KINDS = (names.NAME_KEY, names.NAME_BIGRAM)
INITIALS_KINDS = (st.INITIALS, st.INITIALS_TEXT)


def _tokens(
    engine: Engine, number: str, table: str, kinds: tuple[str, ...]
) -> set[tuple[str, str]]:
    t = S if table == "search" else F
    with engine.connect() as conn:
        return {
            (kind, token)
            for kind, token in conn.execute(
                select(t.c.kind, t.c.token).where(t.c.kunnr == number, t.c.kind.in_(kinds))
            )
        }


def _store_old_keys(engine: Engine) -> None:
    """The customers at 0014, their name tokens as the older version made them."""
    with engine.begin() as conn:
        # kna1 as it is at 0014: columns added by later migrations are not there yet.
        kna1 = as_stored(conn, tables.Kna1.__table__)
        for number, name, old in CUSTOMERS:
            conn.execute(kna1.insert(), _kna1_row(number, name))
            old_tokens = {(names.NAME_KEY, old)} | {
                (names.NAME_BIGRAM, t) for t in names.name_tokens(old)
            }
            conn.execute(insert(S), token_rows(number, old_tokens))
            initials = st.initials_tokens(st.name_initials(name))
            if number != "2110380003":
                initials = {(st.INITIALS, "old")}  # as if made from the old key
            conn.execute(insert(F), [{"kind": k, "token": t, "kunnr": number} for k, t in initials])
            # a token of another kind, which the migration must not touch
            conn.execute(insert(F), [{"kind": st.CHAR, "token": name[0], "kunnr": number}])


def test_upgrade_makes_the_changed_keys_anew(empty_url: str) -> None:
    engine = make_engine(empty_url)
    try:
        migrate.upgrade(engine, "0014")
        _store_old_keys(engine)
        factory = UnitOfWorkFactory(engine)
        assert find_duplicates(factory, _new("上海东宁广告有限公司")) == []
        assert find_duplicates(factory, _new("厦门航空有限公司")) == []
        before = _tokens(engine, "2110380003", "search", NAME_KINDS)

        migrate.upgrade(engine)

        assert migrate.current_revision(engine) == migrate.SCHEMA_HEAD
        for number, name, _old in CUSTOMERS:
            assert _tokens(engine, number, "search", NAME_KINDS) == names.search_tokens(name)
            assert _tokens(engine, number, "find", INITIALS_KINDS) == st.initials_tokens(
                st.name_initials(name)
            )
            assert _tokens(engine, number, "find", (st.CHAR,)) == {(st.CHAR, name[0])}
        assert _tokens(engine, "2110380003", "search", NAME_KINDS) == before
        hits = find_duplicates(factory, _new("上海东宁广告有限公司"))
        assert [h.number for h in hits] == ["2110380001"]
        hits = find_duplicates(factory, _new("厦门航空有限公司"))
        assert [h.number for h in hits] == ["2110380002"]
    finally:
        engine.dispose()
