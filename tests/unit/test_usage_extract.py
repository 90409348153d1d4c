"""Reading usage extracts without a database: cells, columns, rows, file problems."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from custmd_gui.catalog import Text
from custmd_gui.domain.errors import Severity
from custmd_gui.domain.usage import (
    BadCell,
    ExtractProblem,
    OrgKind,
    column_letter,
    column_of,
    parse_count,
    parse_date,
    parse_number,
)
from custmd_gui.services.usage import read_extract

TODAY = date(2024, 6, 30)


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 2, 25, 26, 27, 701, 702)] == [
        "A",
        "C",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_headers_by_sap_or_chinese_name() -> None:
    assert column_of("\ufeffkunnr ") == column_of("客户编号") == column_of("KUNNR")
    assert column_of("最后凭证日期") == column_of("last_doc_date")
    assert column_of("NAME1") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01", date(2024, 5, 1)),
        ("20240501", date(2024, 5, 1)),
        ("2024/5/1", date(2024, 5, 1)),  # Excel's CSV in a Chinese locale
        (datetime(2024, 5, 1), date(2024, 5, 1)),  # an Excel date cell
        (20240501, date(2024, 5, 1)),  # an XLSX number cell
        (45413, date(2024, 5, 1)),  # an Excel date serial in a cell not formatted as a date
        (45413.75, date(2024, 5, 1)),  # with a time of day
        ("", None),
        ("00000000", None),  # SAP's initial date
    ],
)
def test_dates(value: object, expected: date | None) -> None:
    assert parse_date(value, TODAY) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-02-30", "日期不存在"),
        ("01.05.2024", "日期格式不对，应为 YYYY-MM-DD 或 YYYYMMDD"),
        ("2024-07-01", "日期在未来"),
    ],
)
def test_bad_dates(value: str, message: str) -> None:
    with pytest.raises(BadCell) as caught:
        parse_date(value, TODAY)
    assert caught.value.text.zh == message


def test_counts_and_numbers() -> None:
    assert parse_count("12") == parse_count(12.0) == 12
    for bad in ("1.5", "abc", "", "1,234", True, 2**31):
        with pytest.raises(BadCell):
            parse_count(bad)
    # SAP's ALPHA conversion: leading zeros an ERP list or Excel dropped come back.
    assert parse_number(12345) == "0000012345"
    assert parse_number(" 2110380001 ") == "2110380001"


def test_problem_texts_in_both_languages() -> None:
    problem = ExtractProblem(
        3, "DOC_COUNT", "C", "-5", Text(zh="凭证数不能为负数", en="The count must not be negative")
    )
    assert problem.text() == "第 3 行，C 列（DOC_COUNT）：凭证数不能为负数：-5"
    assert problem.text("en") == "line 3, column C (DOC_COUNT): The count must not be negative: -5"
    warning = ExtractProblem(None, "", "", "", Text(zh="空", en="empty"), Severity.WARNING)
    assert warning.text() == "文件：警告：空"
    assert warning.text("en") == "file: warning: empty"


def _read(tmp_path: Path, text: str, name: str = "usage.csv") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [p.text() for p in read_extract(path, today=TODAY).problems]


def test_rows_name_exactly_one_org_unit(tmp_path: Path) -> None:
    problems = _read(
        tmp_path,
        "KUNNR\tBUKRS\tVKORG\tVTWEG\tSPART\tDOC_COUNT\tLAST_DOC_DATE\n"  # an SAP list: tabs
        "2110380001\tF011\tF011\t10\t01\t1\t20240501\n"
        "2110380001\t\tF011\t\t01\t1\t20240501\n"
        "2110380001\t\t\t\t\t3\t\n",
    )
    assert problems == [
        "第 2 行，B 列（BUKRS）："
        "一行只能填公司代码或销售范围（销售组织、分销渠道、产品组）之一：F011",
        "第 3 行，D 列（VTWEG）：销售范围需要销售组织、分销渠道和产品组都填写",
        "第 4 行，B 列（BUKRS）：请填写公司代码或销售范围",
        "第 4 行，G 列（LAST_DOC_DATE）：有凭证时必须填写最后凭证日期",
    ]


def test_sales_area_codes_get_their_zeros_back(tmp_path: Path) -> None:
    path = tmp_path / "usage.csv"
    path.write_text("KUNNR,VKORG,VTWEG,SPART,凭证数,最后凭证日期\n2110380001,f011,10,1,0,\n")
    extract = read_extract(path, today=TODAY)
    (row,) = extract.rows
    assert (row.org_kind, row.org_unit, row.doc_count, row.last_doc_date) == (
        OrgKind.SALES_AREA,
        "F011/10/01",
        0,
        None,
    )
    assert extract.problems == []


def test_file_problems(tmp_path: Path) -> None:
    assert _read(tmp_path, "") == ["文件：文件是空的"]
    assert _read(tmp_path, "KUNNR,KUNNR,DOC_COUNT,LAST_DOC_DATE,BUKRS\n") == [
        "第 1 行，B 列（KUNNR）：列 KUNNR（客户编号）出现了两次（还有 A 列）"
    ]
    assert _read(tmp_path, "KUNNR,DOC_COUNT,LAST_DOC_DATE\n") == [
        "第 1 行：缺少公司代码列 BUKRS（公司代码），或销售范围的三列 VKORG（销售组织）、"
        "VTWEG（分销渠道）、SPART（产品组）"
    ]
    old = tmp_path / "usage.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0rest")
    assert [p.text("en") for p in read_extract(old).problems] == [
        'file: The old .xls format is not supported; save it as .xlsx or "CSV UTF-8"'
    ]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    (problem,) = read_extract(broken).problems
    assert problem.text().startswith("文件：无法读取 XLSX 文件")
