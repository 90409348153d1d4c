"""How the customer list's tokens are made and how a search text is read (domain.search_terms)."""

from __future__ import annotations

from custmd_gui.domain import names
from custmd_gui.domain import search_terms as st
from custmd_gui.domain.sap_document import from_document
from tests.conftest import example_document


def _labels(text: str) -> list[list[str]]:
    return [[r.label for r in w.readings] for w in st.read_text(text)]


def test_grams_of_a_name() -> None:
    assert st.text_grams(st.fold("东宁(上海)")) == {
        (st.CHAR, "东"),
        (st.CHAR, "宁"),
        (st.CHAR, "上"),
        (st.CHAR, "海"),
        (st.PAIR, "东宁"),
        (st.PAIR, "上海"),
    }
    assert st.fold("ＡＢＣ　Trading  Co.") == "abc trading co."


def test_initials_with_heteronyms() -> None:
    assert st.initials_variants("东宁广告有限公司") == ["dnggyxgs"]
    assert st.initials_variants("重庆") == ["cq", "zq"]
    assert st.initials_variants("长沙") == ["cs", "zs"]
    assert st.initials_variants("厦门") == ["xm", "sm"]
    # 银行 is read yinhang in its phrase; 行 alone is xing: both are indexed.
    assert st.initials_variants("华夏银行") == ["hxyh", "hxyx"]
    assert len(st.initials_variants("重庆长安银行朝阳支行")) == st.MAX_INITIALS_VARIANTS
    assert st.initials_variants("ABC 贸易") == ["abcmy"]
    assert st.initials_variants("(((") == []
    # the name and its key (without city and legal form), read in the name's phrases
    assert st.name_initials("东宁广告(上海)有限公司") == ["dnggshyxgs", "dngg"]
    assert st.name_initials("重庆长安汽车有限公司")[:2] == ["cqcaqcyxgs", "zqcaqcyxgs"]
    assert "caqc" in st.name_initials("重庆长安汽车有限公司")


def test_initials_tokens_are_prefixes() -> None:
    tokens = st.initials_tokens(["dnggyxgs", "dngg"])
    assert tokens == {(st.INITIALS, "dnggyxgs"[:n]) for n in range(2, 9)}
    longer = st.initials_tokens(["shdnggyxgs"])
    assert (st.INITIALS, "shdnggyx") in longer and (st.INITIALS, "shdnggyxg") not in longer
    assert (st.INITIALS_TEXT, "shdnggyxgs") in longer


def test_phone_tokens() -> None:
    assert st.phone_tokens(["021-5555 1234", "+86 139 1234 0088", "123"]) == {
        "2155551234",
        "55551234",
        "5551234",
        "1234",
        "13912340088",
        "12340088",
        "2340088",
        "0088",
    }


def test_tokens_of_the_example_customer() -> None:
    customer = from_document(example_document())
    tokens = st.customer_tokens(st.indexed(customer))
    assert {
        (st.CITY, "上海"),
        (st.POSTAL_CODE, "200000"),
        (st.ACCOUNT_GROUP, "1110"),
        (st.COMPANY_CODE, "F011"),
        (st.SALES_AREA, "F011/10/01"),
        (st.TEXT, "东宁广告有限公司"),
        (st.TEXT, "dong ning advertise co."),
        (st.TEXT, "东宁广告"),
        (st.INITIALS, "dngg"),
        (st.CHAR, "东"),
        (st.PAIR, "ng"),
    } <= tokens
    assert not {t for t in tokens if t[0] == st.FLAG}
    blocked = customer.model_copy(deep=True)
    blocked.general.order_block = "01"
    blocked.general.deletion_flag = True
    flags = {t for t in st.customer_tokens(st.indexed(blocked)) if t[0] == st.FLAG}
    assert flags == {(st.FLAG, st.BLOCKED), (st.FLAG, st.DELETION)}
    assert all(len(token) <= st.TOKEN_LENGTH for _, token in tokens)


def test_how_a_text_is_read() -> None:
    assert _labels("东宁") == [["name", "city"]]
    assert _labels("dngg") == [["number", "name", "initials", "city", "postal_code"]]
    assert _labels("2110") == [["number", "name", "postal_code", "telephone"]]
    assert _labels("91310000631696382C") == [["name", "city", "tax_number"]]
    # a telephone number with spaces is one word; as stored and as typed (leading zero)
    words = st.read_text("+86 21 5555 1234")
    assert [w.text for w in words] == ["+862155551234"]
    phones = [r.atoms for r in words[0].readings if r.label == "telephone"]
    assert phones == [(st.Token(st.PHONE, "2155551234"),), (st.Token(st.PHONE, "862155551234"),)]
    # other words are searched each on its own, once
    assert [w.text for w in st.read_text("东宁  上海 东宁")] == ["东宁", "上海"]
    assert st.read_text("  ") == [] and st.read_text("...") == []


def test_substrings_are_found_through_their_pairs() -> None:
    (word,) = st.read_text("宁广告")
    name = word.readings[0]
    assert name.atoms == (st.Like(st.TEXT, "%宁广告%"),)
    assert set(name.driver_candidates()) == {st.Token(st.PAIR, "宁广"), st.Token(st.PAIR, "广告")}
    (one,) = st.read_text("宁")
    assert one.readings[0].atoms == (st.Token(st.CHAR, "宁"),)
    (special,) = st.read_text("50%_")
    assert special.readings[0].atoms == (st.Like(st.TEXT, "%50\\%\\_%"),)


def test_the_key_of_the_duplicate_check_is_unchanged() -> None:
    """The list reads the duplicate check's tax-number tokens; their kind must match."""
    assert st.TAX_NUMBER == names.TAX_NUMBER


def test_the_catalog_says_which_fields_are_searched() -> None:
    # indexed() reads the catalog's `search` attribute; these are the fields it indexed when
    # it named them itself, and the tokens of the index depend on exactly these.
    customer = from_document(example_document())
    g = customer.general
    g.telephone, g.fax, g.billing_block, g.posting_block = "021-1", "021-2", "", True
    assert st.indexed(customer) == st.Indexed(
        names=(g.name, g.name_2, g.name_3, g.name_4),
        search_term=g.search_term,
        city=g.city,
        postal_code=g.postal_code,
        phones=(g.telephone, g.fax),
        account_group=g.account_group,
        company_codes=tuple(c.company_code for c in customer.company_codes),
        sales_areas=tuple(
            f"{a.sales_org}/{a.distribution_channel}/{a.division}" for a in customer.sales_areas
        ),
        blocked=True,
        deletion_flag=False,
    )
    assert st.segment_tokens(customer.company_codes, customer.sales_areas) == {
        (st.COMPANY_CODE, "F011"),
        (st.SALES_AREA, "F011/10/01"),
    }
