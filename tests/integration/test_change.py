"""Changing a customer (XD02) through the service on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select, text

from custmd_gui.domain import names
from custmd_gui.domain.change_document import RowChange, canonical, replay
from custmd_gui.domain.errors import DomainError, NotFound
from custmd_gui.domain.model import BankDetail, CompanyCodeData, Customer, PartnerFunction
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import tables
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.change import (
    StaleCustomer,
    change_customer,
    changed_message,
    open_for_change,
)
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.locks import (
    CustomerLocked,
    LockLost,
    acquire_lock,
    lock_holder,
    release_lock,
)
from custmd_gui.services.search import CustomerQuery, search
from tests.conftest import example_document
from tests.partner_documents import ship_to_document

NUMBER = "2110380001"
ZHANG = Actor("zhangsan")
LI = Actor("lisi")


@pytest.fixture
def customer(uow_factory: UnitOfWorkFactory) -> str:
    return create_customer(uow_factory, from_document(example_document()), ZHANG).number


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.__tablename__: conn.scalar(select(func.count()).select_from(t)) or 0
            for t in (*tables.SEGMENT_TABLES.values(), tables.ChangeHeader, tables.ChangeItem)
        }


def _version(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(tables.Kna1.version).where(tables.Kna1.kunnr == NUMBER)))


class Statements:
    """The SQL statements an engine runs while recording."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.seen: list[str] = []

    def _record(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.seen.append(" ".join(statement.split()))

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)

    def writes(self, table: str) -> list[str]:
        starts = (f"UPDATE {table} ", f"INSERT INTO {table} ", f"DELETE FROM {table} ")
        return [s for s in self.seen if s.startswith(starts)]


def test_change_writes_only_changed_columns_and_one_document(
    uow_factory: UnitOfWorkFactory, engine: Engine, customer: str
) -> None:
    lock, stored = open_for_change(uow_factory, customer, LI)
    assert stored.version == 1
    edited = stored.model_copy(deep=True)
    edited.general.name_2 = "Dongning Advertising"
    edited.general.telephone = "021-62345678"
    edited.sales_areas[0].shipping_conditions = "20"
    with Statements(engine) as sql:
        result = change_customer(uow_factory, customer, edited, LI, expected_version=1, lock=lock)
    assert result.changed and result.customer.version == 2
    assert [i.as_tuple() for i in result.items] == [
        ("KNA1", NUMBER, "NAME2", "U", "Dong ning Advertise co.", "Dongning Advertising"),
        ("KNA1", NUMBER, "TELF1", "U", "", "021-62345678"),
        ("KNVV", f"{NUMBER}/F011/10/01", "VSBED", "U", "11", "20"),
    ]
    # Only the changed columns, the change time and the version are in the UPDATEs
    (kna1,) = sql.writes("kna1")
    set_clause = kna1.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
    assert sorted(c.split("=")[0].strip() for c in set_clause.split(",")) == [
        "changed_at",
        "name2",
        "telf1",
        "version",
    ]
    assert "version" in kna1.split(" WHERE ", 1)[1]  # the second line of defence
    (knvv,) = sql.writes("knvv")
    assert knvv.split(" SET ", 1)[1].split(" WHERE ", 1)[0].replace(" ", "").startswith("vsbed=")
    for untouched in ("knbk", "knb1", "knvi", "knvp"):
        assert sql.writes(untouched) == [], untouched
    # exactly one change document, activity change, by the actor
    with uow_factory() as uow:
        records = [r for r in uow.changes.for_customer(customer) if r.activity == "change"]
    assert {(r.document, r.username, r.tcode) for r in records} == {
        (result.document, "lisi", "XD02")
    }
    assert len(records) == 3
    assert canonical(read_customer(uow_factory, customer)) == canonical(result.customer)
    assert result.customer.version == read_customer(uow_factory, customer).version == 2
    assert changed_message(result, "zh") == f"客户 {NUMBER} 的更改已保存"
    assert changed_message(result, "en") == f"Changes have been made to customer {NUMBER}"


