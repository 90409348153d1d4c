"""Offline laptops (issue 19): the server's change feed and applied operations, a replica's
own tables (its metadata, number blocks, outbox and conflicts).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    Integer,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from custmd_gui.persistence.tables.base import Base, char_column, flag_column, id_column

#
# On both databases (one schema everywhere); the server uses change_feed and offline_op, a
# replica (services.offline_checkout) the replica_* tables, the outbox and the conflicts.


class ChangeFeed(Base):
    """The server's change feed: one row per customer whose general-data row (whose version
    every change raises) was inserted, updated or deleted, with the transaction that did it
    last. On PostgreSQL a trigger of kna1 keeps it (migration 0019); xid holds the 64-bit
    transaction id (xid8) that a pull compares with its snapshot (services.offline_sync).
    No foreign key: the row outlives a customer deleted physically, so the replicas learn it."""

    __tablename__ = "change_feed"

    kunnr: Mapped[str] = mapped_column(String(10), primary_key=True)
    xid: Mapped[int] = mapped_column(BigInteger, nullable=False, index=True)
    deleted: Mapped[bool] = flag_column()


class OfflineOperation(Base):
    """An offline operation the server applied: written in the same transaction as the change
    it made, so that a push repeated after a lost answer finds it and applies nothing twice.
    result is the JSON of what the push answered (the fields left as conflicts)."""

    __tablename__ = "offline_op"

    op_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    device: Mapped[str] = mapped_column(String(64), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    kunnr: Mapped[str] = mapped_column(String(10), nullable=False)
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    result: Mapped[str] = mapped_column(Text, nullable=False, default="{}")


class ReplicaMeta(Base):
    """A replica's facts: server URL (without password), device id, user, sync position."""

    __tablename__ = "replica_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class ReplicaNumberBlock(Base):
    """A block of internal numbers the server reserved for this replica (nr_block on the
    server), and the last one used here."""

    __tablename__ = "replica_block"

    id: Mapped[uuid.UUID] = id_column()
    nrrangenr: Mapped[str] = mapped_column(String(2), nullable=False, index=True)
    first_number: Mapped[int] = mapped_column(BigInteger, nullable=False)
    last_number: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # Last number drawn from the block; first_number - 1 before the first.
    level: Mapped[int] = mapped_column(BigInteger, nullable=False)


class OutboxRow(Base):
    """One change made offline, waiting for the server: written in the transaction of the
    change itself, deleted once the server confirmed it. fields is JSON: a list of
    [table, key, field, indicator, base, new] as the change document's items."""

    __tablename__ = "outbox"

    op_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False, unique=True)
    device: Mapped[str] = mapped_column(String(64), nullable=False)
    kunnr: Mapped[str] = mapped_column(String(10), nullable=False, index=True)
    activity: Mapped[str] = mapped_column(String(10), nullable=False)  # create or change
    tcode: Mapped[str] = mapped_column(String(20), nullable=False)
    segments: Mapped[str] = mapped_column(Text, nullable=False)  # the segment keys touched
    fields: Mapped[str] = mapped_column(Text, nullable=False)
    base_version: Mapped[int] = mapped_column(Integer, nullable=False)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class OfflineConflict(Base):
    """A field (or a whole operation) the server did not take: base, mine and theirs, until
    the user resolves it (services.offline_conflicts)."""

    __tablename__ = "offline_conflict"

    id: Mapped[uuid.UUID] = id_column()
    op_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    kunnr: Mapped[str] = mapped_column(String(10), nullable=False, index=True)
    # field: both sides changed it; status: blocked, flagged or deleted on the server;
    # create: an offline create the server refused (number, USCC, duplicate)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    tabname: Mapped[str] = char_column(10)
    tabkey: Mapped[str] = char_column(70)
    fname: Mapped[str] = char_column(10)
    base: Mapped[str | None] = mapped_column(Text)
    mine: Mapped[str | None] = mapped_column(Text)
    theirs: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
