"""Bad rows of a customer import (issue 17, "Done when"), on both databases: each kind of bad
row is reported with its sheet, row, column and field key, the message naming the field (its
Chinese label) or the value, and nothing is written (customers and change documents counted
before and after).

Row-level kinds share one workbook (the template filled with openpyxl): one customer per kind,
tied together by its previous account number B<nn> (the case's index), so that each kind's
problem is found where its rows are. Kinds that concern the file (its encoding, its sheets,
its header) get a file of their own."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from custmd_gui.catalog import catalog
from custmd_gui.domain.hygiene import UnreadableFile
from custmd_gui.domain.sap_document import from_document
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.persistence.tables import ChangeHeader, Kna1
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.transfer.import_file import ImportReport, Outcome, import_customers
from custmd_gui.services.transfer.import_reader import ImportProblem
from tests.conftest import example_document
from tests.integration.test_transfer_round_trip import fill_template, rows

ACTOR = Actor("importer")
HELD_USCC = "91110000600037341L"  # the stored customer's credit code
Doc = dict[str, Any]


def _sold_to(altkn: str) -> Doc:
    """A good customer of group 1510 (internal numbers), its partners itself."""
    doc = copy.deepcopy(example_document())
    doc["KNA1"].update(
        {"KUNNR": "", "KTOKD": "1510", "ALTKN": altkn, "NAME1": f"{altkn}家具有限公司"}
    )
    doc["KNB1"][0]["AKONT"] = "1122100000"
    for partner in doc["KNVV"][0]["KNVP"]:
        partner["KUNN2"] = ""
    return doc


def _external(altkn: str, number: str) -> Doc:
    doc = _sold_to(altkn)
    doc["KNA1"].update({"KUNNR": number, "KTOKD": "1110"})
    doc["KNB1"][0]["AKONT"] = "00"
    for partner in doc["KNVV"][0]["KNVP"]:
        partner["KUNN2"] = number
    return doc


def _ship_to(altkn: str) -> Doc:
    return {
        "KNA1": {
            "KTOKD": "1310", "ALTKN": altkn, "NAME1": f"{altkn} 仓库", "SORTL": "仓库",
            "STRAS": "张江路1号", "PSTLZ": "201203", "ORT01": "上海", "LAND1": "CN",
            "REGIO": "020", "SPRAS": "ZH",
        },
        "KNVV": [
            {
                "VKORG": "F011", "VTWEG": "10", "SPART": "01", "VKBUR": "1038", "VKGRP": "038",
                "VSBED": "11", "VWERK": "F011",
                "KNVP": [{"PARVW": "WE", "PARZA": "000", "KUNN2": ""}],
            }
        ],
    }  # fmt: skip


def _set(table: str, **values: str) -> Callable[[Doc], None]:
    """Set fields of the first row of `table` (KNA1, KNBK, KNB1, KNVV, KNVI, KNVP)."""

    def change(doc: Doc) -> None:
        if table == "KNA1":
            doc["KNA1"].update(values)
        elif table in ("KNVI", "KNVP"):
            doc["KNVV"][0][table][0].update(values)
        else:
            doc[table][0].update(values)

    return change


@dataclass(frozen=True)
class Case:
    """One kind of bad row: the customer's document made bad (or the cell made bad after
    filling, `cell`), where the problem must be reported, and the value the message quotes
    (None: the message names the field by its Chinese label)."""

    kind: str
    table: str  # the sheet the problem is on, by table
    key: str
    value: str | None
    change: Callable[[Doc], None] | None = None
    base: Callable[[str], Doc] = _sold_to
    cell: Any = None  # what openpyxl writes into the cell after filling
    number_format: str | None = None
    nth: int = 0  # which of the customer's rows in that sheet


def _drop_ort01(doc: Doc) -> None:
    doc["KNA1"]["ORT01"] = ""


def _drop_vsbed(doc: Doc) -> None:
    doc["KNVV"][0]["VSBED"] = ""


def _ag_for_ship_to(doc: Doc) -> None:
    doc["KNVV"][0]["KNVP"].insert(0, {"PARVW": "AG", "PARZA": "000", "KUNN2": ""})


def _tax_without_area(doc: Doc) -> None:
    doc["KNVV"].append({"VKORG": "F011", "VTWEG": "10", "SPART": "02"})


CASES = [
    Case("unknown_code", "KNA1", "KNA1-BRSCH", "ZZZZ", _set("KNA1", BRSCH="ZZZZ")),
    Case("too_long", "KNA1", "KNA1-NAME1", None, _set("KNA1", NAME1="长" * 50)),
    Case("missing_required_sold_to", "KNA1", "KNA1-ORT01", None, _drop_ort01),
    Case("missing_required_ship_to", "KNVV", "KNVV-VSBED", None, _drop_vsbed, _ship_to),
    Case("wrong_uscc", "KNA1", "KNA1-STCD5", None, _set("KNA1", STCD5="91310000631696382X")),
    Case("uscc_held", "KNA1", "KNA1-STCD5", HELD_USCC, _set("KNA1", STCD5=HELD_USCC)),
    Case("unknown_country", "KNA1", "KNA1-LAND1", "ZZ", _set("KNA1", LAND1="ZZ")),
    Case("region_not_of_country", "KNA1", "KNA1-REGIO", "NY", _set("KNA1", REGIO="NY")),
    # The consistency rule reports on the region (the postal code decides the region).
    Case("postal_code_vs_region", "KNA1", "KNA1-REGIO", "100000", _set("KNA1", PSTLZ="100000")),
    Case("unknown_language", "KNA1", "KNA1-SPRAS", "XX", _set("KNA1", SPRAS="XX")),
    Case("bank_country_unknown", "KNBK", "KNBK-BANKS", "ZZ", _set("KNBK", BANKS="ZZ")),
    Case("unknown_company_code", "KNB1", "KNB1-BUKRS", "F999", _set("KNB1", BUKRS="F999")),
    Case("invalid_sales_area", "KNVV", "KNVV-VTWEG", "99", _set("KNVV", VTWEG="99")),
    Case("sales_office_not_of_area", "KNVV", "KNVV-VKBUR", "1501", _set("KNVV", VKBUR="1501")),
    Case("sales_group_not_of_office", "KNVV", "KNVV-VKGRP", "012", _set("KNVV", VKGRP="012")),
    Case("unknown_currency", "KNVV", "KNVV-WAERS", "XYZ", _set("KNVV", WAERS="XYZ")),
    Case("tax_category_unknown", "KNVI", "KNVI-TATYP", "ZZZZ", _set("KNVI", TATYP="ZZZZ")),
    Case("partner_function_not_allowed", "KNVP", "KNVP-PARVW", "AG", _ag_for_ship_to, _ship_to),
    Case("partner_unknown", "KNVP", "KNVP-KUNN2", "2999999999",
         _set("KNVP", KUNN2="2999999999")),
    Case("external_number_outside_range", "KNA1", "KNA1-KUNNR", "3110380001",
         base=lambda a: _external(a, "3110380001")),
    Case("external_number_missing", "KNA1", "KNA1-KUNNR", None,
         _set("KNA1", KTOKD="1110", KUNNR="")),
    # a number of an internal group is kept (migrated customers) when inside its range
    Case("internal_number_outside_range", "KNA1", "KNA1-KUNNR", None,
         _set("KNA1", KUNNR="9900000001")),
    Case("non_digit_number", "KNA1", "KNA1-KUNNR", "21103800AB",
         base=lambda a: _external(a, "21103800AB")),
    Case("number_float_not_whole", "KNA1", "KNA1-KUNNR", "2110380003.5",
         base=lambda a: _external(a, "2110380003"), cell=2110380003.5),
    Case("sd02_rule", "KNA1", "KNA1-KUNNR", None, base=lambda a: _external(a, "2990380001")),
    # Excel writes a control character as _x001B_ (OOXML's escape; XML cannot hold it).
    Case("control_character", "KNA1", "KNA1-NAME2", None, cell="东宁_x001B_广告"),
    Case("only_spaces_in_required", "KNA1", "KNA1-STRAS", None, cell="   "),
    Case("formula_never_calculated", "KNA1", "KNA1-NAME2", "公式", cell='="公式"&"客户"'),
    Case("date_serial_in_text_field", "KNA1", "KNA1-PSTLZ", "日期", cell=45413,
         number_format="yyyy-mm-dd"),
    Case("flag_not_x", "KNA1", "KNA1-LOEVM", "Y", cell="Y"),
    Case("unknown_account_group", "KNA1", "KNA1-KTOKD", "9999", _set("KNA1", KTOKD="9999")),
]  # fmt: skip


def _altkn(case: Case) -> str:
    return f"B{CASES.index(case):02d}"


def _count(factory: UnitOfWorkFactory) -> tuple[int, int]:
    with factory() as uow:
        customers = uow.session.scalar(select(func.count()).select_from(Kna1)) or 0
        documents = uow.session.scalar(select(func.count()).select_from(ChangeHeader)) or 0
    return int(customers), int(documents)


@pytest.fixture
def stored(uow_factory: UnitOfWorkFactory) -> tuple[int, int]:
    """One stored customer holding HELD_USCC; the counts to compare with after the import."""
    doc = _sold_to("STORED-1")
    doc["KNA1"].update({"STCD5": HELD_USCC, "NAME1": "已有客户有限公司"})
    create_customer(uow_factory, from_document(doc), ACTOR)
    return _count(uow_factory)


def _rows_of(ws: Any, altkn: str) -> list[int]:
    keys = {c.value: c.column for c in ws[cols.KEY_ROW] if c.value}
    col = keys["KNA1-ALTKN"]
    return [r for r in range(cols.SAMPLE_ROW, ws.max_row + 1) if ws.cell(r, col).value == altkn]


def _letter(ws: Any, key: str) -> str:
    keys = {c.value: c.column_letter for c in ws[cols.KEY_ROW] if c.value}
    return str(keys[key])


def _sheet_of(table: str) -> str:
    return next(s.name("zh") for s in cols.sheets() if s.table == table)


def _assert_reported(
    report: ImportReport, sheet: str, row: int, column: str, key: str, value: str | None
) -> ImportProblem:
    """The error at sheet/row/column/field whose message names the field by its Chinese
    label or quotes `value` (which, when given, it must quote)."""
    label = catalog().field(key).label.zh if key in catalog() else key

    def says(zh: str) -> bool:
        return value in zh if value is not None else label in zh

    found = [
        p
        for p in report.errors
        if (p.sheet, p.row, p.column, p.field_key) == (sheet, row, column, key)
        and says(p.message.zh)
    ]
    lines = "\n".join(p.line() for p in report.problems)
    assert found, f"{sheet}!{column}{row} {key} «{value or label}» not reported; got:\n{lines}"
    return found[0]


def _build(factory: UnitOfWorkFactory, path: Path) -> None:
    docs = [c.base(_altkn(c)) for c in CASES]
    for case, doc in zip(CASES, docs, strict=True):
        if case.change is not None:
            case.change(doc)
    docs += [
        _sold_to("DUP-A"),
        _sold_to("DUP-A") | {"KNA1": _sold_to("X")["KNA1"] | {
            "ALTKN": "DUP-A", "NAME1": "第二个同编号有限公司"}},
        _external("DUP-K1", "2110380007"),
        _external("DUP-K2", "2110380007"),
        _sold_to("DUP-U1"),
        _sold_to("DUP-U2"),
        _sold_to("MERGED-1"),
        _sold_to("MERGED-2"),
    ]  # fmt: skip
    docs[-4]["KNA1"]["STCD5"] = docs[-3]["KNA1"]["STCD5"] = "91310000631696382C"
    customers = [rows(d) for d in docs]
    orphan = rows(_sold_to("ORPHAN"))
    customers.append({"bank": orphan["bank"]})
    fill_template(factory, path, customers)
    wb = openpyxl.load_workbook(path)
    for case in CASES:
        if case.cell is None:
            continue
        ws = wb[_sheet_of(case.table)]
        cell = ws[f"{_letter(ws, case.key)}{_rows_of(ws, _altkn(case))[case.nth]}"]
        cell.value = case.cell
        if case.number_format:
            cell.number_format = case.number_format
    ws = wb[_sheet_of("KNA1")]
    # Two empty rows in the middle of the data, one of them with spaces only (inserted first:
    # openpyxl does not move merged ranges).
    ws.insert_rows(cols.SAMPLE_ROW + 2, 2)
    ws.cell(cols.SAMPLE_ROW + 3, 3).value = "   "
    first, second = _rows_of(ws, "MERGED-1")[0], _rows_of(ws, "MERGED-2")[0]
    name2 = _letter(ws, "KNA1-NAME2")
    ws.merge_cells(f"{name2}{first}:{name2}{second}")
    wb.save(path)


def test_each_kind_of_bad_row_is_reported_where_it_is_and_nothing_written(
    uow_factory: UnitOfWorkFactory, stored: tuple[int, int], tmp_path: Path
) -> None:
    path = tmp_path / "bad.xlsx"
    _build(uow_factory, path)
    report = import_customers(uow_factory, path, ACTOR)
    assert _count(uow_factory) == stored
    assert report.written == 0
    wb = openpyxl.load_workbook(path)
    missing = []
    for case in CASES:
        sheet = _sheet_of(case.table)
        ws = wb[sheet]
        row = _rows_of(ws, _altkn(case))[case.nth]
        try:
            _assert_reported(report, sheet, row, _letter(ws, case.key), case.key, case.value)
        except AssertionError as exc:
            missing.append(f"{case.kind}: {exc}")
    assert not missing, "\n\n".join(missing)
    general = wb[_sheet_of("KNA1")]

    def at(altkn: str, n: int, sheet_table: str = "KNA1") -> int:
        return _rows_of(wb[_sheet_of(sheet_table)], altkn)[n]

    g = _sheet_of("KNA1")
    _assert_reported(report, g, at("DUP-A", 1), _letter(general, "KNA1-ALTKN"),
                     "KNA1-ALTKN", "DUP-A")  # fmt: skip
    _assert_reported(report, g, at("DUP-K2", 0), _letter(general, "KNA1-KUNNR"),
                     "KNA1-KUNNR", "2110380007")  # fmt: skip
    _assert_reported(report, g, at("DUP-U2", 0), _letter(general, "KNA1-STCD5"),
                     "KNA1-STCD5", "91310000631696382C")  # fmt: skip
    bank = wb[_sheet_of("KNBK")]
    _assert_reported(report, _sheet_of("KNBK"), at("ORPHAN", 0, "KNBK"),
                     _letter(bank, "KNA1-ALTKN"), "KNA1-ALTKN", "ORPHAN")  # fmt: skip
    _assert_reported(report, g, at("MERGED-1", 0), _letter(general, "KNA1-NAME2"),
                     "KNA1-NAME2", "合并")  # fmt: skip
    # Empty rows (and a row of spaces) are skipped, not errors.
    for empty in (cols.SAMPLE_ROW + 2, cols.SAMPLE_ROW + 3):
        assert not [p for p in report.problems if p.sheet == g and p.row == empty]
    # The good neighbours of bad rows are checked, not failed.
    assert report.count(Outcome.FAILED) >= len(CASES)


def test_a_whole_number_typed_as_a_float_is_the_number(
    uow_factory: UnitOfWorkFactory, stored: tuple[int, int], tmp_path: Path
) -> None:
    """2110380001.0 (a number cell) is the customer number 2110380001: not an error."""
    path = fill_template(uow_factory, tmp_path / "c.xlsx", [rows(example_document())])
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.title in [s.name("zh") for s in cols.sheets()]:
            col = _letter(ws, "KNA1-KUNNR")
            for r in range(cols.SAMPLE_ROW, ws.max_row + 1):
                if ws[f"{col}{r}"].value == "2110380001":
                    ws[f"{col}{r}"].value = 2110380001.0
    wb.save(path)
    report = import_customers(uow_factory, path, ACTOR, dry_run=True)
    assert report.errors == [], [p.line() for p in report.errors]
    assert report.outcomes == [("2110380001", Outcome.CHECKED, "")]


# -- kinds of the file rather than of a row ------------------------------------------------------


def _one_good(factory: UnitOfWorkFactory, path: Path) -> openpyxl.Workbook:
    fill_template(factory, path, [rows(_sold_to("GOOD-1"))])
    return openpyxl.load_workbook(path)


def _file_report(factory: UnitOfWorkFactory, path: Path, stored: tuple[int, int]) -> ImportReport:
    report = import_customers(factory, path, ACTOR)
    assert _count(factory) == stored and report.written == 0
    return report


def test_unknown_column(
    uow_factory: UnitOfWorkFactory, stored: tuple[int, int], tmp_path: Path
) -> None:
    path = tmp_path / "c.xlsx"
    wb = _one_good(uow_factory, path)
    ws = wb[_sheet_of("KNA1")]
    column = ws.max_column + 1
    ws.cell(cols.KEY_ROW, column).value = "KNA1-FOO"
    ws.cell(cols.SAMPLE_ROW, column).value = "x"
    wb.save(path)
    report = _file_report(uow_factory, path, stored)
    letter = openpyxl.utils.get_column_letter(column)
    _assert_reported(report, _sheet_of("KNA1"), cols.KEY_ROW, letter, "KNA1-FOO", "KNA1-FOO")


def test_column_of_another_sheet(
    uow_factory: UnitOfWorkFactory, stored: tuple[int, int], tmp_path: Path
) -> None:
    path = tmp_path / "c.xlsx"
    wb = _one_good(uow_factory, path)
    ws = wb[_sheet_of("KNA1")]
    column = ws.max_column + 1
    ws.cell(cols.KEY_ROW, column).value = "KNB1-AKONT"
    wb.save(path)
    report = _file_report(uow_factory, path, stored)
    letter = openpyxl.utils.get_column_letter(column)
    _assert_reported(report, _sheet_of("KNA1"), cols.KEY_ROW, letter, "KNB1-AKONT", "KNB1-AKONT")


def test_missing_key_column(
    uow_factory: UnitOfWorkFactory, stored: tuple[int, int], tmp_path: Path
) -> None:
    path = tmp_path / "c.xlsx"
    wb = _one_good(uow_factory, path)
    ws = wb[_sheet_of("KNBK")]
    ws.delete_cols(2, 2)  # KNA1-KUNNR and KNA1-ALTKN
    wb.save(path)
    report = _file_report(uow_factory, path, stored)
    _assert_reported(report, _sheet_of("KNBK"), cols.KEY_ROW, "", "KNA1-ALTKN", "KNA1-ALTKN")


def test_unknown_sheet(
    uow_factory: UnitOfWorkFactory, stored: tuple[int, int], tmp_path: Path
) -> None:
    """A sheet of data the import does not know (a renamed or mistyped sheet) is not skipped
    silently: its rows would be lost."""
    path = tmp_path / "c.xlsx"
    wb = _one_good(uow_factory, path)
    wb[_sheet_of("KNBK")].title = "银行"
    wb.save(path)
    report = _file_report(uow_factory, path, stored)
    found = [p for p in report.errors if p.sheet == "银行" and "银行" in p.message.zh]
    assert found, [p.line() for p in report.problems]
    assert (found[0].row, found[0].column, found[0].field_key) == (None, "", "")


def test_csv_in_gbk_is_refused_naming_the_encoding(
    uow_factory: UnitOfWorkFactory, stored: tuple[int, int], tmp_path: Path
) -> None:
    path = tmp_path / "KNA1.csv"
    path.write_bytes(
        "字段,KNA1-KUNNR,KNA1-ALTKN,KNA1-NAME1\r\n,,G-1,东宁广告有限公司\r\n".encode("gbk")
    )
    with pytest.raises(UnreadableFile) as caught:
        import_customers(uow_factory, path, ACTOR)
    problem = caught.value.problems[0]
    assert "GBK" in problem.message.zh and "UTF-8" in problem.message.zh
    assert _count(uow_factory) == stored


def test_csv_with_a_nul_character(
    uow_factory: UnitOfWorkFactory, stored: tuple[int, int], tmp_path: Path
) -> None:
    """NUL cannot be in an XLSX cell, but a CSV file can hold it; PostgreSQL refuses it in
    text, so it must be caught before any query."""
    path = tmp_path / "KNA1.csv"
    path.write_text(
        "字段,KNA1-KUNNR,KNA1-ALTKN,KNA1-KTOKD,KNA1-NAME1\r\n,,N-1,1510,东宁\x00广告\r\n",
        encoding="utf-8",
    )
    report = _file_report(uow_factory, path, stored)
    _assert_reported(report, "KNA1.csv", 2, "E", "KNA1-NAME1", None)


def test_leading_and_trailing_spaces_are_trimmed_not_refused(
    uow_factory: UnitOfWorkFactory, stored: tuple[int, int], tmp_path: Path
) -> None:
    """Spaces around a value (typed or pasted) are not an error: the stored value is trimmed;
    spaces inside it stay."""
    path = tmp_path / "c.xlsx"
    wb = _one_good(uow_factory, path)
    ws = wb[_sheet_of("KNA1")]
    ws[f"{_letter(ws, 'KNA1-NAME1')}{cols.SAMPLE_ROW}"].value = "  空格家具有限公司  "
    ws[f"{_letter(ws, 'KNA1-TELF1')}{cols.SAMPLE_ROW}"].value = " 021-1234 5678 "
    wb.save(path)
    report = import_customers(uow_factory, path, ACTOR)
    assert report.errors == [] and report.count(Outcome.CREATED) == 1
    general = read_customer(uow_factory, report.outcomes[0][2]).general
    assert (general.name, general.telephone) == ("空格家具有限公司", "021-1234 5678")


def test_new_customers_naming_each_other_as_partners_fail_and_say_so(
    uow_factory: UnitOfWorkFactory, stored: tuple[int, int], tmp_path: Path
) -> None:
    """Neither can be written before the other: both fail when written, each naming its
    partner on its partner row; no traceback, nothing of them stored."""
    one, two = _external("CYC-1", "2110380011"), _external("CYC-2", "2110380012")
    one["KNVV"][0]["KNVP"].append({"PARVW": "WE", "PARZA": "001", "KUNN2": "2110380012"})
    two["KNVV"][0]["KNVP"].append({"PARVW": "WE", "PARZA": "001", "KUNN2": "2110380011"})
    path = fill_template(uow_factory, tmp_path / "c.xlsx", [rows(one), rows(two)])
    report = import_customers(uow_factory, path, ACTOR)
    assert report.count(Outcome.FAILED) == 2 and _count(uow_factory) == stored
    sheet = _sheet_of("KNVP")
    column = _letter(openpyxl.load_workbook(path)[sheet], "KNVP-KUNN2")
    for partner in ("2110380012", "2110380011"):
        found = [
            p for p in report.errors if p.sheet == sheet and p.field_key == "KNVP-KUNN2"
            and partner in p.message.zh and p.column == column and p.row
        ]  # fmt: skip
        assert found, [p.line() for p in report.errors]
