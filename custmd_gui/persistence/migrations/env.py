"""Alembic environment: runs on the connection custmd hands over (see persistence.migrate)."""

from __future__ import annotations

from alembic import context

from custmd_gui.persistence.tables import Base

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
