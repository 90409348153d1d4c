"""Partner determination per account group (customizing partner_determination) and the rule
that a customer holds only the partner functions its account group allows."""

from __future__ import annotations

from dataclasses import replace

from custmd_gui.domain.model import Customer
from custmd_gui.domain.partner_determination import LIST, determination
from custmd_gui.domain.rules import partners
from custmd_gui.domain.validation import Validator
from custmd_gui.services.customizing import shipped
from tests.conftest import example_document
from tests.partner_documents import ship_to_document


def test_every_shipped_account_group_has_its_partner_determination() -> None:
    cust = shipped()
    functions = {v.code for v in cust.values("partner_functions")}
    assert {v.code for v in cust.values(LIST)} == set(cust.account_groups)
    for group in cust.account_groups:
        rules = determination(cust, group)
        assert rules.defaults and set(rules.defaults) <= set(rules.allowed) <= functions, group


def test_ship_to_groups_hold_only_the_ship_to_function() -> None:
    cust = shipped()
    for group in ("1310", "1320"):
        rules = determination(cust, group)
        assert (rules.allowed, rules.defaults) == (("WE",), ("WE",))
    for group in ("1110", "1120", "1410", "1510"):
        assert determination(cust, group).defaults == ("AG", "RE", "RG", "WE")


def test_a_group_without_a_value_keeps_the_old_behaviour() -> None:
    cust = shipped()
    lists = {k: v for k, v in cust.lists.items() if k != LIST}
    rules = determination(replace(cust, lists=lists), "1310")
    assert rules.defaults == ("AG", "RE", "RG", "WE")
    assert all(rules.allows(fn) for fn in ("AG", "RE", "RG", "WE"))


def test_a_ship_to_party_with_sold_to_and_payer_lines_is_refused() -> None:
    customer = Customer.model_validate(ship_to_document("AG", "RE", "RG", "WE"))
    problems = partners.problems(customer, shipped())
    assert [(p.field_key, p.segment) for p in problems] == [("KNVP-PARVW", "F011/10/01")] * 3
    assert problems[0].message.zh == (
        "合伙人功能 AG 售达方 不适用于科目组 1310；该科目组只能有：WE 送达方"
    )
    assert problems[2].message.en == (
        "Partner function RG Payer is not allowed for account group 1310; the group holds "
        "only: WE Ship-to party"
    )
    # Through the validator, with every other check: only these three.
    found = Validator(shipped()).validate(customer, check_number=False)
    assert sorted(p.message.zh.split()[1] for p in found) == ["AG", "RE", "RG"]


def test_a_ship_to_party_with_its_ship_to_line_is_valid() -> None:
    customer = Customer.model_validate(ship_to_document("WE"))
    assert Validator(shipped()).validate(customer, check_number=False) == []


def test_a_sold_to_party_holds_all_four() -> None:
    customer = Customer.model_validate(example_document())
    assert partners.problems(customer, shipped()) == []


def test_defaults_added_at_the_save_follow_the_group() -> None:
    customer = Customer.model_validate(ship_to_document())
    rules = determination(shipped(), "1310")
    prepared = customer.with_default_partners(rules.defaults)
    assert [p.partner_function for p in prepared.sales_areas[0].partners] == ["WE"]
