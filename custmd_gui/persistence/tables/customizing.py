"""The customizing: code lists, account groups, field status, and its change log and version."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from custmd_gui.persistence.tables.base import Base, char_column, id_column


class CodeListRow(Base):
    __tablename__ = "cust_list"

    id: Mapped[uuid.UUID] = id_column()
    list_id: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    parent_list: Mapped[str] = char_column(40)
    label_zh: Mapped[str] = char_column(60)
    label_en: Mapped[str] = char_column(60)


class CodeValueRow(Base):
    __tablename__ = "cust_value"
    __table_args__ = (UniqueConstraint("list_id", "parent", "code"),)

    id: Mapped[uuid.UUID] = id_column()
    list_id: Mapped[str] = mapped_column(ForeignKey("cust_list.list_id"), nullable=False)
    parent: Mapped[str] = char_column(20)
    code: Mapped[str] = mapped_column(String(20), nullable=False)
    text_zh: Mapped[str] = char_column(80)
    text_en: Mapped[str] = char_column(80)
    attrs: Mapped[str] = mapped_column(Text, nullable=False, default="{}")  # JSON object
    source: Mapped[str] = char_column(10)
    sort: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # A deactivated value is offered nowhere any more; customers that hold it keep it.
    active: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=True, server_default=true()
    )


class AccountGroupRow(Base):
    __tablename__ = "cust_ktokd"

    id: Mapped[uuid.UUID] = id_column()
    ktokd: Mapped[str] = mapped_column(String(4), nullable=False, unique=True)
    text_zh: Mapped[str] = char_column(40)
    text_en: Mapped[str] = char_column(40)
    nrrangenr: Mapped[str] = mapped_column(ForeignKey("nriv.nrrangenr"), nullable=False)
    akont: Mapped[str] = char_column(10)


class FieldStatusRow(Base):
    __tablename__ = "cust_field_status"
    __table_args__ = (UniqueConstraint("ktokd", "field_group", "activity"),)

    id: Mapped[uuid.UUID] = id_column()
    ktokd: Mapped[str] = mapped_column(ForeignKey("cust_ktokd.ktokd"), nullable=False)
    field_group: Mapped[str] = mapped_column(String(40), nullable=False)
    activity: Mapped[str] = mapped_column(String(10), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False)


class CustomizingChange(Base):
    """A change document of the customizing: who changed which field of which row, when, from
    what to what. On PostgreSQL a trigger of the customizing tables writes it (migration 0018),
    whatever the client; on SQLite the maintenance service does."""

    __tablename__ = "cust_change"
    __table_args__ = (Index("ix_cust_change_tabname_tabkey", "tabname", "tabkey"),)

    id: Mapped[uuid.UUID] = id_column()
    changed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, index=True
    )
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    tabname: Mapped[str] = mapped_column(String(30), nullable=False)
    tabkey: Mapped[str] = mapped_column(String(120), nullable=False)
    fname: Mapped[str] = mapped_column(String(30), nullable=False)
    chngind: Mapped[str] = mapped_column(String(1), nullable=False)  # I insert, U update, D delete
    value_old: Mapped[str | None] = mapped_column(Text)
    value_new: Mapped[str | None] = mapped_column(Text)


class CustomizingVersion(Base):
    """One row whose counter every change of the customizing raises (triggers of migration
    0018 on both databases): a client compares it with the version it loaded to know that
    its copy of the customizing is stale."""

    __tablename__ = "cust_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)
