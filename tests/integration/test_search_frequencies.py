"""SearchIndex.frequencies: the counts of SearchIndex.frequency in one statement, both backends."""

from __future__ import annotations

from custmd_gui.domain.names import NAME_BIGRAM
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from tests.conftest import example_document


def _create(uow_factory: UnitOfWorkFactory, number: str, name: str) -> None:
    doc = example_document()
    doc["KNA1"].update({"KUNNR": number, "NAME1": name, "NAME3": name})
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = number
    create_customer(uow_factory, from_document(doc), Actor("tester"))


def test_frequencies_count_as_frequency_does(uow_factory: UnitOfWorkFactory) -> None:
    # Name keys 东宁广告, 东宁传媒, 华信广告 (the legal form is not part of the key).
    for number, name in (
        ("2110380001", "东宁广告有限公司"),
        ("2110380002", "东宁传媒有限公司"),
        ("2110380003", "华信广告有限公司"),
    ):
        _create(uow_factory, number, name)
    tokens = ["东宁", "广告", "宁广", "传媒", "无无"]
    with uow_factory() as uow:
        one_each = {t: uow.search.frequency(NAME_BIGRAM, t) for t in tokens}
        assert one_each == {"东宁": 2, "广告": 2, "宁广": 1, "传媒": 1, "无无": 0}
        assert uow.search.frequencies(NAME_BIGRAM, [*tokens, "东宁"]) == one_each
        assert uow.search.frequencies(NAME_BIGRAM, tokens, cap=1) == {
            t: min(n, 1) for t, n in one_each.items()
        }
        assert uow.search.frequencies(NAME_BIGRAM, []) == {}
