"""What the data screens show when they open: the stored customer (XD02/XD03, and the general
data when extending), the reference's data (copied as SAP does), or the proposals of a new
customer (country CN, the reconciliation account of the group, one tax line per category,
the account group's default partner functions)."""

from __future__ import annotations

from collections.abc import Mapping

from custmd_gui.catalog import Catalog
from custmd_gui.domain import reference as ref
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.model import (
    CompanyCodeData,
    Customer,
    PartnerFunction,
    SalesAreaData,
    TaxClassification,
)
from custmd_gui.domain.partner_determination import determination
from custmd_gui.wizard.document import Document, table_values
from custmd_gui.wizard.initial import Keys, reference_area
from custmd_gui.wizard.screens import GRID_SCREENS


def prefill(
    cat: Catalog,
    customizing: Customizing,
    keys: Keys,
    reference: Customer | None,
    initial: Mapping[str, str],
    *,
    stored: bool,
    active: list[str],
) -> Document:
    """The document to show. `stored`: XD02/XD03 show the stored segments as they are;
    `active`: the screens in use (a grid on a skipped screen is left alone)."""
    doc: Document = {}
    grids: dict[str, list[dict[str, object]]] = {}
    if keys.extending is not None:
        general = dict(keys.extending.general.model_dump())
        grids["KNBK"] = [b.model_dump() for b in keys.extending.bank_details]
    elif reference is not None:
        general = dict(ref.general_from(reference.general))
        grids["KNBK"] = []
    else:
        general = {"country": "CN", "language": "ZH"}
        grids["KNBK"] = []
    doc.update(table_values(cat, "KNA1", general))
    source = keys.extending or reference
    shown = keys.extending if stored else None
    if keys.company_code:
        ref_code = initial.get("REF_BUKRS", "")
        ref_cc = reference.company_code(ref_code) if reference and ref_code else None
        stored_cc = shown.company_code(keys.company_code) if shown else None
        if stored_cc is not None:
            cc = stored_cc
        elif ref_cc is not None:
            cc = ref.company_code_from(ref_cc, keys.company_code)
        else:
            cc = CompanyCodeData(company_code=keys.company_code)
        group = customizing.account_group(keys.account_group)
        if not cc.reconciliation_account and group and group.reconciliation_account:
            cc.reconciliation_account = group.reconciliation_account
        doc.update(table_values(cat, "KNB1", cc.model_dump()))
    if keys.sales_area:
        ref_key = reference_area(initial)
        ref_sa = reference.sales_area(ref_key) if reference and ref_key else None
        own = keys.number
        stored_sa = shown.sales_area(keys.sales_area_key) if shown else None
        if stored_sa is not None:
            sa = stored_sa
        elif ref_sa is not None and reference is not None:
            sa = ref.sales_area_from(
                ref_sa, keys.sales_area, reference_number=reference.number, number=own
            )
        else:
            org, channel, division = keys.sales_area
            sa = SalesAreaData(sales_org=org, distribution_channel=channel, division=division)
        # Proposals are for a new segment; a stored one is shown as it is.
        if not sa.tax_classifications and stored_sa is None:
            sa.tax_classifications = default_taxes(customizing, source)
        if stored_sa is None:
            # The account group's partner determination: its default lines, and of a
            # reference's lines only those the group may hold.
            rules = determination(customizing, keys.account_group)
            sa.partners = [p for p in sa.partners if rules.allows(p.partner_function)] or [
                PartnerFunction(partner_function=fn, partner=own) for fn in rules.defaults
            ]
        doc.update(table_values(cat, "KNVV", sa.model_dump()))
        grids["KNVI"] = [t.model_dump() for t in sa.tax_classifications]
        grids["KNVP"] = [p.model_dump() for p in sa.partners]
    for table, rows in grids.items():
        if GRID_SCREENS[table] in active:
            doc[table] = rows
    return doc


def default_taxes(customizing: Customizing, source: Customer | None) -> list[TaxClassification]:
    """SAP proposes one line per tax category of the customer's country; the clerk enters
    the classification."""
    country = (source.general.country if source else "") or "CN"
    return [
        TaxClassification(country=country, tax_category=c.code)
        for c in customizing.values("tax_categories")
        if c.attrs.get("country") in (None, "", country)
    ]
