"""The Excel request form, on SQLite and PostgreSQL: written from the catalog and the
customizing (one customer per sheet), filled as a branch would with the documents' example,
imported as a draft request whose document is the example; a badly filled form is refused with
every problem where Excel shows it (sheet, cell, field) and nothing is filed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from custmd_gui.domain.requests import RequestStatus, RequestType
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import requests as rq
from custmd_gui.services.customizing import read_customizing
from custmd_gui.services.request_form_import import FormRefused, import_request_form
from custmd_gui.services.request_form_xlsx import write_request_form
from tests.conftest import example_document
from tests.integration.test_requests import ASSISTANT, HEAD_OFFICE


def fill(ws: Any, doc: dict[str, Any], reason: str = "新客户东宁广告，需开具发票") -> None:
    """Type a SAP-shaped document into a customer sheet: each value in the row its key names
    (column A), the n-th row of a table in the n-th value column from C."""
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}

    def put(key: str, index: int, value: str) -> None:
        ws.cell(rows[key], 3 + index, value)

    put("REQUEST-REASON", 0, reason)
    put("REQUEST-ORG_UNIT", 0, "1038")
    for name, value in doc["KNA1"].items():
        put(f"KNA1-{name}", 0, value)
    for table in ("KNBK", "KNB1"):
        for i, row in enumerate(doc.get(table, [])):
            for name, value in row.items():
                put(f"{table}-{name}", i, value)
    for i, area in enumerate(doc.get("KNVV", [])):
        for name, value in area.items():
            if name in ("KNVI", "KNVP"):
                for j, child in enumerate(value):
                    for child_name, child_value in child.items():
                        put(f"{name}-{child_name}", j, child_value)
            else:
                put(f"KNVV-{name}", i, value)


def _form(factory: UnitOfWorkFactory, path: Path, sheets: int = 1) -> Any:
    write_request_form(read_customizing(factory), path, sheets=sheets)
    return openpyxl.load_workbook(path)


def test_round_trip_files_the_example_as_a_draft(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    path = tmp_path / "申请表.xlsx"
    book = _form(uow_factory, path)
    assert book.sheetnames == ["客户1", "代码"]
    ws = book["客户1"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    # Labels marked as the template marks them; coded fields offer the customizing's codes.
    assert ws.cell(rows["KNA1-NAME1"], 2).fill.start_color.rgb.endswith("C00000")  # required
    zterm = [
        dv for dv in ws.data_validations.dataValidation if f"C{rows['KNB1-ZTERM']}" in dv.sqref
    ]
    assert zterm and "代码" in zterm[0].formula1
    fill(book["客户1"], example_document())
    book.save(path)
    [request] = import_request_form(uow_factory, HEAD_OFFICE, path)
    assert request.document == from_document(example_document())
    assert request.type is RequestType.CREATE and request.status is RequestStatus.DRAFT
    assert (request.requester, request.org_unit) == ("zhao_hq", "1038")
    assert request.reason == "新客户东宁广告，需开具发票"
    assert [r.number for r in rq.list_requests(uow_factory, HEAD_OFFICE)] == [request.number]


def test_one_request_per_customer_sheet(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    book = _form(uow_factory, path, sheets=3)
    first, second = example_document(), example_document()
    second["KNA1"].update(KUNNR="2110380002", NAME1="东宁印刷有限公司", SORTL="东宁印刷")
    for partner in second["KNVV"][0]["KNVP"]:
        partner["KUNN2"] = "2110380002"
    fill(book["客户1"], first)
    fill(book["客户2"], second, reason="第二个客户")
    book.save(path)  # 客户3 left blank: a spare sheet, skipped
    filed = import_request_form(uow_factory, ASSISTANT, path)
    assert [r.document.general.name for r in filed] == ["东宁广告有限公司", "东宁印刷有限公司"]
    assert filed[1].document == from_document(second)


def test_a_blank_form_is_refused(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    write_request_form(read_customizing(uow_factory), path, sheets=2)
    with pytest.raises(FormRefused, match="holds no customer"):
        import_request_form(uow_factory, ASSISTANT, path)


def test_every_problem_is_reported_where_excel_shows_it(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    path = tmp_path / "form.xlsx"
    book = _form(uow_factory, path, sheets=2)
    bad = example_document()
    bad["KNB1"][0]["ZTERM"] = "9999"  # no such payment terms
    bad["KNVV"][0]["KNVI"][0]["TAXKD"] = "7"
    fill(book["客户1"], bad, reason="")
    ws = book["客户1"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    ws.cell(rows["KNA1-NAME2"], 4, "a second value")  # general data have one column
    ws.cell(rows["KNVP-SALES_AREA"], 3, "F015/10/01")  # not the customer's sales area
    fill(book["客户2"], example_document())
    ws2 = book["客户2"]
    ws2.cell(rows["KNA1-SORTL"], 1, "KNA1-XXXX")  # column A edited
    book.create_sheet("备注").cell(1, 1, "请尽快处理")
    book.save(path)
    with pytest.raises(FormRefused) as refused:
        import_request_form(uow_factory, ASSISTANT, path)
    found = {(p.sheet, f"{p.column}{p.row}" if p.row else "", p.field_key): p.message.zh
             for p in refused.value.problems_at}  # fmt: skip
    assert "9999" in found["客户1", f"C{rows['KNB1-ZTERM']}", "KNB1-ZTERM"]
    assert ("客户1", f"C{rows['KNVI-TAXKD']}", "KNVI-TAXKD") in found
    assert ("客户1", f"C{rows['REQUEST-REASON']}", "REQUEST-REASON") in found
    assert ("客户1", f"D{rows['KNA1-NAME2']}", "KNA1-NAME2") in found
    assert ("客户1", f"C{rows['KNVP-SALES_AREA']}", "KNVP-SALES_AREA") in found
    assert "F015/10/01" in found["客户1", f"C{rows['KNVP-SALES_AREA']}", "KNVP-SALES_AREA"]
    assert ("客户2", f"A{rows['KNA1-SORTL']}", "KNA1-XXXX") in found
    assert ("备注", "", "") in found
    assert rq.list_requests(uow_factory, HEAD_OFFICE) == []  # nothing filed


def test_cli_writes_the_form_and_files_it(tmp_path: Path) -> None:
    """`custmd request form --xlsx` and `custmd request import-form` as a script (SQLite)."""
    db = f"sqlite:///{tmp_path / 'c.sqlite'}"
    form = tmp_path / "form.xlsx"

    def custmd(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "custmd_gui", "request", *args, "--db", db],
            capture_output=True,
            text=True,
            timeout=120,
        )

    written = custmd("form", "--xlsx", str(form))
    assert written.returncode == 0, written.stderr
    book = openpyxl.load_workbook(form)
    fill(book["客户1"], example_document())
    book.save(form)
    filed = custmd("import-form", str(form))
    assert filed.returncode == 0, filed.stderr
    number = filed.stdout.split("\t")[0]
    assert filed.stdout.strip() == f"{number}\t东宁广告有限公司"
    pdf = tmp_path / "form.pdf"
    printed = custmd("form", number, "--pdf", str(pdf))
    assert printed.returncode == 0, printed.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    again = custmd("import-form", str(tmp_path / "missing.xlsx"))
    assert again.returncode == 2 and "missing.xlsx" in again.stderr
    assert "Traceback" not in again.stderr
