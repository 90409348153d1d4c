"""The duplicate check's name key folds traditional characters and bracketed qualifiers."""

from __future__ import annotations

import pytest

from custmd_gui.domain.name_folding import is_qualifier, to_simplified
from custmd_gui.domain.names import normalize_name


@pytest.mark.parametrize(
    "name",
    [
        "上海东宁广告有限公司（总部）",
        "上海东宁广告有限公司(总部)",
        "东宁广告有限公司【总部】",
        "东宁广告有限公司（上海总部）",
        "东宁广告有限公司（筹）",
        "东宁广告有限公司（筹备组）",
        "东宁广告有限公司(HQ)",
        "上海東寧廣告有限公司",
        "東寧廣告有限公司（總部）",
        "东宁广告（集团）有限公司（总公司）",
        "上海东宁广告有限公司（苏州分公司）",  # a branch is the company (see name_folding)
    ],
)
def test_qualifiers_and_traditional_characters_fold_to_the_key(name: str) -> None:
    assert normalize_name(name) == "东宁广告"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("北京红杉盛远股权投资中心（有限合伙）", "红杉盛远股权投资中心"),
        ("北京大成律师事务所（普通合伙）", "大成律师事务所"),
        ("上海立信会计师事务所（特殊普通合伙）", "立信会计师事务所"),
        ("廈門航空有限公司", normalize_name("厦门航空有限公司")),
        ("臺灣積體電路製造股份有限公司", "积体电路制造"),
        # Other brackets stay part of the name: two funds, a store, a former name.
        ("红杉基金（一期）", "红杉基金一期"),
        ("蜀香餐饮管理有限公司（徐汇店）", "蜀香餐饮管理有限公司徐汇店"),
        ("东宁传媒有限公司（原东宁广告）", "东宁传媒有限公司原东宁广告"),
    ],
)
def test_keys(name: str, key: str) -> None:
    assert normalize_name(name) == key


def test_simplified_text_is_left_as_it_is() -> None:
    for text in ("东宁广告有限公司", "华为技术", "abc trading", ""):
        assert to_simplified(text) == text
    assert to_simplified("華潤萬家") == "华润万家"


def test_a_qualifier_alone_or_after_a_place() -> None:
    places = frozenset({"上海", "苏州"})
    assert is_qualifier("总部", places) and is_qualifier("上海总部", places)
    assert is_qualifier("苏州分公司", places)
    assert not is_qualifier("徐汇店", places)
    assert not is_qualifier("东宁总部", places)  # not a place before it
    assert not is_qualifier("上海", places)  # a place alone is names' own rule
