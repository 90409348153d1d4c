"""Sales office, sales group and plant belong to the sales area's sales organization.

The relations are customizing attributes (SAP: TVKBZ, TVBVK, the plants of a sales
organization): a sales office's attrs.sales_org, a sales group's attrs.sales_office, a sales
organization's attrs.plants (space-separated). A value without the attribute is not judged, so
a company's own values need not carry it; an unknown code is the field check's business.
"""

from __future__ import annotations

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import Problem
from custmd_gui.domain.model import Customer, SalesAreaData

OFFICE = "KNVV-VKBUR"
GROUP = "KNVV-VKGRP"
PLANT = "KNVV-VWERK"
SALES_ORG = "KNVV-VKORG"


def _named(customizing: Customizing, list_id: str, code: str) -> Text:
    """`1038（责任中心 1038）`: the code with its text where the customizing has one. The
    Chinese form ends in a bracket or a space, so the sentence goes on without one."""
    value = customizing.value(list_id, code)
    if value is None:
        return Text(zh=f"{code} ", en=code)
    return Text(zh=f"{code}（{value.text.zh}）", en=f"{code} ({value.text.en})")


def _label(key: str) -> Text:
    return catalog().field(key).label


def _office_problem(area: SalesAreaData, customizing: Customizing) -> Problem | None:
    office = customizing.value("sales_offices", area.sales_office) if area.sales_office else None
    owner = office.attrs.get("sales_org", "") if office else ""
    if not owner or not area.sales_org or owner == area.sales_org:
        return None
    o, org, lo, lorg = (
        _named(customizing, "sales_offices", area.sales_office),
        _named(customizing, "sales_orgs", area.sales_org),
        _label(OFFICE),
        _label(SALES_ORG),
    )
    return Problem(
        OFFICE,
        area.segment_key,
        Text(
            zh=f"{lo.zh} {o.zh}属于{lorg.zh} {owner}，不属于本销售范围的{lorg.zh} {org.zh}",
            en=f"{lo.en} {o.en} belongs to {lorg.en.lower()} {owner}, not to this sales "
            f"area's {lorg.en.lower()} {org.en}",
        ),
    )


def _group_problem(area: SalesAreaData, customizing: Customizing) -> Problem | None:
    group = customizing.value("sales_groups", area.sales_group) if area.sales_group else None
    owner = group.attrs.get("sales_office", "") if group else ""
    if not owner:
        return None
    g, lg, lo = _named(customizing, "sales_groups", area.sales_group), _label(GROUP), _label(OFFICE)
    if area.sales_office:
        if owner == area.sales_office:
            return None
        o = _named(customizing, "sales_offices", area.sales_office)
        return Problem(
            GROUP,
            area.segment_key,
            Text(
                zh=f"{lg.zh} {g.zh}属于{lo.zh} {owner}，与{lo.zh} {o.zh}不符",
                en=f"{lg.en} {g.en} belongs to {lo.en.lower()} {owner}, not to "
                f"{lo.en.lower()} {o.en}",
            ),
        )
    # No office typed: the group's office must still be one of the sales organization.
    office = customizing.value("sales_offices", owner)
    org = office.attrs.get("sales_org", "") if office else ""
    if not org or not area.sales_org or org == area.sales_org:
        return None
    lorg = _label(SALES_ORG)
    s = _named(customizing, "sales_orgs", area.sales_org)
    return Problem(
        GROUP,
        area.segment_key,
        Text(
            zh=f"{lg.zh} {g.zh}属于{lorg.zh} {org}（{lo.zh} {owner}），"
            f"不属于本销售范围的{lorg.zh} {s.zh}",
            en=f"{lg.en} {g.en} belongs to {lorg.en.lower()} {org} ({lo.en.lower()} "
            f"{owner}), not to this sales area's {lorg.en.lower()} {s.en}",
        ),
    )


def _plant_problem(area: SalesAreaData, customizing: Customizing) -> Problem | None:
    org = customizing.value("sales_orgs", area.sales_org) if area.sales_org else None
    plants = (org.attrs.get("plants", "") if org else "").split()
    if not area.delivering_plant or not plants or area.delivering_plant in plants:
        return None
    p, s = (
        _named(customizing, "plants", area.delivering_plant),
        _named(customizing, "sales_orgs", area.sales_org),
    )
    lp, lorg = _label(PLANT), _label(SALES_ORG)
    return Problem(
        PLANT,
        area.segment_key,
        Text(
            zh=f"{lp.zh} {p.zh}不是{lorg.zh} {s.zh}的工厂；可选：{'、'.join(plants)}",
            en=f"{lp.en} {p.en} is not a plant of {lorg.en.lower()} {s.en}; "
            f"choose one of {', '.join(plants)}",
        ),
    )


def problems(customer: Customer, customizing: Customizing) -> list[Problem]:
    out: list[Problem] = []
    for area in customer.sales_areas:
        for check in (_office_problem, _group_problem, _plant_problem):
            if (found := check(area, customizing)) is not None:
                out.append(found)
    return out
