"""Blocks (XD05) and deletion flags (XD06) through the service, on SQLite and PostgreSQL: each
level, the required comment, all-or-nothing for many customers, the edit lock respected."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import tables
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.change_documents import change_documents
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.locks import acquire_lock, release_lock
from custmd_gui.services.search import CustomerQuery, Either, search
from custmd_gui.services.status import (
    COMMENT_KEY,
    Level,
    StatusEdit,
    change_status,
    read_status,
)
from tests.conftest import example_document

FINANCE = Actor("caiwu")
NUMBERS = ["2110380001", "2110380002", "2110380003"]


def _make(uow_factory: UnitOfWorkFactory, number: str, name: str) -> None:
    doc: dict[str, Any] = example_document()
    doc["KNA1"].update({"KUNNR": number, "NAME1": name, "NAME3": name, "STCD5": ""})
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = number
    create_customer(uow_factory, from_document(doc), Actor("setup"))


@pytest.fixture
def customers(uow_factory: UnitOfWorkFactory) -> list[str]:
    for number, name in zip(
        NUMBERS, ("东宁广告有限公司", "华信商贸有限公司", "西湖文化有限公司"), strict=True
    ):
        _make(uow_factory, number, name)
    return NUMBERS


def _documents(engine: Engine, number: str) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [
            (r.tcode, r.comment)
            for r in conn.execute(
                select(tables.ChangeHeader.tcode, tables.ChangeHeader.comment)
                .where(tables.ChangeHeader.objectid == number)
                .order_by(tables.ChangeHeader.udate)
            )
        ]


def test_central_block_with_comment_writes_one_document(
    uow_factory: UnitOfWorkFactory, engine: Engine, customers: list[str]
) -> None:
    number = customers[0]
    report = change_status(
        uow_factory,
        [number],
        [StatusEdit(Level.CENTRAL, order="01", posting=True)],
        FINANCE,
        "  逾期欠款,信用冻结  ",
    )
    assert [r.customer.number for r in report.changed] == [number] and report.unchanged == []
    status = read_status(uow_factory, number)
    assert status.central.order == "01" and status.posting and status.blocked
    assert status.version == 2
    assert _documents(engine, number)[-1] == ("XD05", "逾期欠款,信用冻结")
    items = [
        (r.field_key, r.old, r.new, r.user)
        for r in change_documents(uow_factory, number)
        if r.tcode == "XD05"
    ]
    assert sorted(items) == [("KNA1-AUFSD", "", "01", "caiwu"), ("KNA1-SPERR", "", "X", "caiwu")]
    with uow_factory() as uow:
        blocked = search(uow, CustomerQuery(blocked=Either.YES)).rows
    assert [r.number for r in blocked] == [number]


def test_block_one_sales_area_and_one_company_code_only(
    uow_factory: UnitOfWorkFactory, customers: list[str]
) -> None:
    number = customers[0]
    change_status(
        uow_factory,
        [number],
        [
            StatusEdit(Level.SALES_AREA, "F011/10/01", delivery="05"),
            StatusEdit(Level.COMPANY_CODE, "F011", posting=True),
        ],
        FINANCE,
        "发货暂停",
    )
    status = read_status(uow_factory, number)
    assert status.sales_areas["F011/10/01"][0].delivery == "05"
    assert status.company_codes["F011"] == (True, False)
    assert not status.central and not status.posting  # central blocks untouched
    assert status.blocked


@pytest.mark.parametrize(
    ("edits", "comment", "keys"),
    [
        ([StatusEdit(order="01")], " ", [COMMENT_KEY]),
        ([StatusEdit(order="77")], "原因", ["KNA1-AUFSD"]),
        ([StatusEdit(Level.SALES_AREA, "F011/10/99", order="01")], "原因", ["KNVV-VKORG"]),
        ([StatusEdit(Level.COMPANY_CODE, "F099", posting=True)], "原因", ["KNB1-BUKRS"]),
        ([StatusEdit(Level.COMPANY_CODE, "F011", order="01")], "原因", ["KNB1-BUKRS"]),
        ([StatusEdit(Level.SALES_AREA, "F011/10/01", posting=True)], "原因", ["KNVV-VKORG"]),
        ([StatusEdit()], "原因", ["KNA1-KUNNR"]),
    ],
    ids=["no comment", "bad reason", "area", "code", "order at code", "posting at area", "none"],
)
def test_refusals_name_the_field_and_write_nothing(
    uow_factory: UnitOfWorkFactory,
    engine: Engine,
    customers: list[str],
    edits: list[StatusEdit],
    comment: str,
    keys: list[str],
) -> None:
    before = _documents(engine, customers[0])
    with pytest.raises(DomainError) as err:
        change_status(uow_factory, customers[:1], edits, FINANCE, comment)
    assert [p.field_key for p in err.value.problems] == keys
    assert all(p.message.zh for p in err.value.problems)
    assert _documents(engine, customers[0]) == before
    assert read_customer(uow_factory, customers[0]).version == 1


def test_mass_block_is_one_transaction_with_a_summary(
    uow_factory: UnitOfWorkFactory, engine: Engine, customers: list[str]
) -> None:
    change_status(uow_factory, customers[:1], [StatusEdit(order="01")], FINANCE, "先冻结一个")
    report = change_status(uow_factory, customers, [StatusEdit(order="01")], FINANCE, "批量冻结")
    assert sorted(r.customer.number for r in report.changed) == customers[1:]
    assert report.unchanged == customers[:1]
    assert report.summary("zh") == "已更改 2 个客户，1 个客户无需更改"
    assert all(read_status(uow_factory, n).central.order == "01" for n in customers)
    # One customer missing: nobody is unblocked.
    with pytest.raises(DomainError) as err:
        change_status(
            uow_factory,
            [*customers, "2110389999"],
            [StatusEdit.unblock_everything()],
            FINANCE,
            "批量解冻",
        )
    assert [p.message.zh for p in err.value.problems] == ["客户 2110389999 不存在"]
    assert all(read_status(uow_factory, n).central.order == "01" for n in customers)


def test_a_customer_in_xd02_refuses_the_block(
    uow_factory: UnitOfWorkFactory, engine: Engine, customers: list[str]
) -> None:
    lock = acquire_lock(uow_factory, customers[1], Actor("zhangsan"))
    with pytest.raises(DomainError) as err:
        change_status(uow_factory, customers, [StatusEdit(billing="02")], FINANCE, "开票冻结")
    assert [p.message.zh for p in err.value.problems] == [
        f"客户 {customers[1]} 正在被用户 zhangsan 处理"
    ]
    assert not any(read_status(uow_factory, n).blocked for n in customers)
    release_lock(uow_factory, lock)
    change_status(uow_factory, customers, [StatusEdit(billing="02")], FINANCE, "开票冻结")
    assert all(read_status(uow_factory, n).central.billing == "02" for n in customers)


def test_unblock_everything_clears_every_level(
    uow_factory: UnitOfWorkFactory, customers: list[str]
) -> None:
    number = customers[0]
    change_status(
        uow_factory,
        [number],
        [
            StatusEdit(order="01", delivery="01", billing="01", posting=True),
            StatusEdit(Level.SALES_AREA, "F011/10/01", order="03"),
            StatusEdit(Level.COMPANY_CODE, "F011", posting=True),
        ],
        FINANCE,
        "呆账",
    )
    assert read_status(uow_factory, number).blocked
    report = change_status(
        uow_factory, [number], [StatusEdit.unblock_everything()], FINANCE, "已还款"
    )
    status = read_status(uow_factory, number)
    assert not status.blocked
    fields = sorted(f"{i.table}-{i.field}" for i in report.changed[0].items)
    assert fields == [
        "KNA1-AUFSD",
        "KNA1-FAKSD",
        "KNA1-LIFSD",
        "KNA1-SPERR",
        "KNB1-SPERR",
        "KNVV-AUFSD",
    ]


def test_deletion_flags_per_level_and_the_search_filter(
    uow_factory: UnitOfWorkFactory, engine: Engine, customers: list[str]
) -> None:
    number = customers[2]
    change_status(uow_factory, [number], [StatusEdit(deletion=True)], FINANCE, "客户已注销")
    assert _documents(engine, number)[-1] == ("XD06", "客户已注销")
    status = read_status(uow_factory, number)
    assert status.deletion and status.flagged and not status.blocked
    with uow_factory() as uow:
        flagged = search(uow, CustomerQuery(deletion_flag=Either.YES)).rows
        others = search(uow, CustomerQuery(deletion_flag=Either.NO)).rows
    assert [r.number for r in flagged] == [number]
    assert number not in [r.number for r in others]
    change_status(
        uow_factory,
        [customers[0]],
        [StatusEdit(Level.SALES_AREA, "F011/10/01", deletion=True)],
        FINANCE,
        "该销售范围不再使用",
    )
    assert read_status(uow_factory, customers[0]).sales_areas["F011/10/01"][1]
    change_status(uow_factory, [number], [StatusEdit.unflag_everything()], FINANCE, "误标")
    assert not read_status(uow_factory, number).flagged


def test_a_stale_dialog_is_refused(
    uow_factory: UnitOfWorkFactory, engine: Engine, customers: list[str]
) -> None:
    number = customers[0]
    shown = read_status(uow_factory, number)
    change_status(uow_factory, [number], [StatusEdit(order="01")], Actor("other"), "别人冻结")
    with pytest.raises(DomainError) as err:
        change_status(
            uow_factory,
            [number],
            [StatusEdit.unblock_everything()],
            FINANCE,
            "解冻",
            expected_versions={number: shown.version},
        )
    assert "已被更改" in err.value.problems[0].message.zh
    assert read_status(uow_factory, number).central.order == "01"
    with engine.connect() as conn:
        count = conn.scalar(
            select(func.count())
            .select_from(tables.ChangeHeader)
            .where(tables.ChangeHeader.objectid == number)
        )
    assert count == 2  # create and the other's block


def test_blocks_and_flags_of_one_segment_mark_the_customer_partly(
    uow_factory: UnitOfWorkFactory, customers: list[str]
) -> None:
    first, second, third = customers
    change_status(
        uow_factory,
        [first],
        [StatusEdit(Level.SALES_AREA, "F011/10/01", billing="02")],
        FINANCE,
        "x",
    )
    change_status(
        uow_factory, [second], [StatusEdit(Level.COMPANY_CODE, "F011", deletion=True)], FINANCE, "y"
    )
    with uow_factory() as uow:
        rows = {r.number: r for r in search(uow, CustomerQuery("2110380")).rows}
    marks = {
        n: (r.blocked, r.partly_blocked, r.deletion_flag, r.partly_flagged) for n, r in rows.items()
    }
    assert marks == {
        first: (False, True, False, False),
        second: (False, False, False, True),
        third: (False, False, False, False),
    }
