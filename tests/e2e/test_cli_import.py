"""`custmd customer import` end to end, on both databases: the template's sample imported,
a second run that duplicates nothing, a dry run, bad rows listed with their places and the
error workbook, English messages, and files that are no template (missing, not XLSX, damaged,
encrypted) refused with a message, never a traceback."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from custmd_gui.domain.transfer import columns as cols
from tests.e2e.test_cli import custmd


def _filled(db_url: str, path: Path) -> Path:
    """The template with its sample rows made data rows (column A emptied)."""
    assert custmd("template", str(path), "--db", db_url).returncode == 0
    wb = openpyxl.load_workbook(path)
    for sheet in cols.sheets():
        ws = wb[sheet.name("zh")]
        for row in range(cols.SAMPLE_ROW, ws.max_row + 1):
            ws.cell(row, 1).value = None
    wb.save(path)
    return path


def test_import_dry_run_and_second_run(db_url: str, tmp_path: Path) -> None:
    path = _filled(db_url, tmp_path / "customers.xlsx")
    dry = custmd("customer", "import", str(path), "--dry-run", "--db", db_url)
    assert dry.returncode == 0, dry.stderr
    assert "试运行" in dry.stdout and "已检查未写入 1 个" in dry.stdout
    assert custmd("customer", "show", "2110380001", "--db", db_url).returncode == 1
    done = custmd("customer", "import", str(path), "--db", db_url)
    assert done.returncode == 0, done.stderr
    assert "创建 1 个" in done.stdout
    again = custmd(
        "customer", "import", str(path), "--mode", "insert", "--db", db_url, "--lang", "en"
    )
    assert again.returncode == 0 and "1 skipped" in again.stdout
    shown = custmd("customer", "show", "2110380001", "--db", db_url)
    assert "东宁广告有限公司" in shown.stdout
    changes = custmd("customer", "changes", "2110380001", "--db", db_url)
    assert "import customers.xlsx" in changes.stdout


def test_bad_rows_listed_and_error_workbook(db_url: str, tmp_path: Path) -> None:
    path = _filled(db_url, tmp_path / "customers.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["一般数据 KNA1"]
    keys = {c.value: c.column for c in ws[cols.KEY_ROW] if c.value}
    ws.cell(cols.SAMPLE_ROW, keys["KNA1-BRSCH"]).value = "ZZZZ"
    wb.save(path)
    result = custmd("customer", "import", str(path), "--db", db_url)
    assert result.returncode == 1
    letter = openpyxl.utils.get_column_letter(keys["KNA1-BRSCH"])
    assert f"一般数据 KNA1!{letter}4 KNA1-BRSCH: 行业 ZZZZ 不存在" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "customers.errors.xlsx").exists()
    assert custmd("customer", "show", "2110380001", "--db", db_url).returncode == 1


def test_files_that_are_no_template(db_url: str, tmp_path: Path) -> None:
    missing = custmd("customer", "import", str(tmp_path / "nope.xlsx"), "--db", db_url)
    assert missing.returncode == 2 and "文件不存在" in missing.stderr
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    encrypted = tmp_path / "secret.xlsx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    expected = {text: "只能导入", damaged: "已损坏", encrypted: "密码保护"}
    for path, message in expected.items():
        result = custmd("customer", "import", str(path), "--db", db_url)
        assert result.returncode == 2, (path, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
        assert "意外错误" not in result.stderr
