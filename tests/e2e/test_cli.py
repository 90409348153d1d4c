"""The `custmd` command as a user runs it, against both databases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from custmd_gui import __version__
from tests.conftest import example_document


def custmd(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "custmd_gui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CUSTMD_LANG": "zh", **(env or {})},
    )


def _write(tmp_path: Path, doc: dict[str, Any], name: str = "customer.json") -> str:
    file = tmp_path / name
    file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(file)


def test_version() -> None:
    result = custmd("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"custmd {__version__}"


def test_create_and_show_json(db_url: str, tmp_path: Path) -> None:
    file = _write(tmp_path, example_document())
    created = custmd("customer", "create", file, "--db", db_url)
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "客户 2110380001 已在公司代码 F011 销售范围 F011/10/01 中创建"
    shown = custmd("customer", "show", "2110380001", "--format", "json", "--db", db_url)
    assert shown.returncode == 0, shown.stderr
    doc = json.loads(shown.stdout)
    assert doc["KNA1"]["NAME1"] == "东宁广告有限公司"
    assert doc["KNB1"][0]["AKONT"] == "00"
    assert doc["KNVV"][0]["KNVP"][2] == {"PARVW": "RG", "PARZA": "000", "KUNN2": "2110380001"}


def test_postal_code_typo_is_refused_and_nothing_written(db_url: str, tmp_path: Path) -> None:
    doc = example_document()
    doc["KNA1"]["PSTLZ"] = "2000000"
    file = _write(tmp_path, doc)
    result = custmd("customer", "create", file, "--db", db_url)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("KNA1-PSTLZ: ")
    assert "2000000" in lines[0]
    shown = custmd("customer", "show", "2110380001", "--db", db_url)
    assert shown.returncode == 1
    assert "客户 2110380001 不存在" in shown.stderr


def test_every_problem_gets_a_line_in_english_too(db_url: str, tmp_path: Path) -> None:
    doc = example_document()
    doc["KNA1"]["PSTLZ"] = "2000000"
    doc["KNA1"]["NAME1"] = ""
    doc["KNVV"][0]["VSBED"] = "99"
    file = _write(tmp_path, doc)
    result = custmd("customer", "create", file, "--db", db_url, "--lang", "en")
    assert result.returncode == 1
    assert sorted(result.stderr.strip().splitlines()) == [
        "KNA1-NAME1: Name is required",
        "KNA1-PSTLZ: Postal code 2000000 does not fit the rule of country CN",
        "KNVV-VSBED [F011/10/01]: Shipping conditions 99 does not exist; press F4 to choose",
    ]


def test_unknown_field_in_the_document(db_url: str, tmp_path: Path) -> None:
    doc = example_document()
    doc["KNA1"]["NAMEX"] = "?"
    file = _write(tmp_path, doc)
    result = custmd("customer", "create", file, "--db", db_url)
    assert result.returncode == 1
    assert result.stderr.strip() == "KNA1-NAMEX: 未知字段 KNA1-NAMEX"


def test_db_upgrade_on_a_new_sqlite_file_then_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    first = custmd("db", "upgrade", "--db", url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("schema - -> ")
    second = custmd("db", "upgrade", "--db", url)
    assert second.returncode == 0
    assert second.stdout.strip().endswith("customizing rows added: 0")


@pytest.mark.parametrize("fmt", ["text"])
def test_show_text_uses_labels(db_url: str, tmp_path: Path, fmt: str) -> None:
    file = _write(tmp_path, example_document())
    assert custmd("customer", "create", file, "--db", db_url).returncode == 0
    shown = custmd("customer", "show", "2110380001", "--format", fmt, "--db", db_url)
    assert "KNA1-NAME1  名称" in shown.stdout and "东宁广告有限公司" in shown.stdout


def test_default_database_lives_in_the_user_data_folder(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "CUSTMD_DB": ""}
    file = _write(tmp_path, example_document())
    result = custmd("customer", "create", file, env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "custmd" / "custmd.sqlite").is_file()
