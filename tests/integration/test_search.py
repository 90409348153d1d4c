"""The customer search of the list (services.search) on SQLite and PostgreSQL: every query
class, the filters, keyset paging, and the index kept right on create, extend and reindex."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, select, update

from custmd_gui.domain import search_terms as st
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.model import Customer
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import migrate, tables
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, extend_customer, read_customer
from custmd_gui.services.search import (
    CustomerQuery,
    Either,
    reindex,
    reindex_stored,
    search,
    search_help,
)
from tests.conftest import example_document
from tests.integration.old_schema import as_stored

ACTOR = Actor("zhangsan", origin="local")
USCC = "91310000631696382C"

DONGNING = "2110380001"  # 东宁广告有限公司, 上海, 021-5555 1234, USCC, F011
HUAXIN = "2110380002"  # 华信电子科技有限公司, 北京, blocked
CHONGQING = "2110380003"  # 重庆长安汽车配件有限公司, 重庆, mobile
SH_DONGNING = "2110110001"  # 上海东宁广告有限公司 (other office: another number prefix)
DELETED = "2110380004"  # 东方宁海贸易有限公司, flagged for deletion


def _customer(number: str, name: str, **kna1: Any) -> Customer:
    """The example customer under another number and name (same org data, so it validates)."""
    doc = example_document()
    doc["KNA1"].update({"KUNNR": number, "NAME1": name, "NAME2": "", "NAME3": name, **kna1})
    office = {"038": "1038", "011": "1011", "012": "1012"}[number[3:6]]
    doc["KNVV"][0].update({"VKBUR": office, "VKGRP": office[-3:]})
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = number
    return from_document(doc)


@pytest.fixture
def customers(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    for customer in (
        _customer(
            DONGNING,
            "东宁广告有限公司",
            NAME2="Dong ning Advertise co.",
            SORTL="东宁广告",
            TELF1="021-5555 1234",
            TELFX="021-5555 9876",
            STCD5=USCC,
            STCD1="310115-631696382",
        ),
        _customer(
            HUAXIN,
            "华信电子科技有限公司",
            SORTL="HUAXIN",
            ORT01="北京",
            REGIO="010",
            PSTLZ="100020",
            TELF1="010-6666 5678",
            AUFSD="01",
        ),
        _customer(
            CHONGQING,
            "重庆长安汽车配件有限公司",
            SORTL="长安汽配",
            ORT01="重庆市",
            REGIO="320",
            PSTLZ="400010",
            TELF1="+86 13912340088",
        ),
        _customer(SH_DONGNING, "上海东宁广告有限公司", SORTL="上海东宁", TELF1="021-7777 4321"),
        _customer(DELETED, "东方宁海贸易有限公司", SORTL="东方宁海", LOEVM="X"),
    ):
        create_customer(uow_factory, customer, ACTOR)
    return uow_factory


def _numbers(factory: UnitOfWorkFactory, text: str = "", **filters: Any) -> list[str]:
    with factory() as uow:
        page = search(uow, CustomerQuery(text, **filters), limit=100)
    assert not page.more
    return [r.number for r in page.rows]


QUERY_CLASSES: list[tuple[str, list[str]]] = [
    # number prefix
    ("2110380", [DONGNING, HUAXIN, CHONGQING, DELETED]),
    ("211011", [SH_DONGNING]),
    ("2110380003", [CHONGQING]),
    # one, two, three and more characters of the name, anywhere in it
    ("宁", [DONGNING, SH_DONGNING, DELETED]),
    ("东宁", [DONGNING, SH_DONGNING]),
    ("宁广告", [DONGNING, SH_DONGNING]),
    ("海东宁广告", [SH_DONGNING]),
    ("汽车配件", [CHONGQING]),
    ("电子科技有限", [HUAXIN]),
    ("东宁告", []),  # the characters, but not together
    ("宁东", []),
    # full-width, case, NAME2 in Latin letters
    ("ＤＯＮＧ", [DONGNING]),
    ("advertise", [DONGNING]),
    # search term
    ("huaxin", [HUAXIN]),
    ("长安汽配", [CHONGQING]),
    # pinyin initials: of the name from its start, or of the name without city
    ("dngg", [DONGNING, SH_DONGNING]),
    ("dnggyxgs", [DONGNING]),
    ("shdngg", [SH_DONGNING]),
    ("DNGG", [DONGNING, SH_DONGNING]),
    ("hxdzkj", [HUAXIN]),
    ("cqca", [CHONGQING]),
    ("zqca", [CHONGQING]),  # 重 read zhong
    ("caqcpj", [CHONGQING]),  # the name without its city
    ("cqcaqcpjyxgs", [CHONGQING]),  # longer than the stored prefixes: checked whole
    ("cqcaqcpjyxgz", []),
    ("gg", []),  # initials count from the start of the name or its brand
    # city
    ("上海", [DONGNING, SH_DONGNING, DELETED]),
    ("上海市", [DONGNING, SH_DONGNING, DELETED]),
    ("北京", [HUAXIN]),
    ("重庆", [CHONGQING]),  # the city 重庆市, and the name
    # postal code
    ("100020", [HUAXIN]),
    ("400010", [CHONGQING]),
    # telephone and fax: full, international, local number, last four digits
    ("02155551234", [DONGNING]),
    ("+86 21 5555 1234", [DONGNING]),
    ("021-5555 1234", [DONGNING]),
    ("55551234", [DONGNING]),
    ("1234", [DONGNING]),
    ("9876", [DONGNING]),
    ("13912340088", [CHONGQING]),
    ("0088", [CHONGQING]),
    ("5555", []),  # not the end of the number
    # tax number, USCC
    (USCC, [DONGNING]),
    (USCC.lower(), [DONGNING]),
    ("310115631696382", [DONGNING]),
    ("310115-631696382", [DONGNING]),
    ("91310000631696382", []),
    # several words: all must match
    ("东宁 上海", [DONGNING, SH_DONGNING]),
    ("东宁 211011", [SH_DONGNING]),
    ("宁 北京", []),
    # nothing
    ("无此客户", []),
    ("...", []),
]


def test_query_classes(customers: UnitOfWorkFactory) -> None:
    """Every case on one database (five customers made once); all mismatches reported."""
    found = {text: _numbers(customers, text) for text, _ in QUERY_CLASSES}
    wrong = {
        text: (found[text], sorted(expected))  # in number order
        for text, expected in QUERY_CLASSES
        if found[text] != sorted(expected)
    }
    assert wrong == {}


def test_no_text_lists_every_customer_in_number_order(customers: UnitOfWorkFactory) -> None:
    assert _numbers(customers) == sorted([DONGNING, HUAXIN, CHONGQING, SH_DONGNING, DELETED])
    assert _numbers(customers, "   ") == _numbers(customers)


def test_rows_carry_what_the_list_shows(customers: UnitOfWorkFactory) -> None:
    with customers() as uow:
        rows = search(uow, CustomerQuery("华信")).rows
    assert len(rows) == 1
    row = rows[0]
    assert (row.number, row.name, row.search_term, row.city, row.account_group) == (
        HUAXIN,
        "华信电子科技有限公司",
        "HUAXIN",
        "北京",
        "1110",
    )
    assert row.telephone == "010-6666 5678"
    assert row.blocked and not row.deletion_flag


def test_filters(customers: UnitOfWorkFactory) -> None:
    everyone = [DONGNING, HUAXIN, CHONGQING, DELETED, SH_DONGNING]
    assert _numbers(customers, blocked=Either.YES) == [HUAXIN]
    assert _numbers(customers, blocked=Either.NO) == sorted(set(everyone) - {HUAXIN})
    assert _numbers(customers, deletion_flag=Either.YES) == [DELETED]
    assert _numbers(customers, "东", deletion_flag=Either.NO) == [SH_DONGNING, DONGNING]
    assert _numbers(customers, account_group="1110") == sorted(everyone)
    assert _numbers(customers, account_group="1210") == []
    assert _numbers(customers, company_code="f011") == sorted(everyone)
    assert _numbers(customers, company_code="F001") == []
    assert _numbers(customers, sales_area="F011/10/01") == sorted(everyone)
    assert _numbers(customers, sales_area="F011/20/01") == []
    assert _numbers(customers, "上海", blocked=Either.NO, deletion_flag=Either.NO) == [
        SH_DONGNING,
        DONGNING,
    ]
    with pytest.raises(DomainError) as err:
        _numbers(customers, sales_area="F011/10")
    assert err.value.problems[0].field_key == "KNVV-VKORG"


def _extend_to_head_office(factory: UnitOfWorkFactory, number: str) -> None:
    """Document SD02's extension of an F011 customer to company code F001 and F001/40/01."""
    stored = read_customer(factory, number)
    code = stored.company_codes[0].model_copy(deep=True, update={"company_code": "F001"})
    area = stored.sales_areas[0].model_copy(
        deep=True,
        update={
            "sales_org": "F001",
            "distribution_channel": "40",
            "sales_office": "1020",
            "sales_group": "020",
            "shipping_conditions": "20",
            "delivering_plant": "FW00",
        },
    )
    area.partners = []
    extend_customer(factory, number, ACTOR, company_codes=[code], sales_areas=[area])


