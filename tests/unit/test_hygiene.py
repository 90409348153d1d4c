"""Input hygiene (domain/hygiene.py): what is folded, what is refused, what is kept, and the
reading of files in UTF-8 only."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from custmd_gui.catalog import CatalogError, Text, catalog, load_catalog
from custmd_gui.domain import field_types, hygiene
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.model import BankDetail, Customer, GeneralData, PartnerFunction
from custmd_gui.domain.sap_document import from_document, load_document
from custmd_gui.domain.validation import Validator, input_problems
from custmd_gui.services.customizing import shipped
from custmd_gui.services.usage import read_extract
from tests.conftest import example_document
from tests.unit.test_catalog import ENTRY, MODELS, _append, _copy_catalog

NAME = Text(zh="名称", en="Name")


@pytest.fixture(scope="module")
def customizing() -> Customizing:
    return shipped()


# -- what the catalog says about each field ------------------------------------------------------


def _normalize(key: str, typed: str) -> str:
    return field_types.of(catalog().field(key)).normalize(typed)


def test_the_catalog_gives_every_field_its_kind_of_input() -> None:
    # Text as typed; codes by their type (value help, NUMC, postal code, telephone) folded.
    for key in ("KNA1-NAME1", "KNA1-STRAS", "KNA1-ORT01", "KNBK-KOINH"):
        assert _normalize(key, "ＡＢＣ") == "ＡＢＣ", key
    for key in ("KNVP-PARZA", "KNA1-LAND1", "KNA1-KUNNR", "KNA1-PSTLZ", "KNA1-TELF1"):
        assert _normalize(key, "ＡＢＣ") == "ABC", key
    assert _normalize("KNA1-STCD5", "ａ-ｂ ｃ") == "ABC"


def test_the_loader_refuses_an_unknown_attribute_of_input(tmp_path: Path) -> None:
    # `input` went into the field's type.
    d = _copy_catalog(tmp_path)
    entry = ENTRY.format(key="KNA1-ZZTST", name="zz_test", type="CHAR") + "    input: code\n"
    _append(d / "fields" / "KNA1.yaml", entry)
    with pytest.raises(CatalogError, match=r"KNA1-ZZTST.*unknown attributes \['input'\]"):
        load_catalog(d)


@pytest.mark.parametrize("table", sorted(MODELS))
def test_every_segment_knows_its_table(table: str) -> None:
    # Else its fields would silently go without the catalog's normalisation.
    assert table == MODELS[table].SAP_TABLE


# -- normalisation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        ("identifier", "２０００００", "200000"),
        ("phone", "０２１－１２３４５６７８", "021-12345678"),
        ("phone", "（０２１）１２３４５６７８", "(021)12345678"),
        ("code", "Ｆ０１１", "F011"),
        ("postal_code", "200000", "200000"),
        ("uscc", "91310000 mA1fl4xq 3b", "91310000MA1FL4XQ3B"),
        ("uscc", "９１３１０００００－ＭＡ１ＦＬ４ＸＱ３Ｂ", "913100000MA1FL4XQ3B"),
        ("uscc", "9131\u3000ab", "9131AB"),  # the ideographic space of a Chinese keyboard
        # Free text stays as typed: full-width brackets belong to Chinese company names.
        ("text", "东宁广告（上海）有限公司", "东宁广告（上海）有限公司"),
        ("text", "ＡＢＣ商行", "ＡＢＣ商行"),
    ],
)
def test_normalize(kind: str, typed: str, stored: str) -> None:
    assert field_types.TYPES[kind].normalize(typed) == stored


def test_the_model_normalizes_whatever_builds_it() -> None:
    general = GeneralData(
        PSTLZ="２０００００", STCD5=" 91310000ma1fl4xq3b ", TELF1="０２１－１２３４５６７８"
    )
    assert (general.postal_code, general.tax_number_5, general.telephone) == (
        "200000",
        "91310000MA1FL4XQ3B",
        "021-12345678",
    )
    general.postal_code = "　１０００２０"  # assignment too; the ideographic space is stripped
    assert general.postal_code == "100020"
    assert PartnerFunction(PARZA="００１").counter == "001"
    assert BankDetail(BANKN="１２３４５６７").bank_account == "1234567"
    # A name is kept as typed (and an invisible character in it too: the validator refuses
    # it, naming it, rather than the model dropping it).
    assert GeneralData(NAME1="东宁（上海）\u200b").name == "东宁（上海）\u200b"


def test_a_full_width_postal_code_passes_the_check_as_ascii(customizing: Customizing) -> None:
    doc = example_document()
    doc["KNA1"]["PSTLZ"] = "２０００００"
    customer = from_document(doc)
    assert customer.general.postal_code == "200000"
    assert Validator(customizing).validate(customer) == []


@pytest.mark.parametrize("digits", ["٢٠٠٠٠٠", "२०००००"])  # Arabic-Indic, Devanagari
def test_other_digits_are_no_postal_code(customizing: Customizing, digits: str) -> None:
    # NFKC leaves them as they are, and the check takes ASCII digits only (\d took them).
    doc = example_document()
    doc["KNA1"]["PSTLZ"] = digits
    problems = Validator(customizing).validate(from_document(doc))
    assert [p.field_key for p in problems] == ["KNA1-PSTLZ"]


def test_a_numc_field_takes_ascii_digits_only(customizing: Customizing) -> None:
    doc = example_document()
    doc["KNVV"][0]["KNVP"][0]["PARZA"] = "٠٠١"
    problems = Validator(customizing).validate(from_document(doc))
    assert [(p.field_key, p.message.zh) for p in problems] == [
        ("KNVP-PARZA", "合伙人计数器只能包含数字")
    ]


# -- refused characters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "kind"),
    [
        ("\x00", "不可见的控制字符"),
        ("\x07", "不可见的控制字符"),
        ("\t", "不可见的控制字符"),
        ("\n", "不可见的控制字符"),
        ("\r", "不可见的控制字符"),
        ("\x7f", "不可见的控制字符"),
        ("\x85", "不可见的控制字符"),
        ("\u2028", "不可见的控制字符"),
        ("\u202a", "文字方向控制字符"),
        ("\u202e", "文字方向控制字符"),
        ("\u2066", "文字方向控制字符"),
        ("\u2069", "文字方向控制字符"),
        ("\u200e", "文字方向控制字符"),
        ("\u200f", "文字方向控制字符"),
        ("\u061c", "文字方向控制字符"),
        ("\u200b", "零宽字符"),
        ("\u200c", "零宽字符"),
        ("\u200d", "零宽字符"),
        ("\u2060", "零宽字符"),
        ("\ufeff", "零宽字符"),
        ("\ud800", "无效的 Unicode 字符"),
    ],
    ids=lambda v: f"U+{ord(v):04X}" if len(v) == 1 else v,
)
def test_each_invisible_character_is_refused_by_name(char: str, kind: str) -> None:
    problem = hygiene.field_problem("KNA1-NAME1", NAME, f"东宁{char}广告", "")
    assert problem is not None
    code = f"U+{ord(char):04X}"
    assert problem.line() == f"KNA1-NAME1: 名称含有{kind}（{code}），请删除后重新输入"
    assert code in problem.message.en and problem.message.en.startswith("Name contains ")


def test_several_kinds_in_one_field_are_named_together() -> None:
    problem = hygiene.field_problem("KNA1-NAME1", NAME, "a\x07b\u200bc\x07d\u202e", "")
    assert problem is not None
    assert problem.message.zh == (
        "名称含有不可见的控制字符（U+0007）、零宽字符（U+200B）、文字方向控制字符（U+202E），"
        "请删除后重新输入"
    )


@pytest.mark.parametrize(
    "text",
    [
        "东宁广告有限公司",
        "𠀋𠀋𠀋",  # CJK Extension B, beyond the basic plane
        "王𪚥",
        "花店🌸",
        "👍🏽",  # an emoji with its skin-tone modifier
        "葛\U000e0100",  # an ideographic variation selector: a glyph variant of a name
        "东宁　广告",  # the ideographic space
        "Dong ning Advertise co.",
        "\ue000",  # private use: rare characters of the GB 18030 era live there
    ],
)
def test_visible_characters_are_kept(text: str) -> None:
    assert hygiene.field_problem("KNA1-NAME1", NAME, text, "") is None


def test_the_validator_reports_every_field_at_once(customizing: Customizing) -> None:
    doc = example_document()
    doc["KNA1"]["NAME1"] = "东宁\x07广告有限公司"
    doc["KNA1"]["STRAS"] = "长宁路\u202e262号"
    doc["KNBK"][0]["KOINH"] = "工商\u200b银行"
    doc["KNVV"][0]["INCO2"] = "Shang\nhai"
    customer = from_document(doc)
    expected = [
        "KNA1-NAME1: 名称含有不可见的控制字符（U+0007），请删除后重新输入",
        "KNA1-STRAS: 街道/门牌号含有文字方向控制字符（U+202E），请删除后重新输入",
        "KNBK-KOINH: 账户持有人含有零宽字符（U+200B），请删除后重新输入",
        "KNVV-INCO2 [F011/10/01]: 国际贸易条件地点含有不可见的控制字符（U+000A），请删除后重新输入",
    ]
    validated = [p.line() for p in Validator(customizing).validate(customer)]
    assert validated == expected
    # The same without customizing or database, for a channel to ask before any query.
    assert [p.line() for p in input_problems(customer)] == expected


def test_length_counts_characters_and_nothing_is_cut(customizing: Customizing) -> None:
    doc = example_document()
    doc["KNA1"]["NAME1"] = "𠀋" * 35  # 35 characters (70 UTF-16 units, 140 UTF-8 bytes)
    assert Validator(customizing).validate(from_document(doc)) == []
    doc["KNA1"]["NAME1"] = "𠀋" * 36
    customer = from_document(doc)
    assert customer.general.name == "𠀋" * 36
    assert [p.line() for p in Validator(customizing).validate(customer)] == [
        "KNA1-NAME1: 名称最多 35 个字符，输入了 36 个"
    ]


# -- files ------------------------------------------------------------------------------------


def _written(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "customer.json"
    path.write_bytes(data)
    return path


TEXT = json.dumps(example_document(), ensure_ascii=False)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_with_or_without_bom(tmp_path: Path, encoding: str) -> None:
    path = _written(tmp_path, TEXT.encode(encoding))
    assert hygiene.read_text_utf8(path) == TEXT
    assert load_document(path).general.name == "东宁广告有限公司"


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [
        ("gbk", "GBK"),
        ("gb18030", "GBK"),
        ("utf-16", "UTF-16"),  # with its byte-order mark
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-32", "UTF-32"),
    ],
)
def test_other_encodings_are_refused_by_name(tmp_path: Path, encoding: str, detected: str) -> None:
    path = _written(tmp_path, TEXT.encode(encoding))
    with pytest.raises(hygiene.UnreadableFile) as caught:
        hygiene.read_text_utf8(path)
    (problem,) = caught.value.problems
    assert problem.line() == (
        f"{path}: 不是 UTF-8 编码（看起来是 {detected} 编码）；请将文件另存为 UTF-8 编码"
    )
    assert (
        problem.line("en")
        == f"{path}: Not UTF-8 (it looks like {detected}); save the file as UTF-8"
    )


def test_an_unknown_encoding_is_refused_without_a_guess(tmp_path: Path) -> None:
    path = _written(tmp_path, b'{"KNA1": {"NAME1": "\xff\xff"}}')
    with pytest.raises(hygiene.UnreadableFile) as caught:
        hygiene.read_text_utf8(path)
    assert caught.value.problems[0].message.zh == "不是 UTF-8 编码；请将文件另存为 UTF-8 编码"


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(hygiene.UnreadableFile) as caught:
        load_document(tmp_path / "none.json")
    assert caught.value.problems[0].line().startswith(f"{tmp_path / 'none.json'}: 无法读取文件：")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "文件是空的"),
        ("  \n", "文件是空的"),
        ("KNA1: x", "不是有效的 JSON（第 1 行第 1 列：Expecting value）"),
        ('{"KNA1": {}', "不是有效的 JSON（第 1 行第 12 列：Expecting ',' delimiter）"),
        ("[" * 100_000 + "]" * 100_000, "JSON 的嵌套层次太深，不是客户文档"),
    ],
    ids=["empty", "blank", "not-json", "unclosed", "nested-100000"],
)
def test_a_file_that_is_no_json(tmp_path: Path, text: str, message: str) -> None:
    path = _written(tmp_path, text.encode())
    with pytest.raises(hygiene.UnreadableFile) as caught:
        load_document(path)
    assert [p.line() for p in caught.value.problems] == [f"{path}: {message}"]


def test_a_huge_number_is_reported_as_a_number_where_text_belongs(tmp_path: Path) -> None:
    # Python refuses to convert more than 4300 digits; the reader never converts.
    path = _written(tmp_path, ('{"KNA1": {"KUNNR": ' + "9" * 5000 + "}}").encode())
    with pytest.raises(DomainError) as caught:
        load_document(path)
    assert [p.line() for p in caught.value.problems] == [
        "KNA1-KUNNR: 客户必须是文本（JSON 字符串），不能是数字"
    ]


def test_a_customer_is_a_customer_after_the_round_trip() -> None:
    customer = from_document(example_document())
    assert isinstance(customer, Customer) and input_problems(customer) == []


# -- the usage extract: the same detection, full-width cells folded ---------------------------

USAGE_CSV = "KUNNR,BUKRS,DOC_COUNT,LAST_DOC_DATE\n2110380001,F011,1,2024-05-01\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_a_usage_extract_in_utf16_is_refused_by_name(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "usage.csv"
    path.write_bytes(USAGE_CSV.encode(encoding))
    assert [p.text() for p in read_extract(path).problems] == [
        "文件：不是 UTF-8 编码（看起来是 UTF-16 编码）；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”"
    ]


def test_full_width_cells_of_a_usage_extract_are_read_as_ascii(tmp_path: Path) -> None:
    path = tmp_path / "usage.csv"
    path.write_text(
        USAGE_CSV.replace(
            "2110380001,F011,1,2024-05-01",
            "２１１０３８０００１,Ｆ０１１,１２,２０２４－０５－０１",
        ),
        encoding="utf-8",
    )
    extract = read_extract(path)
    assert extract.problems == []
    (row,) = extract.rows
    entry = row.entry()
    assert (entry.number, entry.org_unit, entry.doc_count, entry.last_doc_date) == (
        "2110380001",
        "F011",
        12,
        date(2024, 5, 1),
    )
