"""`custmd customer block|unblock|flag|unflag` as a script calls them, on both databases."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import example_document
from tests.e2e.test_cli import _write, custmd

NUMBER = "2110380001"


def _show(db_url: str) -> dict[str, object]:
    shown = custmd("customer", "show", NUMBER, "--format", "json", "--db", db_url)
    assert shown.returncode == 0, shown.stderr
    document: dict[str, object] = json.loads(shown.stdout)
    return document


def test_block_one_sales_area_then_unblock_everything(db_url: str, tmp_path: Path) -> None:
    assert (
        custmd(
            "customer", "create", _write(tmp_path, example_document()), "--db", db_url
        ).returncode
        == 0
    )
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
        "--format",
        "json",
        "--db",
        db_url,
    )
    assert blocked.returncode == 0, blocked.stderr
    changed = json.loads(blocked.stdout)["changed"]
    assert [(c["KUNNR"], sorted(i["field"] for i in c["items"])) for c in changed] == [
        (NUMBER, ["LIFSD", "SPERR"])
    ]
    doc = _show(db_url)
    assert doc["KNVV"][0]["LIFSD"] == "05" and doc["KNA1"]["SPERR"] == "X"  # type: ignore[index]
    again = custmd("customer", "block", NUMBER, "--posting", "--comment", "再次", "--db", db_url)
    assert again.returncode == 0 and again.stdout.strip() == "已更改 0 个客户，1 个客户无需更改"
    unblocked = custmd("customer", "unblock", NUMBER, "--comment", "已解决", "--db", db_url)
    assert unblocked.returncode == 0, unblocked.stderr
    doc = _show(db_url)
    assert doc["KNVV"][0]["LIFSD"] == "" and doc["KNA1"]["SPERR"] == ""  # type: ignore[index]


def test_refusals_exit_non_zero_with_the_field_named(db_url: str, tmp_path: Path) -> None:
    assert (
        custmd(
            "customer", "create", _write(tmp_path, example_document()), "--db", db_url
        ).returncode
        == 0
    )
    no_comment = custmd("customer", "flag", NUMBER, "--comment", " ", "--db", db_url)
    assert no_comment.returncode == 1
    assert no_comment.stderr.startswith("CDHDR-COMMENT: 请填写备注")
    bad_reason = custmd(
        "customer", "block", NUMBER, "--order", "77", "--comment", "x", "--db", db_url
    )
    assert bad_reason.returncode == 1
    assert "冻结原因 77 不存在" in bad_reason.stderr
    missing = custmd("customer", "flag", NUMBER, "2110389999", "--comment", "注销", "--db", db_url)
    assert missing.returncode == 1 and "客户 2110389999 不存在" in missing.stderr
    assert _show(db_url)["KNA1"]["LOEVM"] == ""  # type: ignore[index]  # nothing written
    flagged = custmd("customer", "flag", NUMBER, "--comment", "注销", "--db", db_url)
    assert flagged.returncode == 0, flagged.stderr
    assert _show(db_url)["KNA1"]["LOEVM"] == "X"  # type: ignore[index]


def test_delete_refused_with_business_then_archive_created_again(
    db_url: str, tmp_path: Path
) -> None:
    assert (
        custmd(
            "customer", "create", _write(tmp_path, example_document()), "--db", db_url
        ).returncode
        == 0
    )
    archive = tmp_path / "archive"
    unflagged = custmd(
        "customer", "delete", NUMBER, "--comment", "清理", "--archive", str(archive), "--db", db_url
    )
    assert unflagged.returncode == 1 and "没有删除标记" in unflagged.stderr
    assert custmd("customer", "flag", NUMBER, "--comment", "误建", "--db", db_url).returncode == 0
    extract = tmp_path / "usage.csv"
    extract.write_text(
        f"KUNNR,BUKRS,DOC_COUNT,LAST_DOC_DATE\n{NUMBER},F011,3,2024-01-05\n", encoding="utf-8"
    )
    assert custmd("usage", "import", str(extract), "--db", db_url).returncode == 0
    used = custmd(
        "customer", "delete", NUMBER, "--comment", "清理", "--archive", str(archive), "--db", db_url
    )
    assert used.returncode == 1
    assert "公司代码 F011" in used.stderr and "请冻结该客户" in used.stderr
    extract.write_text(f"KUNNR,BUKRS,DOC_COUNT,LAST_DOC_DATE\n{NUMBER},F011,0,\n", encoding="utf-8")
    assert custmd("usage", "import", str(extract), "--db", db_url).returncode == 0
    deleted = custmd(
        "customer", "delete", NUMBER, "--comment", "清理", "--archive", str(archive), "--db", db_url
    )
    assert deleted.returncode == 0, deleted.stderr
    [file] = archive.iterdir()
    assert deleted.stdout.splitlines()[-1] == "已删除并归档 1 个客户"
    assert custmd("customer", "show", NUMBER, "--db", db_url).returncode == 1
    recreated = custmd("customer", "create", str(file), "--db", db_url)
    assert recreated.returncode == 0, recreated.stderr
    assert _show(db_url)["KNA1"]["LOEVM"] == "X"  # type: ignore[index]  # as archived
