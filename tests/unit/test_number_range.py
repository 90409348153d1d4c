"""Number-range rules: intervals, internal vs external, and document SD02's 10-digit rule."""

from __future__ import annotations

import pytest

from custmd_gui.domain.model import Customer
from custmd_gui.domain.number_range import number_problems, sd02_problems
from custmd_gui.services.customizing import shipped
from tests.conftest import example_document


def _customer(number: str, group: str = "1110") -> Customer:
    doc = example_document()
    doc["KNA1"]["KUNNR"] = number
    doc["KNA1"]["KTOKD"] = group
    return Customer.model_validate(doc)


def test_documents_example_number_fits_the_rule() -> None:
    assert sd02_problems("2110380001", _customer("2110380001")) == []


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("3110380001", "第 1 位必须是 2"),
        ("2150380001", "第 2-3 位 15"),
        ("2110390001", "第 4-6 位 039"),
        ("2110380000", "流水号"),
        ("211038001", "10 位数字"),
        ("21103800A1", "10 位数字"),
    ],
)
def test_rule_breaks_are_named(number: str, fragment: str) -> None:
    problems = sd02_problems(number, _customer(number))
    assert problems, number
    assert any(fragment in p.message.zh for p in problems)
    assert all(p.field_key == "KNA1-KUNNR" for p in problems)


def test_last_three_digits_of_the_responsibility_center_are_accepted() -> None:
    customer = _customer("2110380001")
    customer.sales_areas[0].sales_group = "777"  # liaison office differs; RC 1038 still fits
    assert sd02_problems("2110380001", customer) == []


def test_external_group_requires_a_number_in_its_interval() -> None:
    cust = shipped()
    assert number_problems(_customer(""), cust)[0].message.zh.startswith("科目组 1110 使用外部给号")
    outside = number_problems(_customer("1110380001"), cust)
    assert "不在编号范围" in outside[0].message.zh


def test_internal_group_refuses_a_typed_number() -> None:
    problems = number_problems(_customer("1000000005", group="1310"), shipped())
    assert len(problems) == 1 and "内部给号" in problems[0].message.zh


def test_internal_group_without_number_is_fine() -> None:
    assert number_problems(_customer("", group="1310"), shipped()) == []


def test_every_account_group_has_a_range() -> None:
    cust = shipped()
    for code in cust.account_groups:
        rng = cust.number_range_of(code)
        assert rng is not None, code
        assert rng.contains(rng.from_number) and rng.contains(rng.to_number)
        assert not rng.contains(str(int(rng.to_number) + 1))
