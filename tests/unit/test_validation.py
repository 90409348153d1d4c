"""The validator: all problems at once, each naming field, segment and message."""

from __future__ import annotations

from custmd_gui.domain.field_status import Activity
from custmd_gui.domain.field_types import phone_problem
from custmd_gui.domain.model import Customer
from custmd_gui.domain.validation import Validator
from custmd_gui.services.customizing import shipped
from tests.conftest import example_document


def _validate(doc: dict, activity: Activity = Activity.CREATE) -> list:
    return Validator(shipped()).validate(Customer.model_validate(doc), activity)


def test_documents_example_is_valid() -> None:
    assert _validate(example_document()) == []


def test_postal_code_typo_of_the_documents_is_caught() -> None:
    doc = example_document()
    doc["KNA1"]["PSTLZ"] = "2000000"
    problems = _validate(doc)
    assert [p.field_key for p in problems] == ["KNA1-PSTLZ"]
    assert "6 位数字" in problems[0].message.zh
    assert "CN" in problems[0].message.en


def test_all_problems_are_reported_at_once_with_segments() -> None:
    doc = example_document()
    doc["KNA1"]["NAME1"] = ""
    doc["KNA1"]["REGIO"] = "999"
    doc["KNB1"][0]["ZTERM"] = "XXXX"
    doc["KNVV"][0]["VSBED"] = "99"
    doc["KNVV"][0]["KNVI"] = []
    found = {(p.field_key, p.segment) for p in _validate(doc)}
    assert found == {
        ("KNA1-NAME1", ""),
        ("KNA1-REGIO", ""),
        ("KNB1-ZTERM", "F011"),
        ("KNVV-VSBED", "F011/10/01"),
        ("KNVI-TAXKD", "F011/10/01"),
    }


def test_messages_come_in_both_languages() -> None:
    doc = example_document()
    doc["KNA1"]["NAME1"] = ""
    (problem,) = _validate(doc)
    assert problem.message.zh == "请输入名称（必输字段）"
    assert problem.message.en == "Name is required"


def test_too_long_value_names_the_length() -> None:
    doc = example_document()
    doc["KNA1"]["SORTL"] = "东宁广告东宁广告东宁广告"
    (problem,) = _validate(doc)
    assert problem.field_key == "KNA1-SORTL" and "最多 10 个字符" in problem.message.zh


def test_region_is_checked_against_the_country() -> None:
    doc = example_document()
    doc["KNA1"]["LAND1"] = "HK"
    doc["KNA1"]["PSTLZ"] = ""
    problems = _validate(doc)
    assert any(p.field_key == "KNA1-REGIO" and "HK" in p.message.zh for p in problems)


def test_suppressed_field_with_a_value_is_refused() -> None:
    doc = example_document()
    doc["KNA1"]["KTOKD"] = "1310"
    doc["KNA1"]["KUNNR"] = ""
    problems = _validate(doc)
    keys = {p.field_key for p in problems}
    # ship-to parties have no accounting or billing data
    assert {"KNB1-AKONT", "KNB1-ZTERM", "KNVV-KONDA", "KNVV-ZTERM", "KNVI-TAXKD"} <= keys
    assert all("隐藏" in p.message.zh for p in problems if p.field_key == "KNB1-AKONT")


def test_required_fields_differ_by_account_group() -> None:
    doc = example_document()
    doc["KNA1"]["NAME3"] = ""
    assert [p.field_key for p in _validate(doc)] == ["KNA1-NAME3"]  # 1110 requires it
    doc["KNA1"]["KTOKD"] = "1120"  # foreign direct sales does not
    doc["KNA1"]["NAME2"] = "Dong ning Advertise co."
    assert [p.field_key for p in _validate(doc)] == []


def test_display_field_cannot_change() -> None:
    before = Customer.model_validate(example_document())
    doc = example_document()
    doc["KNB1"][0]["AKONT"] = "1122000000"
    after = Customer.model_validate(doc)
    problems = Validator(shipped()).validate(after, Activity.CHANGE, before=before)
    assert [(p.field_key, p.segment) for p in problems] == [("KNB1-AKONT", "F011")]
    assert "只能显示" in problems[0].message.zh