def test_an_extension_is_found_under_its_new_company_code_and_sales_area(
    customers: UnitOfWorkFactory,
) -> None:
    _extend_to_head_office(customers, CHONGQING)
    assert _numbers(customers, company_code="F001") == [CHONGQING]
    assert _numbers(customers, sales_area="f001/40/01") == [CHONGQING]
    assert _numbers(customers, "重庆", company_code="F001", sales_area="F011/10/01") == [CHONGQING]
    assert _numbers(customers, "东宁", company_code="F001") == []


def test_keyset_paging(uow_factory: UnitOfWorkFactory) -> None:
    numbers = [f"21103800{i:02d}" for i in range(1, 12)]
    for i, number in enumerate(numbers):
        create_customer(
            uow_factory, _customer(number, f"鑫泰{'一二三四五六七八九十甲'[i]}科技有限公司"), ACTOR
        )
    create_customer(uow_factory, _customer("2110380099", "华信贸易有限公司"), ACTOR)
    query = CustomerQuery("科技")
    pages: list[list[str]] = []
    after = ""
    with uow_factory() as uow:
        while True:
            page = search(uow, query, after, limit=4)
            pages.append([r.number for r in page.rows])
            if not page.more:
                break
            after = page.next_after
        assert pages == [numbers[0:4], numbers[4:8], numbers[8:11]]
        # A page that ends exactly at the last hit says so without another query.
        assert search(uow, query, numbers[6], limit=4).more is False
        assert search(uow, query, numbers[5], limit=4).more is True
        # Jumping to a number: from it on (inclusive), or after it.
        jumped = search(uow, query, numbers[5], limit=2, inclusive=True)
        assert [r.number for r in jumped.rows] == numbers[5:7] and jumped.more
        assert [r.number for r in search(uow, query, numbers[5], limit=2).rows] == numbers[6:8]
        assert search(uow, query, "2110380099").rows == []
        # The whole list pages the same way.
        first = search(uow, CustomerQuery(), limit=5)
        second = search(uow, CustomerQuery(), first.next_after, limit=10)
        assert [r.number for r in first.rows + second.rows] == [*numbers, "2110380099"]
        assert first.more and not second.more
    with pytest.raises(ValueError, match="limit"), uow_factory() as uow:
        search(uow, query, limit=0)