def test_rows_added_removed_and_changed(uow_factory: UnitOfWorkFactory, customer: str) -> None:
    # a second customer to name as a partner: a ship-to party of the same sales area
    ship_to = create_customer(uow_factory, from_document(ship_to_document()), ZHANG).number
    lock, stored = open_for_change(uow_factory, customer, ZHANG)
    edited = stored.model_copy(deep=True)
    edited.bank_details.append(
        BankDetail(
            bank_country="CN", bank_key="F012", bank_account="7654321", account_holder="建行"
        )
    )
    edited.bank_details[0].account_holder = "工商银行上海分行"
    area = edited.sales_areas[0]
    area.tax_classifications[0].tax_classification = "0"
    area.partners = [p for p in area.partners if p.partner_function != "WE"]
    area.partners.append(PartnerFunction(partner_function="WE", counter="001", partner=ship_to))
    result = change_customer(
        uow_factory, customer, edited, ZHANG, expected_version=stored.version, lock=lock
    )
    got = {(i.table, i.key, i.field): (i.indicator, i.old, i.new) for i in result.items}
    assert got == {
        ("KNBK", f"{NUMBER}/CN/F011/1234567", "KOINH"): ("U", "工商银行", "工商银行上海分行"),
        ("KNBK", f"{NUMBER}/CN/F012/7654321", "BANKS"): ("I", None, "CN"),
        ("KNBK", f"{NUMBER}/CN/F012/7654321", "BANKL"): ("I", None, "F012"),
        ("KNBK", f"{NUMBER}/CN/F012/7654321", "BANKN"): ("I", None, "7654321"),
        ("KNBK", f"{NUMBER}/CN/F012/7654321", "KOINH"): ("I", None, "建行"),
        ("KNVI", f"{NUMBER}/F011/10/01/CN/MWST", "TAXKD"): ("U", "1", "0"),
        ("KNVP", f"{NUMBER}/F011/10/01/WE/001", "PARVW"): ("I", None, "WE"),
        ("KNVP", f"{NUMBER}/F011/10/01/WE/001", "PARZA"): ("I", None, "001"),
        ("KNVP", f"{NUMBER}/F011/10/01/WE/001", "KUNN2"): ("I", None, ship_to),
        ("KNVP", f"{NUMBER}/F011/10/01/WE/000", "PARVW"): ("D", "WE", None),
        ("KNVP", f"{NUMBER}/F011/10/01/WE/000", "PARZA"): ("D", "000", None),
        ("KNVP", f"{NUMBER}/F011/10/01/WE/000", "KUNN2"): ("D", NUMBER, None),
    }
    assert canonical(read_customer(uow_factory, customer)) == canonical(edited)
    # and the documents replay to exactly what is stored
    with uow_factory() as uow:
        items = [
            (r.table, r.key, r.field, r.indicator, r.old, r.new)
            for r in uow.changes.for_customer(customer)
        ]
    assert replay(customer, items, strict=True) == canonical(read_customer(uow_factory, customer))


def test_display_only_reconciliation_account_is_refused(
    uow_factory: UnitOfWorkFactory, engine: Engine, customer: str
) -> None:
    lock, stored = open_for_change(uow_factory, customer, ZHANG)
    edited = stored.model_copy(deep=True)
    edited.company_codes[0].reconciliation_account = "1122100000"
    edited.general.name_2 = "also changed"
    before = _counts(engine)
    with pytest.raises(DomainError) as err:
        change_customer(uow_factory, customer, edited, ZHANG, expected_version=1, lock=lock)
    (problem,) = err.value.problems
    assert (problem.field_key, problem.segment) == ("KNB1-AKONT", "F011")
    assert problem.message.zh == "统驭科目只能显示，不能更改"
    assert problem.message.en == "Reconciliation account is display-only and cannot be changed"
    assert _counts(engine) == before and _version(engine) == 1


def test_number_account_group_and_segments_stay(
    uow_factory: UnitOfWorkFactory, engine: Engine, customer: str
) -> None:
    lock, stored = open_for_change(uow_factory, customer, ZHANG)
    renumbered = stored.model_copy(deep=True)
    renumbered.general.number = "2110380009"
    regrouped = stored.model_copy(deep=True)
    regrouped.general.account_group = "1210"
    extended = stored.model_copy(deep=True)
    extended.company_codes.append(CompanyCodeData(company_code="F001", payment_terms="0001"))
    shrunk = stored.model_copy(deep=True)
    shrunk.sales_areas = []
    before = _counts(engine)
    found = {}
    for name, edited in (
        ("renumbered", renumbered),
        ("regrouped", regrouped),
        ("extended", extended),
        ("shrunk", shrunk),
    ):
        with pytest.raises(DomainError) as err:
            change_customer(uow_factory, customer, edited, ZHANG, expected_version=1, lock=lock)
        found[name] = [(p.field_key, p.segment, p.message.zh) for p in err.value.problems]
    assert found == {
        "renumbered": [("KNA1-KUNNR", "", f"客户编号 {NUMBER} 不能更改")],
        "regrouped": [("KNA1-KTOKD", "", "科目组只能显示，不能更改")],
        "extended": [
            (
                "KNB1-BUKRS",
                "F001",
                f"客户 {NUMBER} 尚未在公司代码 F001 中创建；扩展请使用创建 (XD01)",
            )
        ],
        "shrunk": [
            (
                "KNVV-VKORG",
                "F011/10/01",
                "销售范围 F011/10/01 的数据不能在更改中删除；请设置删除标记",
            )
        ],
    }
    assert _counts(engine) == before and _version(engine) == 1


