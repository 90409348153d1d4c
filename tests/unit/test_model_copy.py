"""Customer.deep_copy: what model_copy(deep=True) gives, nothing shared with the original."""

from __future__ import annotations

from custmd_gui.domain.model import Customer
from tests.conftest import example_document


def test_deep_copy_equals_the_original_and_shares_no_segment() -> None:
    original = Customer.model_validate(example_document())
    copy = original.deep_copy()
    assert copy == original == original.model_copy(deep=True)
    assert copy.model_dump() == original.model_dump()
    copy.general.name = "另一个名称"
    copy.company_codes[0].payment_terms = "0002"
    copy.sales_areas[0].partners[0].partner = "0000000001"
    copy.sales_areas[0].tax_classifications.clear()
    copy.bank_details.clear()
    assert original == Customer.model_validate(example_document())


def test_with_number_numbers_the_copy_and_its_own_partner_functions() -> None:
    doc = example_document()
    doc["KNA1"]["KUNNR"] = ""
    for partner in doc["KNVV"][0]["KNVP"]:
        partner["KUNN2"] = ""
    original = Customer.model_validate(doc)
    numbered = original.with_number("0000012345")
    assert numbered.number == "0000012345"
    assert {p.partner for p in numbered.sales_areas[0].partners} == {"0000012345"}
    assert original.number == "" and original == Customer.model_validate(doc)
