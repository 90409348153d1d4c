"""The usage register: importing ERP extracts (real CSV and XLSX files) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import event

from custmd_gui.domain.errors import Severity
from custmd_gui.domain.sap_document import from_document
from custmd_gui.domain.usage import OrgKind, UsageEntry
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.services.usage import (
    ImportReport,
    import_usage,
    usage_of,
    usage_of_customers,
)
from tests.conftest import example_document

DONGNING, HUAXIN = "2110380001", "2110380002"  # both in F011 and F011/10/01
TODAY = date(2024, 6, 30)
ACTOR = Actor("zhangsan")


@pytest.fixture
def customers(uow_factory: UnitOfWorkFactory) -> None:
    create_customer(uow_factory, from_document(example_document()), ACTOR)
    doc = example_document()
    doc["KNA1"].update(
        {
            "KUNNR": HUAXIN,
            "NAME1": "华信电子有限公司",
            "NAME2": "",
            "NAME3": "华信电子有限公司",
            "SORTL": "华信电子",
        }
    )
    for partner in doc["KNVV"][0]["KNVP"]:
        partner["KUNN2"] = HUAXIN
    create_customer(uow_factory, from_document(doc), ACTOR)


def _csv(tmp_path: Path, text: str, name: str = "usage.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _import(
    uow_factory: UnitOfWorkFactory, path: Path, *, accept_good_rows: bool = False
) -> ImportReport:
    return import_usage(uow_factory, path, ACTOR, accept_good_rows=accept_good_rows, today=TODAY)


def _register(
    uow_factory: UnitOfWorkFactory,
) -> dict[tuple[str, str, str], tuple[int, date | None]]:
    with uow_factory() as uow:
        found = usage_of_customers(uow, [DONGNING, HUAXIN])
    return {
        (e.number, e.org_kind.value, e.org_unit): (e.doc_count, e.last_doc_date)
        for entries in found.values()
        for e in entries
    }


CLEAN = (
    "KUNNR,BUKRS,VKORG,VTWEG,SPART,DOC_COUNT,LAST_DOC_DATE\n"
    "2110380001,F011,,,,12,2024-05-01\n"
    "2110380001,,F011,10,01,7,20240430\n"
    "2110380002,F011,,,,0,\n"
)


def test_a_clean_csv_is_imported(
    uow_factory: UnitOfWorkFactory, customers: None, tmp_path: Path
) -> None:
    report = _import(uow_factory, _csv(tmp_path, CLEAN))
    assert (report.rows_read, report.imported, report.rejected) == (3, 3, 0)
    assert report.problems == ()
    assert report.summary() == "usage.csv：读取 3 行，导入 3 行，拒绝 0 行"
    with uow_factory() as uow:
        entries = usage_of(uow, DONGNING)
    assert [(e.org_kind, e.org_unit, e.doc_count, e.last_doc_date) for e in entries] == [
        (OrgKind.COMPANY_CODE, "F011", 12, date(2024, 5, 1)),
        (OrgKind.SALES_AREA, "F011/10/01", 7, date(2024, 4, 30)),
    ]
    assert all(e.source == "usage.csv" and e.imported_at is not None for e in entries)
    assert entries[0].describe().zh == "公司代码 F011：12 张凭证，最后凭证日期 2024-05-01"
    with uow_factory() as uow:
        (unused,) = usage_of(uow, HUAXIN)
    assert not unused.has_business


BAD = (
    "客户编号,公司代码,凭证数,最后凭证日期,名称\n"  # Chinese headers; NAME is ignored
    "2110380001,F011,12,2024-05-01,东宁广告\n"  # 2: good
    "2110389999,F011,3,2024-05-01,没有这个客户\n"  # 3: unknown customer
    "2110380002,F011,-5,2024-13-01,华信\n"  # 4: negative count and a bad date
    "2110380001,F099,1,2024-05-02,\n"  # 5: unknown company code
    "2110380002,F001,4,2024-06-01,\n"  # 6: duplicate of 7
    "2110380002,F001,5,2024-06-02,\n"  # 7: duplicate of 6
    "2110380001,F015,2,2024-07-01,\n"  # 8: a future date
)


def test_every_bad_row_is_reported_and_nothing_imported(
    uow_factory: UnitOfWorkFactory, customers: None, tmp_path: Path
) -> None:
    report = _import(uow_factory, _csv(tmp_path, "\ufeff" + BAD))
    assert (report.rows_read, report.imported, report.rejected) == (7, 0, 6)
    assert report.refused
    assert [p.text("zh") for p in report.problems] == [
        "第 3 行，A 列（客户编号）：客户 2110389999 不存在：2110389999",
        "第 4 行，C 列（凭证数）：凭证数不能为负数：-5",
        "第 4 行，D 列（最后凭证日期）：日期不存在：2024-13-01",
        "第 5 行，B 列（公司代码）：公司代码不存在：F099",
        "第 6 行，A 列（客户编号）：同一客户和组织单位出现在多行（第 6、7 行）：2110380002 F001",
        # F001 exists, but 华信 is not created there: registered anyway, with a warning
        "第 6 行，B 列（公司代码）：警告：客户 2110380002 未在此公司代码中创建；业务仍会登记：F001",
        "第 7 行，A 列（客户编号）：同一客户和组织单位出现在多行（第 6、7 行）：2110380002 F001",
        "第 7 行，B 列（公司代码）：警告：客户 2110380002 未在此公司代码中创建；业务仍会登记：F001",
        "第 8 行，B 列（公司代码）：警告：客户 2110380001 未在此公司代码中创建；业务仍会登记：F015",
        "第 8 行，D 列（最后凭证日期）：日期在未来：2024-07-01",
    ]
    assert report.problems[1].text("en") == (
        "line 4, column C (凭证数): The document count must not be negative: -5"
    )
    assert _register(uow_factory) == {}


def test_accepting_good_rows_imports_exactly_them(
    uow_factory: UnitOfWorkFactory, customers: None, tmp_path: Path
) -> None:
    path = _csv(tmp_path, BAD + "2110380002,F015,9,2024-06-03,\n")  # 9: good, with a warning
    report = _import(uow_factory, path, accept_good_rows=True)
    assert (report.rows_read, report.imported, report.rejected) == (8, 2, 6)
    assert not report.refused
    assert _register(uow_factory) == {
        (DONGNING, "BUKRS", "F011"): (12, date(2024, 5, 1)),
        (HUAXIN, "BUKRS", "F015"): (9, date(2024, 6, 3)),
    }


def test_a_gbk_file_is_refused_naming_the_lines(
    uow_factory: UnitOfWorkFactory, customers: None, tmp_path: Path
) -> None:
    text = (
        "KUNNR,BUKRS,DOC_COUNT,LAST_DOC_DATE,NAME1\n"
        "2110380001,F011,12,2024-05-01,Dongning\n"
        "2110380002,F011,3,2024-05-01,华信电子\n"
    )
    report = _import(uow_factory, _csv(tmp_path, text, encoding="gbk"), accept_good_rows=True)
    assert (report.rows_read, report.imported, report.rejected) == (2, 0, 2)
    assert [p.text("zh") for p in report.problems] == [
        "第 3 行，E 列（NAME1）：不是 UTF-8 编码（看起来是 GBK 编码）；"
        "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”：华信电子"
    ]
    assert _register(uow_factory) == {}
    # Chinese headers in GBK: the header line itself is named.
    header = _csv(tmp_path, "客户编号,公司代码,凭证数,最后凭证日期\n", "h.csv", "gbk")
    (problem,) = _import(uow_factory, header).problems
    assert problem.line == 1 and "UTF-8" in problem.text("en")


def test_an_xlsx_is_imported_with_excel_dates_and_numbers(
    uow_factory: UnitOfWorkFactory, customers: None, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["客户编号", "销售组织", "分销渠道", "产品组", "凭证数", "最后凭证日期"])
    # Numbers as Excel keeps them: the number and the channel as numbers, the division 01
    # lost its zero, the count a float, the date a date cell.
    sheet.append([2110380001, "F011", 10, 1, 7.0, datetime(2024, 4, 30)])
    sheet.append(["2110380002", "F011", "10", "01", 2, "2024/6/3"])
    sheet.append([])  # a blank row in the middle is no row
    sheet.append(["2110380002", "F011", "10", "02", -1, "2024-06-01"])
    path = tmp_path / "usage.xlsx"
    book.save(path)

    refused = _import(uow_factory, path)
    assert [p.text("en") for p in refused.errors] == [
        "line 5, column E (凭证数): The document count must not be negative: -1"
    ]
    report = _import(uow_factory, path, accept_good_rows=True)
    assert (report.rows_read, report.imported, report.rejected) == (3, 2, 1)
    assert _register(uow_factory) == {
        (DONGNING, "VKORG/VTWEG/SPART", "F011/10/01"): (7, date(2024, 4, 30)),
        (HUAXIN, "VKORG/VTWEG/SPART", "F011/10/01"): (2, date(2024, 6, 3)),
    }


def test_a_newer_extract_replaces_the_same_keys(
    uow_factory: UnitOfWorkFactory, customers: None, tmp_path: Path
) -> None:
    assert _import(uow_factory, _csv(tmp_path, CLEAN)).imported == 3
    newer = _csv(
        tmp_path,
        "KUNNR;BUKRS;DOC_COUNT;LAST_DOC_DATE\n2110380001;F011;15;2024-06-28\n",
        "june.csv",
    )
    assert _import(uow_factory, newer).imported == 1
    register = _register(uow_factory)
    assert register[(DONGNING, "BUKRS", "F011")] == (15, date(2024, 6, 28))
    # Keys the newer extract does not mention keep their entries.
    assert register[(DONGNING, "VKORG/VTWEG/SPART", "F011/10/01")] == (7, date(2024, 4, 30))
    assert len(register) == 3
    with uow_factory() as uow:
        sources = {e.org_unit: e.source for e in usage_of(uow, DONGNING)}
    assert sources == {"F011": "june.csv", "F011/10/01": "usage.csv"}


def test_file_problems_refuse_the_whole_file(
    uow_factory: UnitOfWorkFactory, customers: None, tmp_path: Path
) -> None:
    missing = _csv(tmp_path, "KUNNR,VKORG,SPART,DOC_COUNT\n2110380001,F011,01,3\n")
    report = _import(uow_factory, missing, accept_good_rows=True)
    assert [p.text("zh") for p in report.problems] == [
        "第 1 行：缺少必需的列 LAST_DOC_DATE（最后凭证日期）",
        "第 1 行：缺少必需的列 VTWEG（分销渠道）",
    ]
    assert (report.rows_read, report.imported, report.rejected) == (1, 0, 1)
    assert report.refused and report.problems[0].severity is Severity.ERROR
    assert _register(uow_factory) == {}


def test_usage_of_customers_answers_a_batch(
    uow_factory: UnitOfWorkFactory, customers: None, tmp_path: Path
) -> None:
    _import(uow_factory, _csv(tmp_path, CLEAN))
    with uow_factory() as uow:
        found = usage_of_customers(uow, [DONGNING, HUAXIN, "2110389999"])
    assert {n: [e.org_unit for e in es] for n, es in found.items()} == {
        DONGNING: ["F011", "F011/10/01"],
        HUAXIN: ["F011"],
        "2110389999": [],
    }
    assert isinstance(found[DONGNING][0], UsageEntry)
    assert [e.has_business for e in found[DONGNING]] == [True, True]


def test_customers_are_checked_in_one_query_per_batch(
    uow_factory: UnitOfWorkFactory, customers: None, tmp_path: Path
) -> None:
    rows = "".join(f"211038{n:04d},F011,1,2024-05-01\n" for n in range(1, 201))
    path = _csv(tmp_path, "KUNNR,BUKRS,DOC_COUNT,LAST_DOC_DATE\n" + rows)
    seen: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(uow_factory.engine, "before_cursor_execute", record)
    try:
        report = _import(uow_factory, path)
    finally:
        event.remove(uow_factory.engine, "before_cursor_execute", record)
    assert (report.rows_read, report.imported, report.rejected) == (200, 0, 198)
    lookups = [s for s in seen if s.startswith("SELECT") and " FROM kn" in s]
    assert len(lookups) == 3, lookups  # KNA1, KNB1, KNVV: one statement each for 200 rows
