"""The data conversion's round trip on both databases (issue 17, "Done when"): the template
written by the template service, filled with openpyxl with the documents' example and five
customers of other account groups, imported; the full export (template format) of that
database imported into a second, empty database; both databases then hold the same customers
field by field and send the same DEBMAS IDocs.

What must be normalised to compare: only DEBMAS' control record, which holds the creation
date and time (CREDAT, CRETIM): `now` is fixed. DOCNUM counts the IDocs of the file and the
customers come in number order, so both are equal as they are. Change documents (dates, user,
the file name in the comment) are part of neither the customer's document nor DEBMAS.

Customers of internal-number account groups keep their exported numbers: the import raises
the range's level to them (migration 0022 on PostgreSQL), so a later draw skips them.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from custmd_gui.domain.sap_document import from_document, to_document
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.services.customizing import read_customizing
from custmd_gui.services.export_hash import canonical_json, customer_documents, export_hash
from custmd_gui.services.transfer.export import export_customers, export_debmas
from custmd_gui.services.transfer.import_file import Outcome, import_customers
from custmd_gui.services.transfer.template import write_template
from tests.conftest import example_document

ACTOR = Actor("importer")
NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
Rows = dict[str, list[dict[str, str]]]


def _doc(**kna1: str) -> dict[str, Any]:
    """The example with other general data; its sales area's partners the customer itself."""
    doc = copy.deepcopy(example_document())
    doc["KNA1"].update(kna1)
    number = doc["KNA1"]["KUNNR"]
    for area in doc["KNVV"]:
        for partner in area["KNVP"]:
            partner["KUNN2"] = number
    return doc


def _foreign() -> dict[str, Any]:
    """1120 (sold-to, foreign) in the United States, region CA, export channel, USD."""
    doc = _doc(
        KUNNR="2110380002", KTOKD="1120", ANRED="公司", NAME1="Pacific Desk Inc.",
        NAME2="Pacific Desk Inc.", NAME3="", SORTL="PACIFIC", STRAS="500 Market Street",
        PSTLZ="94105", ORT01="San Francisco", LAND1="US", REGIO="CA", SPRAS="EN",
        ALTKN="RT-US-1", BRSCH="", NIELS="", GFORM="",
    )  # fmt: skip
    doc["KNBK"] = []
    area = doc["KNVV"][0]
    area.update({"VTWEG": "30", "WAERS": "USD", "INCO1": "FOB", "INCO2": "Shanghai"})
    return doc


def _two_banks_three_areas() -> dict[str, Any]:
    """1110 with two bank rows, three sales areas (other offices and groups), a telephone, a
    credit code and the example as a second ship-to party."""
    doc = _doc(
        KUNNR="2110380003", NAME1="西区家具有限公司", NAME3="西区家具有限公司", SORTL="西区家具",
        ALTKN="RT-CN-3", STCD5="91310000631696382C", TELF1="021-6222 0000",
    )  # fmt: skip
    doc["KNBK"] = [
        {"BANKS": "CN", "BANKL": "F011", "BANKN": "62220001", "KOINH": "西区家具有限公司"},
        {"BANKS": "CN", "BANKL": "F012", "BANKN": "62220002", "BKREF": "02"},
    ]
    first = doc["KNVV"][0]
    second = copy.deepcopy(first) | {"SPART": "02", "VKBUR": "1011", "VKGRP": "011"}
    third = copy.deepcopy(first) | {"VTWEG": "20", "VKBUR": "1012", "VKGRP": "012"}
    # A second ship-to party: the example, another customer of the same file.
    first["KNVP"].append({"PARVW": "WE", "PARZA": "001", "KUNN2": "2110380001"})
    doc["KNVV"] = [first, second, third]
    return doc


def _ship_to() -> dict[str, Any]:
    """1310 (ship-to, internal number from range 02): no accounting, pricing, billing."""
    return {
        "KNA1": {
            "KUNNR": "", "KTOKD": "1310", "NAME1": "收货方 浦东仓库", "SORTL": "浦东仓库",
            "STRAS": "浦东新区张江路1号", "PSTLZ": "201203", "ORT01": "上海", "LAND1": "CN",
            "REGIO": "020", "SPRAS": "ZH", "ALTKN": "RT-SHIP-1",
        },
        "KNVV": [
            {
                "VKORG": "F011", "VTWEG": "10", "SPART": "01", "VKBUR": "1038", "VKGRP": "038",
                "VSBED": "11", "VWERK": "F011",
                "KNVP": [{"PARVW": "WE", "PARZA": "000", "KUNN2": ""}],
            }
        ],
    }  # fmt: skip


