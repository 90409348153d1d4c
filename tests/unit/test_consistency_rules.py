"""The consistency rules of domain/rules: organization (sales office, sales group, plant) and
address (CN postal code, region, city), each message naming both fields; the regions of the
countries users meet most."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from custmd_gui.domain.cities import province_of_city
from custmd_gui.domain.customizing import CodeList, Customizing
from custmd_gui.domain.errors import Problem, Severity
from custmd_gui.domain.model import Customer
from custmd_gui.domain.postal_codes import city_of_postal_code, region_of_postal_code
from custmd_gui.domain.rules import address, organization
from custmd_gui.domain.validation import Validator
from custmd_gui.services.customizing import shipped
from tests.conftest import example_document


def _customer(kna1: dict[str, str] | None = None, knvv: dict[str, Any] | None = None) -> Customer:
    doc = example_document()
    doc["KNA1"].update(kna1 or {})
    doc["KNVV"][0].update(knvv or {})
    return Customer.model_validate(doc)


def _found(problems: list[Problem]) -> list[tuple[str, str, Severity]]:
    return [(p.field_key, p.segment, p.severity) for p in problems]


def test_the_documents_example_is_consistent() -> None:
    customer = _customer()
    assert organization.problems(customer, shipped()) == []
    assert address.problems(customer, shipped()) == []


# -- organization ------------------------------------------------------------------------------


def test_sales_office_of_another_sales_organization() -> None:
    """The issue's defect: office 1038 (F011) in sales area F015/20/01."""
    customer = _customer(knvv={"VKORG": "F015", "VTWEG": "20", "VWERK": "F015"})
    (problem,) = organization.problems(customer, shipped())
    assert _found([problem]) == [("KNVV-VKBUR", "F015/20/01", Severity.ERROR)]
    # Both fields named, with the codes and where the office belongs.
    assert problem.message.zh == (
        "销售办事处 1038（责任中心 1038）属于销售组织 F011，"
        "不属于本销售范围的销售组织 F015（广州分公司）"
    )
    assert problem.message.en == (
        "Sales office 1038 (Responsibility center 1038) belongs to sales organization F011, "
        "not to this sales area's sales organization F015 (Guangzhou branch)"
    )


def test_sales_office_and_group_of_the_sales_organization_pass() -> None:
    customer = _customer(
        knvv={"VKORG": "F015", "VTWEG": "20", "VKBUR": "1501", "VKGRP": "501", "VWERK": "F015"}
    )
    assert organization.problems(customer, shipped()) == []


def test_sales_group_of_another_office() -> None:
    (problem,) = organization.problems(_customer(knvv={"VKGRP": "011"}), shipped())
    assert _found([problem]) == [("KNVV-VKGRP", "F011/10/01", Severity.ERROR)]
    assert "销售组 011（责任中心 1011）属于销售办事处 1011" in problem.message.zh
    assert "销售办事处 1038（责任中心 1038）不符" in problem.message.zh
    assert "belongs to sales office 1011, not to sales office 1038" in problem.message.en


def test_sales_group_without_office_must_be_of_the_sales_organization() -> None:
    """No office typed: the group's office decides its sales organization."""
    problems = organization.problems(_customer(knvv={"VKBUR": "", "VKGRP": "501"}), shipped())
    (problem,) = problems
    assert _found(problems) == [("KNVV-VKGRP", "F011/10/01", Severity.ERROR)]
    assert "属于销售组织 F015（销售办事处 1501）" in problem.message.zh
    assert organization.problems(_customer(knvv={"VKBUR": "", "VKGRP": "011"}), shipped()) == []


def test_plant_of_another_sales_organization() -> None:
    """The issue's defect: plant F011 in F015."""
    customer = _customer(
        knvv={"VKORG": "F015", "VTWEG": "20", "VKBUR": "1501", "VKGRP": "501", "VWERK": "F011"}
    )
    (problem,) = organization.problems(customer, shipped())
    assert _found([problem]) == [("KNVV-VWERK", "F015/20/01", Severity.ERROR)]
    assert problem.message.zh == (
        "交货工厂 F011（浦西分公司工厂）不是销售组织 F015（广州分公司）的工厂；可选：F015"
    )
    assert "choose one of F015" in problem.message.en


