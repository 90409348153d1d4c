"""`custmd request ...` as a script runs the documents' flow: an assistant files and, once
returned, corrects and resubmits; the head office approves and activates the general data; the
F011 company-code maintainer and another assistant complete the children; `customer changes`
names the request. Users with passwords, as on a local database with logins (SQLite)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import example_document
from tests.e2e.test_cli import _write, custmd

PW = "Pass-word-2024"
USERS = {
    "wang": ["--role", "assistant", "--company-code", "F011", "--sales-area", "F011/*/*"],
    "li": ["--role", "assistant", "--company-code", "F011", "--sales-area", "F011/*/*"],
    "zhao": ["--role", "general_maintainer", "--company-code", "*", "--sales-area", "*/*/*"],
    "chen": ["--role", "cc_maintainer", "--company-code", "F011", "--sales-area", "*/*/*"],
}  # fmt: skip


def _as(user: str) -> dict[str, str]:
    return {"CUSTMD_USER": user, "CUSTMD_PASSWORD": PW}


def _ok(*args: str, user: str, db: str) -> str:
    done = custmd("request", *args, "--db", db, env=_as(user))
    assert done.returncode == 0, done.stderr
    return done.stdout


def _show(number: str, db: str) -> dict[str, Any]:
    shown: dict[str, Any] = json.loads(_ok("show", number, user="zhao", db=db))
    return shown


def test_the_documents_flow_by_script(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.sqlite'}"
    boot = custmd("db", "upgrade", "--db", db, "--admin-password-env", "PW", env={"PW": PW})
    assert boot.returncode == 0, boot.stderr
    admin = _as("admin")
    for name, options in USERS.items():
        made = custmd(
            "user", "create", name, *options, "--auth-group", "*", "--password-env", "NEWPW",
            "--db", db, env={**admin, "NEWPW": PW},
        )  # fmt: skip
        assert made.returncode == 0, made.stderr

    doc = _write(tmp_path, example_document())
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(b"%PDF-1.4 scan")
    filed = _ok(
        "create", doc, "--reason", "新客户，需开具发票", "--org-unit", "1038", "--submit",
        "--attach", str(licence), user="wang", db=db,
    )  # fmt: skip
    assert filed.strip() == "申请 0000000001：已提交"
    number = "0000000001"
    inbox = _ok("list", "--inbox", user="zhao", db=db)
    assert inbox.splitlines()[0].split("\t")[:3] == [number, "创建客户", "已提交"]

    no_reason = custmd("request", "return", number, "--db", db, env=_as("zhao"))
    assert no_reason.returncode == 2 and "--reason" in no_reason.stderr
    _ok("return", number, "--reason", "请填写电话", user="zhao", db=db)
    corrected = example_document()
    corrected["KNA1"]["TELF1"] = "021-62345678"
    _ok("edit", number, "--file", _write(tmp_path, corrected, "c2.json"), user="wang", db=db)
    _ok("resubmit", number, user="wang", db=db)
    own = custmd("request", "approve", number, "--db", db, env=_as("wang"))
    assert own.returncode == 1 and "没有权限" in own.stderr  # an assistant reviews no general data
    _ok("approve", number, user="zhao", db=db)
    assert _ok("activate", number, user="zhao", db=db).strip() == f"申请 {number}：已生效"

    shown = _show(number, db)
    assert shown["STATUS"] == "activated" and shown["KUNNR"] == "2110380001"
    assert (shown["REQUESTER"], shown["ORG_UNIT"]) == ("wang", "1038")
    assert [s["ACTION"] for s in shown["STEPS"]] == [
        "create", "attach", "submit", "return", "edit", "resubmit", "approve", "activate",
    ]  # fmt: skip
    assert shown["STEPS"][3]["COMMENT"] == "请填写电话"
    assert [a["NAME"] for a in shown["ATTACHMENTS"]] == ["营业执照.pdf"]

    children = json.loads(_ok("list", "--parent", number, "--format", "json", user="zhao", db=db))
    cc, sa = (c["NUMBER"] for c in children)
    assert [c["TYPE"] for c in children] == ["extend_company_code", "extend_sales_area"]
    assert _ok("list", "--inbox", user="chen", db=db).split("\t")[0] == cc
    _ok("approve", cc, user="chen", db=db)
    _ok("activate", cc, user="chen", db=db)
    self_approval = custmd("request", "approve", sa, "--db", db, env=_as("wang"))
    assert self_approval.returncode == 1 and "四眼原则" in self_approval.stderr
    _ok("approve", sa, user="li", db=db)
    _ok("activate", sa, user="li", db=db)

    changes = custmd(
        "customer", "changes", "2110380001", "--format", "json", "--db", db, env=_as("zhao")
    )
    assert changes.returncode == 0, changes.stderr
    rows = json.loads(changes.stdout)
    assert {(r["ACTIVITY"], r["REQUEST"]) for r in rows} == {
        ("create", number),
        ("extend", cc),
        ("extend", sa),
    }
    assert {r["COMMENT"] for r in rows} == {"新客户，需开具发票"}
    text = custmd("customer", "changes", "2110380001", "--db", db, env=_as("zhao"))
    assert all(line.split("\t")[-2:][1] in (number, cc, sa) for line in text.stdout.splitlines())
