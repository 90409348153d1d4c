"""The template written from a database's customizing, on both databases, opened again with
openpyxl and as CSV: sheets, header rows, required marks for two account groups, dropdowns and
the hidden code sheet against the customizing, the sample rows equal to the documents' example,
text cells."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.customizing import read_customizing
from custmd_gui.services.transfer.template import FileForm, TemplateRefused, write_template
from custmd_gui.services.transfer.template_xlsx import FILLS
from tests.conftest import example_document

SHEETS_ZH = ["一般数据 KNA1", "银行明细 KNBK", "公司代码数据 KNB1", "销售范围数据 KNVV"]
SHEETS_ZH += ["税分类 KNVI", "合伙人功能 KNVP"]


@pytest.fixture
def customizing(uow_factory: UnitOfWorkFactory) -> Customizing:
    return read_customizing(uow_factory)


def _book(cust: Customizing, tmp_path: Path, **options: Any) -> Any:
    path = tmp_path / "customers.xlsx"
    assert write_template(cust, path, **options) == [path]
    return openpyxl.load_workbook(path)


def _header(ws: Any) -> dict[str, int]:
    """Field key -> column number (row 1)."""
    return {c.value: c.column for c in ws[cols.KEY_ROW][1:] if c.value}


def _fill(ws: Any, row: int, column: int) -> str:
    return str(ws.cell(row, column).fill.start_color.rgb)[-6:]


def test_sheets_and_header_rows(customizing: Customizing, tmp_path: Path) -> None:
    wb = _book(customizing, tmp_path)
    assert wb.sheetnames == ["说明", *SHEETS_ZH, "代码"]
    assert [wb[n].sheet_state for n in wb.sheetnames][-1] == "hidden"
    assert wb.active.title == "说明"
    for sheet in cols.sheets():
        ws = wb[sheet.name("zh")]
        assert [c.value for c in ws[cols.KEY_ROW]] == ["字段", *(c.key for c in sheet.columns)]
        labels = [c.value for c in ws[cols.LABEL_ROW]]
        assert labels == ["名称", *(c.field.column_heading.zh for c in sheet.columns)]
        assert ws.cell(cols.STATUS_ROW, 1).value == "必输"
        assert ws.freeze_panes == "D4"
        for column in range(2, ws.max_column + 1):
            width = ws.column_dimensions[openpyxl.utils.get_column_letter(column)].width
            assert 11 <= width <= 40
    general = wb["一般数据 KNA1"]
    name = _header(general)["KNA1-NAME1"]
    assert general.cell(cols.LABEL_ROW, name).comment is not None
    assert "客户全称" in general.cell(cols.LABEL_ROW, name).comment.text


def test_english_labels_and_instructions(customizing: Customizing, tmp_path: Path) -> None:
    wb = _book(customizing, tmp_path, lang="en")
    assert wb.sheetnames[0] == "Instructions" and wb.sheetnames[-1] == "Codes"
    ws = wb["General data KNA1"]
    assert ws.cell(cols.LABEL_ROW, _header(ws)["KNA1-KUNNR"]).value == "Customer number"
    texts = " ".join(str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value)
    assert "previous account number" in texts and "leading zeros" in texts
    assert "Sample" in texts and "YYYY-MM-DD" in texts


@pytest.mark.parametrize(
    ("group", "required", "optional", "absent"),
    [
        ("1110", ["KNA1-NAME3", "KNA1-REGIO", "KNA1-KUNNR"], ["KNA1-NAME2"], []),
        ("1310", ["KNA1-NAME1"], ["KNA1-NAME3", "KNA1-REGIO"], ["KNA1-STCD1", "KNA1-NIELS"]),
    ],
)
def test_required_marks_per_account_group(
    customizing: Customizing,
    tmp_path: Path,
    group: str,
    required: list[str],
    optional: list[str],
    absent: list[str],
) -> None:
    wb = _book(customizing, tmp_path, account_group=group)
    ws = wb["一般数据 KNA1"]
    header = _header(ws)
    for key in required:
        assert _fill(ws, cols.LABEL_ROW, header[key]) == FILLS[cols.Mark.REQUIRED], key
        assert ws.cell(cols.STATUS_ROW, header[key]).value == "必输", key
        assert ws.cell(cols.LABEL_ROW, header[key]).font.color.rgb.endswith("FFFFFF")
    for key in optional:
        assert _fill(ws, cols.LABEL_ROW, header[key]) == FILLS[cols.Mark.OPTIONAL], key
        assert ws.cell(cols.STATUS_ROW, header[key]).value == "可选", key
    for key in absent:
        assert key not in header
    texts = [str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value]
    assert any(f"科目组 {group}" in t for t in texts)
    if group == "1310":
        # A ship-to party has no bank details and no tax classification; its company code
        # data is the company code alone (and the blocks).
        assert "银行明细 KNBK" not in wb.sheetnames and "税分类 KNVI" not in wb.sheetnames
        assert "KNB1-AKONT" not in _header(wb["公司代码数据 KNB1"])
    else:
        assert wb.sheetnames == ["说明", *SHEETS_ZH, "代码"]


def _range_values(wb: Any, formula: str) -> list[str]:
    sheet, cells = formula.lstrip("=").rsplit("!", 1)
    ws = wb[sheet.strip("'")]
    return [c.value for (c,) in ws[cells.replace("$", "")]]


def test_dropdowns_offer_the_customizing_codes(customizing: Customizing, tmp_path: Path) -> None:
    wb = _book(customizing, tmp_path)
    checked = set()
    for sheet in cols.sheets():
        ws = wb[sheet.name("zh")]
        header = _header(ws)
        validations = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
        for column in sheet.columns:
            letter = openpyxl.utils.get_column_letter(header[column.key])
            dv = validations.get(f"{letter}{cols.SAMPLE_ROW}")
            list_id = column.field.value_help
            if list_id is None:
                if column.field.type == "FLAG":
                    assert dv is not None and dv.formula1 == '"X"', column.key
                else:
                    assert dv is None, column.key
                continue
            assert dv is not None and dv.type == "list", column.key
            assert str(dv.sqref) == f"{letter}4:{letter}1048576"
            assert dv.showErrorMessage and dv.allow_blank
            # Excel refuses to open a workbook whose validation texts exceed its limits.
            assert len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32
            assert len(dv.errorTitle) <= 32 and column.key in dv.error
            codes = {v.code for v in customizing.values(list_id)}
            assert codes, list_id
            offered = _range_values(wb, dv.formula1)
            assert sorted(offered) == sorted(codes), column.key
            checked.add(list_id)
    assert {"account_groups", "titles", "regions", "company_codes", "partner_functions"} <= checked


def test_the_code_sheet_shows_codes_with_their_texts(
    customizing: Customizing, tmp_path: Path
) -> None:
    ws = _book(customizing, tmp_path)["代码"]
    lists = {ws.cell(1, c).value: c for c in range(1, ws.max_column + 1, 2)}
    column = lists["industries"]
    assert ws.cell(1, column + 1).value == "行业"
    assert (ws.cell(2, column).value, ws.cell(2, column + 1).value) == ("代码", "说明")
    pairs = {
        ws.cell(r, column).value: ws.cell(r, column + 1).value for r in range(3, ws.max_row + 1)
    }
    expected = {v.code: v.text.zh for v in customizing.values("industries")}
    assert {k: v for k, v in pairs.items() if k} == expected
    assert ws.cell(3, column).number_format == "@"
    regions = lists["regions"]
    assert ws.cell(4, regions + 1).value == "CN 上海"  # a code with a parent names it


def _sample_rows(wb: Any) -> dict[str, list[dict[str, str]]]:
    rows: dict[str, list[dict[str, str]]] = {}
    for sheet in cols.sheets():
        ws = wb[sheet.name("zh")]
        header = _header(ws)
        rows[sheet.id] = [
            {key: ws.cell(r, c).value or "" for key, c in header.items()}
            for r in range(cols.SAMPLE_ROW, ws.max_row + 1)
            if ws.cell(r, 1).value == "示例"
        ]
    return rows


def test_the_sample_rows_are_the_documents_example(
    customizing: Customizing, tmp_path: Path
) -> None:
    wb = _book(customizing, tmp_path)
    rows = _sample_rows(wb)
    assert [len(rows[s.id]) for s in cols.sheets()] == [1, 1, 1, 1, 1, 4]
    assert cols.document_of(rows) == example_document()
    ws = wb["合伙人功能 KNVP"]
    for r in range(cols.SAMPLE_ROW, cols.SAMPLE_ROW + 4):
        assert ws.cell(r, 1).comment is not None  # says it is never imported
        assert _fill(ws, r, 2) == "F2F2F2" and ws.cell(r, 2).font.italic
    # Nothing below the samples: the data rows are the user's.
    assert ws.max_row == cols.SAMPLE_ROW + 3


def test_codes_and_numbers_are_text_cells(customizing: Customizing, tmp_path: Path) -> None:
    wb = _book(customizing, tmp_path)
    for sheet in cols.sheets():
        ws = wb[sheet.name("zh")]
        for column in range(2, ws.max_column + 1):
            letter = openpyxl.utils.get_column_letter(column)
            assert ws.column_dimensions[letter].number_format == "@", (sheet.table, letter)
            cell = ws.cell(cols.SAMPLE_ROW, column)
            assert cell.number_format == "@"
            assert cell.value is None or isinstance(cell.value, str)
    cc = wb["公司代码数据 KNB1"]
    assert cc.cell(cols.SAMPLE_ROW, _header(cc)["KNB1-ZTERM"]).value == "0001"
    sales = wb["销售范围数据 KNVV"]
    assert sales.cell(cols.SAMPLE_ROW, _header(sales)["KNVV-VKGRP"]).value == "038"


def test_fields_limit_the_optional_columns(customizing: Customizing, tmp_path: Path) -> None:
    wb = _book(customizing, tmp_path, fields=["KNA1-TELF1"], account_group="1110")
    header = _header(wb["一般数据 KNA1"])
    assert {"KNA1-KUNNR", "KNA1-ALTKN", "KNA1-KTOKD", "KNA1-NAME1", "KNA1-TELF1"} <= set(header)
    assert "KNA1-TELFX" not in header and "KNA1-NAME4" not in header
    with pytest.raises(TemplateRefused) as caught:
        write_template(customizing, tmp_path / "x.xlsx", fields=["KNA1-NAME5"])
    assert [p.field_key for p in caught.value.problems] == ["KNA1-NAME5"]
    assert not (tmp_path / "x.xlsx").exists()


def _csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), path.name  # the BOM Excel needs for UTF-8
    return list(csv.reader(raw.decode("utf-8-sig").splitlines()))


def test_csv_files_per_sheet(customizing: Customizing, tmp_path: Path) -> None:
    folder = tmp_path / "template"
    written = write_template(customizing, folder, form=FileForm.CSV)
    assert [p.name for p in written] == [f"{s.table}.csv" for s in cols.sheets()]
    samples: dict[str, list[dict[str, str]]] = {}
    for sheet, path in zip(cols.sheets(), written, strict=True):
        rows = _csv(path)
        assert rows[0] == ["字段", *(c.key for c in sheet.columns)]
        assert rows[1] == ["名称", *(c.field.column_heading.zh for c in sheet.columns)]
        assert rows[2][0] == "必输"
        assert all(r[0] == "示例" for r in rows[3:])
        samples[sheet.id] = [dict(zip(rows[0][1:], r[1:], strict=True)) for r in rows[3:]]
    assert cols.document_of(samples) == example_document()
    assert b"\r\n" in written[0].read_bytes()


def test_one_wide_csv_file(customizing: Customizing, tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    write_template(customizing, path, form=FileForm.CSV_WIDE, lang="en")
    rows = _csv(path)
    keys = rows[0]
    assert keys[:4] == ["Field", "TABLE", "KNA1-KUNNR", "KNA1-ALTKN"]
    assert len(keys) == len(set(keys)) == 2 + len(catalog_keys())
    assert rows[1][:2] == ["Label", "Table"]
    tables = [r[1] for r in rows[3:]]
    assert tables == ["KNA1", "KNBK", "KNB1", "KNVV", "KNVI"] + ["KNVP"] * 4
    samples: dict[str, list[dict[str, str]]] = {}
    for sheet in cols.sheets():
        mine = [c.key for c in sheet.columns]
        samples[sheet.id] = [
            {k: v for k, v in zip(keys, r, strict=True) if k in mine}
            for r in rows[3:]
            if r[1] == sheet.table
        ]
        # A row fills only its own table's columns (and the keys).
        for r in rows[3:]:
            if r[1] == sheet.table:
                filled = {k for k, v in zip(keys[2:], r[2:], strict=True) if v}
                assert filled <= set(mine)
    assert cols.document_of(samples) == example_document()


def catalog_keys() -> list[str]:
    from custmd_gui.catalog import catalog

    return [f.key for f in catalog()]
