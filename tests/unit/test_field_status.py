"""Field status: SAP's priority and the account groups' settings per activity."""

from __future__ import annotations

import itertools

import pytest

from custmd_gui.catalog import catalog
from custmd_gui.domain.field_status import Activity, FieldStatus, combine
from custmd_gui.domain.validation import effective_status
from custmd_gui.services.customizing import shipped

S, D, R, OPT = (
    FieldStatus.SUPPRESSED,
    FieldStatus.DISPLAY,
    FieldStatus.REQUIRED,
    FieldStatus.OPTIONAL,
)


@pytest.mark.parametrize(
    ("a", "b", "winner"),
    [
        (S, D, S),
        (S, R, S),
        (S, OPT, S),
        (D, R, D),
        (D, OPT, D),
        (R, OPT, R),
        (OPT, OPT, OPT),
    ],
)
def test_priority_pairs(a: FieldStatus, b: FieldStatus, winner: FieldStatus) -> None:
    assert combine(a, b) is winner
    assert combine(b, a) is winner


def test_priority_is_a_total_order_over_all_combinations() -> None:
    order = [OPT, R, D, S]
    for combo in itertools.product(order, repeat=3):
        assert combine(*combo) is max(combo, key=order.index)


def test_nothing_set_means_optional() -> None:
    assert combine() is OPT


def test_eleven_account_groups_of_the_documents() -> None:
    groups = shipped().account_groups
    assert sorted(groups) == [
        "1110",
        "1120",
        "1210",
        "1220",
        "1310",
        "1320",
        "1410",
        "1510",
        "1520",
        "1610",
        "1620",
    ]
    assert groups["1110"].text.zh == "国内直销"
    assert groups["1620"].text.zh == "国外OEM销售"


def test_reconciliation_account_required_at_create_display_at_change() -> None:
    g = shipped().account_groups["1110"]
    assert g.field_status("account.reconciliation", Activity.CREATE) is R
    assert g.field_status("account.reconciliation", Activity.CHANGE) is D


def test_display_activity_turns_required_into_display() -> None:
    g = shipped().account_groups["1110"]
    assert g.field_status("address.name", Activity.DISPLAY) is D


def test_suppressed_stays_suppressed_in_display() -> None:
    g = shipped().account_groups["1310"]
    assert g.field_status("account.reconciliation", Activity.DISPLAY) is S


def test_account_group_override_beats_its_variant() -> None:
    cust = shipped()
    assert cust.account_groups["1310"].field_status("address.postal_city", Activity.CREATE) is R
    assert cust.account_groups["1320"].field_status("address.postal_city", Activity.CREATE) is OPT


def test_segment_keys_are_required_at_create_and_fixed_later() -> None:
    fd = catalog().field("KNB1-BUKRS")
    g = shipped().account_groups["1110"]
    assert effective_status(fd, g, Activity.CREATE) is R
    assert effective_status(fd, g, Activity.CHANGE) is D


def test_affiliated_companies_see_their_reconciliation_account_display_only() -> None:
    groups = shipped().account_groups
    for code in ("1510", "1520"):
        assert groups[code].field_status("account.reconciliation", Activity.CREATE) is D
    assert groups["1110"].field_status("account.reconciliation", Activity.CREATE) is R
