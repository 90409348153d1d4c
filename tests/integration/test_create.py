"""Creating customers through the service on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select, text

from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.model import Customer, SalesAreaData
from custmd_gui.domain.sap_document import from_document, to_document
from custmd_gui.persistence import tables
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, extend_customer, read_customer
from tests.conftest import example_document

ACTOR = Actor("zhangsan", origin="local")


def _ship_to(name: str) -> Customer:
    return from_document(
        {
            "KNA1": {
                "KTOKD": "1310",
                "NAME1": name,
                "SORTL": "收货方",
                "STRAS": "长宁路1号",
                "PSTLZ": "200050",
                "ORT01": "上海",
                "LAND1": "CN",
                "SPRAS": "ZH",
            }
        }
    )


def _row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.__tablename__: conn.scalar(select(func.count()).select_from(t)) or 0
            for t in (*tables.SEGMENT_TABLES.values(), tables.ChangeHeader, tables.ChangeItem)
        }


def test_example_customer_reads_back_identical(uow_factory: UnitOfWorkFactory) -> None:
    doc = example_document()
    created = create_customer(uow_factory, from_document(doc), ACTOR)
    assert created.number == "2110380001"
    stored = to_document(read_customer(uow_factory, "2110380001"))
    assert stored["KNA1"] == {**to_document(Customer())["KNA1"], **doc["KNA1"]}
    for table in ("KNBK", "KNB1"):
        assert len(stored[table]) == len(doc[table])
        for got, given in zip(stored[table], doc[table], strict=True):
            assert {k: got[k] for k in given} == given
    (area,) = stored["KNVV"]
    given = doc["KNVV"][0]
    assert {k: area[k] for k in given if k not in ("KNVI", "KNVP")} == {
        k: v for k, v in given.items() if k not in ("KNVI", "KNVP")
    }
    assert area["KNVI"] == given["KNVI"]
    assert area["KNVP"] == given["KNVP"]


def test_change_document_records_the_create(uow_factory: UnitOfWorkFactory) -> None:
    create_customer(uow_factory, from_document(example_document()), ACTOR)
    with uow_factory() as uow:
        items = uow.changes.for_customer("2110380001")
    assert {i.username for i in items} == {"zhangsan"}
    assert {i.activity for i in items} == {"create"}
    assert {i.origin for i in items} == {"local"}
    by_field = {(i.table, i.key, i.field): (i.old, i.new) for i in items}
    assert by_field[("KNA1", "2110380001", "NAME1")] == (None, "东宁广告有限公司")
    assert by_field[("KNVV", "2110380001/F011/10/01", "VSBED")] == (None, "11")
    assert by_field[("KNVP", "2110380001/F011/10/01/RG/000", "KUNN2")] == (None, "2110380001")


def test_invalid_customer_writes_nothing(uow_factory: UnitOfWorkFactory, engine: Engine) -> None:
    doc = example_document()
    doc["KNA1"]["PSTLZ"] = "2000000"
    before = _row_counts(engine)
    with pytest.raises(DomainError) as err:
        create_customer(uow_factory, from_document(doc), ACTOR)
    assert [p.field_key for p in err.value.problems] == ["KNA1-PSTLZ"]
    assert _row_counts(engine) == before


def test_internal_numbers_are_consecutive(uow_factory: UnitOfWorkFactory) -> None:
    numbers = [create_customer(uow_factory, _ship_to(f"收货方{i}"), ACTOR).number for i in range(5)]
    assert numbers == [str(1000000000 + i) for i in range(5)]
    # partner functions point at the drawn number
    assert read_customer(uow_factory, numbers[0]).number == numbers[0]


def test_existing_external_number_is_refused(uow_factory: UnitOfWorkFactory) -> None:
    create_customer(uow_factory, from_document(example_document()), ACTOR)
    with pytest.raises(DomainError) as err:
        create_customer(uow_factory, from_document(example_document()), ACTOR)
    (problem,) = err.value.problems
    assert problem.field_key == "KNA1-KUNNR" and "已存在" in problem.message.zh


def test_external_number_breaking_the_rule_is_refused(uow_factory: UnitOfWorkFactory) -> None:
    doc = example_document()
    doc["KNA1"]["KUNNR"] = "2150380001"
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = "2150380001"
    with pytest.raises(DomainError) as err:
        create_customer(uow_factory, from_document(doc), ACTOR)
    assert [p.field_key for p in err.value.problems] == ["KNA1-KUNNR"]
    assert "分公司代码" in err.value.problems[0].message.zh
    with uow_factory() as uow:
        assert uow.customers.count() == 0


def _install_failing_trigger(engine: Engine) -> None:
    """Make the database itself refuse the last segment (partner functions)."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER knvp_fail BEFORE INSERT ON knvp "
                    "BEGIN SELECT RAISE(ABORT, 'partner write failed'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION knvp_fail() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'partner write failed'; END $$"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER knvp_fail BEFORE INSERT ON knvp "
                    "FOR EACH ROW EXECUTE FUNCTION knvp_fail()"
                )
            )


