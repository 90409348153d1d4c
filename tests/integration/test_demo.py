"""services.demo: the demo customers are created once, and a bad document is reported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.demo import create_demo_customers, demo_folder
from custmd_gui.services.listing import list_page


def _numbers(factory: UnitOfWorkFactory) -> list[str]:
    with factory() as uow:
        return [row.number for row in list_page(uow, "", 50)]


def test_demo_customers_are_created_once(uow_factory: UnitOfWorkFactory) -> None:
    assert create_demo_customers(uow_factory, Actor("demo")) == []
    first = _numbers(uow_factory)
    assert first  # the shipped demo holds at least one customer
    assert create_demo_customers(uow_factory, Actor("demo")) == []
    assert _numbers(uow_factory) == first


def test_unreadable_and_refused_documents_are_reported(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    shutil.copy(next(demo_folder().glob("*.json")), folder / "a_good.json")
    (folder / "b_broken.json").write_text("{not json", encoding="utf-8")
    refused = {"KNA1": {"KTOKD": "1310", "NAME1": "", "LAND1": "CN"}}
    (folder / "c_refused.json").write_text(json.dumps(refused), encoding="utf-8")
    failures = create_demo_customers(uow_factory, Actor("demo"), folder)
    assert [f.file for f in failures] == ["b_broken.json", "c_refused.json"]
    broken, bad = failures
    assert broken.error and not broken.problems
    assert bad.problems and "KNA1-NAME1" in bad.text("zh")
    assert len(_numbers(uow_factory)) == 1