def test_invalid_value_is_refused_with_every_problem(
    uow_factory: UnitOfWorkFactory, engine: Engine, customer: str
) -> None:
    lock, stored = open_for_change(uow_factory, customer, ZHANG)
    edited = stored.model_copy(deep=True)
    edited.general.postal_code = "2000000"
    edited.general.name = ""
    edited.sales_areas[0].partners[0].partner = "2110389999"
    before = _counts(engine)
    with pytest.raises(DomainError) as err:
        change_customer(uow_factory, customer, edited, ZHANG, expected_version=1, lock=lock)
    assert sorted((p.field_key, p.segment) for p in err.value.problems) == [
        ("KNA1-NAME1", ""),
        ("KNA1-PSTLZ", ""),
        ("KNVP-KUNN2", "F011/10/01"),
    ]
    assert _counts(engine) == before


def test_stale_save_is_refused_and_nothing_written(
    uow_factory: UnitOfWorkFactory, engine: Engine, customer: str
) -> None:
    """Someone changed the customer between reading it and saving: the save names who and when."""
    stale = read_customer(uow_factory, customer)  # read without the lock (e.g. from XD03)
    lock, fresh = open_for_change(uow_factory, customer, LI)
    fresh.general.name_2 = "first"
    change_customer(uow_factory, customer, fresh, LI, expected_version=1, lock=lock)
    stale.general.name_3 = "second"
    before = _counts(engine)
    with pytest.raises(StaleCustomer) as err:
        change_customer(uow_factory, customer, stale, LI, expected_version=1, lock=lock)
    (problem,) = err.value.problems
    assert problem.message.zh.startswith(f"客户 {NUMBER} 已被用户 lisi 于 20")
    assert "更改，请重新打开" in problem.message.zh
    assert "was changed by user lisi at" in problem.message.en
    assert err.value.stored_version == 2
    assert _counts(engine) == before and _version(engine) == 2
    assert read_customer(uow_factory, customer).general.name_3 == "东宁广告有限公司"


def test_version_column_refuses_a_write_over_a_newer_state(
    uow_factory: UnitOfWorkFactory, customer: str
) -> None:
    """Below the service: if the stored version moves after the read, the UPDATE finds no row
    (WHERE version = <read>) and the write is refused, never applied."""
    from sqlalchemy.orm.exc import StaleDataError

    from custmd_gui.domain.change_document import diff_customers

    with uow_factory(write=True) as uow:
        stored = uow.customers.get(customer)
        assert stored is not None
        edited = stored.model_copy(deep=True)
        edited.general.name_2 = "late"
        changes: list[RowChange] = diff_customers(stored, edited)
        # another writer, as far as the ORM knows
        uow.session.execute(text("UPDATE kna1 SET version = version + 1"))
        with pytest.raises(StaleDataError):
            uow.customers.apply_changes(customer, changes, uow.now(), expected_version=1)
    assert read_customer(uow_factory, customer).version == 1


def test_save_needs_the_lock(uow_factory: UnitOfWorkFactory, engine: Engine, customer: str) -> None:
    stored = read_customer(uow_factory, customer)
    edited = stored.model_copy(deep=True)
    edited.general.name_2 = "no lock"
    before = _counts(engine)
    # no lock at all
    with pytest.raises(LockLost, match="needs its edit lock"):
        change_customer(uow_factory, customer, edited, ZHANG, expected_version=1, lock=None)
    # somebody else's lock
    theirs = acquire_lock(uow_factory, customer, LI)
    with pytest.raises(LockLost, match="needs its edit lock"):
        change_customer(uow_factory, customer, edited, ZHANG, expected_version=1, lock=theirs)
    release_lock(uow_factory, theirs)
    # a lock released before the save
    mine = acquire_lock(uow_factory, customer, ZHANG)
    release_lock(uow_factory, mine)
    with pytest.raises(LockLost, match="released or has lapsed"):
        change_customer(uow_factory, customer, edited, ZHANG, expected_version=1, lock=mine)
    # a lock that lapsed and was taken over
    lapsing = acquire_lock(uow_factory, customer, ZHANG, lease=0.2)
    import time

    time.sleep(0.3)
    acquire_lock(uow_factory, customer, LI)
    with pytest.raises(LockLost) as err:
        change_customer(uow_factory, customer, edited, ZHANG, expected_version=1, lock=lapsing)
    assert "现在正在被用户 lisi 处理" in err.value.problems[0].message.zh
    assert _counts(engine) == before and _version(engine) == 1


