"""The tables' common base: the naming convention and the column helpers.

Columns carry SAP's field names in lower case so a consultant recognises them; every row has
a UUID so that rows made on an offline laptop can later be merged without key clashes.
"""

from __future__ import annotations

import uuid

from sqlalchemy import (
    Boolean,
    MetaData,
    String,
    Uuid,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints make migrations reproducible and batch-alterable on SQLite.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def id_column() -> Mapped[uuid.UUID]:
    return mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


def char_column(length: int) -> Mapped[str]:
    return mapped_column(String(length), nullable=False, default="", server_default="")


def flag_column() -> Mapped[bool]:
    return mapped_column(Boolean, nullable=False, default=False, server_default=false())
