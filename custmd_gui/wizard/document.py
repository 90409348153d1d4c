"""The document on the wizard's screens: {field key: value} and grid rows per table, and the
customer built from it (the new segments only, when extending)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from custmd_gui.catalog import Catalog
from custmd_gui.domain.model import (
    BankDetail,
    CompanyCodeData,
    Customer,
    GeneralData,
    PartnerFunction,
    SalesAreaData,
    TaxClassification,
)
from custmd_gui.wizard.initial import Keys

# {"KNA1-NAME1": "东宁广告有限公司", ..., "KNVP": [{"partner_function": "AG", ...}], ...}
Document = dict[str, Any]


def table_values(cat: Catalog, table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """A segment's model values (by python name) as field keys of the screens; the key fields
    come from the initial screen and are not on the data screens."""
    return {
        fd.key: values[fd.name]
        for fd in cat.table(table)
        if fd.name in values and fd.field_group != "key"
    }


def build(cat: Catalog, keys: Keys, values: Mapping[str, Any]) -> Customer:
    """The customer (with the new segments only, when extending) from a document."""

    def table(name: str) -> dict[str, Any]:
        return {
            fd.name: values[fd.key]
            for fd in cat.table(name)
            if fd.key in values and fd.field_group != "key"
        }

    general = GeneralData.model_validate(
        {**table("KNA1"), "number": keys.number, "account_group": keys.account_group}
    )
    customer = Customer(
        general=general,
        bank_details=[BankDetail.model_validate(r) for r in values.get("KNBK", [])],
    )
    if keys.company_code:
        customer.company_codes = [
            CompanyCodeData.model_validate({**table("KNB1"), "company_code": keys.company_code})
        ]
    if keys.sales_area:
        org, channel, division = keys.sales_area
        sa = SalesAreaData.model_validate(
            {
                **table("KNVV"),
                "sales_org": org,
                "distribution_channel": channel,
                "division": division,
            }
        )
        sa.tax_classifications = [
            TaxClassification.model_validate(r) for r in values.get("KNVI", [])
        ]
        sa.partners = [
            PartnerFunction.model_validate({**r, "counter": r.get("counter") or "000"})
            for r in values.get("KNVP", [])
        ]
        customer.sales_areas = [sa]
    return customer


def merged_change(stored: Customer, shown: Customer) -> Customer:
    """XD02: the stored customer with what the screens show put in its place (general data,
    bank details, the company code and sales area opened)."""
    merged = stored.model_copy(deep=True)
    merged.general = shown.general
    merged.bank_details = shown.bank_details
    for cc in shown.company_codes:
        merged.company_codes = [
            cc if c.company_code == cc.company_code else c for c in merged.company_codes
        ]
    for sa in shown.sales_areas:
        merged.sales_areas = [
            sa if a.segment_key == sa.segment_key else a for a in merged.sales_areas
        ]
    return merged
