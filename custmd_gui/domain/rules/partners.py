"""Partner functions an account group may hold (customizing partner_determination): a customer
of a ship-to group has only ship-to lines, never a sold-to, bill-to or payer line. Which
functions other customers may take for it is the database's question
(services.partner_checks)."""

from __future__ import annotations

from custmd_gui.catalog import Text
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import Problem
from custmd_gui.domain.model import Customer
from custmd_gui.domain.partner_determination import (
    FUNCTIONS_LIST,
    determination,
    function_text,
    function_texts,
)

KEY = "KNVP-PARVW"


def problems(customer: Customer, customizing: Customizing) -> list[Problem]:
    group = customer.general.account_group
    if customizing.account_group(group) is None:
        return []  # an unknown group is reported on KNA1-KTOKD
    rules = determination(customizing, group)
    allowed = function_texts(customizing, rules.allowed)
    out: list[Problem] = []
    for area in customer.sales_areas:
        for fn in dict.fromkeys(p.partner_function for p in area.partners):
            if not fn or rules.allows(fn) or not customizing.has(FUNCTIONS_LIST, fn):
                continue  # empty: the required-field check's; unknown: the value help's
            text = function_text(customizing, fn)
            out.append(
                Problem(
                    KEY,
                    area.segment_key,
                    Text(
                        zh=f"合伙人功能 {text.zh} 不适用于科目组 {group}；"
                        f"该科目组只能有：{allowed.zh}",
                        en=f"Partner function {text.en} is not allowed for account group "
                        f"{group}; the group holds only: {allowed.en}",
                    ),
                )
            )
    return out
