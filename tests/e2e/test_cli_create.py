"""`custmd customer create` runs XD01's duplicate check; no command shows a caller a traceback
(a closed pipe, an unexpected error)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

from custmd_gui.domain import uscc
from tests.conftest import example_document
from tests.e2e.test_cli import _write, custmd
from tests.e2e.test_malformed_documents import row_counts

USCC_17 = "91310000MA1FL4XQ3"
USCC = USCC_17 + uscc.check_character(USCC_17)


def _numbered(number: str, **general: str) -> dict[str, Any]:
    """The example customer under another number (its partners too), the rest the same."""
    doc = example_document()
    doc["KNA1"].update({"KUNNR": number, **general})
    for partner in doc["KNVV"][0]["KNVP"]:
        partner["KUNN2"] = number
    return doc


def _create(db_url: str, path: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return custmd("customer", "create", path, "--db", db_url, *extra)


def test_a_second_dongning_is_a_likely_duplicate(db_url: str, tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    first = _create(db_url, _write(tmp_path, _numbered("2110380001", STCD5=USCC)))
    assert first.returncode == 0, first.stderr
    engine = create_engine(db_url)
    try:
        before = row_counts(engine)
        # Only the name and the address are the same: another number, no credit code.
        second = _write(tmp_path, _numbered("2110380002"), "second.json")
        refused = _create(db_url, second)
        assert refused.returncode == 1
        assert refused.stdout == ""
        assert refused.stderr.splitlines() == [
            "KNA1-NAME1: 可能是重复的客户，找到 1 个相似的客户；"
            "确认不是同一客户时，请加上 --allow-duplicate 重新创建",
            "2110380001\t东宁广告有限公司\t上海\t名称相似",
        ]
        assert row_counts(engine) == before
        english = _create(db_url, second, "--lang", "en")
        assert english.returncode == 1
        assert english.stderr.splitlines()[1] == "2110380001\t东宁广告有限公司\t上海\tSimilar name"

        allowed = _create(db_url, second, "--allow-duplicate")
        assert allowed.returncode == 0, allowed.stderr
        assert allowed.stdout.startswith("客户 2110380002 已在公司代码 F011")

        # The same credit code is an error, not a question: the flag does not let it pass.
        third = _write(tmp_path, _numbered("2110380003", STCD5=USCC.lower()), "third.json")
        before = row_counts(engine)
        for extra in ((), ("--allow-duplicate",)):
            taken = _create(db_url, third, *extra)
            assert taken.returncode == 1, extra
            assert taken.stderr.splitlines() == [
                f"KNA1-STCD5: 统一社会信用代码 {USCC} 已被客户 2110380001（东宁广告有限公司）使用"
            ], extra
        assert row_counts(engine) == before
    finally:
        engine.dispose()


def test_a_different_customer_is_no_duplicate(db_url: str, tmp_path: Path) -> None:
    assert _create(db_url, _write(tmp_path, example_document())).returncode == 0
    other = _numbered(
        "2110380002",
        NAME1="华信电子有限公司",
        NAME2="",
        NAME3="华信电子有限公司",
        SORTL="华信电子",
        STRAS="北京市朝阳区建国路88号",
        ORT01="北京",
        REGIO="010",
        PSTLZ="100020",
    )
    created = _create(db_url, _write(tmp_path, other, "other.json"))
    assert created.returncode == 0, created.stderr


def test_show_into_a_closed_pipe_prints_no_traceback(db_url: str, tmp_path: Path) -> None:
    # Enough bank details that `show` writes more than a pipe holds (64 KiB): `head` has
    # gone by the time most of it is written.
    doc = example_document()
    doc["KNBK"] = [
        {"BANKS": "CN", "BANKL": "F011", "BANKN": f"{i:07d}", "KOINH": "中国工商银行上海市长宁支行"}
        for i in range(700)
    ]
    created = _create(db_url, _write(tmp_path, doc))
    assert created.returncode == 0, created.stderr
    shown = custmd("customer", "show", "2110380001", "--db", db_url)
    assert len(shown.stdout.encode()) > 100_000
    command = shlex.join([sys.executable, "-m", "custmd_gui", "customer", "show", "2110380001"])
    piped = subprocess.run(
        f"{command} --db {shlex.quote(db_url)} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CUSTMD_LANG": "zh"},
    )
    assert piped.returncode == 0
    assert piped.stdout.splitlines() == [shown.stdout.splitlines()[0]]
    assert "KNA1-KUNNR" in piped.stdout
    assert piped.stderr == ""


def test_an_unexpected_error_is_a_message_and_a_log_entry(tmp_path: Path) -> None:
    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_text("这不是数据库\n", encoding="utf-8")
    result = custmd("customer", "show", "2110380001", "--db", f"sqlite:///{not_a_database}")
    assert result.returncode == 3
    assert "Traceback" not in result.stdout + result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("数据库错误：") and "file is not a database" in line
    log = tmp_path / "state" / "custmd" / "log" / "custmd.log"  # XDG_STATE_HOME of the tests
    assert str(log) in line
    logged = log.read_text(encoding="utf-8")
    assert "unexpected error in custmd customer show 2110380001" in logged
    assert "Traceback (most recent call last)" in logged


def test_the_document_of_show_creates_the_customer_again(db_url: str, tmp_path: Path) -> None:
    """What `show --format json` writes (and the deletion archives), `create` reads."""
    assert _create(db_url, _write(tmp_path, example_document())).returncode == 0
    shown = custmd("customer", "show", "2110380001", "--format", "json", "--db", db_url)
    doc = json.loads(shown.stdout)
    doc["KNA1"]["KUNNR"] = "2110380009"
    for partner in doc["KNVV"][0]["KNVP"]:
        partner["KUNN2"] = "2110380009"
    again = _create(db_url, _write(tmp_path, doc, "again.json"), "--allow-duplicate")
    assert again.returncode == 0, again.stderr
