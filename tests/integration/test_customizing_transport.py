"""Customizing transport (issue 21): export from one database, import into another, identical
customizing; a preview writes nothing; an import that removes a code customers hold is
refused naming them. On SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.field_status import FieldStatus
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.services.customizing import load_shipped
from custmd_gui.services.customizing_maintenance import (
    AccountGroupEntry,
    CodeEntry,
    IntervalEntry,
    customizing_changes,
    delete_code,
    read_for_maintenance,
    save_account_group,
    save_code,
    save_interval,
    set_field_status,
)
from custmd_gui.services.customizing_transport import export_customizing, import_customizing
from tests.conftest import PostgresServer, example_document

ADMIN = Actor("admin_wang")


@pytest.fixture
def other_factory(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[UnitOfWorkFactory]:
    """A second database with the shipped customizing, on the same backend."""
    if backend == "sqlite":
        target = tmp_path / "other.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        engine = make_engine(f"sqlite:///{target}")
        yield UnitOfWorkFactory(engine)
        engine.dispose()
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    name = server.create(template=server.template)
    engine = make_engine(server.url(name))
    try:
        yield UnitOfWorkFactory(engine)
    finally:
        engine.dispose()
        server.drop(name)


def maintain(factory: UnitOfWorkFactory) -> None:
    """Changes of every kind: a new term, a new text, a deactivated code, a removed code, a
    new interval with its account group, a field made required."""
    save_code(factory, ADMIN, "payment_terms", CodeEntry("Z099", "99天", "99 days"))
    save_code(factory, ADMIN, "incoterms", CodeEntry("CIF", "成本保险加运费", "CIF changed"))
    save_code(factory, ADMIN, "sales_offices", CodeEntry("1038", "长宁", "Changning", active=False))
    delete_code(factory, ADMIN, "shipping_conditions", "23")
    save_interval(
        factory, ADMIN, IntervalEntry("06", "internal", "1400000000", "1400009999", "出口", "Ex")
    )
    save_account_group(
        factory, ADMIN, AccountGroupEntry("1140", "出口客户", "Export", "06", "00", "1310")
    )
    set_field_status(
        factory, ADMIN, "1110", {("address.english_name", "create"): FieldStatus.REQUIRED}
    )


def test_round_trip_gives_identical_customizing(
    uow_factory: UnitOfWorkFactory, other_factory: UnitOfWorkFactory
) -> None:
    maintain(uow_factory)
    text = export_customizing(uow_factory, ADMIN)
    assert yaml.safe_load(text)["lists"]["payment_terms"]["values"][-1]["code"] == "Z099"
    preview = import_customizing(other_factory, ADMIN, text, dry_run=True)
    assert not preview.applied
    lines = {c.line() for c in preview.changes}
    assert "I cust_value payment_terms:Z099  99天" in lines
    assert "D cust_value shipping_conditions:23" in lines
    assert "I nriv 06" in lines and "I cust_ktokd 1140  出口客户" in lines
    assert any(line.startswith("U cust_ktokd 1110") for line in lines)  # its field status
    # The preview wrote nothing.
    assert (
        read_for_maintenance(other_factory, ADMIN)[0] != read_for_maintenance(uow_factory, ADMIN)[0]
    )
    done = import_customizing(other_factory, ADMIN, text)
    assert done.applied and len(done.changes) == len(preview.changes)
    assert export_customizing(other_factory, ADMIN) == text
    mine, _ = read_for_maintenance(uow_factory, ADMIN)
    theirs, levels = read_for_maintenance(other_factory, ADMIN)
    assert mine == theirs
    assert levels["06"] == 1399999999
    # The import leaves change documents like any maintenance, and a second one changes nothing.
    assert customizing_changes(other_factory, ADMIN, "cust_value", "payment_terms:Z099")
    assert import_customizing(other_factory, ADMIN, text).changes == []


def test_the_shipped_files_import_as_they_are(uow_factory: UnitOfWorkFactory) -> None:
    """The export format is the shipped format: a shipped file is a valid transport."""
    shipped = load_shipped()
    stored = read_for_maintenance(uow_factory, ADMIN)[0]
    assert stored.lists["payment_terms"] == shipped.lists["payment_terms"]
    text = export_customizing(uow_factory, ADMIN, ["payment_terms"], structure=False)
    assert set(yaml.safe_load(text)) == {"lists"}
    assert import_customizing(uow_factory, ADMIN, text).changes == []


def test_an_import_removing_codes_in_use_is_refused_naming_the_customers(
    uow_factory: UnitOfWorkFactory, other_factory: UnitOfWorkFactory
) -> None:
    delete_code(uow_factory, ADMIN, "payment_terms", "Z090")  # unused here
    text = export_customizing(uow_factory, ADMIN, ["payment_terms"], structure=False)
    numbers = []
    for n in range(3):
        doc = example_document()
        doc["KNA1"]["KUNNR"] = f"211038000{n + 1}"
        doc["KNB1"][0]["ZTERM"] = doc["KNVV"][0]["ZTERM"] = "Z090"
        numbers.append(create_customer(other_factory, from_document(doc), ADMIN).number)
    before = read_for_maintenance(other_factory, ADMIN)
    for dry_run in (True, False):
        with pytest.raises(DomainError) as refused:
            import_customizing(other_factory, ADMIN, text, dry_run=dry_run)
        (problem,) = refused.value.problems
        assert "Z090" in problem.message.zh and "3 个客户" in problem.message.zh
        assert all(n in problem.message.zh for n in numbers)
    assert read_for_maintenance(other_factory, ADMIN) == before


def test_a_broken_file_is_refused_with_a_message(uow_factory: UnitOfWorkFactory) -> None:
    for text in ("lists: [", "- a list", "lists:\n  x:\n    values:\n      - {code: A}\n"):
        with pytest.raises(DomainError) as refused:
            import_customizing(uow_factory, ADMIN, text)
        assert refused.value.problems[0].field_key == "CUSTOMIZING"