def test_lock_holder_saves_twice_then_releases(
    uow_factory: UnitOfWorkFactory, customer: str
) -> None:
    lock, stored = open_for_change(uow_factory, customer, ZHANG)
    stored.general.name_2 = "one"
    first = change_customer(uow_factory, customer, stored, ZHANG, expected_version=1, lock=lock)
    edited = first.customer.model_copy(deep=True)
    edited.general.name_2 = "two"
    second = change_customer(
        uow_factory,
        customer,
        edited,
        ZHANG,
        expected_version=first.customer.version,
        lock=lock,
        release=True,
    )
    assert second.customer.version == 3
    assert lock_holder(uow_factory, customer) is None  # released with the save
    with pytest.raises(LockLost):
        change_customer(uow_factory, customer, edited, ZHANG, expected_version=3, lock=lock)


def test_nothing_changed_writes_nothing(
    uow_factory: UnitOfWorkFactory, engine: Engine, customer: str
) -> None:
    lock, stored = open_for_change(uow_factory, customer, ZHANG)
    before = _counts(engine)
    result = change_customer(uow_factory, customer, stored, ZHANG, expected_version=1, lock=lock)
    assert not result.changed and result.document is None and result.customer.version == 1
    assert _counts(engine) == before
    assert changed_message(result, "zh") == "没有更改数据"


def test_second_opener_gets_the_message_and_may_display(
    uow_factory: UnitOfWorkFactory, customer: str
) -> None:
    open_for_change(uow_factory, customer, ZHANG)
    with pytest.raises(CustomerLocked) as err:
        open_for_change(uow_factory, customer, LI)
    assert err.value.problems[0].message.zh == f"客户 {NUMBER} 正在被用户 zhangsan 处理"
    assert read_customer(uow_factory, customer).number == NUMBER


def test_opening_a_missing_customer_takes_no_lock(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(NotFound):
        open_for_change(uow_factory, "2110389999", ZHANG)


def test_search_index_follows_a_name_change(uow_factory: UnitOfWorkFactory, customer: str) -> None:
    lock, stored = open_for_change(uow_factory, customer, ZHANG)
    edited = stored.model_copy(deep=True)
    edited.general.name = "西湖文化传播有限公司"
    edited.general.name_3 = "西湖文化传播有限公司"  # held the old name too
    edited.general.tax_number_5 = "91310000MA1FL8XQ37"
    change_customer(uow_factory, customer, edited, ZHANG, expected_version=1, lock=lock)
    with uow_factory() as uow:
        new = uow.search.numbers_with(names.NAME_KEY, [names.normalize_name(edited.general.name)])
        old = uow.search.numbers_with(names.NAME_KEY, [names.normalize_name(stored.general.name)])
        uscc = uow.search.numbers_with(names.USCC, [names.normalize_uscc("91310000MA1FL8XQ37")])
        listed = search(uow, CustomerQuery("西湖文化")).rows
        initials = search(uow, CustomerQuery("xhwhcb")).rows
        gone = search(uow, CustomerQuery("东宁广告有限")).rows  # old name, not the search term
    assert set(new) == {customer} and old == {} and set(uscc) == {customer}
    assert [r.number for r in listed] == [customer] == [r.number for r in initials]
    assert gone == []


def test_credit_code_of_another_customer_is_refused(
    uow_factory: UnitOfWorkFactory, customer: str
) -> None:
    doc = example_document()
    doc["KNA1"].update(
        {"KUNNR": "2110380002", "NAME1": "另一家公司", "STCD5": "91310000MA1FL8XQ37"}
    )
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = "2110380002"
    create_customer(uow_factory, from_document(doc), ZHANG)
    lock, stored = open_for_change(uow_factory, customer, ZHANG)
    stored.general.tax_number_5 = "91310000MA1FL8XQ37"
    with pytest.raises(DomainError) as err:
        change_customer(uow_factory, customer, stored, ZHANG, expected_version=1, lock=lock)
    assert [p.field_key for p in err.value.problems] == ["KNA1-STCD5"]


@pytest.fixture
def branch(uow_factory: UnitOfWorkFactory) -> Iterator[Customer]:
    """A branch (1410): its name is display-only in change, by its account group."""
    doc = example_document()
    doc["KNA1"].update({"KTOKD": "1410", "KUNNR": "", "NIELS": "", "GFORM": ""})
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = ""
    yield create_customer(uow_factory, from_document(doc), ZHANG)


def test_account_group_decides_what_is_display_only(
    uow_factory: UnitOfWorkFactory, branch: Customer
) -> None:
    lock, stored = open_for_change(uow_factory, branch.number, ZHANG)
    edited = stored.model_copy(deep=True)
    edited.general.name = "改名的分公司"
    with pytest.raises(DomainError) as err:
        change_customer(uow_factory, branch.number, edited, ZHANG, expected_version=1, lock=lock)
    assert [p.field_key for p in err.value.problems] == ["KNA1-NAME1"]
