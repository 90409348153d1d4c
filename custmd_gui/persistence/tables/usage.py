"""The usage register: which customers have business, so that they are never deleted."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from custmd_gui.persistence.tables.base import Base, char_column


class UsageRegister(Base):
    """Business use of a customer per org unit as the ERP reports it (document count, last
    document date), filled from extracts by custmd_gui.services.usage; the app cannot see the
    ERP's documents, and a customer with use must not be deleted physically.

    Derived data, like kna1_find and edit_lock: a copy of the ERP's figures that the next
    extract replaces, never edited here and never merged between devices, so no UUID and no
    version counter; its natural key (customer, org unit kind, org unit) is the primary key,
    which is also what an upsert of a newer extract conflicts on. kunnr leads the key, so one
    customer's entries are one index range (the deletion check reads exactly that).

    org_kind is BUKRS (org_unit a company code, F011) or VKORG/VTWEG/SPART (org_unit a sales
    area, F011/10/01, the code of customizing list sales_areas). Deleting a customer cascades:
    only customers without business may be deleted, and their zero-count rows go with them."""

    __tablename__ = "usage_register"
    __table_args__ = (
        CheckConstraint("org_kind IN ('BUKRS', 'VKORG/VTWEG/SPART')", name="org_kind"),
        CheckConstraint("doc_count >= 0", name="doc_count"),
        # Documents have a date; only "no documents" may come without one.
        CheckConstraint("doc_count = 0 OR last_doc_date IS NOT NULL", name="last_doc_date"),
    )

    kunnr: Mapped[str] = mapped_column(
        ForeignKey("kna1.kunnr", ondelete="CASCADE"), primary_key=True
    )
    org_kind: Mapped[str] = mapped_column(String(17), primary_key=True)
    org_unit: Mapped[str] = mapped_column(String(10), primary_key=True)
    doc_count: Mapped[int] = mapped_column(Integer, nullable=False)
    last_doc_date: Mapped[date | None] = mapped_column(Date)
    # Database time (persistence.dbtime), as change documents carry it.
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    imported_by: Mapped[str] = char_column(64)
    # The extract's file name without its folder (a path may name a user's private folders).
    source: Mapped[str] = char_column(255)
