"""`custmd customer import` as a service, on both databases, with real files: the template
written by the template service, filled with openpyxl (or CSV written by hand), imported.

The round trip (sample -> import -> the documents' example), idempotence by KNA1-ALTKN (a
second run updates or skips, never duplicates), bad rows each reported with sheet, row,
column and field and nothing written, --accept-good-rows, the dry run, CSV forms and
encodings."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from custmd_gui.domain.hygiene import UnreadableFile
from custmd_gui.domain.sap_document import from_document, to_document
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.persistence.tables import ChangeHeader as Cdhdr
from custmd_gui.persistence.tables import Kna1
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import read_customer
from custmd_gui.services.customizing import read_customizing
from custmd_gui.services.transfer.import_file import Mode, Outcome, import_customers
from custmd_gui.services.transfer.template import FileForm, write_template
from tests.conftest import example_document

ACTOR = Actor("importer")
Rows = dict[str, list[dict[str, str]]]


def _dongning() -> Rows:
    return cols.rows_of(from_document(example_document()))


def _internal(altkn: str, name: str, uscc: str = "") -> Rows:
    """A customer of account group 1510 (internal numbers): tied across sheets by ALTKN."""
    rows = copy.deepcopy(_dongning())
    for sheet_rows in rows.values():
        for row in sheet_rows:
            row["KNA1-KUNNR"] = ""
            row["KNA1-ALTKN"] = altkn
            if "KNVP-KUNN2" in row:
                row["KNVP-KUNN2"] = ""  # the customer itself
    general = rows["general"][0]
    general.update({"KNA1-KTOKD": "1510", "KNA1-NAME1": name, "KNA1-STCD5": uscc})
    rows["company_code"][0]["KNB1-AKONT"] = "1122100000"
    return rows


def _workbook(uow_factory: UnitOfWorkFactory, path: Path, customers: list[Rows]) -> Path:
    """The template with the sample rows replaced by `customers`' rows."""
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


def _count(uow_factory: UnitOfWorkFactory) -> int:
    with uow_factory() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Kna1)) or 0)


def _number_of(uow_factory: UnitOfWorkFactory, altkn: str) -> str:
    with uow_factory() as uow:
        return str(uow.session.scalar(select(Kna1.kunnr).where(Kna1.altkn == altkn)))


