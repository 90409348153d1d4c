"""The column model of customer files (domain.transfer.columns): every catalog field once, the
keys that tie rows to their customer, required marks per account group, and a customer as rows
and back."""

from __future__ import annotations

import pytest

from custmd_gui.catalog import catalog
from custmd_gui.domain.sap_document import from_document
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.services.customizing import shipped
from tests.conftest import example_document


def test_every_catalog_field_is_the_own_column_of_exactly_one_sheet() -> None:
    own = [c.key for s in cols.sheets() for c in s.own]
    assert sorted(own) == sorted(f.key for f in catalog())
    assert [s.table for s in cols.sheets()] == ["KNA1", "KNBK", "KNB1", "KNVV", "KNVI", "KNVP"]


def test_every_sheet_starts_with_the_customer_keys_and_nested_ones_with_the_sales_area() -> None:
    for sheet in cols.sheets():
        keys = [c.key for c in sheet.columns[:2]]
        assert keys == ["KNA1-KUNNR", "KNA1-ALTKN"], sheet.table
        parents = [c.key for c in sheet.columns if c.role is cols.Role.PARENT_KEY]
        nested = sheet.table in ("KNVI", "KNVP")
        assert parents == (["KNVV-VKORG", "KNVV-VTWEG", "KNVV-SPART"] if nested else [])


def test_sheets_are_found_by_either_language_or_table() -> None:
    general = cols.sheets()[0]
    for name in ("一般数据 KNA1", "General data KNA1", "KNA1"):
        assert cols.sheet_named(name) == general
    assert cols.sheet_named("Sheet1") is None


def test_the_previous_account_number_is_a_catalog_field() -> None:
    fd = catalog().field("KNA1-ALTKN")
    assert (fd.type, fd.length, fd.name) == ("CHAR", 10, "previous_number")
    assert fd.label.zh == "原客户编号"


def _marks(group: str) -> dict[str, str]:
    cust = shipped()
    groups = [cust.account_groups[group]]
    return {
        c.key: cols.mark(c, groups, cust).mark.value
        for s in cols.choose(None, groups, cust)
        for c in s.columns
    }


def test_a_ship_to_group_needs_less_than_a_sold_to_group() -> None:
    sold_to, ship_to = _marks("1110"), _marks("1310")
    # The VAT invoice title, the region and the bank details: the sold-to party's business.
    assert sold_to["KNA1-NAME3"] == "required" and ship_to["KNA1-NAME3"] == "optional"
    assert sold_to["KNA1-REGIO"] == "required" and ship_to["KNA1-REGIO"] == "optional"
    # Suppressed for ship-to parties: not in the file at all.
    assert sold_to["KNB1-AKONT"] == "required" and "KNB1-AKONT" not in ship_to
    assert "KNBK-BANKN" in sold_to and "KNBK-BANKN" not in ship_to
    assert "KNVI-TAXKD" not in ship_to
    required = {k for k, m in sold_to.items() if m == "required"}
    assert {k for k, m in ship_to.items() if m == "required"} < required
    # External numbers for 1110 (the number is typed), internal for 1310 (left empty).
    assert sold_to["KNA1-KUNNR"] == "required" and ship_to["KNA1-KUNNR"] == "key"
    assert sold_to["KNA1-KTOKD"] == ship_to["KNA1-KTOKD"] == "required"


def test_marks_over_every_account_group_name_the_groups() -> None:
    cust = shipped()
    groups = list(cust.account_groups.values())
    title = cols.sheets()[0].column("KNA1-ANRED")
    mark = cols.mark(title, groups, cust)
    assert mark.mark is cols.Mark.SOME
    assert "1310" not in mark.required_in and "1110" in mark.required_in
    # The shorter form: the three groups that do not require the title.
    assert mark.status_text("zh") == "必输（1310 1320 1410 除外）"
    assert mark.status_text("en") == "required except 1310 1320 1410"


def test_chosen_fields_keep_keys_and_required_columns() -> None:
    cust = shipped()
    groups = [cust.account_groups["1110"]]
    chosen = cols.choose(["kna1-telf1"], groups, cust)
    general = [c.key for c in chosen[0].columns]
    assert "KNA1-TELF1" in general and "KNA1-NAME1" in general  # named, required
    assert "KNA1-TELFX" not in general and "KNA1-NAME4" not in general  # optional, not named
    assert [c.key for c in chosen[2].columns][:3] == ["KNA1-KUNNR", "KNA1-ALTKN", "KNB1-BUKRS"]
    with pytest.raises(cols.UnknownFields) as caught:
        cols.choose(["KNA1-NAME1", "KNA1-FOO", "NAME2"], groups, cust)
    assert caught.value.keys == ("KNA1-FOO", "NAME2")


def test_a_customer_as_rows_and_back() -> None:
    document = example_document()
    customer = from_document(document)
    rows = cols.rows_of(customer)
    assert [len(rows[s]) for s in ("general", "bank", "company_code", "sales_area")] == [1] * 4
    assert len(rows["tax"]) == 1 and len(rows["partner"]) == 4
    partner = rows["partner"][1]
    assert partner["KNA1-KUNNR"] == "2110380001" and partner["KNVV-VKORG"] == "F011"
    assert partner["KNVP-PARVW"] == "RE" and partner["KNVP-PARZA"] == "000"
    assert rows["general"][0]["KNA1-SPERR"] == ""  # a flag: "X" or empty
    assert cols.document_of(rows) == document
    assert from_document(cols.document_of(rows)) == customer


def test_only_rows_with_an_empty_column_a_are_data() -> None:
    assert cols.is_data_row(None) and cols.is_data_row("") and cols.is_data_row("  ")
    for meta in ("示例", "Sample", "字段", "Field", "x", 0):
        assert not cols.is_data_row(meta)
