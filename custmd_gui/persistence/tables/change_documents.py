"""Change documents (SAP CDHDR/CDPOS): a header per change, an item per field."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    DateTime,
    ForeignKey,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from custmd_gui.persistence.tables.base import Base, char_column, id_column


class ChangeHeader(Base):
    """CDHDR: who changed which customer, when, in which activity, on which device."""

    __tablename__ = "cdhdr"

    id: Mapped[uuid.UUID] = id_column()
    objectclas: Mapped[str] = mapped_column(String(15), nullable=False, default="DEBI")
    objectid: Mapped[str] = mapped_column(String(10), nullable=False, index=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    udate: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    tcode: Mapped[str] = mapped_column(String(20), nullable=False)
    activity: Mapped[str] = mapped_column(String(10), nullable=False)
    # Where the change was made: "local", "server" or the id of an offline device.
    origin: Mapped[str] = mapped_column(String(64), nullable=False)
    # Why, in the user's words: required for blocks and deletion flags, the request's reason
    # when a request was activated, XD02's reason (required or optional by customizing).
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    # The maintenance request whose activation wrote this document; "" for a direct change.
    request_number: Mapped[str] = char_column(10)


class ChangeItem(Base):
    """CDPOS: one changed field with its old and new value."""

    __tablename__ = "cdpos"

    id: Mapped[uuid.UUID] = id_column()
    header_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("cdhdr.id", ondelete="CASCADE"), nullable=False, index=True
    )
    tabname: Mapped[str] = mapped_column(String(10), nullable=False)
    tabkey: Mapped[str] = mapped_column(String(70), nullable=False)
    fname: Mapped[str] = mapped_column(String(10), nullable=False)
    chngind: Mapped[str] = mapped_column(String(1), nullable=False)  # I insert, U update, D delete
    value_old: Mapped[str | None] = mapped_column(Text)
    value_new: Mapped[str | None] = mapped_column(Text)
