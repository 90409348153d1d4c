"""`custmd customer changes` prints the comment of each change document (why a customer was
blocked or flagged), in text and JSON, on both databases."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import example_document
from tests.e2e.test_cli import _write, custmd

NUMBER = "2110380001"
WHY = "客户逾期未付款\t财务要求冻结"  # a tab typed into it must not split the text line


def test_block_and_flag_comments_in_text_and_json(db_url: str, tmp_path: Path) -> None:
    created = custmd("customer", "create", _write(tmp_path, example_document()), "--db", db_url)
    assert created.returncode == 0, created.stderr
    blocked = custmd("customer", "block", NUMBER, "--order", "01", "--comment", WHY, "--db", db_url)
    assert blocked.returncode == 0, blocked.stderr
    flagged = custmd("customer", "flag", NUMBER, "--comment", "客户已注销", "--db", db_url)
    assert flagged.returncode == 0, flagged.stderr

    shown = custmd("customer", "changes", NUMBER, "--format", "json", "--db", db_url)
    assert shown.returncode == 0, shown.stderr
    rows = json.loads(shown.stdout)
    by_tcode = {(r["TCODE"], r["FNAME"]): r["COMMENT"] for r in rows}
    assert by_tcode[("XD05", "KNA1-AUFSD")] == WHY
    assert by_tcode[("XD06", "KNA1-LOEVM")] == "客户已注销"
    assert {r["COMMENT"] for r in rows if r["TCODE"] == "XD01"} == {""}

    text = custmd("customer", "changes", NUMBER, "--activity", "change", "--db", db_url)
    assert text.returncode == 0, text.stderr
    # Newest first; the comment, its tab a space, then the request (none: direct changes).
    assert [line.split("\t")[7:] for line in text.stdout.splitlines()] == [
        ["KNA1-LOEVM", "否", "是", "客户已注销", ""],
        ["KNA1-AUFSD", "", "01 信用冻结", "客户逾期未付款 财务要求冻结", ""],
    ]