@pytest.mark.parametrize(
    ("org", "plant", "ok"),
    [
        ("F011", "F011", True),
        ("F011", "FW00", True),  # the East China factory delivers for Puxi
        ("F011", "F015", False),
        ("F015", "F015", True),
        ("F015", "FW00", False),
        ("F001", "FW00", True),  # SD02: the head-office extension delivers from FW00
        ("F001", "F015", True),
    ],
)
def test_plants_of_each_sales_organization(org: str, plant: str, ok: bool) -> None:
    office = {"F001": ("1020", "020"), "F011": ("1038", "038"), "F015": ("1501", "501")}[org]
    customer = _customer(
        knvv={"VKORG": org, "VKBUR": office[0], "VKGRP": office[1], "VWERK": plant}
    )
    assert (organization.problems(customer, shipped()) == []) is ok


def test_values_without_the_relation_are_not_judged() -> None:
    """A company's own sales organization without attrs.plants, a sales office without
    attrs.sales_org: nothing to check against, nothing refused."""
    cust = shipped()
    orgs, offices = cust.lists["sales_orgs"], cust.lists["sales_offices"]
    bare = Customizing(
        lists={
            **cust.lists,
            "sales_orgs": CodeList(
                orgs.id,
                orgs.label,
                orgs.parent,
                {k: replace(v, attrs={}) for k, v in orgs.values.items()},
            ),
            "sales_offices": CodeList(
                offices.id,
                offices.label,
                offices.parent,
                {k: replace(v, attrs={}) for k, v in offices.values.items()},
            ),
        },
        number_ranges=cust.number_ranges,
        account_groups=cust.account_groups,
    )
    customer = _customer(knvv={"VKORG": "F015", "VTWEG": "20", "VWERK": "F011"})
    assert organization.problems(customer, bare) == []


# -- address -----------------------------------------------------------------------------------


def test_postal_code_of_another_region_is_an_error_naming_both_fields() -> None:
    """The issue's defect: region 020 上海 with postal code 510000 (and city 广州)."""
    customer = _customer({"REGIO": "020", "PSTLZ": "510000", "ORT01": "广州"})
    problems = address.problems(customer, shipped())
    assert _found(problems) == [
        ("KNA1-REGIO", "", Severity.ERROR),
        ("KNA1-ORT01", "", Severity.WARNING),
    ]
    region, city = problems
    assert region.message.zh == (
        "地区 020（上海）与邮政编码 510000 不符：邮政编码 510000 属于地区 190（广东）"
    )
    assert region.message.en == (
        "Region 020 (Shanghai) does not match postal code 510000, which belongs to region "
        "190 (Guangdong)"
    )
    assert city.message.zh == (
        "城市 广州 不在地区 020（上海）内，而在地区 190（广东）；请检查城市和地区"
    )
    assert "City 广州 is not in region 020 (Shanghai) but in 190 (Guangdong)" in city.message.en


@pytest.mark.parametrize(
    ("region", "postal_code", "city"),
    [
        ("020", "200000", "上海"),
        ("020", "200000", "上海市"),  # 市 and the municipality itself
        ("190", "510000", "广州"),
        ("190", "518000", "深圳市"),
        ("100", "215300", "昆山"),  # a county-level city: not judged
        ("070", "116000", "大连"),
        ("080", "132000", "吉林"),  # the city 吉林 in the province 吉林
        ("320", "404000", "万州区"),  # not in cities.yaml: not judged
        ("190", "", "广州"),  # no postal code
        ("", "510000", "广州"),  # no region: the field status decides, nothing to compare
    ],
)
def test_consistent_or_unknown_addresses_pass(region: str, postal_code: str, city: str) -> None:
    customer = _customer({"REGIO": region, "PSTLZ": postal_code, "ORT01": city})
    assert address.problems(customer, shipped()) == []


