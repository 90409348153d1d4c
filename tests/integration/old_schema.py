"""Writing rows into a database migrated to an older revision: the model's tables have columns
that later migrations add, so a test inserts through a table of the columns present only."""

from __future__ import annotations

from sqlalchemy import Column, Connection, MetaData, Table, inspect


def as_stored(conn: Connection, model: Table) -> Table:
    """`model` (a table of persistence.tables) with only the columns the database has now,
    keeping the model's column types (a UUID key binds as the model binds it)."""
    there = {c["name"] for c in inspect(conn).get_columns(model.name)}
    return Table(
        model.name, MetaData(), *(Column(c.name, c.type) for c in model.c if c.name in there)
    )