def _drop_failing_trigger(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "DROP TRIGGER knvp_fail"
                if engine.dialect.name == "sqlite"
                else "DROP TRIGGER knvp_fail ON knvp"
            )
        )


def test_failure_in_last_segment_leaves_nothing_and_keeps_the_number(
    uow_factory: UnitOfWorkFactory, engine: Engine
) -> None:
    first = create_customer(uow_factory, _ship_to("先来的收货方"), ACTOR).number
    doc = example_document()
    doc["KNA1"].update({"KTOKD": "1510", "KUNNR": ""})  # internal numbering, all segments
    doc["KNB1"][0]["AKONT"] = ""  # display-only for 1510: the group proposes it
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = ""
    before = _row_counts(engine)
    with uow_factory() as uow:
        level = uow.numbers.level("04")
    _install_failing_trigger(engine)
    with pytest.raises(Exception, match="partner write failed"):
        create_customer(uow_factory, from_document(doc), ACTOR)
    assert _row_counts(engine) == before
    with uow_factory() as uow:
        assert uow.numbers.level("04") == level
    _drop_failing_trigger(engine)
    created = create_customer(uow_factory, from_document(doc), ACTOR)
    assert created.number == "1200000000"  # the first number of the range, not the second
    assert first == "1000000000"


def test_head_office_extension(uow_factory: UnitOfWorkFactory) -> None:
    """Document SD02: the F011 customer copied into F001/40/01 with the same number, sales
    office 1020, sales group 020, shipping conditions 20, plant FW00, no company-code data."""
    create_customer(uow_factory, from_document(example_document()), ACTOR)
    reference = read_customer(uow_factory, "2110380001").sales_area("F011/10/01")
    assert reference is not None
    area = reference.model_copy(
        deep=True,
        update={
            "sales_org": "F001",
            "distribution_channel": "40",
            "sales_office": "1020",
            "sales_group": "020",
            "shipping_conditions": "20",
            "delivering_plant": "FW00",
        },
    )
    area.partners = []
    extended = extend_customer(uow_factory, "2110380001", ACTOR, sales_areas=[area])
    assert [c.company_code for c in extended.company_codes] == ["F011"]
    head = extended.sales_area("F001/40/01")
    assert head is not None
    assert (
        head.sales_office,
        head.sales_group,
        head.shipping_conditions,
        head.delivering_plant,
    ) == ("1020", "020", "20", "FW00")
    assert {p.partner_function: p.partner for p in head.partners} == {
        "AG": "2110380001",
        "RE": "2110380001",
        "RG": "2110380001",
        "WE": "2110380001",
    }
    assert extended.version == 2
    with uow_factory() as uow:
        items = uow.changes.for_customer("2110380001")
    assert {i.key for i in items if i.activity == "extend"} >= {"2110380001/F001/40/01"}


def test_extension_into_existing_area_is_refused(uow_factory: UnitOfWorkFactory) -> None:
    create_customer(uow_factory, from_document(example_document()), ACTOR)
    area = SalesAreaData.model_validate(example_document()["KNVV"][0])
    with pytest.raises(DomainError) as err:
        extend_customer(uow_factory, "2110380001", ACTOR, sales_areas=[area])
    assert "已在销售范围 F011/10/01 中创建" in err.value.problems[0].message.zh


def test_unknown_partner_is_refused(uow_factory: UnitOfWorkFactory) -> None:
    doc = example_document()
    doc["KNVV"][0]["KNVP"][2]["KUNN2"] = "2110389999"
    with pytest.raises(DomainError) as err:
        create_customer(uow_factory, from_document(doc), ACTOR)
    assert [(p.field_key, p.segment) for p in err.value.problems] == [("KNVP-KUNN2", "F011/10/01")]


def test_number_block_for_an_offline_device(uow_factory: UnitOfWorkFactory) -> None:
    from datetime import UTC, datetime

    with uow_factory(write=True) as uow:
        block = uow.numbers.reserve_block("02", "laptop-7", 100, datetime.now(UTC))
        uow.commit()
    assert (block.first_number, block.last_number) == (1000000000, 1000000099)
    # the server goes on after the block
    assert create_customer(uow_factory, _ship_to("块后"), ACTOR).number == "1000000100"
