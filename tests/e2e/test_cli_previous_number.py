"""KNA1-ALTKN, the previous account number, through the command line on both databases: kept
in the JSON document as typed, too long a value refused naming the field."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import example_document
from tests.e2e.test_cli import _write, custmd

NUMBER = "2110380001"


def test_created_and_shown(db_url: str, tmp_path: Path) -> None:
    doc = example_document()
    doc["KNA1"]["ALTKN"] = "C-004711"
    created = custmd("customer", "create", _write(tmp_path, doc), "--db", db_url)
    assert created.returncode == 0, created.stderr
    shown = custmd("customer", "show", NUMBER, "--format", "json", "--db", db_url)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["KNA1"]["ALTKN"] == "C-004711"


def test_too_long_is_refused_naming_the_field(db_url: str, tmp_path: Path) -> None:
    doc = example_document()
    doc["KNA1"]["ALTKN"] = "1" * 11
    result = custmd("customer", "create", _write(tmp_path, doc), "--db", db_url)
    assert result.returncode == 1
    assert result.stderr.strip() == "KNA1-ALTKN: 原客户编号最多 10 个字符，输入了 11 个"
