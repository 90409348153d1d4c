"""Exports (services.transfer.export) on both databases: the full export in the template's
format reads back (openpyxl, csv) into each customer's document field by field; a second
export of the same database is the same file apart from the documented timestamps; DEBMAS
IDocs conform to the documented segment definition, 009 for a full send and 004 for the
customers changed since a date; a restricted user's export lacks other centers' customers;
the customer list export has the list's columns."""

from __future__ import annotations

import csv
import re
import zipfile
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from sqlalchemy import update

from custmd_gui.domain.sap_document import from_document, to_document
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.persistence.tables import ChangeHeader
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.auth import login
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.search import CustomerQuery, Either
from custmd_gui.services.status import StatusEdit, change_status
from custmd_gui.services.transfer.debmas_definition import problems, segments
from custmd_gui.services.transfer.export import (
    FileForm,
    export_customers,
    export_debmas,
    export_list,
)
from custmd_gui.services.users import bootstrap_admin, create_user
from tests.conftest import example_document

SYSTEM = Actor("system")
PASSWORD = "Secret-2024-x"
EXAMPLE = "2110380001"


def _variant(number: str, name: str, group: str, **kna1: str) -> dict[str, Any]:
    doc = example_document()
    doc["KNA1"].update({"KUNNR": number, "NAME1": name, "SORTL": name[:10], "BEGRU": group})
    doc["KNA1"].update(kna1)
    doc["KNB1"][0]["BEGRU"] = group
    doc["KNVV"][0]["BEGRU"] = group
    for partner in doc["KNVV"][0]["KNVP"]:
        partner["KUNN2"] = number
    return doc


def _documents() -> list[dict[str, Any]]:
    second = _variant(
        "2110380011", "东宁一号广告有限公司", "1038", ALTKN="OLD-0011", TELF1="021-5555 1234",
        NAME4="第四行 & <特殊> \"字符\"", AUFSD="01",
    )  # fmt: skip
    second["KNBK"].append({"BANKS": "CN", "BANKL": "F012", "BANKN": "0001234", "BKREF": "01"})
    flagged = _variant("2110380021", "东宁二号广告有限公司", "1039", LOEVM="X", STCD5="")
    ship_to = {
        "KNA1": {
            "KUNNR": "",
            "KTOKD": "1310",
            "NAME1": "收货方 上海仓库",
            "SORTL": "上海仓库",
            "STRAS": "测试路1号",
            "PSTLZ": "200000",
            "ORT01": "上海",
            "LAND1": "CN",
            "SPRAS": "ZH",
            "ALTKN": "OLD-9",
        }
    }
    return [example_document(), second, flagged, ship_to]


@pytest.fixture
def stocked(uow_factory: UnitOfWorkFactory) -> list[str]:
    """The example and a few more customers; their numbers."""
    return [create_customer(uow_factory, from_document(doc), SYSTEM).number for doc in _documents()]


def _expected(factory: UnitOfWorkFactory, number: str) -> dict[str, Any]:
    """The stored customer's document with its empty values left out (as document_of)."""

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if v not in ("", None, [])}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    doc: dict[str, Any] = clean(to_document(read_customer(factory, number)))
    return doc


def _rows_by_customer(
    sheets: dict[str, list[list[str]]],
) -> dict[str, dict[str, list[dict[str, str]]]]:
    """Sheet id -> rows (row 1 the keys, data rows with column A empty) grouped by KUNNR."""
    out: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for sheet_id, rows in sheets.items():
        keys = rows[0][1:]
        for row in rows[cols.HEADER_ROWS :]:
            if not cols.is_data_row(row[0]):
                continue
            values = {k: (v or "") for k, v in zip(keys, row[1:], strict=False)}
            out[values["KNA1-KUNNR"]][sheet_id].append(values)
    return out


def _xlsx_sheets(path: Path) -> dict[str, list[list[str]]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for name in wb.sheetnames:
        sheet = cols.sheet_named(name)
        assert sheet is not None, name
        out[sheet.id] = [list(r) for r in wb[name].iter_rows(values_only=True)]
    return out


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _check_round_trip(factory: UnitOfWorkFactory, numbers: list[str], sheets: Any) -> None:
    by_customer = _rows_by_customer(sheets)
    assert sorted(by_customer) == sorted(numbers)
    for number in numbers:
        assert cols.document_of(by_customer[number]) == _expected(factory, number), number


def test_xlsx_export_reads_back_as_each_customers_document(
    uow_factory: UnitOfWorkFactory, stocked: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "customers.xlsx"
    written = export_customers(uow_factory, SYSTEM, path)
    assert written.customers == len(stocked) and written.paths == [path]
    wb = openpyxl.load_workbook(path)
    general = wb["一般数据 KNA1"]
    # The template's header: keys, labels, required marks; the data below, column A empty.
    assert general.cell(cols.KEY_ROW, 2).value == "KNA1-KUNNR"
    assert general.cell(cols.LABEL_ROW, 1).value == cols.META_LABEL.zh
    assert general.freeze_panes == "D4"
    _check_round_trip(uow_factory, stocked, _xlsx_sheets(path))
    assert not list(tmp_path.glob(".*"))


def test_csv_exports_read_back(
    uow_factory: UnitOfWorkFactory, stocked: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "csv"
    written = export_customers(uow_factory, SYSTEM, folder, form=FileForm.CSV, lang="en")
    assert sorted(p.name for p in written.paths) == sorted(f"{s.table}.csv" for s in cols.sheets())
    sheets = {s.id: _csv_rows(folder / f"{s.table}.csv") for s in cols.sheets()}
    assert sheets["general"][1][0] == "Label"
    _check_round_trip(uow_factory, stocked, sheets)

    wide = tmp_path / "wide.csv"
    export_customers(uow_factory, SYSTEM, wide, form=FileForm.CSV_WIDE)
    rows = _csv_rows(wide)
    header = rows[0]
    assert header[:2] == [cols.META_FIELD.zh, cols.TABLE_COLUMN]
    per_sheet: dict[str, list[list[str]]] = {}
    for sheet in cols.sheets():
        # Each sheet's rows as a sheet of their own: its own columns and the keys.
        idx = [0] + [header.index(c.key) for c in sheet.columns]
        mine = [r for r in rows[cols.HEADER_ROWS :] if r[1] == sheet.table]
        per_sheet[sheet.id] = [
            [header[i] for i in idx],
            [],
            [],
            *([r[i] for i in idx] for r in mine),
        ]
    _check_round_trip(uow_factory, stocked, per_sheet)


def _core_without_times(data: bytes) -> bytes:
    return re.sub(rb"<dcterms:(created|modified)[^<]*</dcterms:\1>", b"", data)


def test_a_second_export_is_the_same_file_apart_from_timestamps(
    uow_factory: UnitOfWorkFactory, stocked: list[str], tmp_path: Path
) -> None:
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    export_customers(uow_factory, SYSTEM, first)
    export_customers(uow_factory, SYSTEM, second)
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            left, right = a.read(name), b.read(name)
            if name == "docProps/core.xml":  # documented: creation and modification time
                left, right = _core_without_times(left), _core_without_times(right)
            assert left == right, name
    (tmp_path / "1").mkdir()
    (tmp_path / "2").mkdir()
    for form, target in ((FileForm.CSV_WIDE, "wide.csv"), (FileForm.CSV, "folder")):
        one = export_customers(uow_factory, SYSTEM, tmp_path / "1" / target, form=form).paths
        two = export_customers(uow_factory, SYSTEM, tmp_path / "2" / target, form=form).paths
        assert [p.read_bytes() for p in one] == [p.read_bytes() for p in two]  # no time in CSV
    now = datetime(2026, 5, 1, 8, 30, tzinfo=UTC)
    export_debmas(uow_factory, SYSTEM, tmp_path / "1.xml", now=now)
    export_debmas(uow_factory, SYSTEM, tmp_path / "2.xml", now=now)
    assert (tmp_path / "1.xml").read_bytes() == (tmp_path / "2.xml").read_bytes()


def _idocs(path: Path) -> list[ElementTree.Element]:
    root = ElementTree.parse(path).getroot()  # well-formed, or this raises
    assert problems(root) == []
    return list(root)


def test_debmas_full_send_conforms_to_the_segment_definition(
    uow_factory: UnitOfWorkFactory, stocked: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "debmas.xml"
    assert export_debmas(uow_factory, SYSTEM, path) == len(stocked)
    idocs = _idocs(path)
    assert len(idocs) == len(stocked)
    by_number = {i.findtext("E1KNA1M/KUNNR") or "": i for i in idocs}
    assert sorted(by_number) == sorted(stocked)
    assert {m.text for m in ElementTree.parse(path).getroot().iter("MSGFN")} == {"009"}
    example = by_number[EXAMPLE]
    control = example.find("EDI_DC40")
    assert control is not None
    assert control.findtext("IDOCTYP") == "DEBMAS07" and control.findtext("MESTYP") == "DEBMAS"
    general = example.find("E1KNA1M")
    assert general is not None
    assert general.findtext("NAME1") == "东宁广告有限公司"
    assert general.findtext("SPRAS_ISO") == "ZH" and general.find("SPRAS") is None
    area = general.find("E1KNVVM")
    assert area is not None and area.findtext("VKORG") == "F011"
    assert [p.findtext("PARVW") for p in area.findall("E1KNVPM")] == ["AG", "RE", "RG", "WE"]
    assert general.findtext("E1KNVIM/TAXKD") == "1"
    assert general.findtext("E1KNBKM/BANKN") == "1234567"
    assert general.findtext("E1KNB1M/BUKRS") == "F011"
    # The previous account number goes per company code, as SAP keeps it.
    second = by_number["2110380011"].find("E1KNA1M")
    assert second is not None and second.find("ALTKN") is None
    assert second.findtext("E1KNB1M/ALTKN") == "OLD-0011"
    assert second.findtext("NAME4") == '第四行 & <特殊> "字符"'
    assert len(second.findall("E1KNBKM")) == 2
    assert second.findtext("AUFSD") == "01"
    flagged = by_number["2110380021"].find("E1KNA1M")
    assert flagged is not None and flagged.findtext("LOEVM") == "X"


def test_the_check_finds_what_breaks_the_definition(
    uow_factory: UnitOfWorkFactory, stocked: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "debmas.xml"
    export_debmas(uow_factory, SYSTEM, path)
    root = ElementTree.parse(path).getroot()
    idoc = next(i for i in root if i.findtext("E1KNA1M/KUNNR") == EXAMPLE)
    general = idoc.find("E1KNA1M")
    assert general is not None
    name = general.find("NAME1")
    assert name is not None
    name.text = "x" * 36  # NAME1 is 35 long
    ElementTree.SubElement(general, "NAME9").text = "y"
    kunnr = general.find("KUNNR")
    assert kunnr is not None
    general.remove(kunnr)
    bank = general.find("E1KNBKM")
    assert bank is not None
    general.remove(bank)
    idoc.append(bank)  # a bank segment at the top level
    found = problems(root)
    assert any("NAME1 has 36 characters, at most 35" in p for p in found)
    assert any("NAME9 is no field" in p for p in found)
    assert any("required field KUNNR missing" in p for p in found)
    assert any("E1KNBKM within IDOC" in p for p in found)
    assert segments()["E1KNB1M"].fields["ALTKN"] == "KNA1-ALTKN"


def test_debmas_changes_since_a_date_are_sent_as_004(
    uow_factory: UnitOfWorkFactory, stocked: list[str], tmp_path: Path
) -> None:
    # Everything so far happened long ago; today one customer is blocked.
    with uow_factory() as uow:
        uow.session.execute(update(ChangeHeader).values(udate=datetime(2020, 1, 1, tzinfo=UTC)))
        uow.commit()
    change_status(uow_factory, [EXAMPLE], [StatusEdit(order="01")], SYSTEM, "信用问题")
    path = tmp_path / "changes.xml"
    yesterday = date.today() - timedelta(days=1)
    assert export_debmas(uow_factory, SYSTEM, path, changed_since=yesterday) == 1
    (idoc,) = _idocs(path)
    assert idoc.findtext("E1KNA1M/KUNNR") == EXAMPLE
    assert {m.text for m in idoc.iter("MSGFN")} == {"004"}
    assert idoc.findtext("E1KNA1M/AUFSD") == "01"
    # The full export takes the same choice.
    since = export_customers(uow_factory, SYSTEM, tmp_path / "c.xlsx", changed_since=yesterday)
    assert since.customers == 1
    assert export_debmas(uow_factory, SYSTEM, path, changed_since=date(2019, 12, 31)) == 4
    assert {m.text for m in ElementTree.parse(path).getroot().iter("MSGFN")} == {"004"}
    assert export_debmas(uow_factory, SYSTEM, path, changed_since=date.today() + timedelta(1)) == 0


def _assistant(factory: UnitOfWorkFactory, groups: tuple[str, ...]) -> Actor:
    bootstrap_admin(factory, "admin", PASSWORD)
    create_user(
        factory, SYSTEM, "wangwu", password=PASSWORD, roles=["assistant"], auth_groups=groups,
        company_codes=("*",), sales_areas=("*/*/*",),
    )  # fmt: skip
    return Actor.logged_in(login(factory, "wangwu", PASSWORD, "test-host"))


def test_a_restricted_user_exports_only_the_customers_he_sees(
    uow_factory: UnitOfWorkFactory, stocked: list[str], tmp_path: Path
) -> None:
    assistant = _assistant(uow_factory, ("1038",))
    # 1038 and the customers without an authorization group (the ship-to); not 4002, 1039.
    visible = [n for n in stocked if n not in (EXAMPLE, "2110380021")]
    path = tmp_path / "mine.xlsx"
    assert export_customers(uow_factory, assistant, path).customers == len(visible)
    assert sorted(_rows_by_customer(_xlsx_sheets(path))) == sorted(visible)
    xml = tmp_path / "mine.xml"
    export_debmas(uow_factory, assistant, xml)
    assert sorted(i.findtext("E1KNA1M/KUNNR") or "" for i in _idocs(xml)) == sorted(visible)
    listed = tmp_path / "mine.csv"
    export_list(uow_factory, assistant, listed)
    assert sorted(r[0] for r in _csv_rows(listed)[1:]) == sorted(visible)


def test_the_list_export_has_the_lists_columns_for_the_search(
    uow_factory: UnitOfWorkFactory, stocked: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "list.csv"
    query = CustomerQuery("东宁", deletion_flag=Either.NO)
    assert export_list(uow_factory, SYSTEM, path, query=query) == 2
    rows = _csv_rows(path)
    assert rows[0] == ["客户", "名称", "搜索条款", "城市", "科目组", "电话", "状态"]
    assert rows[1][:5] == [EXAMPLE, "东宁广告有限公司", "东宁广告", "上海", "1110"]
    assert rows[2][0] == "2110380011" and rows[2][6] == "冻结"
    xlsx = tmp_path / "list.xlsx"
    assert export_list(uow_factory, SYSTEM, xlsx, query=CustomerQuery(), lang="en") == 4
    ws = openpyxl.load_workbook(xlsx).active
    assert ws is not None
    values = [[c or "" for c in r] for r in ws.iter_rows(values_only=True)]
    assert values[0] == ["Customer", "Name", "Search term", "City", "Account group",
                         "Telephone", "Status"]  # fmt: skip
    assert "Marked for deletion" in [r[6] for r in values]


def test_customers_are_read_a_page_at_a_time_whole_and_in_order(
    uow_factory: UnitOfWorkFactory, stocked: list[str]
) -> None:
    from custmd_gui.services.transfer import export_source

    # Pages of two: every customer once, in number order, equal to what XD03 reads.
    read = list(export_source.customers(uow_factory, SYSTEM, page=2))
    assert [c.number for c in read] == sorted(stocked)
    for customer in read:
        assert customer == read_customer(uow_factory, customer.number)
    with uow_factory() as uow:
        assert [c.number for c in uow.customers.get_page([stocked[2], "0000000000", EXAMPLE])] == [
            stocked[2],
            EXAMPLE,
        ]
