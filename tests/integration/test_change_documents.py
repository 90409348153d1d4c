"""Change documents of a customer (XD04): who, when, activity, field, segment, old and new."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, delete, text, update

from custmd_gui.domain.errors import DomainError, NotFound
from custmd_gui.domain.sap_document import from_document
from custmd_gui.domain.value_texts import ValueText
from custmd_gui.persistence import tables
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.change import change_customer, open_for_change
from custmd_gui.services.change_documents import (
    ChangeDocumentRow,
    change_documents,
    changed_fields,
    customer_history,
    customer_name,
    filter_records,
)
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.services.locks import release_lock
from custmd_gui.services.status import StatusEdit, change_status
from tests.conftest import example_document

NUMBER = "2110380001"
ZHANG = Actor("zhangsan")
LI = Actor("lisi", origin="laptop-7")
CREATED_AT = datetime(2024, 1, 15, 9, 30, tzinfo=UTC)


@pytest.fixture
def history(uow_factory: UnitOfWorkFactory, engine: Engine) -> str:
    """Created by zhangsan on 2024-01-15; changed twice by lisi today."""
    create_customer(uow_factory, from_document(example_document()), ZHANG)
    with engine.begin() as conn:
        conn.execute(update(tables.ChangeHeader).values(udate=CREATED_AT))
    lock, stored = open_for_change(uow_factory, NUMBER, LI)
    stored.general.name_2 = "Dongning"
    stored.sales_areas[0].partners[0].partner = NUMBER  # unchanged
    stored.sales_areas[0].tax_classifications[0].tax_classification = "0"
    first = change_customer(uow_factory, NUMBER, stored, LI, expected_version=1, lock=lock)
    edited = first.customer.model_copy(deep=True)
    edited.general.name_2 = "Dongning Advertising"
    edited.company_codes[0].payment_terms = "Z030"
    change_customer(uow_factory, NUMBER, edited, LI, expected_version=2, lock=lock)
    release_lock(uow_factory, lock)
    return NUMBER


def test_every_changed_field_with_who_when_and_segment(
    uow_factory: UnitOfWorkFactory, history: str
) -> None:
    rows = change_documents(uow_factory, history)
    created = [r for r in rows if r.activity == "create"]
    changed = [r for r in rows if r.activity == "change"]
    assert {(r.user, r.when, r.tcode, r.origin) for r in created} == {
        ("zhangsan", CREATED_AT, "XD01", "local")
    }
    assert [
        (r.user, r.tcode, r.origin, r.field_key, r.segment, r.row, r.indicator, r.old, r.new)
        for r in changed
    ] == [
        (
            "lisi",
            "XD02",
            "laptop-7",
            "KNA1-NAME2",
            "",
            "",
            "U",
            "Dong ning Advertise co.",
            "Dongning",
        ),
        ("lisi", "XD02", "laptop-7", "KNVI-TAXKD", "F011/10/01", "CN/MWST", "U", "1", "0"),
        ("lisi", "XD02", "laptop-7", "KNA1-NAME2", "", "", "U", "Dongning", "Dongning Advertising"),
        ("lisi", "XD02", "laptop-7", "KNB1-ZTERM", "F011", "", "U", "0001", "Z030"),
    ]
    assert len({r.document for r in changed}) == 2
    first, second = changed[0], changed[2]
    assert first.when <= second.when and first.when.tzinfo is not None
    assert (first.label.zh, first.label.en) == ("名称2", "Name 2")
    assert (changed[1].label.zh, changed[1].label.en) == ("税分类", "Tax classification")
    assert (first.activity_text.zh, first.activity_text.en) == ("更改", "Change")
    # documents oldest first: the create before the changes
    assert rows.index(created[-1]) < rows.index(first)
    # the create document lists the bank details without a segment, by their bank key
    bank = next(r for r in created if r.field_key == "KNBK-BANKN")
    assert (bank.segment, bank.row, bank.old, bank.new) == ("", "CN/F011/1234567", None, "1234567")


def test_filter_by_field(uow_factory: UnitOfWorkFactory, history: str) -> None:
    rows = change_documents(uow_factory, history, field="KNA1-NAME2")
    assert [(r.activity, r.old, r.new) for r in rows] == [
        ("create", None, "Dong ning Advertise co."),
        ("change", "Dong ning Advertise co.", "Dongning"),
        ("change", "Dongning", "Dongning Advertising"),
    ]
    both = change_documents(uow_factory, history, field=["KNB1-ZTERM", "KNVI-TAXKD"])
    assert {(r.field_key, r.activity) for r in both} == {
        ("KNB1-ZTERM", "create"),
        ("KNB1-ZTERM", "change"),
        ("KNVI-TAXKD", "create"),
        ("KNVI-TAXKD", "change"),
    }
    assert change_documents(uow_factory, history, field=[]) == []


def test_filter_by_date_range(uow_factory: UnitOfWorkFactory, history: str) -> None:
    everything = change_documents(uow_factory, history)
    day = CREATED_AT.astimezone().date()  # the create's day in local time
    assert {r.activity for r in change_documents(uow_factory, history, date_to=day)} == {"create"}
    assert {
        r.activity for r in change_documents(uow_factory, history, date_from=day, date_to=day)
    } == {"create"}
    later = change_documents(uow_factory, history, date_from=day + timedelta(days=1))
    assert {r.activity for r in later} == {"change"}
    assert change_documents(uow_factory, history, date_to=date(2023, 12, 31)) == []
    # datetimes are exact and inclusive at both ends
    assert {
        r.activity
        for r in change_documents(uow_factory, history, date_from=CREATED_AT, date_to=CREATED_AT)
    } == {"create"}
    after_create = CREATED_AT + timedelta(microseconds=1)
    assert {r.activity for r in change_documents(uow_factory, history, date_from=after_create)} == {
        "change"
    }
    combined = change_documents(
        uow_factory, history, field="KNA1-NAME2", date_from=day + timedelta(days=1)
    )
    assert [r.new for r in combined] == ["Dongning", "Dongning Advertising"]
    assert len(everything) == len(change_documents(uow_factory, history, date_from=day))


def test_filter_by_activity(uow_factory: UnitOfWorkFactory, history: str) -> None:
    everything = change_documents(uow_factory, history)
    changes = change_documents(uow_factory, history, activity="change")
    assert [r.field_key for r in changes] == [
        "KNA1-NAME2",
        "KNVI-TAXKD",
        "KNA1-NAME2",
        "KNB1-ZTERM",
    ]
    created = change_documents(uow_factory, history, activity="create")
    assert created and {r.activity for r in created} == {"create"}
    assert len(created) + len(changes) == len(everything)
    both = change_documents(uow_factory, history, activity=["create", "change"])
    assert both == everything
    assert change_documents(uow_factory, history, activity="extend") == []
    assert change_documents(uow_factory, history, activity=[]) == []
    combined = change_documents(
        uow_factory, history, activity="create", field="KNA1-NAME2", date_to=date.today()
    )
    assert [(r.activity, r.new) for r in combined] == [("create", "Dong ning Advertise co.")]
    with pytest.raises(DomainError, match="delete"):
        change_documents(uow_factory, history, activity="delete")


def test_customer_name(uow_factory: UnitOfWorkFactory, history: str) -> None:
    assert customer_name(uow_factory, history) == "东宁广告有限公司"
    with pytest.raises(NotFound, match="2110389999"):
        customer_name(uow_factory, "2110389999")


def test_fields_for_the_filter(uow_factory: UnitOfWorkFactory, history: str) -> None:
    fields = dict(changed_fields(uow_factory, history))
    assert fields["KNA1-NAME2"].zh == "名称2"
    assert "KNB1-ZTERM" in fields and "KNA1-TELFX" not in fields  # never filled


def test_unknown_field_or_customer(uow_factory: UnitOfWorkFactory, history: str) -> None:
    with pytest.raises(DomainError, match="KNA1-NAMEX"):
        change_documents(uow_factory, history, field="KNA1-NAMEX")
    with pytest.raises(NotFound):
        change_documents(uow_factory, "2110389999")


def _read(row: ChangeDocumentRow, lang: str = "zh") -> tuple[str, str]:
    return row.old_text.get(lang), row.new_text.get(lang)


def test_values_read_with_their_texts(uow_factory: UnitOfWorkFactory, history: str) -> None:
    rows = change_documents(uow_factory, history, activity="change")
    terms = next(r for r in rows if r.field_key == "KNB1-ZTERM")
    assert (terms.old, terms.new) == ("0001", "Z030")  # the codes as stored
    assert _read(terms) == ("0001 立即支付", "Z030 30天内付款")
    assert _read(terms, "en") == ("0001 Payable immediately", "Z030 Within 30 days net")
    tax = next(r for r in rows if r.field_key == "KNVI-TAXKD")
    assert _read(tax) == ("1 应税", "0 免税")
    name = next(r for r in rows if r.field_key == "KNA1-NAME2")
    assert _read(name) == ("Dong ning Advertise co.", "Dongning")  # free text as it is
    # A create's item has no old value: empty stays empty.
    created = change_documents(uow_factory, history, activity="create", field="KNB1-ZTERM")
    assert [_read(r) for r in created] == [("", "0001 立即支付")]


def test_blocks_and_flags_read_with_texts(uow_factory: UnitOfWorkFactory, history: str) -> None:
    change_status(uow_factory, [history], [StatusEdit(order="01", posting=True)], LI, "逾期")
    rows = change_documents(uow_factory, history, field=["KNA1-AUFSD", "KNA1-SPERR"])
    blocked = {r.field_key: r for r in rows if r.tcode == "XD05"}
    assert _read(blocked["KNA1-AUFSD"]) == ("", "01 信用冻结")
    assert _read(blocked["KNA1-AUFSD"], "en") == ("", "01 Credit block")
    assert _read(blocked["KNA1-SPERR"]) == ("否", "是")
    assert _read(blocked["KNA1-SPERR"], "en") == ("No", "Yes")
    change_status(uow_factory, [history], [StatusEdit.unblock_everything()], LI, "已付款")
    rows = change_documents(uow_factory, history, field="KNA1-SPERR")
    assert [_read(r) for r in rows] == [("否", "是"), ("是", "否")]


def test_a_region_reads_with_the_country_of_its_time(
    uow_factory: UnitOfWorkFactory, history: str
) -> None:
    """The country is not in the document that changes only the region: the documents before
    it say which it was (the create at the latest)."""
    lock, stored = open_for_change(uow_factory, history, LI)
    stored.general.region = "010"
    # The customer moves to Beijing: the postal code and city go with the region.
    stored.general.postal_code, stored.general.city = "100020", "北京"
    change_customer(uow_factory, history, stored, LI, expected_version=3, lock=lock)
    release_lock(uow_factory, lock)
    rows = change_documents(uow_factory, history, field="KNA1-REGIO")
    assert [(r.activity, *_read(r)) for r in rows] == [
        ("create", "", "020 上海"),  # the country in the same document
        ("change", "020 上海", "010 北京"),  # the country from the create
    ]
    # Only the changes listed: the country still comes from the create.
    later = change_documents(uow_factory, history, field="KNA1-REGIO", activity="change")
    assert [_read(r, "en") for r in later] == [("020 Shanghai", "010 Beijing")]


def test_a_code_gone_from_the_customizing_stays_bare(
    uow_factory: UnitOfWorkFactory, history: str, engine: Engine
) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # The server refuses to delete a code customers hold (CM004); a customizing
            # restored from elsewhere can still lack it, which this test stands for.
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(
            delete(tables.CodeValueRow).where(
                tables.CodeValueRow.list_id == "payment_terms", tables.CodeValueRow.code == "Z030"
            )
        )
    (terms,) = change_documents(uow_factory, history, field="KNB1-ZTERM", activity="change")
    assert _read(terms) == ("0001 立即支付", "Z030")
    assert terms.new_text == ValueText("Z030", unknown=True)


def test_one_read_filtered_in_memory_is_what_change_documents_returns(
    uow_factory: UnitOfWorkFactory, history: str
) -> None:
    """XD04 reads all documents once (customer_history) and filters them in memory: the same
    rows, texts and order as change_documents filtering in SQL."""
    change_status(uow_factory, [history], [StatusEdit(order="01", posting=True)], LI, "逾期")
    lock, stored = open_for_change(uow_factory, history, LI)
    stored.general.region = "010"  # a region without its country in the same document
    stored.general.postal_code, stored.general.city = "100020", "北京"
    change_customer(uow_factory, history, stored, LI, expected_version=4, lock=lock)
    release_lock(uow_factory, lock)
    read = customer_history(uow_factory, history)
    assert (read.number, read.name, read.documents) == (history, "东宁广告有限公司", 5)
    assert read.rows() == change_documents(uow_factory, history)
    assert read.fields == changed_fields(uow_factory, history)
    day = date.today()
    cases: list[dict[str, Any]] = [
        {"field": "KNA1-REGIO"},
        {"field": "KNA1-REGIO", "activity": "change"},
        {"field": ["KNB1-ZTERM", "KNVI-TAXKD"]},
        {"activity": "create"},
        {"activity": ["create", "change"]},
        {"date_to": CREATED_AT.astimezone().date()},
        {"date_from": day, "date_to": day},
        {"date_from": CREATED_AT, "date_to": CREATED_AT},
        {"date_from": day + timedelta(days=1)},
    ]
    for filters in cases:
        expected = change_documents(uow_factory, history, **filters)
        assert read.rows(filter_records(read.records, **filters)) == expected, filters
    with pytest.raises(NotFound, match="2110389999"):
        customer_history(uow_factory, "2110389999")


def test_documents_kept_back_are_written_at_a_read_or_the_commit_and_go_with_a_rollback(
    uow_factory: UnitOfWorkFactory, history: str
) -> None:
    """ChangeDocumentRepository.defer (the offline push's batches): the documents of a batch
    wait, a read of the documents or the commit writes them, a rollback forgets them."""
    item = ("KNA1", history, "NAME2", "U", "Dongning Advertising", "东宁")
    with uow_factory(write=True) as uow:
        counted = len(uow.changes.for_customer(history))
        uow.changes.defer()
        uow.changes.write(history, "lisi", uow.now(), "XD02", "change", "laptop-7", [item])
        stored = uow.session.scalar(text("SELECT count(*) FROM cdpos"))
        assert len(uow.changes.for_customer(history)) == counted + 1  # written for the read
        assert uow.session.scalar(text("SELECT count(*) FROM cdpos")) == stored + 1
        uow.changes.write(history, "lisi", uow.now(), "XD02", "change", "laptop-7", [item])
        uow.rollback()
        uow.changes.write(history, "lisi", uow.now(), "XD02", "change", "laptop-7", [item])
        uow.commit()
    with uow_factory() as uow:
        # the first two went with the rollback (one written, one kept back), the third with
        # the commit
        assert len(uow.changes.for_customer(history)) == counted + 1


def test_the_clock_of_a_unit_of_work_is_the_databases_and_goes_on(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """UnitOfWork.now reads the database's clock once and carries it on: later readings of
    the same unit of work follow each other and stay with the database's clock."""
    from custmd_gui.persistence.dbtime import current_time

    with uow_factory() as uow:
        readings = [uow.now() for _ in range(50)]
        database = current_time(uow.session)
        after = uow.now()
    assert readings == sorted(readings) and readings[0] < readings[-1]
    assert abs((after - database).total_seconds()) < 1.0
