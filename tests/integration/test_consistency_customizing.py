"""The customizing the consistency rules read, in a real database (SQLite and PostgreSQL):
`custmd db upgrade` completes the attributes of values a database already holds (a sales
organization's plants) without overwriting a company's own; a foreign customer's ISO region is
stored, and the PostgreSQL server's coded check (migration 0012, SQLSTATE CM002) accepts it
from the stored customizing."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlalchemy import Engine, Table, select, text

from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import tables
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.customizing import upgrade_database
from tests.conftest import example_document
from tests.integration.test_pg_authorization import DOCUMENT, MINE
from tests.integration.test_server_trust import Server, server  # noqa: F401 (the fixture)


def _table() -> Table:
    table = tables.CodeValueRow.__table__
    assert isinstance(table, Table)
    return table


VALUES = _table()


def _attrs(engine: Engine, list_id: str, code: str) -> dict[str, str]:
    with engine.connect() as conn:
        raw = conn.scalar(
            select(VALUES.c.attrs).where(VALUES.c.list_id == list_id, VALUES.c.code == code)
        )
    found: dict[str, str] = json.loads(str(raw))
    return found


def _set_attrs(engine: Engine, list_id: str, code: str, attrs: dict[str, str]) -> None:
    with engine.begin() as conn:
        conn.execute(
            VALUES.update()
            .where(VALUES.c.list_id == list_id, VALUES.c.code == code)
            .values(attrs=json.dumps(attrs))
        )


def test_upgrade_adds_new_attribute_keys_and_keeps_stored_values(engine: Engine) -> None:
    """A database seeded before sales organizations had plants: the upgrade adds the key;
    a company that changed an attribute, or set its own plants, keeps them."""
    _set_attrs(engine, "sales_orgs", "F011", {"company_code": "F099"})  # before plants; changed
    _set_attrs(engine, "sales_orgs", "F015", {"company_code": "F015", "plants": "F015 FW00"})
    _set_attrs(engine, "sales_offices", "1038", {})

    assert upgrade_database(engine) == 2  # F011 and 1038 completed, F015 left alone

    assert _attrs(engine, "sales_orgs", "F011") == {"company_code": "F099", "plants": "F011 FW00"}
    assert _attrs(engine, "sales_orgs", "F015") == {"company_code": "F015", "plants": "F015 FW00"}
    assert _attrs(engine, "sales_offices", "1038") == {"sales_org": "F011"}
    assert upgrade_database(engine) == 0  # nothing left to add


def test_the_upgraded_customizing_drives_the_rules(
    engine: Engine, uow_factory: UnitOfWorkFactory
) -> None:
    """After the upgrade the stored plants are what the create service checks against."""
    _set_attrs(engine, "sales_orgs", "F011", {"company_code": "F011"})
    upgrade_database(engine)
    doc = example_document()
    doc["KNVV"][0]["VWERK"] = "F015"
    with pytest.raises(DomainError) as refusal:
        create_customer(uow_factory, from_document(doc), Actor("zhangsan"))
    assert [(p.field_key, p.segment) for p in refusal.value.problems] == [
        ("KNVV-VWERK", "F011/10/01")
    ]


def _foreign(number: str = "2110380001") -> dict[str, Any]:
    doc = example_document()
    doc["KNA1"].update(
        {"KUNNR": number, "LAND1": "US", "REGIO": "NY", "PSTLZ": "10001", "ORT01": "New York"}
    )
    doc["KNA1"]["STRAS"] = "350 Fifth Avenue"
    return doc


def test_a_foreign_customer_is_stored_with_its_iso_region(uow_factory: UnitOfWorkFactory) -> None:
    """The issue's defect: country US, region NY was refused (only CN regions existed)."""
    created = create_customer(uow_factory, from_document(_foreign()), Actor("zhangsan"))
    stored = read_customer(uow_factory, created.number)
    assert (stored.general.country, stored.general.region) == ("US", "NY")


def test_the_servers_coded_check_reads_the_stored_regions(server: Server) -> None:  # noqa: F811
    """PostgreSQL: a region written past the app (psql, as a maintainer's own role, with its
    change document) is checked by migration 0012's trigger against the stored customizing:
    US regions are codes now, a made-up one is refused with CM002."""

    def moved(region: str) -> tuple[str, tuple[Any, ...]]:
        return (
            "UPDATE kna1 SET land1 = 'US', regio = %s, pstlz = '10001' WHERE kunnr = %s",
            (region, MINE),
        )

    message = server.refused(
        "CM002", "general_maintainer", (DOCUMENT, (uuid.uuid4(), MINE)), moved("ZZ")
    )
    assert "KNA1-REGIO" in message and "ZZ" in message
    server.run("general_maintainer", (DOCUMENT, (uuid.uuid4(), MINE)), moved("NY"))
    assert server.scalar("SELECT regio FROM kna1 WHERE kunnr = :n", n=MINE) == "NY"


def test_no_chinese_region_is_taken_for_a_foreign_country(engine: Engine) -> None:
    with engine.connect() as conn:
        parents = set(
            conn.scalars(text("SELECT DISTINCT parent FROM cust_value WHERE list_id = 'regions'"))
        )
    assert parents == {"CN", "US", "CA", "AU", "JP", "KR", "DE", "GB", "TW", "HK", "MO"}