def _internal(group: str, altkn: str, name: str, akont: str, uscc: str = "") -> dict[str, Any]:
    doc = _doc(KUNNR="", KTOKD=group, NAME1=name, NAME3=name, SORTL=name[:4], ALTKN=altkn)
    doc["KNA1"]["STCD5"] = uscc
    doc["KNB1"][0]["AKONT"] = akont
    for partner in doc["KNVV"][0]["KNVP"]:
        partner["KUNN2"] = ""  # the customer itself: its number is not known yet
    return doc


def documents() -> list[dict[str, Any]]:
    return [
        example_document(),
        _foreign(),
        _two_banks_three_areas(),
        _ship_to(),
        _internal("1510", "RT-AFF-1", "关联家具有限公司", "1122100000", "91110000600037341L"),
        _internal("1610", "RT-OEM-1", "代工家具有限公司", "00"),
    ]


def fill_template(uow_factory: UnitOfWorkFactory, path: Path, customers: list[Rows]) -> Path:
    """The template with its sample rows replaced by `customers`' rows (typed by openpyxl)."""
    write_template(read_customizing(uow_factory), path)
    wb = openpyxl.load_workbook(path)
    for sheet in cols.sheets():
        ws = wb[sheet.name("zh")]
        ws.delete_rows(cols.SAMPLE_ROW, ws.max_row)
        keys = [c.value for c in ws[cols.KEY_ROW]][1:]
        for customer in customers:
            for row in customer.get(sheet.id, []):
                ws.append([None, *(row.get(k, "") or None for k in keys)])
    wb.save(path)
    return path


def rows(doc: dict[str, Any]) -> Rows:
    return cols.rows_of(from_document(doc))


