"""Field proposals and derived values of a new customer (SAP: field proposals per account
group and sales organization).

Three sources, all only a start that the clerk may type over:
- the customizing list `field_proposals` (resources/customizing/proposals.yaml): a value per
  field, scoped by account group, sales organization and company code;
- the user's own responsibility center (责任中心): sales office, sales group, the
  authorization groups of the three segments and the next free external number of SD02;
- values derived from others while typing: region and city from a CN postal code, NAME3 (the
  VAT invoice title) from NAME1, the bank and tax country from the customer's country.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from custmd_gui.catalog import Catalog
from custmd_gui.domain.customizing import Customizing, CustomizingError
from custmd_gui.domain.postal_codes import city_of_postal_code, region_of_postal_code

PROPOSALS_LIST = "field_proposals"
_SCOPES = ("account_groups", "sales_orgs", "company_codes")
# Which code list names the codes of each scope attribute.
_SCOPE_LISTS = {
    "account_groups": "account_groups",
    "sales_orgs": "sales_orgs",
    "company_codes": "company_codes",
}


@dataclass(frozen=True, slots=True)
class FieldProposal:
    """One entry of `field_proposals`: `value` for `field` where the scope fits (an empty
    scope fits everything)."""

    code: str
    field: str
    value: str
    account_groups: frozenset[str] = frozenset()
    sales_orgs: frozenset[str] = frozenset()
    company_codes: frozenset[str] = frozenset()

    @property
    def specificity(self) -> int:
        return sum(1 for s in (self.account_groups, self.sales_orgs, self.company_codes) if s)

    def applies(self, account_group: str, company_code: str, sales_org: str) -> bool:
        return all(
            not scope or value in scope
            for scope, value in (
                (self.account_groups, account_group),
                (self.sales_orgs, sales_org),
                (self.company_codes, company_code),
            )
        )


def field_proposals(customizing: Customizing, cat: Catalog) -> list[FieldProposal]:
    """The proposals of the customizing, checked against the catalog and the code lists.
    CustomizingError naming the entry: an unknown field, a value outside the field's value
    list or longer than the field, an unknown account group, sales organization or company
    code in a scope."""
    out: list[FieldProposal] = []
    for entry in customizing.values(PROPOSALS_LIST):
        where = f"field proposal {entry.code}"
        key = entry.attrs.get("field", "")
        value = entry.attrs.get("value", "")
        if key not in cat:
            raise CustomizingError(f"{where}: unknown field {key!r}")
        fd = cat.field(key)
        if fd.field_group == "key":
            raise CustomizingError(f"{where}: {key} is a key of the initial screen")
        if not value:
            raise CustomizingError(f"{where}: value is required")
        if len(value) > fd.length:
            raise CustomizingError(f"{where}: value {value!r} is longer than {key} ({fd.length})")
        if fd.value_help and not any(v.code == value for v in customizing.values(fd.value_help)):
            raise CustomizingError(
                f"{where}: value {value!r} is not in the value list {fd.value_help} of {key}"
            )
        unknown = set(entry.attrs) - {"field", "value", *_SCOPES}
        if unknown:
            raise CustomizingError(f"{where}: unknown attributes {', '.join(sorted(unknown))}")
        scopes: dict[str, frozenset[str]] = {}
        for scope in _SCOPES:
            codes = frozenset(entry.attrs.get(scope, "").split())
            bad = sorted(c for c in codes if not customizing.has(_SCOPE_LISTS[scope], c))
            if bad:
                raise CustomizingError(f"{where}: unknown {scope} {', '.join(bad)}")
            scopes[scope] = codes
        out.append(FieldProposal(entry.code, key, value, **scopes))
    return out


def customizing_proposals(
    proposals: list[FieldProposal], account_group: str, company_code: str, sales_org: str
) -> dict[str, str]:
    """{field key: value} of the entries that fit; the most specific entry of a field wins."""
    best: dict[str, FieldProposal] = {}
    for p in proposals:
        if not p.applies(account_group, company_code, sales_org):
            continue
        held = best.get(p.field)
        if held is None or p.specificity > held.specificity:
            best[p.field] = p
    return {k: p.value for k, p in best.items()}


# -- the user's own organisation ----------------------------------------------------------------


def responsibility_center(
    customizing: Customizing, department_code: str | None, auth_groups: frozenset[str] | None
) -> str:
    """The user's responsibility center: the department when it is a sales office of the
    customizing, else the user's only authorization group when that is one; "" otherwise."""
    if department_code and customizing.has("sales_offices", department_code):
        return department_code
    if auth_groups is not None and len(auth_groups) == 1:
        (group,) = auth_groups
        if customizing.has("sales_offices", group):
            return group
    return ""


def organisation_proposals(
    customizing: Customizing, center: str, *, general: bool, company_code: str, sales_org: str
) -> dict[str, str]:
    """What an assistant of responsibility center `center` would type four times: the
    authorization group of each new segment (SD02: 在权限组栏位 KEY IN 自己的责任中心编号), and
    in a sales area of the center's own sales organization its sales office and group."""
    if not center:
        return {}
    out: dict[str, str] = {}
    if general:
        out["KNA1-BEGRU"] = center
    if company_code:
        out["KNB1-BEGRU"] = center
    if sales_org:
        out["KNVV-BEGRU"] = center
        office = customizing.value("sales_offices", center)
        if office is not None and office.attrs.get("sales_org") == sales_org:
            out["KNVV-VKBUR"] = center
            group = next(
                (
                    g.code
                    for g in customizing.values("sales_groups")
                    if g.attrs.get("sales_office") == center
                ),
                "",
            )
            if group:
                out["KNVV-VKGRP"] = group
    return out


def sd02_prefix(customizing: Customizing, center: str, company_code: str = "") -> str:
    """The first six digits of SD02's external number for customers of `center`: 2, the last
    two digits of the branch company code (the one given, else the company code of the
    center's sales organization), the last three digits of the center; "" when unknown."""
    if len(center) < 3 or not center.isdigit():
        return ""
    branch = company_code
    if not branch:
        office = customizing.value("sales_offices", center)
        org = customizing.value("sales_orgs", office.attrs.get("sales_org", "")) if office else None
        branch = org.attrs.get("company_code", org.code) if org else ""
    digits = branch[-2:]
    if len(digits) != 2 or not digits.isdigit():
        return ""
    return f"2{digits}{center[-3:]}"


def next_number(prefix: str, highest: str | None) -> str:
    """One more than the highest number stored with the prefix (serial 0001 when none); ""
    when the 4-digit serial is used up."""
    serial = int(highest[len(prefix) :]) + 1 if highest else 1
    return f"{prefix}{serial:04d}" if serial <= 9999 else ""


# -- derived values -------------------------------------------------------------------------


def derived_values(values: Mapping[str, object]) -> dict[str, str]:
    """The single fields derived from the document's values now ({target: value}): region
    and city from a CN postal code, NAME3 (the VAT invoice title, "必须准确": the full name)
    from NAME1. The caller fills only fields that are empty or still hold an untouched
    proposal; the grid cells derived from the country and company code are the wizard's."""
    out: dict[str, str] = {}
    country = str(values.get("KNA1-LAND1", "") or "")
    postal = str(values.get("KNA1-PSTLZ", "") or "")
    if country in ("", "CN") and postal:
        if region := region_of_postal_code(postal):
            out["KNA1-REGIO"] = region
        if city := city_of_postal_code(postal):
            out["KNA1-ORT01"] = city
    if name := str(values.get("KNA1-NAME1", "") or ""):
        out["KNA1-NAME3"] = name
    return out