def test_city_outside_the_region_is_a_warning() -> None:
    customer = _customer({"REGIO": "130", "PSTLZ": "310000", "ORT01": "苏州市"})
    (problem,) = address.problems(customer, shipped())
    assert _found([problem]) == [("KNA1-ORT01", "", Severity.WARNING)]
    assert "城市 苏州市 不在地区 130（浙江）内，而在地区 100（江苏）" in problem.message.zh


def test_only_chinese_addresses_are_judged() -> None:
    customer = _customer({"LAND1": "HK", "REGIO": "HK", "PSTLZ": "", "ORT01": "广州"})
    assert address.problems(customer, shipped()) == []


def test_postal_code_tables() -> None:
    assert region_of_postal_code("510000") == "190"
    assert region_of_postal_code("400010") == "320"
    assert region_of_postal_code("99907") is None
    # A three-digit prefix of several cities names none of them.
    assert city_of_postal_code("528400") is None  # 中山, not 佛山
    assert city_of_postal_code("264200") is None  # 威海, not 烟台
    assert city_of_postal_code("510000") == "广州"


def test_every_city_of_the_postal_code_table_lies_in_the_prefix_region() -> None:
    from custmd_gui.domain.postal_codes import CITY_PREFIXES

    names = {v.text.zh: v.code for v in shipped().values("regions", "CN")}
    for prefix, city in CITY_PREFIXES.items():
        province = province_of_city().get(city, city)
        assert names[province] == region_of_postal_code(prefix + "000"), city


def test_validator_runs_the_rules_and_services_see_errors_and_warnings() -> None:
    customer = _customer(
        {"REGIO": "020", "PSTLZ": "510000", "ORT01": "广州"},
        {"VKORG": "F015", "VTWEG": "20", "VWERK": "F011"},
    )
    found = {(p.field_key, p.severity) for p in Validator(shipped()).validate(customer)}
    assert found == {
        ("KNVV-VKBUR", Severity.ERROR),
        ("KNVV-VWERK", Severity.ERROR),
        ("KNA1-REGIO", Severity.ERROR),
        ("KNA1-ORT01", Severity.WARNING),
    }


# -- regions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "count", "sample", "zh"),
    [
        ("US", 51, "NY", "纽约州"),
        ("US", 51, "DC", "哥伦比亚特区"),
        ("CA", 13, "ON", "安大略省"),
        ("AU", 8, "NSW", "新南威尔士州"),
        ("JP", 47, "13", "东京都"),
        ("KR", 17, "11", "首尔特别市"),
        ("DE", 16, "BY", "巴伐利亚州"),
        ("GB", 4, "SCT", "苏格兰"),
        ("TW", 22, "TPE", "台北市"),
        ("HK", 1, "HK", "香港特别行政区"),
    ],
)
def test_regions_of_the_countries_users_meet_most(
    country: str, count: int, sample: str, zh: str
) -> None:
    cust = shipped()
    regions = cust.values("regions", country)
    assert len(regions) == count
    assert all(r.source == "iso3166-2" and r.text.en for r in regions)
    value = cust.value("regions", sample, country)
    assert value is not None and value.text.zh == zh
    assert cust.has("countries", country)


def test_a_foreign_region_passes_the_field_check() -> None:
    """The issue's defect: country US, region NY was refused."""
    customer = _customer({"LAND1": "US", "REGIO": "NY", "PSTLZ": "10001", "ORT01": "New York"})
    problems = Validator(shipped()).validate(customer)
    assert [p for p in problems if p.field_key.startswith("KNA1-")] == []


def test_a_country_without_regions_refuses_any_region() -> None:
    customer = _customer({"LAND1": "FR", "REGIO": "75", "PSTLZ": "75001", "ORT01": "Paris"})
    (problem,) = [p for p in Validator(shipped()).validate(customer) if p.field_key == "KNA1-REGIO"]
    assert problem.message.zh == "地区 75 不存在（国家 FR），请按 F4 选择"
