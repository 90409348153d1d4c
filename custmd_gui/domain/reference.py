"""Create with reference: what of a reference customer is copied into a new one (or a new
segment), as SAP's XD01 does. Identity stays with the reference: its number, its unified
social credit code (unique per customer) and its blocks and deletion flags are not copied."""

from __future__ import annotations

from custmd_gui.domain.model import CompanyCodeData, GeneralData, SalesAreaData

_NOT_COPIED_GENERAL = {
    "number",
    "account_group",
    "tax_number_5",
    "order_block",
    "delivery_block",
    "billing_block",
    "posting_block",
    "deletion_flag",
}
_BLOCKS = {"order_block", "delivery_block", "billing_block", "posting_block", "deletion_flag"}


def general_from(reference: GeneralData) -> dict[str, str | bool]:
    return {
        name: value
        for name, value in reference.model_dump().items()
        if name not in _NOT_COPIED_GENERAL
    }


def company_code_from(reference: CompanyCodeData, company_code: str) -> CompanyCodeData:
    data = {k: v for k, v in reference.model_dump().items() if k not in _BLOCKS}
    data["company_code"] = company_code
    return CompanyCodeData.model_validate(data)


def sales_area_from(
    reference: SalesAreaData,
    sales_area: tuple[str, str, str],
    *,
    reference_number: str,
    number: str,
) -> SalesAreaData:
    """The reference's sales-area data in `sales_area`; partner functions the reference
    took itself go to the new customer (`number`, "" while it is still unnumbered)."""
    data = {k: v for k, v in reference.model_dump().items() if k not in _BLOCKS}
    data["sales_org"], data["distribution_channel"], data["division"] = sales_area
    for partner in data["partners"]:
        if partner["partner"] == reference_number:
            partner["partner"] = number
    return SalesAreaData.model_validate(data)