def test_the_index_holds_what_the_stored_customer_makes(customers: UnitOfWorkFactory) -> None:
    _extend_to_head_office(customers, DONGNING)
    with customers() as uow:
        for number in (DONGNING, HUAXIN, CHONGQING, SH_DONGNING, DELETED):
            stored = uow.customers.get(number)
            assert stored is not None
            assert uow.find.tokens(number) == st.customer_tokens(st.indexed(stored)), number


def test_reindex_after_a_change(customers: UnitOfWorkFactory) -> None:
    """What the change service will do: write the new values, then reindex in the same
    transaction; the old name, telephone and block are no longer found, the new ones are."""
    with customers(write=True) as uow:
        uow.session.execute(
            update(tables.Kna1)
            .where(tables.Kna1.kunnr == HUAXIN)
            .values(
                name1="华信通信设备有限公司",
                name3="华信通信设备有限公司",
                telf1="010-8888 0001",
                aufsd="",
            )
        )
        stored = uow.customers.get(HUAXIN)
        assert stored is not None
        reindex(uow, stored)
        uow.commit()
    assert _numbers(customers, "电子") == []
    assert _numbers(customers, "通信设备") == [HUAXIN]
    assert _numbers(customers, "hxtx") == [HUAXIN]
    assert _numbers(customers, "5678") == []
    assert _numbers(customers, "0001") == [HUAXIN]
    assert _numbers(customers, blocked=Either.YES) == []
    with customers(write=True) as uow:
        assert reindex_stored(uow, HUAXIN)
        assert not reindex_stored(uow, "2110389999")
        uow.commit()
    assert _numbers(customers, "通信") == [HUAXIN]