def test_template_sample_round_trip(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = _workbook(uow_factory, tmp_path / "customers.xlsx", [_dongning()])
    report = import_customers(uow_factory, path, ACTOR)
    assert report.errors == [] and report.error_file is None
    assert report.outcomes == [("2110380001", Outcome.CREATED, "2110380001")]
    stored = read_customer(uow_factory, "2110380001")
    expected = from_document(example_document())
    assert to_document(stored) == to_document(expected)
    with uow_factory() as uow:
        header = uow.session.execute(select(Cdhdr.origin, Cdhdr.comment)).all()
    assert header == [("import", "import customers.xlsx")]


def test_second_run_updates_or_skips_never_duplicates(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    customers = [_internal("OLD-1", "第一客户有限公司"), _internal("OLD-2", "第二客户有限公司")]
    path = _workbook(uow_factory, tmp_path / "c.xlsx", customers)
    first = import_customers(uow_factory, path, ACTOR)
    assert first.errors == [], [p.line() for p in first.errors]
    assert first.count(Outcome.CREATED) == 2
    number = _number_of(uow_factory, "OLD-1")
    assert number.startswith("12")  # drawn from range 04 (1200000000-1299999999)
    again = import_customers(uow_factory, path, ACTOR)
    assert again.count(Outcome.UNCHANGED) == 2 and _count(uow_factory) == 2
    assert import_customers(uow_factory, path, ACTOR, mode=Mode.INSERT).count(Outcome.SKIPPED) == 2
    customers[0]["general"][0]["KNA1-NAME2"] = "改过的名称"
    path = _workbook(uow_factory, tmp_path / "c.xlsx", customers)
    changed = import_customers(uow_factory, path, ACTOR, mode=Mode.UPDATE)
    assert [o for _, o, _ in changed.outcomes] == [Outcome.UPDATED, Outcome.UNCHANGED]
    assert read_customer(uow_factory, number).general.name_2 == "改过的名称"
    assert _count(uow_factory) == 2
    with uow_factory() as uow:
        kinds = uow.session.execute(select(Cdhdr.activity, Cdhdr.origin)).all()
    assert sorted(kinds) == [("change", "import"), ("create", "import"), ("create", "import")]


def _by_field(report: Any) -> dict[str, Any]:
    return {p.field_key: p for p in report.errors}


def test_bad_rows_all_reported_with_place_and_nothing_written(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    good = _internal("G-1", "好客户有限公司", "91310000631696382C")
    unknown_code = _internal("B-1", "代码错误有限公司")
    unknown_code["general"][0]["KNA1-BRSCH"] = "ZZZZ"
    too_long = _internal("B-2", "名" * 50)
    missing = _internal("B-3", "缺少字段有限公司")
    missing["general"][0]["KNA1-ORT01"] = ""
    wrong_uscc = _internal("B-4", "信用代码错误有限公司", "91310000631696382X")
    same_uscc = _internal("B-5", "信用代码重复有限公司", "91310000631696382C")
    twice = _internal("G-1", "重复原编号有限公司")
    orphan = _internal("B-6", "孤儿行有限公司")
    path = _workbook(
        uow_factory,
        tmp_path / "bad.xlsx",
        [
            good,
            unknown_code,
            too_long,
            missing,
            wrong_uscc,
            same_uscc,
            twice,
            {"bank": orphan["bank"]},
        ],
    )
    wb = openpyxl.load_workbook(path)
    ws = wb["一般数据 KNA1"]
    keys = {c.value: c.column for c in ws[cols.KEY_ROW] if c.value}
    assert ws.max_row == 10  # the general rows of the seven customers above
    # Row 11: a formula never calculated; row 12: an Excel date serial shown as a date;
    # row 13 empty (skipped); rows 14-15: merged cells.
    ws.append([None, None, "B-7", "1510"])
    ws.cell(11, keys["KNA1-NAME1"]).value = '="公式"&"客户"'
    ws.append([None, None, "B-8", "1510"])
    ws.cell(12, keys["KNA1-NAME1"]).value = 45413
    ws.cell(12, keys["KNA1-NAME1"]).number_format = "yyyy-mm-dd"
    ws.append([])
    ws.append([None, None, "B-9", "1510", None, "合并"])
    ws.append([None, None, "B-10", "1510", None, None])
    ws.merge_cells(start_row=14, start_column=6, end_row=15, end_column=6)
    wb.save(path)
    before = _count(uow_factory)
    report = import_customers(uow_factory, path, ACTOR)
    assert _count(uow_factory) == before == 0
    assert report.written == 0
    lines = [p.line() for p in report.errors]
    sheet = "一般数据 KNA1"
    letter = {k: openpyxl.utils.get_column_letter(c) for k, c in keys.items()}

    def has(row: int, key: str, text: str) -> None:
        found = [
            p
            for p in report.errors
            if p.sheet == sheet and p.row == row and p.field_key == key and text in p.message.zh
        ]
        assert found, (row, key, text, "\n".join(lines))
        assert found[0].column == letter[key]

    has(5, "KNA1-BRSCH", "ZZZZ")  # unknown code
    has(6, "KNA1-NAME1", "")  # too long
    has(7, "KNA1-ORT01", "")  # required in the account group
    has(8, "KNA1-STCD5", "")  # wrong check digit
    has(9, "KNA1-STCD5", "文件中重复")  # the same code as row 4
    has(10, "KNA1-ALTKN", "文件中重复")  # the previous number twice
    has(11, "KNA1-NAME1", "公式")
    has(12, "KNA1-NAME1", "日期")
    assert not any(p.row == 13 for p in report.problems)
    has(14, "KNA1-NAME2" if letter.get("KNA1-NAME2") == "F" else _key_at(keys, 6), "合并")
    bank = [p for p in report.errors if p.sheet == "银行明细 KNBK"]
    assert any("B-6" in p.message.zh and p.field_key == "KNA1-ALTKN" for p in bank), lines
    assert report.error_file is not None and report.error_file.name == "bad.errors.xlsx"
    errors = openpyxl.load_workbook(report.error_file)
    ews = errors["一般数据 KNA1"]
    assert ews.cell(1, ews.max_column).value == "错误"
    assert "错误清单" in errors.sheetnames
    # The error file is imported again as it is (its 错误 column and list sheet are skipped).
    again = import_customers(uow_factory, report.error_file, ACTOR, dry_run=True)
    assert not any(p.row == 1 for p in again.errors), [p.line() for p in again.errors]


def _key_at(keys: dict[str, int], column: int) -> str:
    return next(k for k, c in keys.items() if c == column)


def test_duplicate_of_stored_customer_uscc_is_an_error(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    first = _workbook(
        uow_factory, tmp_path / "a.xlsx", [_internal("A-1", "甲有限公司", "91110000600037341L")]
    )
    assert import_customers(uow_factory, first, ACTOR).count(Outcome.CREATED) == 1
    path = _workbook(
        uow_factory, tmp_path / "b.xlsx", [_internal("A-2", "乙有限公司", "91110000600037341L")]
    )
    report = import_customers(uow_factory, path, ACTOR)
    assert [(p.sheet, p.row, p.field_key) for p in report.errors] == [
        ("一般数据 KNA1", 4, "KNA1-STCD5")
    ]
    assert "已被客户" in report.errors[0].message.zh and _count(uow_factory) == 1


def test_accept_good_rows_writes_only_good_customers(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    bad = _internal("X-2", "坏客户有限公司")
    bad["general"][0]["KNA1-BRSCH"] = "ZZZZ"
    path = _workbook(uow_factory, tmp_path / "c.xlsx", [_internal("X-1", "好客户有限公司"), bad])
    refused = import_customers(uow_factory, path, ACTOR)
    assert refused.written == 0 and _count(uow_factory) == 0
    report = import_customers(uow_factory, path, ACTOR, accept_good_rows=True)
    assert [o for _, o, _ in report.outcomes] == [Outcome.CREATED, Outcome.FAILED]
    assert _count(uow_factory) == 1 and _number_of(uow_factory, "X-1") != "None"
    wb = openpyxl.load_workbook(report.error_file)
    assert [c.value for c in wb["一般数据 KNA1"]["C"]][2:] == ["X-2"]  # only the failed one


def test_dry_run_writes_nothing(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = _workbook(uow_factory, tmp_path / "c.xlsx", [_internal("D-1", "试运行有限公司")])
    report = import_customers(uow_factory, path, ACTOR, dry_run=True)
    assert report.errors == [] and report.outcomes[0][1] is Outcome.CHECKED
    assert _count(uow_factory) == 0
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Cdhdr)) == 0


@pytest.mark.parametrize("bom", [True, False])
def test_csv_wide_and_folder(uow_factory: UnitOfWorkFactory, tmp_path: Path, bom: bool) -> None:
    cust = read_customizing(uow_factory)
    wide = tmp_path / "wide.csv"
    write_template(cust, wide, form=FileForm.CSV_WIDE)
    # The sample rows become data rows: column A emptied.
    text = wide.read_text(encoding="utf-8-sig").replace("示例,", ",")
    wide.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    report = import_customers(uow_factory, wide, ACTOR, dry_run=True)
    assert report.errors == [] and len(report.outcomes) == 1, [p.line() for p in report.errors]
    folder = tmp_path / "csv"
    write_template(cust, folder, form=FileForm.CSV)
    for f in folder.glob("*.csv"):
        f.write_text(f.read_text(encoding="utf-8-sig").replace("示例,", ","), encoding="utf-8")
    report = import_customers(uow_factory, folder, ACTOR)
    assert report.count(Outcome.CREATED) == 1, [p.line() for p in report.errors]
    assert to_document(read_customer(uow_factory, "2110380001")) == to_document(
        from_document(example_document())
    )


def test_csv_in_another_encoding_is_refused_naming_it(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    path = tmp_path / "KNA1.csv"
    path.write_bytes("字段,KNA1-KUNNR,KNA1-NAME1\r\n,2110380001,东宁广告有限公司\r\n".encode("gbk"))
    with pytest.raises(UnreadableFile) as caught:
        import_customers(uow_factory, path, ACTOR)
    assert "GBK" in caught.value.problems[0].message.zh


def test_an_empty_file_says_so(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = tmp_path / "KNA1.csv"
    path.write_bytes(b"")
    report = import_customers(uow_factory, path, ACTOR)
    assert report.errors == [] and report.outcomes == []
    assert [p.message.zh for p in report.problems] == ["文件中没有数据行，未导入任何客户"]
