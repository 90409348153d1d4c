"""The model's attributes and the tables' columns generated from the catalog are current."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from custmd_gui.catalog import catalog, load_catalog
from custmd_gui.catalog.generate import (
    BEGIN,
    END,
    TARGETS,
    GenerateError,
    render_model,
    render_tables,
)
from custmd_gui.catalog.loader import CATALOG_DIR


@pytest.mark.parametrize("path", list(TARGETS), ids=lambda p: p.name)
def test_generated_code_is_current(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(BEGIN) == text.count(END) == 6, "one block per catalog table"
    assert TARGETS[path](text) == text, (
        f"{path.name} is stale: run python -m custmd_gui.catalog.generate"
    )


def test_a_new_catalog_field_appears_in_both_blocks(tmp_path: Path) -> None:
    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (copy / "fields" / "KNB1.yaml").write_text(
        (CATALOG_DIR / "fields" / "KNB1.yaml").read_text(encoding="utf-8")
        + "  - key: KNB1-XAUSZ\n    name: statement\n    label: {zh: 对账单, en: Statement}\n"
        "    type: FLAG\n    value_type: flag\n    length: 1\n"
        "    field_group: cc_payment.terms\n    help: {zh: 测试字段。, en: A test field.}\n",
        encoding="utf-8",
    )
    cat = load_catalog(copy)
    text = 'class Knb1(Base):\n    __tablename__ = "knb1"\n\n    ' + BEGIN + "\n    " + END + "\n"
    assert "    xausz: Mapped[bool] = flag_column()\n" in render_tables(text, cat)
    model = (
        'class CompanyCodeData(_Segment):\n    SAP_TABLE = "KNB1"\n    ' + BEGIN + "\n    " + END
    )
    assert '    statement: Flag = Field(False, alias="XAUSZ")\n' in render_model(model, cat)


def test_a_column_declared_by_hand_is_left_out() -> None:
    text = (
        'class Knvp(Base):\n    __tablename__ = "knvp"\n    ' + BEGIN + "\n    " + END + "\n"
        "    kunn2: Mapped[str] = mapped_column(String(10), nullable=False, index=True)\n"
    )
    rendered = render_tables(text, catalog())
    assert "kunn2: Mapped[str] = char_column" not in rendered
    assert "    parza: Mapped[str] = char_column(3)\n" in rendered


@pytest.mark.parametrize(
    "text",
    [
        "    " + BEGIN + "\n    " + END,
        "class Kna1(Base):\n    " + BEGIN + "\n    x = 1\n",
        "class Kna1(Base):\n    " + END,
        'class Foo(Base):\n    __tablename__ = "foo"\n    ' + BEGIN + "\n    " + END,
    ],
)
def test_misplaced_markers_are_refused(text: str) -> None:
    with pytest.raises(GenerateError):
        render_tables(text, catalog())
