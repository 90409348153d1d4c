"""Consistency rules across fields and segments: each module holds the rules of one subject
and a `problems(customer, customizing)` function; the validator runs them all after the
field-by-field checks. A rule's message names both fields (the one reported on, and the one
it disagrees with)."""

from __future__ import annotations

from collections.abc import Callable

from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import Problem
from custmd_gui.domain.model import Customer
from custmd_gui.domain.rules import address, organization, partners

Rule = Callable[[Customer, Customizing], list[Problem]]

RULES: tuple[Rule, ...] = (organization.problems, address.problems, partners.problems)


def consistency_problems(customer: Customer, customizing: Customizing) -> list[Problem]:
    return [p for rule in RULES for p in rule(customer, customizing)]
