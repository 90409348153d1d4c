"""Stored values read with their texts: codes from the customizing, flags as 是/否 — one
mechanism for every catalog field."""

from __future__ import annotations

import dataclasses

import pytest

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain.value_texts import EMPTY, ValueText, ValueTexts
from custmd_gui.services.customizing import shipped


@pytest.fixture(scope="module")
def texts() -> ValueTexts:
    return ValueTexts(shipped())


def both(value: ValueText) -> tuple[str, str]:
    return value.get("zh"), value.get("en")


def test_codes_read_with_their_text_in_both_languages(texts: ValueTexts) -> None:
    assert both(texts.text("KNB1-ZTERM", "0001")) == ("0001 立即支付", "0001 Payable immediately")
    assert both(texts.text("KNVV-ZTERM", "Z030")) == ("Z030 30天内付款", "Z030 Within 30 days net")
    assert both(texts.text("KNA1-AUFSD", "01")) == ("01 信用冻结", "01 Credit block")
    assert texts.text("KNVV-VSBED", "11").get("zh") == "11 浦西分公司直接顾客"
    assert texts.text("KNA1-LAND1", "CN").get("zh") == "CN 中国"
    # The account groups are a value help too.
    group = shipped().account_groups["1110"]
    assert texts.text("KNA1-KTOKD", "1110").get("zh") == f"1110 {group.text.zh}"


def test_every_value_help_field_of_the_catalog_reads_its_codes(texts: ValueTexts) -> None:
    """No special case per field: each field with a value help finds its list's codes."""
    cust = shipped()
    for fd in catalog():
        if not fd.value_help:
            continue
        value = next(iter(cust.lists[fd.value_help].values.values()))
        row = {fd.value_help_parent: value.parent} if fd.value_help_parent else None
        read = texts.text(fd.key, value.code, row)
        assert read.text == value.text, fd.key
        assert read.get("zh") == f"{value.code} {value.text.zh}", fd.key


def test_flags_read_yes_or_no(texts: ValueTexts) -> None:
    assert both(texts.text("KNA1-SPERR", "X")) == ("是", "Yes")
    assert both(texts.text("KNB1-LOEVM", "")) == ("否", "No")  # a flag always holds a value
    assert both(texts.text("KNVV-LOEVM", "true")) == ("是", "Yes")
    assert both(texts.text("KNVV-LOEVM", "false")) == ("否", "No")
    assert texts.text("KNA1-SPERR", None) == EMPTY  # no value at all: a row inserted
    assert texts.text("KNA1-SPERR", "?").get("zh") == "?"


def test_empty_and_free_text_stay_as_they_are(texts: ValueTexts) -> None:
    assert texts.text("KNB1-ZTERM", None).get("zh") == ""
    assert texts.text("KNB1-ZTERM", "") == ValueText("")
    assert texts.text("KNA1-NAME1", "东宁广告有限公司") == ValueText("东宁广告有限公司")
    assert texts.text("KNVP-KUNN2", "2110380001") == ValueText("2110380001")  # a customer
    assert texts.text("KNA1-XXXXX", "01") == ValueText("01")  # a field the catalog lost


def test_a_code_no_longer_in_the_customizing_stays_bare(texts: ValueTexts) -> None:
    gone = texts.text("KNB1-ZTERM", "Z999")
    assert both(gone) == ("Z999", "Z999") and gone.unknown and gone.text is None
    # A list missing altogether: the same.
    cust = shipped()
    lists = {k: v for k, v in cust.lists.items() if k != "payment_terms"}
    without = ValueTexts(dataclasses.replace(cust, lists=lists))
    assert without.text("KNB1-ZTERM", "0001") == ValueText("0001", unknown=True)


def test_a_dependent_value_help_reads_with_the_row_s_parent(texts: ValueTexts) -> None:
    assert texts.parent_field("KNA1-REGIO") == "KNA1-LAND1"
    assert texts.parent_field("KNB1-ZTERM") is None
    shanghai = texts.text("KNA1-REGIO", "020", {"KNA1-LAND1": "CN"})
    assert both(shanghai) == ("020 上海", "020 Shanghai")
    # The country not known: which region is meant cannot be said, the code stays alone.
    alone = texts.text("KNA1-REGIO", "020")
    assert alone == ValueText("020") and not alone.unknown
    assert texts.text("KNA1-REGIO", "020", {"KNA1-LAND1": ""}) == ValueText("020")
    # A country that has no region 020: the code is unknown there.
    assert texts.text("KNA1-REGIO", "020", {"KNA1-LAND1": "ZZ"}).unknown


def test_account_groups_fall_back_to_the_groups_themselves() -> None:
    cust = shipped()
    lists = {k: v for k, v in cust.lists.items() if k != "account_groups"}
    texts = ValueTexts(dataclasses.replace(cust, lists=lists))
    assert texts.text("KNA1-KTOKD", "1110").text == cust.account_groups["1110"].text
    assert texts.text("KNA1-KTOKD", "9999").unknown


def test_value_text_reads() -> None:
    assert ValueText("01", Text(zh="信用冻结", en="Credit block")).get("en") == "01 Credit block"
    assert ValueText("X", Text(zh="是", en="Yes"), flag=True).get("zh") == "是"
    assert EMPTY.get("zh") == ""
