"""`custmd customer export` end to end, on both databases: each form written from a real
database through the command, the filters applied, and clear messages (no traceback, nothing
written) for what cannot be done."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from custmd_gui.services.transfer.debmas_definition import problems
from tests.conftest import example_document
from tests.e2e.test_cli import _write, custmd

NUMBER = "2110380001"


def _stock(db_url: str, tmp_path: Path) -> None:
    created = custmd("customer", "create", _write(tmp_path, example_document()), "--db", db_url)
    assert created.returncode == 0, created.stderr


def test_every_form(db_url: str, tmp_path: Path) -> None:
    _stock(db_url, tmp_path)
    book = tmp_path / "customers.xlsx"
    result = custmd("customer", "export", str(book), "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(book) and "已导出 1 个客户" in result.stderr
    ws = openpyxl.load_workbook(book)["一般数据 KNA1"]
    assert ws.cell(4, 2).value == NUMBER and ws.cell(4, 1).value is None

    folder = tmp_path / "csv"
    result = custmd("customer", "export", str(folder), "--csv", "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.split()) == 6 and (folder / "KNVP.csv").exists()
    wide = tmp_path / "wide.csv"
    result = custmd("customer", "export", str(wide), "--csv-wide", "--lang", "en", "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert "1 customers exported" in result.stderr
    assert wide.read_text(encoding="utf-8-sig").startswith("Field,TABLE,KNA1-KUNNR")

    listed = tmp_path / "list.csv"
    result = custmd("customer", "export", str(listed), "--list", "--search", "东宁", "--db", db_url)
    assert result.returncode == 0, result.stderr
    lines = listed.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("客户,名称") and lines[1].startswith(f"{NUMBER},东宁广告有限公司")
    result = custmd("customer", "export", str(listed), "--list", "--blocked", "yes", "--db", db_url)
    assert result.returncode == 0 and len(listed.read_text().splitlines()) == 1

    xml = tmp_path / "debmas.xml"
    result = custmd(
        "customer", "export", str(xml), "--debmas", "--receiver", "PRDCLNT800", "--client",
        "800", "--db", db_url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    root = ElementTree.parse(xml).getroot()
    assert problems(root) == []
    assert root.findtext("IDOC/EDI_DC40/RCVPRN") == "PRDCLNT800"
    assert root.findtext("IDOC/EDI_DC40/MANDT") == "800"
    result = custmd(
        "customer", "export", str(xml), "--debmas", "--changed-since", "2999-01-01", "--db", db_url
    )
    assert result.returncode == 0, result.stderr
    assert "已导出 0 个客户" in result.stderr and len(ElementTree.parse(xml).getroot()) == 0


def test_refusals_are_messages_not_tracebacks(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    out = str(tmp_path / "x.xlsx")
    cases = [
        (["export", str(tmp_path / "missing" / "x.xlsx")], 2, "文件夹"),
        (["export", str(tmp_path)], 2, "是文件夹"),
        (["export", str(tmp_path / "file.txt"), "--csv"], 2, "不是文件夹"),
        (["export", out, "--list", "--changed-since", "2024-01-01"], 2, "--changed-since"),
        (["export", out, "--debmas", "--changed-since", "2024-13-01"], 2, "YYYY-MM-DD"),
        (["export", out, "--debmas", "--receiver", "X" * 11], 2, "--receiver"),
        (["export", out, "--sales-area", "F011"], 1, "销售范围 F011"),
        (["export", out, "--list", "--csv"], 2, "not allowed with"),
    ]
    for args, status, message in cases:
        result = custmd("customer", *args, "--db", db_url)
        assert result.returncode == status, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
    assert not (tmp_path / "x.xlsx").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".", "x"))]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_an_unwritable_file_is_a_message(db_url: str) -> None:
    # A folder no one may create files in, not even root (tests may run as root).
    result = custmd("customer", "export", "/proc/custmd-export.xml", "--debmas", "--db", db_url)
    assert result.returncode == 2, result.stderr
    assert "无法写入" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
