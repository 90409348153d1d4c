"""Field proposals and derived values (issue 16, item 2): the shipped customizing's proposals,
the user's responsibility center, SD02's next number, the derivations while typing, and the
check of the customizing when it is loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from custmd_gui.catalog import catalog
from custmd_gui.domain.customizing import CustomizingError
from custmd_gui.domain.field_status import FieldStatus
from custmd_gui.domain.proposals import (
    customizing_proposals,
    derived_values,
    field_proposals,
    next_number,
    organisation_proposals,
    responsibility_center,
    sd02_prefix,
)
from custmd_gui.resources import customizing_dir
from custmd_gui.services.context import Actor
from custmd_gui.services.customizing import load_shipped, shipped
from custmd_gui.services.proposals import UserOrganisation
from custmd_gui.wizard.initial import Keys
from custmd_gui.wizard.proposals import WizardProposals


def _resolved(group: str, company_code: str, sales_org: str) -> dict[str, str]:
    return customizing_proposals(
        field_proposals(shipped(), catalog()), group, company_code, sales_org
    )


def test_the_documents_values_are_proposed_for_a_domestic_direct_customer() -> None:
    got = _resolved("1110", "F011", "F011")
    assert {
        "KNVV-WAERS": "CNY",
        "KNVV-KONDA": "10",
        "KNVV-KALKS": "1",
        "KNVV-PLTYP": "01",
        "KNVV-VERSG": "1",
        "KNVV-VWERK": "F011",
        "KNVV-VSBED": "11",
    }.items() <= got.items()
    assert "KNVV-VKBUR" not in got  # the office is the user's, not the sales organization's


def test_the_plant_is_the_sales_organizations_own() -> None:
    assert _resolved("1110", "F015", "F015")["KNVV-VWERK"] == "F015"
    head_office = _resolved("1110", "", "F001")
    # The documents' extension to the head office: plant FW00, office 1020, group 020.
    assert (head_office["KNVV-VWERK"], head_office["KNVV-VSBED"]) == ("FW00", "20")
    assert (head_office["KNVV-VKBUR"], head_office["KNVV-VKGRP"]) == ("1020", "020")


def test_scopes_by_account_group() -> None:
    foreign = _resolved("1120", "F011", "F011")
    assert foreign["KNVV-PLTYP"] == "03" and "KNVV-WAERS" not in foreign
    ship_to = _resolved("1310", "", "F011")
    assert "KNVV-KONDA" not in ship_to and ship_to["KNVV-VERSG"] == "1"


def _customizing_with(tmp_path: Path, entry: str) -> Path:
    folder = tmp_path / "customizing"
    shutil.copytree(customizing_dir(), folder)
    (folder / "proposals.yaml").write_text(
        "lists:\n  field_proposals:\n    label: {zh: 字段建议值, en: Field proposals}\n"
        f"    parent: null\n    values:\n      - {entry}\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "{code: BAD, zh: x, en: x, attrs: {field: KNVV-NOPE, value: '1'}}",
            "field proposal BAD: unknown field 'KNVV-NOPE'",
        ),
        (
            "{code: BAD, zh: x, en: x, attrs: {field: KNVV-WAERS, value: XYZ}}",
            "field proposal BAD: value 'XYZ' is not in the value list currencies",
        ),
        (
            "{code: BAD, zh: x, en: x, attrs: {field: KNVV-VWERK, value: F011, sales_orgs: F099}}",
            "field proposal BAD: unknown sales_orgs F099",
        ),
        (
            "{code: BAD, zh: x, en: x, attrs: {field: KNA1-BEGRU, value: '123456'}}",
            "field proposal BAD: value '123456' is longer than KNA1-BEGRU",
        ),
    ],
)
def test_a_proposal_that_does_not_fit_is_refused_when_loading(
    tmp_path: Path, entry: str, message: str
) -> None:
    with pytest.raises(CustomizingError, match=message):
        load_shipped(_customizing_with(tmp_path, entry))


def test_the_most_specific_proposal_wins(tmp_path: Path) -> None:
    folder = _customizing_with(
        tmp_path, "{code: ALL, zh: x, en: x, attrs: {field: KNVV-PLTYP, value: '01'}}"
    )
    with (folder / "proposals.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "      - {code: F015, zh: x, en: x, attrs: {field: KNVV-PLTYP, value: '03', "
            "sales_orgs: F015, account_groups: '1110'}}\n"
        )
    cust = load_shipped(folder)
    entries = field_proposals(cust, catalog())
    assert customizing_proposals(entries, "1110", "F015", "F015")["KNVV-PLTYP"] == "03"
    assert customizing_proposals(entries, "1110", "F011", "F011")["KNVV-PLTYP"] == "01"


def test_the_responsibility_center_of_a_user() -> None:
    cust = shipped()
    assert responsibility_center(cust, "1038", None) == "1038"
    assert responsibility_center(cust, "0101", frozenset({"1038"})) == "1038"
    assert responsibility_center(cust, None, frozenset({"1038", "1011"})) == ""
    assert responsibility_center(cust, "0101", None) == ""


def test_the_centers_own_data_are_proposed_in_its_own_sales_organization_only() -> None:
    cust = shipped()
    own = organisation_proposals(cust, "1038", general=True, company_code="F011", sales_org="F011")
    assert own == {
        "KNA1-BEGRU": "1038",
        "KNB1-BEGRU": "1038",
        "KNVV-BEGRU": "1038",
        "KNVV-VKBUR": "1038",
        "KNVV-VKGRP": "038",
    }
    head_office = organisation_proposals(
        cust, "1038", general=False, company_code="", sales_org="F001"
    )
    assert head_office == {"KNVV-BEGRU": "1038"}
    assert (
        organisation_proposals(cust, "", general=True, company_code="F011", sales_org="F011") == {}
    )


def test_the_sd02_number() -> None:
    cust = shipped()
    assert sd02_prefix(cust, "1038") == "211038"
    assert sd02_prefix(cust, "1501") == "215501"
    assert sd02_prefix(cust, "1038", "F015") == "215038"
    assert sd02_prefix(cust, "") == ""
    assert next_number("211038", None) == "2110380001"
    assert next_number("211038", "2110380041") == "2110380042"
    assert next_number("211038", "2110389999") == ""


def test_derived_values() -> None:
    assert derived_values({"KNA1-LAND1": "CN", "KNA1-PSTLZ": "510000"}) == {
        "KNA1-REGIO": "190",
        "KNA1-ORT01": "广州",
    }
    assert derived_values({"KNA1-LAND1": "US", "KNA1-PSTLZ": "510000"}) == {}
    assert derived_values({"KNA1-PSTLZ": "2000000"}) == {}  # the documents' typo: nothing
    assert derived_values({"KNA1-NAME1": "东宁广告有限公司"}) == {"KNA1-NAME3": "东宁广告有限公司"}


# -- applying them to a wizard document -----------------------------------------------------


def _wizard_proposals(center: str = "") -> WizardProposals:
    proposals = WizardProposals(None, shipped(), Actor("clerk"), catalog())  # type: ignore[arg-type]
    proposals._organisation = UserOrganisation(center)
    return proposals


def _document() -> dict[str, object]:
    doc: dict[str, object] = {
        fd.key: "" for fd in catalog() if fd.table in ("KNA1", "KNB1", "KNVV")
    }
    doc.update(
        {"KNA1-LAND1": "CN", "KNBK": [], "KNVI": [{"country": "CN", "tax_category": "MWST"}]}
    )
    return doc


KEYS = Keys("1110", "", "F011", ("F011", "10", "01"), None)


def test_proposals_fill_empty_fields_of_the_new_segments_only() -> None:
    proposals = _wizard_proposals("1038")
    doc = _document()
    doc["KNVV-WAERS"] = "USD"  # copied from a reference, say
    proposals.at_open(doc, KEYS, {"KNVV-PLTYP": FieldStatus.SUPPRESSED}, reference=False)
    assert doc["KNVV-WAERS"] == "USD" and not proposals.is_proposed("KNVV-WAERS", doc)
    assert doc["KNVV-PLTYP"] == ""  # suppressed for the group: left alone
    assert (doc["KNVV-VKBUR"], doc["KNVV-VKGRP"], doc["KNB1-BEGRU"]) == ("1038", "038", "1038")
    assert doc["KNVV-VWERK"] == "F011" and proposals.is_proposed("KNVV-VWERK", doc)
    assert doc["KNVI"] == [{"country": "CN", "tax_category": "MWST", "tax_classification": "1"}]


def test_derived_values_never_overwrite_what_was_typed() -> None:
    proposals = _wizard_proposals()
    doc = _document()
    proposals.at_open(doc, KEYS, {}, reference=False)
    doc["KNA1-PSTLZ"] = "510000"
    changes = proposals.derive(doc)
    assert changes.fields == {"KNA1-REGIO": "190", "KNA1-ORT01": "广州"}
    # The clerk types another city; a later postal code changes the region, not the city.
    doc["KNA1-ORT01"] = "佛山"
    proposals.touched("KNA1-ORT01")
    doc["KNA1-PSTLZ"] = "200000"
    proposals.derive(doc)
    assert (doc["KNA1-REGIO"], doc["KNA1-ORT01"]) == ("020", "佛山")
    # A postal code typed on (no longer six digits) takes the untouched region back.
    doc["KNA1-PSTLZ"] = "2000000"
    proposals.derive(doc)
    assert (doc["KNA1-REGIO"], doc["KNA1-ORT01"]) == ("", "佛山")
    # A field the clerk emptied stays empty.
    proposals.touched("KNA1-REGIO")
    doc["KNA1-PSTLZ"] = "510000"
    proposals.derive(doc)
    assert doc["KNA1-REGIO"] == ""


def test_the_customers_country_goes_to_new_bank_rows_and_proposed_tax_lines() -> None:
    proposals = _wizard_proposals()
    doc = _document()
    proposals.at_open(doc, KEYS, {}, reference=False)
    doc["KNA1-LAND1"] = "HK"
    doc["KNBK"] = [{"bank_country": "", "bank_key": "F011"}, {"bank_country": "CN"}]
    proposals.derive(doc)
    assert [(r["bank_country"], r["bank_key"]) for r in doc["KNBK"]] == [  # type: ignore[attr-defined]
        ("HK", "F011"),
        ("CN", "F011"),  # the branch's code as the bank key (SD02)
    ]
    assert doc["KNVI"][0]["country"] == "HK"  # type: ignore[index]
    doc["KNVI"][0]["country"] = "CN"  # type: ignore[index]  # typed over by the clerk
    doc["KNA1-LAND1"] = "MO"
    proposals.derive(doc)
    assert doc["KNVI"][0]["country"] == "CN"  # type: ignore[index]
