"""Physical deletion (the administrator's run) on SQLite and PostgreSQL: refused for a customer
with business (naming the org unit), without a deletion flag, named as a partner, or open in
XD02; allowed for a flagged, unused customer, archived first, the archive readable back into
the same customer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import tables
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.deletion import delete_customers
from custmd_gui.services.locks import acquire_lock
from custmd_gui.services.status import StatusEdit, change_status
from custmd_gui.services.usage import import_usage
from tests.conftest import example_document

ADMIN = Actor("admin")
NUMBER = "2110380001"
OTHER = "2110380002"


def _document(number: str, name: str, partner: str | None = None) -> dict[str, Any]:
    doc = example_document()
    doc["KNA1"].update({"KUNNR": number, "NAME1": name, "NAME3": name})
    if number != NUMBER:
        doc["KNA1"]["STCD5"] = ""
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = number
    if partner:
        doc["KNVV"][0]["KNVP"][-1]["KUNN2"] = partner  # the ship-to party is another customer
    return doc


@pytest.fixture
def flagged(uow_factory: UnitOfWorkFactory) -> str:
    create_customer(uow_factory, from_document(_document(NUMBER, "东宁广告有限公司")), ADMIN)
    change_status(uow_factory, [NUMBER], [StatusEdit(deletion=True)], ADMIN, "误建")
    return NUMBER


def _count(engine: Engine, table: Any, number: str) -> int:
    with engine.connect() as conn:
        return int(
            conn.scalar(select(func.count()).select_from(table).where(table.kunnr == number)) or 0
        )


def test_a_flagged_unused_customer_is_archived_then_removed(
    uow_factory: UnitOfWorkFactory, engine: Engine, flagged: str, tmp_path: Path
) -> None:
    before = read_customer(uow_factory, flagged)
    report = delete_customers(uow_factory, [flagged], ADMIN, tmp_path / "archive", "重复建档")
    [removal] = report.removed
    assert removal.number == flagged and removal.archive.exists()
    assert report.summary("zh") == "已删除并归档 1 个客户"
    for table in (tables.Kna1, tables.Knb1, tables.Knvv, tables.Knvp, tables.Kna1Find):
        assert _count(engine, table, flagged) == 0, table
    with engine.connect() as conn:
        headers = conn.execute(
            select(tables.ChangeHeader.activity, tables.ChangeHeader.comment)
            .where(tables.ChangeHeader.objectid == flagged)
            .order_by(tables.ChangeHeader.udate)
        ).all()
    # The history stays, the removal is its last entry.
    assert [h.activity for h in headers] == ["create", "change", "delete"]
    assert headers[-1].comment == f"重复建档 [{removal.archive.name}]"
    # The archive is the customer: created again from it, it is the same customer.
    archived = json.loads(removal.archive.read_text(encoding="utf-8"))
    recreated = create_customer(uow_factory, from_document(archived), ADMIN)
    again = read_customer(uow_factory, recreated.number)
    assert again.model_dump(exclude={"version"}) == before.model_dump(exclude={"version"})


def test_a_customer_with_business_is_refused_naming_the_org_unit(
    uow_factory: UnitOfWorkFactory, engine: Engine, flagged: str, tmp_path: Path
) -> None:
    extract = tmp_path / "usage.csv"
    extract.write_text(
        "KUNNR,BUKRS,VKORG,VTWEG,SPART,DOC_COUNT,LAST_DOC_DATE\n"
        f"{flagged},,F011,10,01,7,2024-04-30\n",
        encoding="utf-8",
    )
    assert not import_usage(uow_factory, extract, ADMIN).refused
    archive = tmp_path / "archive"
    with pytest.raises(DomainError) as err:
        delete_customers(uow_factory, [flagged], ADMIN, archive, "清理")
    [problem] = err.value.problems
    assert "销售范围 F011/10/01" in problem.message.zh
    assert "7 张凭证" in problem.message.zh and "请冻结该客户" in problem.message.zh
    assert "block it instead" in problem.message.en
    assert _count(engine, tables.Kna1, flagged) == 1
    assert not archive.exists() or not any(archive.iterdir())


def test_refusals_without_flag_as_partner_or_locked_remove_nobody(
    uow_factory: UnitOfWorkFactory, engine: Engine, tmp_path: Path
) -> None:
    create_customer(uow_factory, from_document(_document(NUMBER, "东宁广告有限公司")), ADMIN)
    # Another customer ships to it (named before the flag: a flagged partner is refused).
    create_customer(
        uow_factory, from_document(_document(OTHER, "华信商贸有限公司", partner=NUMBER)), ADMIN
    )
    change_status(uow_factory, [NUMBER], [StatusEdit(deletion=True)], ADMIN, "误建")
    flagged = NUMBER
    acquire_lock(uow_factory, flagged, Actor("zhangsan"))
    archive = tmp_path / "archive"
    with pytest.raises(DomainError) as err:
        delete_customers(uow_factory, [flagged, OTHER, "2110389999"], ADMIN, archive, "清理")
    messages = [p.message.zh for p in err.value.problems]
    assert messages == [
        "客户 2110389999 不存在",
        f"客户 {flagged} 是客户 {OTHER} 在销售范围 F011/10/01 的合伙人 (WE)，不能删除",
        f"客户 {flagged} 正在被用户 zhangsan 处理",
        f"客户 {OTHER} 没有删除标记，不能删除；请先在 XD06 中设置删除标记",
    ]
    assert _count(engine, tables.Kna1, flagged) == 1 and _count(engine, tables.Kna1, OTHER) == 1
    assert not archive.exists() or not any(archive.iterdir())


def test_a_comment_is_required(
    uow_factory: UnitOfWorkFactory, flagged: str, tmp_path: Path
) -> None:
    with pytest.raises(DomainError) as err:
        delete_customers(uow_factory, [flagged], ADMIN, tmp_path, "  ")
    assert [p.field_key for p in err.value.problems] == ["CDHDR-COMMENT"]
