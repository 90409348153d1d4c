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


def _create_two(db_url: str, tmp_path: Path) -> None:
    """The example customer and a second one of the same office, 华信电子 in 北京, blocked."""
    assert (
        custmd(
            "customer", "create", _write(tmp_path, example_document()), "--db", db_url
        ).returncode
        == 0
    )
    doc = example_document()
    doc["KNA1"].update(
        {
            "KUNNR": "2110380002",
            "NAME1": "华信电子有限公司",
            "NAME2": "",
            "NAME3": "华信电子有限公司",
            "SORTL": "华信电子",
            "ORT01": "北京",
            "REGIO": "010",
            "PSTLZ": "100020",
            "AUFSD": "01",
        }
    )
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = "2110380002"
    created = custmd("customer", "create", _write(tmp_path, doc, "second.json"), "--db", db_url)
    assert created.returncode == 0, created.stderr


def test_search_prints_the_matching_customers_page_by_page(db_url: str, tmp_path: Path) -> None:
    _create_two(db_url, tmp_path)
    found = custmd("customer", "search", "dngg", "--format", "json", "--db", db_url)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout) == [
        {
            "KUNNR": "2110380001",
            "NAME1": "东宁广告有限公司",
            "SORTL": "东宁广告",
            "ORT01": "上海",
            "KTOKD": "1110",
            "TELF1": "",
            "BLOCKED": False,
            "LOEVM": False,
            "PARTLY_BLOCKED": False,
            "PARTLY_FLAGGED": False,
        }
    ]
    text = custmd("customer", "search", "华信", "--db", db_url)
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines() == ["2110380002\t华信电子有限公司\t北京\t1110\t\t冻结"]
    # Several words, each must match; a filter.
    both = custmd("customer", "search", "2110380", "北京", "--format", "json", "--db", db_url)
    assert [c["KUNNR"] for c in json.loads(both.stdout)] == ["2110380002"]
    unblocked = custmd(
        "customer",
        "search",
        "--blocked",
        "no",
        "--company-code",
        "F011",
        "--format",
        "json",
        "--db",
        db_url,
    )
    assert [c["KUNNR"] for c in json.loads(unblocked.stdout)] == ["2110380001"]
    # Finding nothing is no error.
    as_json = custmd("customer", "search", "无此客户", "--format", "json", "--db", db_url)
    assert as_json.returncode == 0 and json.loads(as_json.stdout) == []
    as_text = custmd("customer", "search", "东宁", "--sales-area", "F015/10/01", "--db", db_url)
    assert as_text.returncode == 0
    assert as_text.stdout == "" and as_text.stderr.strip() == "没有找到客户"
    # Pages: --limit, and the number to go on --after.
    first = custmd("customer", "search", "--limit", "1", "--format", "json", "--db", db_url)
    assert [c["KUNNR"] for c in json.loads(first.stdout)] == ["2110380001"]
    assert first.stderr.strip() == "还有更多客户；下一页：--after 2110380001"
    second = custmd(
        "customer",
        "search",
        "--limit",
        "1",
        "--after",
        "2110380001",
        "--lang",
        "en",
        "--db",
        db_url,
    )
    assert second.stdout.startswith("2110380002\t") and second.stderr == ""


def test_search_refuses_bad_input(db_url: str) -> None:
    area = custmd("customer", "search", "--sales-area", "F011-10", "--db", db_url, "--lang", "en")
    assert area.returncode == 1
    assert area.stderr.strip().startswith("KNVV-VKORG: Sales area F011-10 must read")
    limit = custmd("customer", "search", "x", "--limit", "0", "--db", db_url)
    assert limit.returncode == 2 and "--limit" in limit.stderr


def test_usage_import_reports_bad_rows_then_imports_the_good_ones(
    db_url: str, tmp_path: Path
) -> None:
    assert (
        custmd(
            "customer", "create", _write(tmp_path, example_document()), "--db", db_url
        ).returncode
        == 0
    )
    extract = tmp_path / "usage.csv"
    extract.write_text(
        "KUNNR,BUKRS,DOC_COUNT,LAST_DOC_DATE\n"
        "2110380001,F011,12,2024-05-01\n"
        "2110380001,F099,-5,2024-02-30\n",
        encoding="utf-8-sig",  # with the BOM Excel writes
    )
    refused = custmd("usage", "import", str(extract), "--db", db_url)
    assert refused.returncode == 1
    assert refused.stdout.strip() == "usage.csv：读取 2 行，导入 0 行，拒绝 1 行；没有导入任何数据"
    assert refused.stderr.strip().splitlines() == [
        "第 3 行，B 列（BUKRS）：公司代码不存在：F099",
        "第 3 行，C 列（DOC_COUNT）：凭证数不能为负数：-5",
        "第 3 行，D 列（LAST_DOC_DATE）：日期不存在：2024-02-30",
        "请改正后重新导入，或用 --accept-good-rows 只导入没有错误的行",
    ]
    empty = custmd("usage", "show", "2110380001", "--format", "json", "--db", db_url)
    assert empty.returncode == 0 and json.loads(empty.stdout) == []

    accepted = custmd(
        "usage", "import", str(extract), "--accept-good-rows", "--format", "json", "--db", db_url
    )
    assert accepted.returncode == 0, accepted.stderr
    report = json.loads(accepted.stdout)
    assert (report["rows_read"], report["imported"], report["rejected"]) == (2, 1, 1)
    assert [(p["line"], p["letter"], p["column"]) for p in report["problems"]] == [
        (3, "B", "BUKRS"),
        (3, "C", "DOC_COUNT"),
        (3, "D", "LAST_DOC_DATE"),
    ]
    shown = custmd("usage", "show", "2110380001", "--format", "json", "--db", db_url)
    ((entry),) = json.loads(shown.stdout)
    assert {k: entry[k] for k in ("ORG_KIND", "ORG_UNIT", "DOC_COUNT", "LAST_DOC_DATE")} == {
        "ORG_KIND": "BUKRS",
        "ORG_UNIT": "F011",
        "DOC_COUNT": 12,
        "LAST_DOC_DATE": "2024-05-01",
    }

    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("客户编号,公司代码,凭证数,最后凭证日期\n".encode("gbk"))
    wrong = custmd("usage", "import", str(gbk), "--db", db_url, "--lang", "en")
    assert wrong.returncode == 1
    assert wrong.stderr.startswith("line 1, column A: Not UTF-8 (it looks like GBK); save it")


def test_usage_import_of_a_missing_file() -> None:
    result = custmd("usage", "import", "/nonexistent/usage.csv")
    assert result.returncode == 2 and "usage.csv" in result.stderr