def test_a_deferred_reindex_writes_what_reindex_writes(customers: UnitOfWorkFactory) -> None:
    """Kept back (the offline push's batches) and written as the difference to what is
    stored, the tokens come out as a reindex of each makes them, a stray row gone too."""
    from custmd_gui.persistence.search_index import general_tokens
    from custmd_gui.services.search import write_deferred_index

    with customers(write=True) as uow:
        uow.session.execute(
            update(tables.Kna1)
            .where(tables.Kna1.kunnr == HUAXIN)
            .values(
                name1="华信通信设备有限公司", name3="华信通信设备有限公司", telf1="010-8888 0001"
            )
        )
        uow.session.add(tables.Kna1Find(kind="w", token="陈旧", kunnr=CHONGQING))
        uow.session.flush()
        uow.deferred_index = {}
        before = uow.find.tokens(HUAXIN)
        for number in (HUAXIN, CHONGQING):
            stored = uow.customers.get(number)
            assert stored is not None
            reindex(uow, stored)
        assert uow.find.tokens(HUAXIN) == before  # kept back, not yet written
        write_deferred_index(uow)
        assert uow.deferred_index == {}
        for number in (HUAXIN, CHONGQING):
            stored = uow.customers.get(number)
            assert stored is not None
            assert uow.find.tokens(number) == st.customer_tokens(st.indexed(stored)), number
            searched = uow.session.execute(
                select(tables.Kna1Search.kind, tables.Kna1Search.token).where(
                    tables.Kna1Search.kunnr == number
                )
            ).all()
            assert sorted(searched) == sorted(general_tokens(stored.general)), number
        uow.commit()
    assert _numbers(customers, "电子") == []
    assert _numbers(customers, "通信设备") == [HUAXIN]


def test_a_deferred_reindex_from_the_stored_state_writes_the_difference(
    customers: UnitOfWorkFactory,
) -> None:
    """With the stored state of a customer known (the offline push read it for update), the
    list's index is not read first: the difference of the two states is written, and comes
    out as a reindex makes it. A row of the new state already there is skipped, not refused
    (an index that was not quite its customer's does not stop the batch)."""
    from custmd_gui.services.search import write_deferred_index

    with customers(write=True) as uow:
        before = uow.customers.get(HUAXIN)
        assert before is not None
        uow.session.execute(
            update(tables.Kna1)
            .where(tables.Kna1.kunnr == HUAXIN)
            .values(name1="华信通信设备有限公司", name3="华信通信设备有限公司")
        )
        after = uow.customers.get(HUAXIN)
        assert after is not None
        old, new = (st.customer_tokens(st.indexed(c)) for c in (before, after))
        assert old - new and new - old
        kind, token = sorted(new - old)[0]
        uow.session.add(tables.Kna1Find(kind=kind, token=token, kunnr=HUAXIN))
        uow.session.flush()
        uow.deferred_index = {}
        uow.indexed = {HUAXIN: before}
        reindex(uow, after)
        write_deferred_index(uow)
        assert uow.find.tokens(HUAXIN) == new
        assert uow.indexed[HUAXIN] is after  # what the index holds now
        uow.commit()
    assert _numbers(customers, "电子") == []
    assert _numbers(customers, "通信设备") == [HUAXIN]


