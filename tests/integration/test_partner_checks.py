"""Blocked and flagged customers named as partners, on SQLite and PostgreSQL: an order-blocked
payer or a flagged partner refused by the services, other blocks only warned about; partners
stored before a block are not re-judged by a later change."""

from __future__ import annotations

from typing import Any

import pytest

from custmd_gui.domain.errors import DomainError, Severity
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.change import change_customer, open_for_change
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.partner_checks import customer_partner_problems, reference_warnings
from custmd_gui.services.status import Level, StatusEdit, change_status
from tests.conftest import example_document

CLERK = Actor("zhangsan")
FINANCE = Actor("caiwu")
PAYER = "2110380009"
NEW = "2110380001"


def _document(number: str, name: str, **partners: str) -> dict[str, Any]:
    doc = example_document()
    doc["KNA1"].update({"KUNNR": number, "NAME1": name, "NAME3": name})
    if number != NEW:
        doc["KNA1"]["STCD5"] = ""
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = partners.get(p["PARVW"], number)
    return doc


@pytest.fixture
def payer(uow_factory: UnitOfWorkFactory) -> str:
    create_customer(uow_factory, from_document(_document(PAYER, "华信商贸有限公司")), CLERK)
    return PAYER


def test_an_order_blocked_payer_is_refused(uow_factory: UnitOfWorkFactory, payer: str) -> None:
    change_status(uow_factory, [payer], [StatusEdit(order="01")], FINANCE, "信用")
    with pytest.raises(DomainError) as err:
        create_customer(
            uow_factory, from_document(_document(NEW, "东宁广告有限公司", RG=payer)), CLERK
        )
    assert [(p.field_key, p.segment, p.message.zh) for p in err.value.problems] == [
        (
            "KNVP-KUNN2",
            "F011/10/01",
            f"付款方 {payer} 有订单冻结（01 信用冻结），不能作为付款方；请联系财务",
        )
    ]
    # As ship-to party the same customer is only a warning: the create goes through.
    created = create_customer(
        uow_factory, from_document(_document(NEW, "东宁广告有限公司", WE=payer)), CLERK
    )
    with uow_factory() as uow:
        problems = customer_partner_problems(uow, created)
    assert [(p.severity, p.message.zh) for p in problems] == [
        (Severity.WARNING, f"合伙人 {payer} (WE) 已冻结：订单冻结 01 信用冻结")
    ]


def test_a_payer_blocked_in_the_sales_area_only_is_refused_too(
    uow_factory: UnitOfWorkFactory, payer: str
) -> None:
    change_status(
        uow_factory,
        [payer],
        [StatusEdit(Level.SALES_AREA, "F011/10/01", order="03")],
        FINANCE,
        "呆账",
    )
    with pytest.raises(DomainError) as err:
        create_customer(
            uow_factory, from_document(_document(NEW, "东宁广告有限公司", RG=payer)), CLERK
        )
    assert "03 呆账" in err.value.problems[0].message.zh


def test_a_flagged_partner_is_refused(uow_factory: UnitOfWorkFactory, payer: str) -> None:
    change_status(uow_factory, [payer], [StatusEdit(deletion=True)], FINANCE, "注销")
    with pytest.raises(DomainError) as err:
        create_customer(
            uow_factory, from_document(_document(NEW, "东宁广告有限公司", WE=payer)), CLERK
        )
    assert (
        err.value.problems[0].message.zh == f"合伙人 {payer} (WE) 已设置删除标记，不能再作为合伙人"
    )


def test_a_change_judges_only_the_partners_it_types(
    uow_factory: UnitOfWorkFactory, payer: str
) -> None:
    create_customer(uow_factory, from_document(_document(NEW, "东宁广告有限公司", RG=payer)), CLERK)
    change_status(uow_factory, [payer], [StatusEdit(order="01")], FINANCE, "信用")
    # The payer stored before its block does not stop an unrelated change ...
    lock, stored = open_for_change(uow_factory, NEW, CLERK)
    edited = stored.model_copy(deep=True)
    edited.general.street = "长宁路 1 号"
    change_customer(uow_factory, NEW, edited, CLERK, expected_version=1, lock=lock, release=True)
    # ... but typing it again as payer elsewhere does (here: replacing the ship-to by it is
    # allowed, the payer of another customer is not).
    other = _document("2110380002", "西湖文化有限公司")
    create_customer(uow_factory, from_document(other), CLERK)
    lock, stored = open_for_change(uow_factory, "2110380002", CLERK)
    edited = stored.model_copy(deep=True)
    for p in edited.sales_areas[0].partners:
        if p.partner_function == "RG":
            p.partner = payer
    with pytest.raises(DomainError) as err:
        change_customer(uow_factory, "2110380002", edited, CLERK, expected_version=1, lock=lock)
    assert [p.field_key for p in err.value.problems] == ["KNVP-KUNN2"]
    assert read_customer(uow_factory, NEW).general.street == "长宁路 1 号"


def test_reference_warnings(uow_factory: UnitOfWorkFactory, payer: str) -> None:
    assert reference_warnings(read_customer(uow_factory, payer)) == []
    change_status(uow_factory, [payer], [StatusEdit(billing="02", deletion=True)], FINANCE, "停用")
    [warning] = reference_warnings(read_customer(uow_factory, payer))
    assert warning.severity is Severity.WARNING
    assert (
        warning.message.zh == f"参考客户 {payer} 已冻结、已设置删除标记；冻结和删除标记不会被复制"
    )
