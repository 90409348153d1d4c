"""Shipped customizing: read from resources/customizing and loaded into a database."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain.customizing import (
    CodeList,
    CodeValue,
    Customizing,
    parse_account_groups,
    parse_lists,
)
from custmd_gui.domain.proposals import field_proposals
from custmd_gui.domain.request_rules import request_rules
from custmd_gui.persistence import migrate
from custmd_gui.persistence.engine import MAINTENANCE_OPTION
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.resources import customizing_dir
from custmd_gui.services.ports import UowFactory


def _read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping at the top")
    return data


def load_shipped(directory: Path | None = None) -> Customizing:
    """Parse every shipped customizing file into one Customizing."""
    directory = directory or customizing_dir()
    docs = {p.name: _read(p) for p in sorted(directory.glob("*.yaml"))}
    ag_doc = docs.pop("account_groups.yaml", {})
    lists = parse_lists(docs.values())
    ranges, groups = parse_account_groups(ag_doc, catalog().groups)
    # The account groups double as the value help of KNA1-KTOKD.
    lists["account_groups"] = CodeList(
        "account_groups",
        Text(zh="科目组", en="Account groups"),
        None,
        {
            ("", g.code): CodeValue("account_groups", g.code, g.text, source="documents")
            for g in groups.values()
        },
    )
    cust = Customizing(lists=lists, number_ranges=ranges, account_groups=groups)
    field_proposals(cust, catalog())  # CustomizingError naming a proposal that does not fit
    request_rules(cust, catalog())  # likewise a routing or rule of the request workflow
    return cust


@functools.cache
def shipped() -> Customizing:
    return load_shipped()


def upgrade_database(engine: Engine) -> int:
    """Migrate the schema to head and add missing shipped customizing and roles; returns rows
    added. Roles an administrator changed stay as they are.

    The migrations run without the statement and lock timeouts of interactive work (they
    may rewrite big tables, and wait for the sessions at work rather than fail half-way)."""
    from custmd_gui.domain.authorization import DEFAULT_ROLES

    migrate.upgrade(engine.execution_options(**{MAINTENANCE_OPTION: True}))
    cust = shipped()
    with UnitOfWork(engine, write=True) as uow:
        added = uow.customizing.seed(cust.lists, cust.number_ranges, cust.account_groups)
        added += uow.users.seed_roles(DEFAULT_ROLES)
        uow.commit()
    return added


def read_customizing(uow_factory: UowFactory) -> Customizing:
    """The customizing stored in the database (what the screens check against)."""
    with uow_factory() as uow:
        return uow.customizing.load()
