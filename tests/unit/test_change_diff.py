"""The difference of two customers as change-document items, and the replay of items."""

from __future__ import annotations

import pytest

from custmd_gui.domain.change_document import (
    ReplayError,
    canonical,
    change_items,
    creation_items,
    diff_customers,
    replay,
)
from custmd_gui.domain.model import BankDetail, Customer, PartnerFunction
from custmd_gui.domain.sap_document import from_document
from tests.conftest import example_document

NUMBER = "2110380001"


def _example() -> Customer:
    return from_document(example_document())


def _tuples(customer: Customer) -> list[tuple[str, str, str, str, str | None, str | None]]:
    return [i.as_tuple() for i in creation_items(customer)]


def test_same_customer_has_no_difference() -> None:
    assert diff_customers(_example(), _example()) == []


def test_changed_field_is_one_update_item_with_old_and_new() -> None:
    before, after = _example(), _example()
    after.general.name_2 = "Dongning"
    after.company_codes[0].payment_terms = "Z030"
    after.sales_areas[0].shipping_conditions = "20"
    items = [i.as_tuple() for i in change_items(diff_customers(before, after))]
    assert items == [
        ("KNA1", NUMBER, "NAME2", "U", "Dong ning Advertise co.", "Dongning"),
        ("KNB1", f"{NUMBER}/F011", "ZTERM", "U", "0001", "Z030"),
        ("KNVV", f"{NUMBER}/F011/10/01", "VSBED", "U", "11", "20"),
    ]


def test_rows_added_and_removed_carry_every_filled_field() -> None:
    before, after = _example(), _example()
    after.bank_details.append(
        BankDetail(bank_country="CN", bank_key="F012", bank_account="88", account_holder="")
    )
    area = after.sales_areas[0]
    area.partners = [p for p in area.partners if p.partner_function != "WE"]
    area.partners.append(
        PartnerFunction(partner_function="WE", counter="001", partner="1000000000")
    )
    changes = diff_customers(before, after)
    assert [(c.table, c.indicator, c.key) for c in changes] == [
        ("KNBK", "I", f"{NUMBER}/CN/F012/88"),
        ("KNVP", "I", f"{NUMBER}/F011/10/01/WE/001"),
        ("KNVP", "D", f"{NUMBER}/F011/10/01/WE/000"),
    ]
    bank, new_we, old_we = changes
    # an empty account holder is not an item: replay leaves it empty anyway
    assert [f.field_key for f in bank.fields] == ["KNBK-BANKS", "KNBK-BANKL", "KNBK-BANKN"]
    assert dict(new_we.identity) == {
        "vkorg": "F011",
        "vtweg": "10",
        "spart": "01",
        "parvw": "WE",
        "parza": "001",
    }
    assert [(i.field, i.old, i.new) for i in old_we.items()] == [
        ("PARVW", "WE", None),
        ("PARZA", "000", None),
        ("KUNN2", NUMBER, None),
    ]


def test_flags_are_written_as_sap_flags() -> None:
    before, after = _example(), _example()
    after.company_codes[0].posting_block = True
    (item,) = change_items(diff_customers(before, after))
    assert (item.field, item.old, item.new) == ("SPERR", "", "X")


def test_replay_of_create_and_changes_rebuilds_the_customer() -> None:
    created = _example()
    after = _example()
    after.general.telephone = "021-12345678"
    after.bank_details = []
    after.sales_areas[0].tax_classifications[0].tax_classification = "0"
    after.sales_areas[0].partners.append(
        PartnerFunction(partner_function="WE", counter="001", partner="1000000000")
    )
    later = after.model_copy(deep=True)
    later.general.telephone = ""
    items = (
        _tuples(created)
        + [i.as_tuple() for i in change_items(diff_customers(created, after))]
        + [i.as_tuple() for i in change_items(diff_customers(after, later))]
    )
    assert replay(NUMBER, items, strict=True) == canonical(later)


def test_strict_replay_finds_a_lost_update() -> None:
    """Two changes made from the same state: the second one's old value is not the value."""
    created = _example()
    first, second = _example(), _example()
    first.general.name_2 = "A"
    second.general.name_2 = "B"
    items = (
        _tuples(created)
        + [i.as_tuple() for i in change_items(diff_customers(created, first))]
        + [i.as_tuple() for i in change_items(diff_customers(created, second))]
    )
    assert replay(NUMBER, items) is not None  # a lenient replay takes the last value
    with pytest.raises(ReplayError, match="NAME2"):
        replay(NUMBER, items, strict=True)


def test_replay_without_a_create_is_none() -> None:
    assert replay(NUMBER, []) is None
