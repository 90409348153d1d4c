"""`custmd customer changes NUMBER` as a script or an auditor calls it, on both databases."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import example_document
from tests.e2e.test_cli import _write, custmd

NUMBER = "2110380001"


def _changes(db_url: str, *extra: str) -> list[dict[str, object]]:
    shown = custmd("customer", "changes", NUMBER, "--format", "json", *extra, "--db", db_url)
    assert shown.returncode == 0, shown.stderr
    rows: list[dict[str, object]] = json.loads(shown.stdout)
    return rows


def test_change_documents_with_their_texts_and_filters(db_url: str, tmp_path: Path) -> None:
    created = custmd("customer", "create", _write(tmp_path, example_document()), "--db", db_url)
    assert created.returncode == 0, created.stderr
    blocked = custmd(
        "customer",
        "block",
        NUMBER,
        "--delivery",
        "05",
        "--sales-area",
        "F011/10/01",
        "--posting",
        "--comment",
        "财务冻结",
        "--db",
        db_url,
    )
    assert blocked.returncode == 0, blocked.stderr

    rows = _changes(db_url)
    assert {r["ACTIVITY"] for r in rows} == {"create", "change"}
    xd05 = {r["FNAME"]: r for r in rows if r["TCODE"] == "XD05"}
    assert set(xd05) == {"KNVV-LIFSD", "KNA1-SPERR"}
    assert xd05["KNVV-LIFSD"]["SEGMENT"] == "F011/10/01"
    assert xd05["KNVV-LIFSD"]["VALUE_NEW"] == "05"
    assert xd05["KNVV-LIFSD"]["TEXT_NEW"] == {"zh": "05 财务冻结", "en": "05 Blocked by finance"}
    assert xd05["KNA1-SPERR"]["TEXT_NEW"] == {"zh": "是", "en": "Yes"}
    assert xd05["KNA1-SPERR"]["LABEL"] == {"zh": "中央记账冻结", "en": "Central posting block"}

    # Filters as in XD04: one field; one activity.
    assert [r["FNAME"] for r in _changes(db_url, "--field", "KNA1-SPERR")] == ["KNA1-SPERR"]
    assert {r["ACTIVITY"] for r in _changes(db_url, "--activity", "create")} == {"create"}
    assert _changes(db_url, "--from", "2000-01-01", "--to", "2000-12-31") == []

    # Text: newest document first, one tab-separated line per field.
    text = custmd("customer", "changes", NUMBER, "--field", "KNVV-LIFSD", "--db", db_url)
    assert text.returncode == 0, text.stderr
    (line,) = text.stdout.splitlines()
    cells = line.split("\t")
    assert cells[3:] == [
        "XD05",
        "F011/10/01",
        "",
        "交货冻结",
        "KNVV-LIFSD",
        "",
        "05 财务冻结",
        "财务冻结",  # the document's comment
        "",  # no request: a direct change
    ]


def test_refusals_exit_non_zero_and_say_why(db_url: str, tmp_path: Path) -> None:
    created = custmd("customer", "create", _write(tmp_path, example_document()), "--db", db_url)
    assert created.returncode == 0, created.stderr
    unknown = custmd("customer", "changes", "2119999999", "--db", db_url)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "KNA1-KUNNR: 客户 2119999999 不存在"
    field = custmd("customer", "changes", NUMBER, "--field", "KNA1-XXXXX", "--db", db_url)
    assert field.returncode == 1 and "字段 KNA1-XXXXX 不在字段目录中" in field.stderr
    bad_date = custmd("customer", "changes", NUMBER, "--from", "2024-13-01", "--db", db_url)
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr
