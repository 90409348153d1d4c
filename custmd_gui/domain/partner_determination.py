"""Partner determination (SAP: the partner determination procedure of an account group): which
partner functions a customer of a group may hold, and which lines a new sales area gets.

Customizing list `partner_determination` (resources/customizing/partner_determination.yaml),
one value per account group with attrs `allowed` and `defaults` (function codes separated by
blanks). `allowed` answers both questions SAP keeps in two tables: which function lines the
customer's own sales areas may have, and which functions it may take for other customers.
An account group without a value holds every function and gets SAP's four defaults, as before
the list existed (a database whose customizing was not upgraded yet behaves as it did)."""

from __future__ import annotations

from dataclasses import dataclass

from custmd_gui.catalog import Text
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.model import PARTNER_FUNCTIONS_DEFAULT

LIST = "partner_determination"
FUNCTIONS_LIST = "partner_functions"


@dataclass(frozen=True, slots=True)
class PartnerDetermination:
    account_group: str
    allowed: tuple[str, ...]
    defaults: tuple[str, ...]

    def allows(self, function: str) -> bool:
        return function in self.allowed


def determination(customizing: Customizing, account_group: str) -> PartnerDetermination:
    """The partner functions of `account_group` (see the module for a group without a value)."""
    value = customizing.value(LIST, account_group)
    if value is None:
        known = tuple(v.code for v in customizing.values(FUNCTIONS_LIST))
        every = tuple(dict.fromkeys(known + PARTNER_FUNCTIONS_DEFAULT))
        return PartnerDetermination(account_group, every, PARTNER_FUNCTIONS_DEFAULT)
    allowed = tuple(value.attrs.get("allowed", "").split())
    # A default the group may not hold would be refused at the save: never propose it.
    defaults = tuple(f for f in value.attrs.get("defaults", "").split() if f in allowed)
    return PartnerDetermination(account_group, allowed, defaults)


def function_texts(customizing: Customizing, functions: tuple[str, ...]) -> Text:
    """`AG 售达方、WE 送达方` for messages: the codes with their texts in both languages."""
    zh: list[str] = []
    en: list[str] = []
    for code in functions:
        value = customizing.value(FUNCTIONS_LIST, code)
        zh.append(f"{code} {value.text.zh}" if value else code)
        en.append(f"{code} {value.text.en}" if value else code)
    return Text(zh="、".join(zh) or "无", en=", ".join(en) or "none")


def function_text(customizing: Customizing, function: str) -> Text:
    """`WE 送达方` (one function)."""
    return function_texts(customizing, (function,))
