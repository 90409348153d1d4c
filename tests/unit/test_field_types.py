"""The catalog's field types (domain/field_types.py): every type the catalog uses takes a valid
value and refuses an invalid one, naming the field."""

from __future__ import annotations

import pytest

from custmd_gui.catalog import VALUE_TYPES, catalog
from custmd_gui.domain import field_types
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.field_types import Context
from custmd_gui.services.customizing import shipped

# Per type: a field of that type, a value it takes (as typed) and one it refuses. A type the
# catalog starts to use needs a line here.
EXAMPLES: dict[str, tuple[str, str, str]] = {
    "text": ("KNA1-NAME1", "东宁广告（上海）有限公司", "东宁\x07广告"),
    "identifier": ("KNA1-STCD1", "９１３１０１０５", "91310105-00000000"),
    "code": ("KNA1-LAND1", "ＣＮ", "QQ"),
    "account_group": ("KNA1-KTOKD", "1110", "9999"),
    "reconciliation_account": ("KNB1-AKONT", "1122000000", "1122999999"),
    "language": ("KNA1-SPRAS", "ZH", "QQ"),
    "currency": ("KNVV-WAERS", "CNY", "QQQ"),
    "numc": ("KNVP-PARZA", "００１", "0A1"),
    "flag": ("KNA1-SPERR", "X", "Y"),
    "customer_number": ("KNA1-KUNNR", "2110380001", "21103800011"),
    "partner": ("KNVP-KUNN2", "2110380001", "2110380001\u200b"),
    "postal_code": ("KNA1-PSTLZ", "２０００００", "2000000"),
    "phone": ("KNA1-TELF1", "021-6234-5678转12", "12012345678"),
    "uscc": ("KNA1-STCD5", "91110000 60003734-1l", "91110000600037341A"),
}


@pytest.fixture(scope="module")
def customizing() -> Customizing:
    return shipped()


def test_every_type_the_catalog_knows_is_implemented() -> None:
    assert set(field_types.TYPES) == set(VALUE_TYPES)
    assert set(EXAMPLES) <= set(VALUE_TYPES)  # no examples of a type that went


@pytest.mark.parametrize("name", sorted({fd.value_type for fd in catalog()}))
def test_each_type_takes_a_valid_value_and_refuses_an_invalid_one(
    customizing: Customizing, name: str
) -> None:
    assert name in EXAMPLES, f"type {name} has no examples"
    key, valid, invalid = EXAMPLES[name]
    fd = catalog().field(key)
    assert fd.value_type == name
    ftype = field_types.of(fd)
    ctx = Context(customizing, country="CN")
    assert field_types.value_problem(fd, ftype.normalize(valid), ctx) is None
    problem = field_types.value_problem(fd, ftype.normalize(invalid), ctx, "F011")
    assert problem is not None
    assert (problem.field_key, problem.segment) == (key, "F011")
    assert problem.message.zh and problem.message.en


def test_checks_depend_on_the_country(customizing: Customizing) -> None:
    cat = catalog()
    hk = Context(customizing, country="HK")
    # Hong Kong has no postal codes of six digits and no credit codes.
    assert field_types.value_problem(cat.field("KNA1-STCD5"), "91110000600037341A", hk) is None
    # A dependent value help: the region of the country.
    region = cat.field("KNA1-REGIO")
    assert field_types.value_problem(region, "020", Context(customizing, parent="CN")) is None
    wrong = field_types.value_problem(region, "020", Context(customizing, parent="HK"))
    assert wrong is not None and wrong.message.zh == "地区 020 不存在（国家 HK），请按 F4 选择"


def test_messages_name_the_field(customizing: Customizing) -> None:
    cat = catalog()
    ctx = Context(customizing, country="CN")
    lines = [
        field_types.value_problem(cat.field(key), value, ctx).line()  # type: ignore[union-attr]
        for key, value in (
            ("KNA1-TELFX", "021-6234abcd"),
            ("KNA1-PSTLZ", "2000000"),
            ("KNVP-PARZA", "0A1"),
            ("KNA1-NAME4", "东" * 36),
        )
    ]
    assert lines == [
        "KNA1-TELFX: 传真只能包含数字、空格、括号、连字符和开头的 +（分机可写“转123”）",
        "KNA1-PSTLZ: 邮政编码 2000000 不符合国家 CN 的规则（6 位数字）",
        "KNVP-PARZA: 合伙人计数器只能包含数字",
        "KNA1-NAME4: 名称4最多 35 个字符，输入了 36 个",
    ]


def test_empty_postal_code_where_the_country_requires_one(customizing: Customizing) -> None:
    fd = catalog().field("KNA1-PSTLZ")
    wrong = field_types.of(fd).empty_problem(fd, Context(customizing, country="CN"))
    assert wrong is not None and wrong.zh == "国家 CN 必须输入邮政编码"


def test_display(customizing: Customizing) -> None:
    cat = catalog()
    ctx = Context(customizing)
    assert field_types.of(cat.field("KNA1-LAND1")).display(cat.field("KNA1-LAND1"), "CN", ctx) == (
        field_types.Text(zh="CN 中国", en="CN China")
    )
    sperr = cat.field("KNA1-SPERR")
    assert field_types.of(sperr).display(sperr, "X").zh == "是"
    assert field_types.of(sperr).display(sperr, "").en == "No"
    name = cat.field("KNA1-NAME1")
    assert field_types.of(name).display(name, "东宁").zh == "东宁"


def test_the_account_group_proposes_the_reconciliation_account(customizing: Customizing) -> None:
    group = customizing.account_group("1510")
    assert group is not None
    akont = field_types.of(catalog().field("KNB1-AKONT"))
    assert akont.proposal(group) == group.reconciliation_account != ""
    assert field_types.of(catalog().field("KNB1-ZTERM")).proposal(group) == ""
