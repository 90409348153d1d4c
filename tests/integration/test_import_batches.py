"""The import writes new customers in batches (services.transfer.import_write): every one
stored with its number, search index entries and its own change document; a batch the
database refuses for one customer is written again one by one, so that only that one fails.
Both databases."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from custmd_gui.domain import names, uscc
from custmd_gui.domain.sap_document import from_document
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.persistence.tables import ChangeHeader as Cdhdr
from custmd_gui.persistence.tables import Kna1
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.transfer.import_file import Outcome, import_customers
from custmd_gui.services.transfer.import_write import BATCH
from tests.integration.test_import import _internal, _workbook

ACTOR = Actor("importer")


def _codes(n: int) -> list[str]:
    """Valid unified social credit codes (the check character computed)."""
    bodies = [f"9131000063169{i:04}" for i in range(n)]
    return [b + uscc.check_character(b) for b in bodies]


def test_batches_store_every_customer_with_its_change_document(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    count = 20  # runs of 1, 1, 2, 4, 8 and 4
    codes = _codes(count)
    customers = [
        _internal(f"P-{i:02}", f"批量导入{i:02}号有限公司", codes[i]) for i in range(count)
    ]
    path = _workbook(uow_factory, tmp_path / "batch.xlsx", customers)
    assert BATCH >= 8
    report = import_customers(uow_factory, path, ACTOR)
    assert report.count(Outcome.CREATED) == count and not report.errors
    numbers = [n for _, _, n in report.outcomes]
    assert len(set(numbers)) == count
    with uow_factory() as uow:
        for i, number in enumerate(numbers):
            assert uow.search.numbers_with(names.USCC, [codes[i]]) == {number: {codes[i]}}
        documents = uow.session.execute(
            select(Cdhdr.objectid, func.count()).group_by(Cdhdr.objectid)
        ).all()
    assert sorted(documents) == sorted((n, 1) for n in numbers)
    assert (
        read_customer(uow_factory, numbers[-1]).general.name == f"批量导入{count - 1:02}号有限公司"
    )


def test_a_refused_batch_is_written_one_by_one(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    """Customer 3 of 6 (the run of customers 3 and 4) loses its credit code to a customer
    created by someone else after the check: only it fails, the others are stored."""
    codes = _codes(6)
    rows = [_internal(f"R-{i}", f"回退测试{i}号有限公司", codes[i]) for i in range(6)]
    path = _workbook(uow_factory, tmp_path / "refused.xlsx", rows)
    taken: list[str] = []

    def progress(done: int, total: int) -> bool:
        if done == 1:  # between the first run and the next: a clerk saves a customer
            other = from_document(cols.document_of(_internal("", "别的客户有限公司", codes[2])))
            taken.append(create_customer(uow_factory, other, Actor("clerk")).number)
        return True

    report = import_customers(uow_factory, path, ACTOR, accept_good_rows=True, progress=progress)
    outcomes = {label: outcome for label, outcome, _ in report.outcomes}
    assert taken
    assert outcomes == {
        "R-0": Outcome.CREATED,
        "R-1": Outcome.CREATED,
        "R-2": Outcome.FAILED,
        "R-3": Outcome.CREATED,
        "R-4": Outcome.CREATED,
        "R-5": Outcome.CREATED,
    }
    failed = [p for p in report.errors if p.field_key == "KNA1-STCD5"]
    assert len(failed) == 1 and taken[0] in failed[0].message.zh
    with uow_factory() as uow:
        stored = uow.session.scalars(select(Kna1.altkn).where(Kna1.altkn.like("R-%"))).all()
    assert sorted(stored) == ["R-0", "R-1", "R-3", "R-4", "R-5"]
