"""Edit locks: who is changing which customer (XD02, XD05, XD06) right now."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    DateTime,
    Integer,
    String,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from custmd_gui.persistence.tables.base import Base, char_column


class EditLock(Base):
    """An edit lock (SAP's enqueue entry, SM12): one row per object being changed, with a lease.

    The holder renews the lease while it edits and deletes the row when it is done; a row whose
    lease has run out may be taken over by anyone, so a crashed client blocks no one for long.
    Its key is the locked object itself: the database refuses a second row, which is what makes
    taking a lock one atomic statement. Locks are not master data and are never merged between
    devices, hence no UUID of their own."""

    __tablename__ = "edit_lock"

    objectclas: Mapped[str] = mapped_column(String(15), primary_key=True)  # DEBI: a customer
    objectid: Mapped[str] = mapped_column(String(10), primary_key=True)
    # Changes with every acquisition; only the holder knows it, renews and releases with it.
    token: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    # Where the holder works: the application session (one per running app), host and process.
    client_session: Mapped[str] = char_column(64)
    host: Mapped[str] = char_column(255)
    pid: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    origin: Mapped[str] = char_column(64)
    # Database time (see persistence.dbtime): every client compares against the same clock.
    acquired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    renewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
