"""Postal code, region and city agree with each other (China, where the facts are known).

- The first two digits of a CN postal code name the province (domain/postal_codes.py): a region
  that is not the postal code's is an error, since one of the two is certainly wrong and the
  goods and letters would go where the postal code says.
- A city of cities.yaml (a prefecture-level city, or a municipality) outside the region is a
  warning: cities.yaml is a list of well-known names, not a register, and a clerk may know
  better (a branch's address written under the head office's city); the wizard stops once on
  it, as SAP does on a warning, and the same key goes past.
Regions compare by their key; a region key the shipped table does not know (a company's own) is
not judged.
"""

from __future__ import annotations

import unicodedata

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain.cities import province_of_city
from custmd_gui.domain.customizing import CodeValue, Customizing
from custmd_gui.domain.errors import Problem, Severity
from custmd_gui.domain.model import Customer
from custmd_gui.domain.postal_codes import region_of_postal_code

CHINA = "CN"
REGION = "KNA1-REGIO"
POSTAL_CODE = "KNA1-PSTLZ"
CITY = "KNA1-ORT01"


def _region(customizing: Customizing, code: str) -> CodeValue | None:
    return customizing.value("regions", code, CHINA)


def _named(value: CodeValue) -> Text:
    return Text(zh=f"{value.code}（{value.text.zh}）", en=f"{value.code} ({value.text.en})")


def _postal_code_problem(customer: Customer, customizing: Customizing) -> Problem | None:
    g = customer.general
    expected = region_of_postal_code(g.postal_code)
    if not g.region or expected is None or expected == g.region:
        return None
    typed, right = _region(customizing, g.region), _region(customizing, expected)
    if typed is None or right is None:
        return None  # an unknown region is the field check's; a renamed key is not judged
    lr, lp = catalog().field(REGION).label, catalog().field(POSTAL_CODE).label
    t, r = _named(typed), _named(right)
    return Problem(
        REGION,
        "",
        Text(
            zh=f"{lr.zh} {t.zh}与{lp.zh} {g.postal_code} 不符：{lp.zh} {g.postal_code} "
            f"属于{lr.zh} {r.zh}",
            en=f"{lr.en} {t.en} does not match {lp.en.lower()} {g.postal_code}, which "
            f"belongs to {lr.en.lower()} {r.en}",
        ),
    )


def city_key(city: str) -> str:
    """A city as cities.yaml writes it: 上海市 and " 上海 " are 上海 (a two-character name
    ending in 市, such as 沙市, keeps it)."""
    name = unicodedata.normalize("NFKC", city).strip()
    return name[:-1] if name.endswith("市") and len(name) > 2 else name


def _city_problem(customer: Customer, customizing: Customizing) -> Problem | None:
    g = customer.general
    typed = _region(customizing, g.region) if g.region else None
    if typed is None or not g.city:
        return None
    regions = {v.text.zh: v for v in customizing.values("regions", CHINA)}
    name = city_key(g.city)
    # A municipality (北京, 上海, ...) is its own region; other cities are in cities.yaml.
    province = province_of_city().get(name) or (name if name in regions else None)
    home = regions.get(province) if province else None
    if home is None or home.code == typed.code:
        return None
    lc, lr = catalog().field(CITY).label, catalog().field(REGION).label
    t, h = _named(typed), _named(home)
    return Problem(
        CITY,
        "",
        Text(
            zh=f"{lc.zh} {g.city} 不在{lr.zh} {t.zh}内，而在{lr.zh} {h.zh}；请检查{lc.zh}和{lr.zh}",
            en=f"{lc.en} {g.city} is not in {lr.en.lower()} {t.en} but in {h.en}; "
            f"check the {lc.en.lower()} and the {lr.en.lower()}",
        ),
        Severity.WARNING,
    )


def problems(customer: Customer, customizing: Customizing) -> list[Problem]:
    if customer.general.country != CHINA:
        return []
    found = (_postal_code_problem(customer, customizing), _city_problem(customer, customizing))
    return [p for p in found if p is not None]
