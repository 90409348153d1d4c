"""Partner determination in the services, on SQLite and PostgreSQL: a ship-to party gets only
its ship-to line and can be no one's sold-to or payer; a partner must exist in the sales area;
a payer must have company-code data in the sales area's company code."""

from __future__ import annotations

from typing import Any

import pytest

from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.change import change_customer, open_for_change
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, extend_customer, read_customer
from custmd_gui.services.partner_checks import partner_problems
from tests.conftest import example_document
from tests.partner_documents import ship_to_document

CLERK = Actor("zhangsan")
NEW = "2110380001"


def sold_to(number: str, name: str, **partners: str) -> dict[str, Any]:
    """The documents' customer under another number and name, with these partners."""
    doc = example_document()
    doc["KNA1"].update({"KUNNR": number, "NAME1": name, "NAME3": name})
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = partners.get(p["PARVW"], number)
    return doc


def refusals(uow_factory: UnitOfWorkFactory, document: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(DomainError) as err:
        create_customer(uow_factory, from_document(document), CLERK)
    return [(p.field_key, p.message.zh) for p in err.value.problems]


@pytest.fixture
def ship_to(uow_factory: UnitOfWorkFactory) -> str:
    """A ship-to party (1310) in F011/10/01, created without partner lines: numbered
    internally, its own ship-to by the group's defaults."""
    return create_customer(uow_factory, from_document(ship_to_document()), CLERK).number


def test_a_ship_to_party_gets_only_its_ship_to_line(
    uow_factory: UnitOfWorkFactory, ship_to: str
) -> None:
    stored = read_customer(uow_factory, ship_to)
    assert [(p.partner_function, p.partner) for p in stored.sales_areas[0].partners] == [
        ("WE", ship_to)
    ]


def test_a_ship_to_party_is_no_ones_sold_to_or_payer(
    uow_factory: UnitOfWorkFactory, ship_to: str
) -> None:
    assert refusals(uow_factory, sold_to(NEW, "东宁广告有限公司", AG=ship_to, RG=ship_to)) == [
        (
            "KNVP-KUNN2",
            f"合伙人 {ship_to} 属于科目组 1310，不能作为 AG 售达方；"
            "该科目组的客户只能作为：WE 送达方",
        ),
        (
            "KNVP-KUNN2",
            f"合伙人 {ship_to} 属于科目组 1310，不能作为 RG 付款方；"
            "该科目组的客户只能作为：WE 送达方",
        ),
        (
            "KNVP-KUNN2",
            f"付款方 {ship_to} 在公司代码 F011（销售范围 F011/10/01 的公司代码）中"
            "没有公司代码数据，不能作为付款方",
        ),
    ]
    # As ship-to party it is what it is for.
    created = create_customer(
        uow_factory, from_document(sold_to(NEW, "东宁广告有限公司", WE=ship_to)), CLERK
    )
    partners = {p.partner_function: p.partner for p in created.sales_areas[0].partners}
    assert partners == {"AG": NEW, "RE": NEW, "RG": NEW, "WE": ship_to}


def test_a_partner_must_exist_in_the_sales_area(uow_factory: UnitOfWorkFactory) -> None:
    other = sold_to("2110380002", "西湖文化有限公司")
    other["KNVV"][0]["SPART"] = "02"  # F011/10/02 only
    create_customer(uow_factory, from_document(other), CLERK)
    assert refusals(uow_factory, sold_to(NEW, "东宁广告有限公司", WE="2110380002")) == [
        (
            "KNVP-KUNN2",
            "合伙人 2110380002 (WE) 在销售范围 F011/10/01 中不存在；请先将其扩展到该销售范围",
        )
    ]
    # Extended to F011/10/01, it may be named there.
    area = from_document(sold_to("2110380002", "西湖文化有限公司")).sales_areas[0]
    extend_customer(uow_factory, "2110380002", CLERK, sales_areas=[area])
    create_customer(
        uow_factory, from_document(sold_to(NEW, "东宁广告有限公司", WE="2110380002")), CLERK
    )


def test_a_payer_needs_company_code_data_in_the_areas_company_code(
    uow_factory: UnitOfWorkFactory,
) -> None:
    payer = sold_to("2110380003", "华信商贸有限公司")
    payer["KNB1"][0]["BUKRS"] = "F015"  # company-code data elsewhere only
    create_customer(uow_factory, from_document(payer), CLERK)
    assert refusals(uow_factory, sold_to(NEW, "东宁广告有限公司", RG="2110380003")) == [
        (
            "KNVP-KUNN2",
            "付款方 2110380003 在公司代码 F011（销售范围 F011/10/01 的公司代码）中"
            "没有公司代码数据，不能作为付款方",
        )
    ]
    # Bill-to needs no company-code data; the same customer is accepted there.
    create_customer(
        uow_factory, from_document(sold_to(NEW, "东宁广告有限公司", RE="2110380003")), CLERK
    )


def test_a_change_naming_a_ship_to_party_as_payer_is_refused(
    uow_factory: UnitOfWorkFactory, ship_to: str
) -> None:
    create_customer(uow_factory, from_document(sold_to(NEW, "东宁广告有限公司")), CLERK)
    lock, stored = open_for_change(uow_factory, NEW, CLERK)
    edited = stored.model_copy(deep=True)
    for p in edited.sales_areas[0].partners:
        if p.partner_function == "RG":
            p.partner = ship_to
    with pytest.raises(DomainError) as err:
        change_customer(uow_factory, NEW, edited, CLERK, expected_version=1, lock=lock)
    assert [p.message.en for p in err.value.problems] == [
        f"Partner {ship_to} belongs to account group 1310 and cannot take partner function "
        "RG Payer; customers of that group can only take: WE Ship-to party",
        f"Payer {ship_to} has no company-code data in company code F011 (that of sales area "
        "F011/10/01) and cannot be the payer",
    ]


def test_the_customer_itself_is_never_judged_here(uow_factory: UnitOfWorkFactory) -> None:
    # A new customer is not in the database yet: as its own partner it is the rule's business
    # (domain.rules.partners), not the lookup's.
    customer = from_document(sold_to(NEW, "东宁广告有限公司"))
    area = customer.sales_areas[0]
    with uow_factory() as uow:
        assert partner_problems(uow, NEW, [(area, p) for p in area.partners]) == []
