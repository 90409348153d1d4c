"""KNBK-BKREF through the command line, on both databases: a 20-digit account's last digits
created from a JSON document and shown in it; too long a value refused naming the field."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import example_document
from tests.e2e.test_cli import _write, custmd

NUMBER = "2110380001"


def test_created_and_shown_as_json(db_url: str, tmp_path: Path) -> None:
    doc = example_document()
    doc["KNBK"][0].update({"BANKN": "622202100012345678", "BKREF": "９０"})  # typed full width
    created = custmd("customer", "create", _write(tmp_path, doc), "--db", db_url)
    assert created.returncode == 0, created.stderr
    shown = custmd("customer", "show", NUMBER, "--format", "json", "--db", db_url)
    assert shown.returncode == 0, shown.stderr
    (bank,) = json.loads(shown.stdout)["KNBK"]
    assert bank == {
        "BANKS": "CN",
        "BANKL": "F011",
        "BANKN": "622202100012345678",
        "KOINH": "工商银行",
        "BKREF": "90",
    }


def test_too_long_is_refused_naming_the_field(db_url: str, tmp_path: Path) -> None:
    doc = example_document()
    doc["KNBK"][0]["BKREF"] = "1" * 21
    result = custmd("customer", "create", _write(tmp_path, doc), "--db", db_url)
    assert result.returncode == 1
    assert result.stderr.strip() == "KNBK-BKREF: 参考明细最多 20 个字符，输入了 21 个"
    assert custmd("customer", "show", NUMBER, "--db", db_url).returncode == 1