@pytest.fixture
def second_factory(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[UnitOfWorkFactory]:
    """A second fresh database (migrated, shipped customizing, no customers), same backend."""
    if backend == "sqlite":
        target = tmp_path / "second.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        engine = make_engine(f"sqlite:///{target}")
        yield UnitOfWorkFactory(engine)
        engine.dispose()
        return
    server = request.getfixturevalue("postgres")
    name = server.create(template=server.template)
    engine = make_engine(server.url(name))
    try:
        yield UnitOfWorkFactory(engine)
    finally:
        engine.dispose()
        server.drop(name)


def _all(factory: UnitOfWorkFactory) -> dict[str, str]:
    return {number: canonical_json(doc) for number, doc in customer_documents(factory)}


def _round_trip(
    first: UnitOfWorkFactory, second: UnitOfWorkFactory, folder: Path, docs: list[dict[str, Any]]
) -> None:
    """template -> import -> export -> import into `second` -> the same customers and DEBMAS."""
    source = fill_template(first, folder / "customers.xlsx", [rows(d) for d in docs])
    report = import_customers(first, source, ACTOR)
    assert report.errors == [], "\n".join(p.line() for p in report.errors)
    assert report.count(Outcome.CREATED) == len(docs)
    before = _all(first)
    assert len(before) == len(docs)

    exported = folder / "export.xlsx"
    export_customers(first, ACTOR, exported)
    assert _all(second) == {}
    again = import_customers(second, exported, ACTOR)
    assert again.errors == [], "\n".join(p.line() for p in again.errors)
    assert again.count(Outcome.CREATED) == len(docs)
    after = _all(second)
    assert sorted(after) == sorted(before)
    for number in before:
        assert after[number] == before[number], number
    # The backup's check as well: the same documents and as many change documents and items
    # (one creation each, the same fields).
    admin = Actor("system")
    assert export_hash(first, admin) == export_hash(second, admin)

    one, two = folder / "one.xml", folder / "two.xml"
    assert export_debmas(first, ACTOR, one, now=NOW) == len(docs)
    assert export_debmas(second, ACTOR, two, now=NOW) == len(docs)
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")


def test_round_trip_external_numbers(
    uow_factory: UnitOfWorkFactory, second_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    """The example, the US customer and the two-bank, three-area customer (external numbers)."""
    _round_trip(uow_factory, second_factory, tmp_path, documents()[:3])


def test_first_import_of_all_six(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    """All six in one file: internal numbers drawn from their groups' ranges, the rows of
    every segment where they belong."""
    source = fill_template(uow_factory, tmp_path / "c.xlsx", [rows(d) for d in documents()])
    report = import_customers(uow_factory, source, ACTOR)
    assert report.errors == [], "\n".join(p.line() for p in report.errors)
    numbers = {label: number for label, _, number in report.outcomes}
    assert numbers["RT-SHIP-1"].startswith("10")  # range 02
    assert numbers["RT-AFF-1"].startswith("12")  # range 04
    assert numbers["RT-OEM-1"].startswith("13")  # range 05
    stored = dict(customer_documents(uow_factory))
    assert stored["2110380001"] == to_document(from_document(example_document()))
    us = stored["2110380002"]["KNA1"]
    assert (us["LAND1"], us["REGIO"], us["PSTLZ"]) == ("US", "CA", "94105")
    three = stored["2110380003"]
    assert [b["BANKN"] for b in three["KNBK"]] == ["62220001", "62220002"]
    assert [(a["VTWEG"], a["SPART"], a["VKBUR"]) for a in three["KNVV"]] == [
        ("10", "01", "1038"), ("10", "02", "1011"), ("20", "01", "1012")
    ]  # fmt: skip
    ship = stored[numbers["RT-SHIP-1"]]
    assert ship["KNA1"]["KTOKD"] == "1310" and ship["KNB1"] == [] and ship["KNBK"] == []
    assert [p["PARVW"] for p in ship["KNVV"][0]["KNVP"]] == ["WE"]
    aff = stored[numbers["RT-AFF-1"]]
    assert {p["KUNN2"] for p in aff["KNVV"][0]["KNVP"]} == {numbers["RT-AFF-1"]}


def test_round_trip_with_internal_numbers(
    uow_factory: UnitOfWorkFactory, second_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    """Customers of internal-number groups keep their numbers in the second database, whose
    ranges are raised to them: its next XD01 of such a group draws a number after them."""
    _round_trip(uow_factory, second_factory, tmp_path, documents())
    kept = [n for n, d in customer_documents(second_factory) if d["KNA1"]["KTOKD"] == "1310"]
    assert len(kept) == 1
    ship = from_document(documents()[3]).with_number("")
    assert ship.general.account_group == "1310"
    made = create_customer(second_factory, ship, Actor("clerk"))
    assert int(made.number) == int(kept[0]) + 1


def test_partner_that_is_another_customer_of_the_file(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    """The customer naming the example as ship-to party comes first in the file: the example
    is written first all the same, and the partner line is stored."""
    source = fill_template(
        uow_factory, tmp_path / "c.xlsx", [rows(_two_banks_three_areas()), rows(example_document())]
    )
    report = import_customers(uow_factory, source, ACTOR)
    assert report.errors == [], "\n".join(p.line() for p in report.errors)
    assert [n for _, _, n in report.outcomes] == ["2110380001", "2110380003"]
    stored = dict(customer_documents(uow_factory))
    partners = stored["2110380003"]["KNVV"][0]["KNVP"]
    assert {"PARVW": "WE", "PARZA": "001", "KUNN2": "2110380001"} in partners


def test_partner_of_the_file_with_errors_is_an_error(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    bad = example_document()
    bad["KNA1"]["BRSCH"] = "ZZZZ"
    source = fill_template(
        uow_factory, tmp_path / "c.xlsx", [rows(_two_banks_three_areas()), rows(bad)]
    )
    report = import_customers(uow_factory, source, ACTOR, accept_good_rows=True)
    assert report.written == 0 and _all(uow_factory) == {}
    sheet = next(s.name("zh") for s in cols.sheets() if s.table == "KNVP")
    found = [
        p
        for p in report.errors
        if p.sheet == sheet and p.field_key == "KNVP-KUNN2" and "2110380001" in p.message.zh
    ]
    assert found and found[0].column and found[0].row, [p.line() for p in report.errors]
