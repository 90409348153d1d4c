"""Number ranges (SAP NRIV) and the blocks of numbers reserved for offline devices."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from custmd_gui.persistence.tables.base import Base, char_column, id_column


class NumberRangeRow(Base):
    """NRIV: interval, kind and current level of a number range."""

    __tablename__ = "nriv"

    id: Mapped[uuid.UUID] = id_column()
    nrrangenr: Mapped[str] = mapped_column(String(2), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    fromnumber: Mapped[str] = mapped_column(String(10), nullable=False)
    tonumber: Mapped[str] = mapped_column(String(10), nullable=False)
    rule: Mapped[str] = char_column(10)
    text_zh: Mapped[str] = char_column(60)
    text_en: Mapped[str] = char_column(60)
    # Last number handed out (internal ranges); fromnumber - 1 before the first.
    nrlevel: Mapped[int] = mapped_column(BigInteger, nullable=False)


class NumberBlock(Base):
    """A block of internal numbers handed to one device (an offline laptop) to use alone."""

    __tablename__ = "nr_block"

    id: Mapped[uuid.UUID] = id_column()
    nrrangenr: Mapped[str] = mapped_column(ForeignKey("nriv.nrrangenr"), nullable=False, index=True)
    device: Mapped[str] = mapped_column(String(64), nullable=False)
    first_number: Mapped[int] = mapped_column(BigInteger, nullable=False)
    last_number: Mapped[int] = mapped_column(BigInteger, nullable=False)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # The user the block was handed to (on PostgreSQL the signed-in role, set by the server).
    issued_to: Mapped[str] = char_column(64)
