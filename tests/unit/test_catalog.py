"""The field catalog: complete, consistent with the model and the tables, strict loader."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import BaseModel

from custmd_gui.catalog import CatalogError, catalog, load_catalog
from custmd_gui.catalog.loader import CATALOG_DIR
from custmd_gui.domain import model
from custmd_gui.persistence import tables

# Every field of the field reference (shared/reference/FIELDS.md), once.
REFERENCE_KEYS = {
    "KNA1-KTOKD",
    "KNA1-KUNNR",
    "KNB1-BUKRS",
    "KNVV-VKORG",
    "KNVV-VTWEG",
    "KNVV-SPART",
    "KNA1-ANRED",
    "KNA1-NAME1",
    "KNA1-NAME2",
    "KNA1-NAME3",
    "KNA1-NAME4",
    "KNA1-SORTL",
    "KNA1-STRAS",
    "KNA1-PSTLZ",
    "KNA1-ORT01",
    "KNA1-LAND1",
    "KNA1-REGIO",
    "KNA1-SPRAS",
    "KNA1-TELF1",
    "KNA1-TELFX",
    "KNA1-BEGRU",
    "KNA1-BRSCH",
    "KNA1-STCD1",
    "KNA1-STCD5",
    "KNA1-STCEG",
    "KNA1-NIELS",
    "KNA1-GFORM",
    "KNA1-AUFSD",
    "KNA1-LIFSD",
    "KNA1-FAKSD",
    "KNA1-SPERR",
    "KNA1-LOEVM",
    "KNBK-BANKS",
    "KNBK-BANKL",
    "KNBK-BANKN",
    "KNBK-KOINH",
    "KNB1-AKONT",
    "KNB1-ZUAWA",
    "KNB1-BEGRU",
    "KNB1-ZTERM",
    "KNB1-SPERR",
    "KNB1-LOEVM",
    "KNVV-BZIRK",
    "KNVV-VKBUR",
    "KNVV-VKGRP",
    "KNVV-KDGRP",
    "KNVV-BEGRU",
    "KNVV-WAERS",
    "KNVV-KONDA",
    "KNVV-KALKS",
    "KNVV-PLTYP",
    "KNVV-VERSG",
    "KNVV-VSBED",
    "KNVV-VWERK",
    "KNVV-INCO1",
    "KNVV-INCO2",
    "KNVV-ZTERM",
    "KNVV-KTGRD",
    "KNVI-TAXKD",
    "KNVV-AUFSD",
    "KNVV-LIFSD",
    "KNVV-FAKSD",
    "KNVV-LOEVM",
    "KNVP-PARVW",
    "KNVP-KUNN2",
}

MODELS: dict[str, type[BaseModel]] = {
    "KNA1": model.GeneralData,
    "KNBK": model.BankDetail,
    "KNB1": model.CompanyCodeData,
    "KNVV": model.SalesAreaData,
    "KNVI": model.TaxClassification,
    "KNVP": model.PartnerFunction,
}


def test_every_reference_field_is_in_the_catalog() -> None:
    keys = {f.key for f in catalog()}
    assert REFERENCE_KEYS - keys == set()


def test_every_field_has_labels_help_and_a_known_group() -> None:
    cat = catalog()
    for f in cat:
        assert f.label.zh and f.label.en, f.key
        assert len(f.help.zh) >= 4 and len(f.help.en) >= 4, f.key
        assert f.field_group in cat.groups, f.key
        assert f.object_name == f.key.replace("-", "_")


@pytest.mark.parametrize("table", sorted(MODELS))
def test_model_fields_match_the_catalog(table: str) -> None:
    """Python names and SAP aliases of the domain model are exactly the catalog's."""
    fields = {
        name: info.alias
        for name, info in MODELS[table].model_fields.items()
        if info.alias in {f.sap_name for f in catalog().table(table)}
    }
    expected = {f.name: f.sap_name for f in catalog().table(table)}
    assert fields == expected


@pytest.mark.parametrize("table", sorted(MODELS))
def test_table_columns_cover_the_catalog(table: str) -> None:
    columns = set(tables.SEGMENT_TABLES[table].__table__.columns.keys())
    for f in catalog().table(table):
        assert f.column in columns, f.key
        col = tables.SEGMENT_TABLES[table].__table__.columns[f.column]
        if f.type != "FLAG":
            assert col.type.length == f.length, f"{f.key}: column length differs"


