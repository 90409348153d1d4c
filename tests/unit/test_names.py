"""Search keys of names, telephone and tax numbers for the duplicate check."""

from __future__ import annotations

import pytest

from custmd_gui.domain import names
from custmd_gui.domain.names import (
    name_tokens,
    normalize_name,
    normalize_phone,
    normalize_tax_number,
    normalize_uscc,
    search_tokens,
    similarity,
)
from custmd_gui.persistence.search_index import idf, name_score, prefix_size, token_weights

DONGNING = "东宁广告"


@pytest.mark.parametrize(
    "name",
    [
        "东宁广告有限公司",
        "东宁广告(上海)有限公司",
        "东宁广告（上海）有限公司",
        "东宁广告【上海市】有限公司",
        "上海东宁广告有限公司",
        "上海市东宁广告有限公司",
        "上海东宁广告(有限)公司",
        "东宁广告股份有限公司",
        "东宁广告有限责任公司",
        "东宁广告集团有限公司",
        "东宁广告(集团)有限公司",
        "东宁广告(中国)有限公司",
        "东宁广告公司",
        "东宁广告有限公司上海分公司",
        " 东宁 广告 有限公司 ",
        "东宁·广告有限公司",
        "苏州东宁广告有限公司",
        "江苏省苏州市东宁广告有限公司",
        "广西壮族自治区东宁广告有限公司",
    ],
)
def test_variants_of_one_company_share_the_key(name: str) -> None:
    assert normalize_name(name) == DONGNING


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("ＡＢＣ有限公司", "abc"),
        ("ABC Co., Ltd.", "abc"),
        ("abc company limited", "abc"),
        ("ABC (Shanghai) Co., Ltd.", "abc"),
        ("Dong ning Advertise co.", "dongningadvertise"),
        ("华为技术有限公司", "华为技术"),
        ("广东省深圳市华为技术有限公司", "华为技术"),
        ("浙江吉利控股集团有限公司", "吉利控股"),
        ("内蒙古伊利实业集团股份有限公司", "伊利实业"),
        ("中国银行股份有限公司", "中国银行"),  # a leading 中国 is part of the name
        ("上海有限公司", "上海"),  # nothing but a city: the city stays
        ("上海市", "上海市"),
        ("有限公司", "有限"),  # never empty while two characters are left
        ("", ""),
        ("（）", ""),
    ],
)
def test_keys(name: str, key: str) -> None:
    assert normalize_name(name) == key


def test_a_leading_city_needs_two_characters_after_it() -> None:
    assert normalize_name("上海东宁有限公司") == "东宁"
    assert normalize_name("上海东有限公司") == "上海东"


def test_different_companies_keep_different_keys() -> None:
    assert normalize_name("东方广告有限公司") != normalize_name("东宁广告有限公司")
    assert normalize_name("东宁物流有限公司") != normalize_name("东宁广告有限公司")


def test_bigrams() -> None:
    assert name_tokens("东宁广告") == {"东宁", "宁广", "广告"}
    assert name_tokens("东宁") == {"东宁"}
    assert name_tokens("东") == {"东"}
    assert name_tokens("") == set()


def test_similarity_of_near_names() -> None:
    base = name_tokens(normalize_name("东宁广告有限公司"))
    near = name_tokens(normalize_name("东宁广告传媒有限公司"))
    far = name_tokens(normalize_name("东方广告有限公司"))
    assert similarity(base, base) == 1.0
    assert similarity(base, near) == pytest.approx(0.75)
    assert similarity(base, far) < 0.6
    assert similarity(base, set()) == 0.0


@pytest.mark.parametrize(
    "phone",
    [
        "021-5555 1234",
        "+86 21 55551234",
        "+86 (21) 5555-1234",
        "0086 21 5555 1234",
        "86 21 55551234",
        "(021) 55551234",
        "０２１－５５５５１２３４",
        "021-55551234 转 8001",
    ],
)
def test_phone_formats_compare_equal(phone: str) -> None:
    assert normalize_phone(phone) == "2155551234"


def test_mobile_and_local_numbers() -> None:
    assert normalize_phone("+86 138 1234 5678") == normalize_phone("13812345678")
    # an 8-digit local number that starts with 86 keeps its digits
    assert normalize_phone("86123456") == "86123456"
    assert normalize_phone("") == ""


def test_tax_numbers() -> None:
    assert normalize_tax_number("310105 1234-5678x") == "31010512345678X"
    assert normalize_tax_number("ｃｎ１２３") == "CN123"
    assert normalize_uscc(" 9131 0000-6316 96382c ") == "91310000631696382C"


def test_search_tokens_of_a_customer() -> None:
    tokens = search_tokens(
        "上海东宁广告有限公司",
        tax_numbers=("310105123456789", "", "91310000631696382C"),
        phones=("021-5555 1234", "123"),
        uscc_code="9131 0000 6316 9638 2C",
    )
    assert tokens == {
        (names.NAME_KEY, "东宁广告"),
        (names.NAME_BIGRAM, "东宁"),
        (names.NAME_BIGRAM, "宁广"),
        (names.NAME_BIGRAM, "广告"),
        (names.TAX_NUMBER, "310105123456789"),
        (names.TAX_NUMBER, "91310000631696382C"),
        (names.PHONE, "2155551234"),  # "123" is too short to compare
        (names.USCC, "91310000631696382C"),
    }
    assert search_tokens("") == set()


@pytest.mark.parametrize(
    ("tokens", "prefix"),
    [(1, 1), (2, 2), (3, 2), (6, 4), (7, 5), (10, 6)],
)
def test_prefix_size_keeps_every_candidate_reachable(tokens: int, prefix: int) -> None:
    assert prefix_size(tokens, 0.6) == prefix
    # a candidate sharing only the other tokens cannot reach the threshold
    overlap = tokens - prefix
    best = 2 * overlap / (tokens + overlap) if overlap else 0.0
    assert best < 0.6


def test_rare_tokens_decide_the_name_score() -> None:
    """Shared industry words alone do not make two names similar; a shared brand does."""
    query = name_tokens("山安餐饮管理")
    frequency = {"山安": 3, "安餐": 40, "餐饮": 2000, "饮管": 2000, "管理": 2000}
    weights = token_weights(frequency)
    assert similarity(query, name_tokens("大安餐饮管理")) == pytest.approx(0.8)
    assert name_score(query, name_tokens("大安餐饮管理"), weights) < 0.6
    assert name_score(query, name_tokens("山安餐饮管理服务"), weights) >= 0.6
    assert name_score(query, query, weights) == pytest.approx(1.0)


def test_a_token_nobody_holds_weighs_as_the_rarest_held_one() -> None:
    weights = token_weights({"泽恒": 300, "恒机": 2000, "机械": 2000, "械实": 0, "实业": 2000})
    assert weights["械实"] == weights["泽恒"] == pytest.approx(idf(300))
    query = name_tokens("泽恒机械实业")
    assert name_score(query, name_tokens("泽恒机械"), weights) >= 0.6
    assert token_weights({"东宁": 0}) == {"东宁": pytest.approx(idf(1))}