def test_uscc_is_checked_for_chinese_customers() -> None:
    doc = example_document()
    doc["KNA1"]["STCD5"] = "91110000600037341A"
    (problem,) = _validate(doc)
    assert problem.field_key == "KNA1-STCD5" and "校验码" in problem.message.zh
    doc["KNA1"]["STCD5"] = "91110000600037341L"
    assert _validate(doc) == []


def test_unknown_sales_area_is_refused() -> None:
    doc = example_document()
    doc["KNVV"][0]["VTWEG"] = "40"  # channel 40 exists only for the head office
    problems = _validate(doc)
    assert ("KNVV-VKORG", "F011/40/01") in {(p.field_key, p.segment) for p in problems}


def test_duplicate_segments_are_refused() -> None:
    doc = example_document()
    doc["KNB1"].append(dict(doc["KNB1"][0]))
    problems = _validate(doc)
    assert [(p.field_key, p.segment) for p in problems] == [("KNB1-BUKRS", "F011")]


def test_telephone_numbers() -> None:
    for ok in (
        "021-62345678",
        "13912345678",
        "+86 21 6234 5678",
        "(021) 6234-5678 转 123",
        "0755-8888888",
    ):
        assert phone_problem(ok, "CN") is None, ok
    for bad, fragment in (
        ("12345", "7-15"),
        ("021-6234abcd", "只能包含"),
        ("12012345678", "手机号码"),
        ("1234567890123456", "7-15"),
    ):
        found = phone_problem(bad, "CN")
        assert found is not None and fragment in found[0], bad


def test_telephone_problem_names_the_field() -> None:
    doc = example_document()
    doc["KNA1"]["TELF1"] = "021-6234abcd"
    (problem,) = _validate(doc)
    assert problem.field_key == "KNA1-TELF1" and problem.message.zh.startswith("电话")


def test_display_activity_requires_nothing() -> None:
    doc = example_document()
    doc["KNA1"]["NAME1"] = ""
    assert all(p.field_key != "KNA1-NAME1" for p in _validate(doc, Activity.DISPLAY))


def test_display_only_field_at_create_takes_only_the_proposed_value() -> None:
    doc = example_document()
    doc["KNA1"].update({"KTOKD": "1510", "KUNNR": ""})
    doc["KNB1"][0]["AKONT"] = "00"  # typed, but 1510 decides 1122100000
    problems = [p for p in _validate(doc) if p.field_key == "KNB1-AKONT"]
    assert [p.message.zh for p in problems] == ["统驭科目只能显示，由科目组 1510 决定"]
    doc["KNB1"][0]["AKONT"] = "1122100000"
    assert [p for p in _validate(doc) if p.field_key == "KNB1-AKONT"] == []


def _variants() -> list[dict]:
    """The example changed where a field's check depends on more than its value: the country
    (postal code, telephone, credit code), the value of the parent field (a region of a
    country), the account group (required, suppressed, display-only) and the segment."""
    out = [example_document()]
    for general in (
        {"PSTLZ": "2000000"},
        {"LAND1": "HK", "PSTLZ": ""},
        {"LAND1": "HK", "PSTLZ": "2000000", "TELF1": "12012345678"},
        {"TELF1": "12012345678"},
        {"STCD5": "91110000600037341A"},
        {"LAND1": "HK", "STCD5": "91110000600037341A"},
        {"KTOKD": "1310", "KUNNR": ""},
        {"KTOKD": "1120", "NAME3": "", "NAME2": "Dong ning Advertise co."},
        {"NAME3": ""},
        {"KTOKD": "1510", "KUNNR": ""},
    ):
        doc = example_document()
        doc["KNA1"].update(general)
        out.append(doc)
    doc = example_document()
    doc["KNVV"][0]["VTWEG"] = "40"
    out.append(doc)
    doc = example_document()
    doc["KNB1"].append({**doc["KNB1"][0], "BUKRS": "F012"})
    out.append(doc)
    return out


def test_a_remembering_validator_finds_what_a_fresh_one_finds() -> None:
    remembering = Validator(shipped(), remember=True)
    for _ in range(2):  # the second round answers from what the first one kept
        for doc in _variants():
            customer = Customer.model_validate(doc)
            expected = Validator(shipped()).validate(customer)
            assert remembering.validate(customer) == expected, doc["KNA1"]
    assert any(_validate(doc) for doc in _variants())  # the variants are not all valid
