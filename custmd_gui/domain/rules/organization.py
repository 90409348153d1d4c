"""Sales office, sales group and plant belong to the sales area's sales organization."""

from __future__ import annotations

from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import Problem
from custmd_gui.domain.model import Customer


def problems(customer: Customer, customizing: Customizing) -> list[Problem]:
    return []
