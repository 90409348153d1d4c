"""The shipped customizing: complete, consistent with the catalog, values of the documents."""

from __future__ import annotations

import re

import pytest

from custmd_gui.catalog import catalog
from custmd_gui.services.customizing import shipped


def test_every_value_help_of_the_catalog_is_shipped() -> None:
    lists = shipped().lists
    for fd in catalog():
        if fd.value_help:
            assert fd.value_help in lists, f"{fd.key}: list {fd.value_help} missing"
            assert lists[fd.value_help].values, f"{fd.key}: list {fd.value_help} empty"


def test_every_list_the_issue_names_is_shipped() -> None:
    required = {
        "company_codes",
        "sales_orgs",
        "distribution_channels",
        "divisions",
        "sales_areas",
        "sales_offices",
        "sales_groups",
        "plants",
        "shipping_conditions",
        "price_groups",
        "pricing_procedures",
        "price_list_types",
        "statistics_groups",
        "account_assignment_groups",
        "tax_classifications",
        "reconciliation_accounts",
        "payment_terms",
        "incoterms",
        "industries",
        "nielsen_ids",
        "legal_statuses",
        "titles",
        "partner_functions",
        "block_reasons",
        "languages",
        "countries",
        "regions",
        "account_groups",
    }
    assert required <= set(shipped().lists)


@pytest.mark.parametrize(
    ("list_id", "code", "zh"),
    [
        ("company_codes", "F001", "总部"),
        ("company_codes", "F011", "浦西分公司"),
        ("company_codes", "F015", "广州分公司"),
        ("distribution_channels", "40", "总公司销售到分公司"),
        ("divisions", "02", "服务"),
        ("shipping_conditions", "11", "浦西分公司直接顾客"),
        ("price_groups", "10", "直接客户"),
        ("price_list_types", "03", "外销客户"),
        ("payment_terms", "0001", "立即支付"),
        ("nielsen_ids", "02", "台湾"),
        ("legal_statuses", "02", "外商独资"),
        ("industries", "0002", "采掘业"),
        ("titles", "公司", "公司"),
        ("partner_functions", "RG", "付款方"),
        ("account_assignment_groups", "01", "国内收入"),
    ],
)
def test_values_of_the_documents(list_id: str, code: str, zh: str) -> None:
    value = shipped().value(list_id, code)
    assert value is not None and value.text.zh == zh


def test_head_office_extension_values_exist() -> None:
    cust = shipped()
    assert cust.has("sales_areas", "F001/40/01")
    assert cust.has("sales_offices", "1020") and cust.has("sales_groups", "020")
    assert cust.has("shipping_conditions", "20") and cust.has("plants", "FW00")


def test_regions_of_china() -> None:
    regions = shipped().values("regions", parent="CN")
    codes = {r.code: r.text.zh for r in regions}
    assert codes["010"] == "北京" and codes["020"] == "上海"
    assert len(codes) == 34  # every provincial-level division


def test_countries_cover_iso_3166() -> None:
    countries = shipped().lists["countries"].values
    assert len(countries) >= 249
    for code in ("CN", "HK", "MO", "TW", "US", "DE", "JP"):
        assert shipped().has("countries", code)
    for value in countries.values():
        assert re.fullmatch("[A-Z]{2}", value.code)
        pattern = value.attrs.get("postal_code")
        if pattern:
            re.compile(pattern)
    assert re.fullmatch(shipped().value("countries", "CN").attrs["postal_code"], "200000")


def test_incoterms_2020() -> None:
    codes = {v.code for v in shipped().values("incoterms")}
    assert codes == {"EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"}
