"""The import checks its customers a chunk at a time and keeps them packed until the write
(services.transfer.import_file): the same problems as checking them all at once, on both
databases. The duplicate check runs before the partners' errors of the whole file are known:
a customer that fails because its partner of the file fails gets no duplicate warning (as
every failed customer)."""

from __future__ import annotations

from pathlib import Path

from custmd_gui.domain import uscc
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.transfer.import_file import Outcome, import_customers
from custmd_gui.services.transfer.import_memory import Packer
from tests.integration.test_import_bad_rows import ACTOR, _external, _sold_to
from tests.integration.test_transfer_round_trip import fill_template, rows

NAME = "已有客户有限公司"


def _code(i: int) -> str:
    body = f"9131000063170{i:04}"
    return body + uscc.check_character(body)


def test_partner_failure_drops_the_duplicate_warning_and_packing_keeps_the_customer(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    stored = _sold_to("STORED-1")
    stored["KNA1"].update({"NAME1": NAME, "STCD5": _code(0)})
    create_customer(uow_factory, from_document(stored), ACTOR)
    good, waiting, bad = (_external(f"DUP-{i}", f"211038002{i}") for i in (1, 2, 3))
    for i, doc in enumerate((good, waiting, bad), start=1):
        doc["KNA1"].update({"NAME1": NAME, "STCD5": _code(i)})
    bad["KNA1"]["LAND1"] = "XX"  # no such country: an error
    waiting["KNVV"][0]["KNVP"].append({"PARVW": "WE", "PARZA": "001", "KUNN2": "2110380023"})
    path = fill_template(
        uow_factory, tmp_path / "dup.xlsx", [rows(d) for d in (good, waiting, bad)]
    )
    report = import_customers(uow_factory, path, ACTOR, accept_good_rows=True)
    outcomes = {label: outcome for label, outcome, _ in report.outcomes}
    assert outcomes == {
        "DUP-1": Outcome.CREATED,
        "DUP-2": Outcome.FAILED,
        "DUP-3": Outcome.FAILED,
    }, [p.line() for p in report.problems]
    general = {p.row for p in report.problems if p.field_key == "KNA1-NAME1"}
    warnings = [p for p in report.problems if "可能是重复" in p.message.zh]
    assert len(warnings) == 1 and len(general) == 1, [p.line() for p in report.problems]
    partner = [p for p in report.errors if "2110380023" in p.message.zh]
    assert partner, [p.line() for p in report.errors]
    # The customer written is the one checked: packed and unpacked, nothing lost.
    number = next(n for label, _, n in report.outcomes if label == "DUP-1")
    assert number == "2110380021"
    assert read_customer(uow_factory, number).general.tax_number_5 == _code(1)


def test_packed_customers_come_back_equal() -> None:
    packer = Packer()
    first = from_document(_sold_to("P-1"))
    second = from_document(_sold_to("P-2"))
    packed = [packer.pack(first), packer.pack(second)]
    assert [packer.unpack(p) for p in packed] == [first, second]
    assert len(packed[1]) < 400  # the first one is the dictionary of the rest
