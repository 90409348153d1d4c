"""services.customer_names: the names shown beside customer numbers (partner table, the number
to change), only of customers the acting user may see."""

from __future__ import annotations

from custmd_gui.domain.authorization import DEFAULT_ROLES, Authorizations
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.services.customer_names import customer_names
from tests.conftest import example_document


def _store(uow_factory: UnitOfWorkFactory, number: str, name: str, group: str) -> None:
    document = example_document()
    document["KNA1"].update({"KUNNR": number, "NAME1": name, "BEGRU": group})
    for partner in document["KNVV"][0]["KNVP"]:
        partner["KUNN2"] = number
    create_customer(uow_factory, from_document(document), Actor("setup"))


def _assistant_of(center: str) -> Actor:
    roles = [r for r in DEFAULT_ROLES if r.code == "assistant"]
    rights = Authorizations.of_roles(
        "wangwu", roles, auth_groups=[center], company_codes=["F011"], sales_areas=["F011/*/*"]
    )
    return Actor("wangwu", origin="local", rights=rights)


def test_names_of_the_customers_the_user_may_see(uow_factory: UnitOfWorkFactory) -> None:
    _store(uow_factory, "2110380001", "东宁广告有限公司", "4002")
    _store(uow_factory, "2110380002", "东宁广告付款中心", "4003")
    numbers = ["2110380001", "2110380002", "2110380099", ""]
    assert customer_names(uow_factory, numbers) == {
        "2110380001": "东宁广告有限公司",
        "2110380002": "东宁广告付款中心",
    }
    # Another center's customer reads as one that does not exist.
    assert customer_names(uow_factory, numbers, _assistant_of("4002")) == {
        "2110380001": "东宁广告有限公司"
    }
    assert customer_names(uow_factory, []) == {}
