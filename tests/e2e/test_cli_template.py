"""`custmd template` end to end, on both databases: the workbook written from the database's
customizing, CSV forms, and clear messages (no traceback) for what cannot be done."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.e2e.test_cli import custmd


def test_writes_the_workbook(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "customers.xlsx"
    result = custmd("template", str(path), "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[1] == "一般数据 KNA1" and wb.sheetnames[-1] == "代码"
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


def test_english_for_one_account_group_with_chosen_fields(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "ship_to.xlsx"
    result = custmd(
        "template", str(path), "--lang", "en", "--account-group", "1310",
        "--fields", "KNA1-TELF1,KNVV-KDGRP", "--db", db_url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    wb = openpyxl.load_workbook(path)
    assert "Bank details KNBK" not in wb.sheetnames
    header = [c.value for c in wb["General data KNA1"][1]]
    assert "KNA1-TELF1" in header and "KNA1-TELFX" not in header
    assert "KNVV-KDGRP" in [c.value for c in wb["Sales area data KNVV"][1]]


def test_csv_forms(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    result = custmd("template", str(folder), "--csv", "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{t}.csv" for t in ("KNA1", "KNBK", "KNB1", "KNVV", "KNVI", "KNVP")
    )
    wide = tmp_path / "customers.csv"
    result = custmd("template", str(wide), "--csv-wide", "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert wide.read_bytes().startswith("\ufeff字段,TABLE,KNA1-KUNNR".encode())


def test_refusals_are_messages_not_tracebacks(db_url: str, tmp_path: Path) -> None:
    cases = [
        (["template", str(tmp_path / "missing" / "x.xlsx")], 2, "文件夹"),
        (["template", str(tmp_path)], 2, "是文件夹"),
        (["template", str(tmp_path / "x.xlsx"), "--fields", "KNA1-NAME9"], 1, "KNA1-NAME9: "),
        (["template", str(tmp_path / "x.xlsx"), "--account-group", "9999"], 1, "科目组 9999"),
    ]
    (tmp_path / "file.txt").write_text("x")
    cases.append((["template", str(tmp_path / "file.txt"), "--csv"], 2, "不是文件夹"))
    for args, status, message in cases:
        result = custmd(*args, "--db", db_url)
        assert result.returncode == status, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
    assert not (tmp_path / "x.xlsx").exists()
