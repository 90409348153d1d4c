"""`custmd customizing export|import` as a script uses it (issue 21), on both databases."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import example_document
from tests.e2e.test_cli import _write, custmd


def test_export_edit_preview_import(db_url: str, tmp_path: Path) -> None:
    created = custmd("customer", "create", _write(tmp_path, example_document()), "--db", db_url)
    assert created.returncode == 0, created.stderr
    file = tmp_path / "terms.yaml"
    exported = custmd(
        "customizing", "export", str(file), "--list", "payment_terms", "--no-structure",
        "--db", db_url,
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    doc = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert set(doc["lists"]) == {"payment_terms"}

    unchanged = custmd("customizing", "import", str(file), "--dry-run", "--db", db_url)
    assert unchanged.returncode == 0, unchanged.stderr
    assert unchanged.stdout.strip() == "新增 0，更改 0，删除 0（预览，未写入）"

    doc["lists"]["payment_terms"]["values"].append({"code": "Z055", "zh": "55天", "en": "55 d"})
    file.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    preview = custmd("customizing", "import", str(file), "--dry-run", "--db", db_url)
    assert "I cust_value payment_terms:Z055  55天" in preview.stdout
    imported = custmd("customizing", "import", str(file), "--db", db_url)
    assert imported.returncode == 0, imported.stderr
    assert "新增 1，更改 0，删除 0（已导入）" in imported.stdout
    again = custmd("customizing", "export", str(tmp_path / "again.yaml"), "--db", db_url)
    assert "Z055" in (tmp_path / "again.yaml").read_text(encoding="utf-8"), again.stderr

    # Dropping the term the customer holds is refused, naming the customer; nothing changes.
    doc["lists"]["payment_terms"]["values"] = [
        v for v in doc["lists"]["payment_terms"]["values"] if v["code"] != "0001"
    ]
    file.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    refused = custmd("customizing", "import", str(file), "--db", db_url)
    assert refused.returncode == 1
    assert "0001" in refused.stderr and "1 个客户" in refused.stderr
    assert "2110380001" in refused.stderr and "Traceback" not in refused.stderr

    broken = tmp_path / "broken.yaml"
    broken.write_text("lists: [", encoding="utf-8")
    bad = custmd("customizing", "import", str(broken), "--db", db_url)
    assert bad.returncode == 1 and "YAML" in bad.stderr and "Traceback" not in bad.stderr
