"""Migrations give the same schema on SQLite and PostgreSQL, and `db upgrade` is idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, inspect, select

from custmd_gui.persistence import migrate, tables
from custmd_gui.persistence.engine import make_engine
from custmd_gui.services.customizing import upgrade_database
from tests.conftest import PostgresServer


def _generic(type_: Any) -> str:
    """A column type reduced to what both databases must agree on."""
    name = type(type_).__name__.upper()
    for generic in ("VARCHAR", "STRING"):
        if generic in name:
            return f"STRING({type_.length})"
    if "UUID" in name or (name == "CHAR" and getattr(type_, "length", None) == 32):
        return "UUID"
    if "BOOL" in name:
        return "BOOLEAN"
    if "BIGINT" in name:
        return "BIGINT"
    if "INT" in name:
        return "INTEGER"
    if "TIMESTAMP" in name or "DATETIME" in name:
        return "DATETIME"
    if "DOUBLE" in name:  # Double: DOUBLE on SQLite, DOUBLE PRECISION on PostgreSQL
        return "DOUBLE"
    if name in ("BLOB", "BYTEA"):  # LargeBinary (request attachments)
        return "BINARY"
    return name


def _schema(engine: Engine) -> dict[str, Any]:
    insp = inspect(engine)
    out: dict[str, Any] = {}
    for table in sorted(insp.get_table_names()):
        out[table] = {
            "columns": {
                c["name"]: (_generic(c["type"]), c["nullable"]) for c in insp.get_columns(table)
            },
            "pk": sorted(insp.get_pk_constraint(table)["constrained_columns"]),
            "unique": sorted(
                (u["name"], tuple(u["column_names"])) for u in insp.get_unique_constraints(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in insp.get_indexes(table)
                # PostgreSQL also lists the index behind each unique constraint
                if not i.get("duplicates_constraint")
            ),
            "fks": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"])
                for f in insp.get_foreign_keys(table)
            ),
        }
    return out


def test_same_schema_on_both_databases(tmp_path: Path, postgres: PostgresServer) -> None:
    sqlite = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    migrate.upgrade(sqlite)
    name = postgres.create()
    pg = make_engine(postgres.url(name))
    try:
        migrate.upgrade(pg)
        a, b = _schema(sqlite), _schema(pg)
        assert set(a) == set(b)
        for table in a:
            assert a[table] == b[table], table
        # and the migrations produce exactly the tables the code maps
        assert set(a) - {"alembic_version"} == set(tables.Base.metadata.tables)
    finally:
        pg.dispose()
        postgres.drop(name)
        sqlite.dispose()


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.scalar(select(func.count()).select_from(t)) or 0
            for t in tables.Base.metadata.sorted_tables
        }


def test_upgrade_twice_changes_nothing(engine: Engine) -> None:
    """`engine` is already upgraded once (fixture); a second run adds no row."""
    before = _counts(engine)
    assert before["cust_ktokd"] == 11
    assert upgrade_database(engine) == 0
    assert _counts(engine) == before
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_schema_head_constant_is_the_newest_migration() -> None:
    assert migrate.head_revision() == migrate.SCHEMA_HEAD


def test_local_changes_to_customizing_survive_an_upgrade(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            tables.CodeValueRow.__table__.update()
            .where(tables.CodeValueRow.list_id == "payment_terms")
            .where(tables.CodeValueRow.code == "0001")
            .values(text_zh="立即付款(本公司)")
        )
    upgrade_database(engine)
    with engine.connect() as conn:
        text_zh = conn.scalar(
            select(tables.CodeValueRow.text_zh)
            .where(tables.CodeValueRow.list_id == "payment_terms")
            .where(tables.CodeValueRow.code == "0001")
        )
    assert text_zh == "立即付款(本公司)"


def test_autogenerate_finds_no_difference(engine: Engine) -> None:
    """The migrations build exactly what persistence/tables maps, on each backend (a migration that
    forgot an index or a table persistence/tables gained shows up here)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, tables.Base.metadata) == []