def test_the_duplicate_check_follows_a_reindex(customers: UnitOfWorkFactory) -> None:
    from custmd_gui.services.duplicates import find_duplicates

    new = from_document(
        {"KNA1": {"KTOKD": "1310", "NAME1": "华信通信设备有限公司", "ORT01": "北京"}}
    )
    assert find_duplicates(customers, new) == []
    with customers(write=True) as uow:
        uow.session.execute(
            update(tables.Kna1)
            .where(tables.Kna1.kunnr == HUAXIN)
            .values(name1="华信通信设备有限公司")
        )
        assert reindex_stored(uow, HUAXIN)
        uow.commit()
    assert [h.number for h in find_duplicates(customers, new)] == [HUAXIN]


def test_f4_search_help_uses_the_search(customers: UnitOfWorkFactory) -> None:
    assert [r.number for r in search_help(customers, "dngg")] == [SH_DONGNING, DONGNING]
    assert [r.number for r in search_help(customers, "", 2)] == [SH_DONGNING, DONGNING]


def test_heteronyms_and_readings() -> None:
    assert st.initials_variants("重庆") == ["cq", "zq"]
    assert st.initials_variants("厦门") == ["xm", "sm"]
    assert st.initials_variants("东宁广告有限公司") == ["dnggyxgs"]
    # A name with several: the phrase reading first, then one character otherwise, capped.
    variants = st.initials_variants("重庆长安银行")
    assert variants[0] == "cqcayh"
    assert {"zqcayh", "cqzayh", "cqcayx"} <= set(variants)
    assert len(variants) == st.MAX_INITIALS_VARIANTS
    assert st.initials_variants("3M中国") == ["3mzg"]
    assert st.name_initials("上海东宁广告有限公司") == ["shdnggyxgs", "dngg"]


# --- the migration indexes customers stored before it -------------------------------------------


def test_upgrade_indexes_existing_customers_and_downgrade_drops_the_table(
    empty_url: str,
) -> None:
    engine: Engine = make_engine(empty_url)
    try:
        migrate.upgrade(engine, "0002")
        from datetime import UTC, datetime
        from uuid import uuid4

        with engine.begin() as conn:
            kna1, knb1, knvv = (  # the tables at 0002
                as_stored(conn, t)
                for t in (tables.Kna1.__table__, tables.Knb1.__table__, tables.Knvv.__table__)
            )
            for number, name, city in (
                ("2110380001", "东宁广告有限公司", "上海"),
                ("2110380002", "重庆长安汽车有限公司", "重庆"),
            ):
                conn.execute(
                    kna1.insert(),
                    {
                        "id": uuid4(),
                        "kunnr": number,
                        "ktokd": "1110",
                        "name1": name,
                        "ort01": city,
                        "telf1": "021-5555 1234" if number.endswith("1") else "",
                        "aufsd": "01" if number.endswith("2") else "",
                        "version": 1,
                        "created_at": datetime.now(UTC),
                    },
                )
            conn.execute(knb1.insert(), {"id": uuid4(), "kunnr": "2110380002", "bukrs": "F015"})
            conn.execute(
                knvv.insert(),
                {
                    "id": uuid4(),
                    "kunnr": "2110380002",
                    "vkorg": "F015",
                    "vtweg": "20",
                    "spart": "02",
                },
            )
        migrate.upgrade(engine)
        factory = UnitOfWorkFactory(engine)
        assert _numbers(factory, "dngg") == ["2110380001"]
        assert _numbers(factory, "zqca") == ["2110380002"]
        assert _numbers(factory, "1234") == ["2110380001"]
        assert _numbers(factory, company_code="F015", sales_area="F015/20/02") == ["2110380002"]
        assert _numbers(factory, blocked=Either.YES) == ["2110380002"]
        migrate.upgrade(engine, "head")  # nothing left to do
        from alembic import command

        cfg = migrate.alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0002")
        with engine.connect() as conn:
            from sqlalchemy import inspect

            assert "kna1_find" not in inspect(conn).get_table_names()
            assert conn.scalar(select(tables.Kna1.kunnr).limit(1)) == "2110380001"
    finally:
        engine.dispose()
