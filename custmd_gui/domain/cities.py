"""The city names of resources/customizing/cities.yaml, read once for everyone who needs them:
the duplicate check strips them from names (domain/names.py), the address rules check that a
customer's city lies in its region (domain/rules/address.py)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

import yaml

from custmd_gui.resources import customizing_dir

# The group of cities.yaml that names no province (county-level cities and districts).
NO_PROVINCE = "others"


@functools.cache
def read_cities(directory: Path) -> Mapping[str, tuple[str, ...]]:
    """{province (as regions.yaml writes it, or NO_PROVINCE): its city names without 市};
    read once per directory."""
    doc = yaml.safe_load((directory / "cities.yaml").read_text(encoding="utf-8")) or {}
    return {str(group): tuple(str(c) for c in names) for group, names in doc["cities"].items()}


def cities_by_province() -> Mapping[str, tuple[str, ...]]:
    return read_cities(customizing_dir())


@functools.cache
def province_of_city() -> Mapping[str, str]:
    """{city: its province} for the cities of one province only: a name two provinces hold
    says nothing about where the customer is."""
    seen: dict[str, set[str]] = {}
    for province, names in cities_by_province().items():
        if province == NO_PROVINCE:
            continue
        for name in names:
            seen.setdefault(name, set()).add(province)
    return {name: next(iter(ps)) for name, ps in seen.items() if len(ps) == 1}