def _copy_catalog(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


ENTRY = """
  - key: {key}
    name: {name}
    label: {{zh: 测试, en: Test}}
    type: {type}
    value_type: text
    length: 4
    field_group: address.name
    help: {{zh: 测试字段, en: Test field}}
"""


def test_loader_accepts_the_copy(tmp_path: Path) -> None:
    assert len(load_catalog(_copy_catalog(tmp_path))) == len(catalog())


def test_loader_rejects_unknown_attribute(tmp_path: Path) -> None:
    d = _copy_catalog(tmp_path)
    _append(
        d / "fields" / "KNA1.yaml",
        ENTRY.format(key="KNA1-ZZTST", name="zz_test", type="CHAR") + "    colour: red\n",
    )
    with pytest.raises(CatalogError, match=r"KNA1-ZZTST.*unknown attributes \['colour'\]"):
        load_catalog(d)


def test_loader_rejects_duplicate_key(tmp_path: Path) -> None:
    d = _copy_catalog(tmp_path)
    _append(d / "fields" / "KNA1.yaml", ENTRY.format(key="KNA1-NAME1", name="other", type="CHAR"))
    with pytest.raises(CatalogError, match="KNA1-NAME1: duplicate key"):
        load_catalog(d)


def test_loader_rejects_unknown_type(tmp_path: Path) -> None:
    d = _copy_catalog(tmp_path)
    _append(d / "fields" / "KNA1.yaml", ENTRY.format(key="KNA1-ZZTST", name="zz", type="BLOB"))
    with pytest.raises(CatalogError, match="KNA1-ZZTST: unknown type 'BLOB'"):
        load_catalog(d)


def test_loader_rejects_field_in_wrong_file(tmp_path: Path) -> None:
    d = _copy_catalog(tmp_path)
    _append(d / "fields" / "KNA1.yaml", ENTRY.format(key="KNB1-ZZTST", name="zz", type="CHAR"))
    with pytest.raises(CatalogError, match="KNB1-ZZTST: belongs to KNB1"):
        load_catalog(d)


def test_loader_rejects_unknown_value_type(tmp_path: Path) -> None:
    d = _copy_catalog(tmp_path)
    entry = ENTRY.format(key="KNA1-ZZTST", name="zz", type="CHAR").replace("text", "digits")
    _append(d / "fields" / "KNA1.yaml", entry)
    with pytest.raises(CatalogError, match="KNA1-ZZTST: unknown value_type 'digits'"):
        load_catalog(d)


@pytest.mark.parametrize(
    ("type_", "value_type", "extra", "message"),
    [
        ("CHAR", "flag", "", "value_type flag is not stored as CHAR"),
        ("FLAG", "text", "", "value_type text is not stored as FLAG"),
        ("CHAR", "code", "", "value_type code needs value_help"),
        ("CHAR", "text", "    value_help: countries\n", "value_type text takes no value_help"),
        ("CHAR", "text", "    search: colour\n", "search must be some of"),
        ("CHAR", "text", "    row_status: yes please\n", "row_status must be true or false"),
    ],
)
def test_loader_checks_value_type_and_search(
    tmp_path: Path, type_: str, value_type: str, extra: str, message: str
) -> None:
    d = _copy_catalog(tmp_path)
    entry = ENTRY.format(key="KNA1-ZZTST", name="zz", type=type_)
    entry = entry.replace("value_type: text", f"value_type: {value_type}") + extra
    _append(d / "fields" / "KNA1.yaml", entry)
    with pytest.raises(CatalogError, match=f"KNA1-ZZTST: {message}"):
        load_catalog(d)


def test_loader_rejects_a_column_heading_twice_in_a_table(tmp_path: Path) -> None:
    d = _copy_catalog(tmp_path)
    entry = ENTRY.format(key="KNA1-ZZTST", name="zz", type="CHAR")
    _append(d / "fields" / "KNA1.yaml", entry + "    heading: {zh: 名称, en: Name}\n")
    with pytest.raises(CatalogError, match="KNA1-ZZTST: column heading '名称' also of KNA1-NAME1"):
        load_catalog(d)


def test_every_row_table_names_the_field_that_stands_for_its_rows() -> None:
    # The validator reports a repeated or undefined row on it.
    marked = {f.table for f in catalog() if f.stands_for_row}
    assert marked == set(MODELS) - {"KNA1"}


def test_column_headings() -> None:
    cat = catalog()
    assert cat.field("KNA1-KUNNR").column_heading.zh == "客户编号"
    assert cat.field("KNA1-NAME1").column_heading == cat.field("KNA1-NAME1").label


def test_screens_in_order_with_their_segments() -> None:
    cat = catalog()
    assert [(s.id, s.segment) for s in cat.data_screens()] == [
        ("address", "general"),
        ("control", "general"),
        ("payment", "general"),
        ("marketing", "general"),
        ("account", "company_code"),
        ("cc_payment", "company_code"),
        ("sales", "sales_area"),
        ("shipping", "sales_area"),
        ("billing", "sales_area"),
        ("partner", "sales_area"),
    ]
    assert next(iter(cat.screens)) == "initial" and cat.screens["blocks"].form is None


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("- screen: shipping\n", "- screen: shipment\n", "unknown screen 'shipping'"),
        ("  form: SalesScreen\n", "", "screen sales: a data screen needs its form"),
        ("segment: sales_area", "segment: sales", "screen sales: segment must be one of"),
        ("- screen: blocks\n", "- screen: address\n", "screen address: listed twice"),
    ],
)
def test_loader_checks_the_screens(tmp_path: Path, old: str, new: str, message: str) -> None:
    target = _copy_catalog(tmp_path)
    screens = target / "screens.yaml"
    text = screens.read_text(encoding="utf-8")
    screens.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogError, match=message):
        load_catalog(target)
