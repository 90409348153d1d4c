"""Maintenance requests (issue 18): the requests, their steps and attachments."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Double,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, Unmapped, mapped_column, unmapped_column

from custmd_gui.persistence.tables.base import Base, char_column, id_column


class MaintenanceRequest(Base):
    """A maintenance request (客户主数据维护申请): the proposed customer as a SAP-shaped JSON
    document, its status and routing keys. Its history is request_steps."""

    __tablename__ = "requests"

    number: Mapped[str] = mapped_column(String(10), primary_key=True)
    type: Mapped[str] = mapped_column(String(24), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    parent: Mapped[str | None] = mapped_column(ForeignKey("requests.number"), index=True)
    kunnr: Mapped[str] = char_column(10)  # the customer, once it has a number
    bukrs: Mapped[str] = char_column(4)  # a company-code request's company code
    sales_area: Mapped[str] = char_column(14)  # a sales-area request's VKORG/VTWEG/SPART
    # The proposed general data's authorization group (KNA1-BEGRU): PostgreSQL shows a
    # request, as a customer, only to who holds it (and to its requester).
    begru: Mapped[str] = char_column(4)
    requester: Mapped[str] = mapped_column(String(64), nullable=False)
    org_unit: Mapped[str] = char_column(20)  # the requester's department when he filed it
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    document: Mapped[str] = mapped_column(Text, nullable=False)  # JSON as `customer show`
    base_version: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default="0"
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_editor: Mapped[str] = mapped_column(String(64), nullable=False)
    # Raised by every update: a client can tell that the request moved on since it read it.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    # What the KPIs read of its steps (migration 0021): the first submit and review, the last
    # approve, activate and edit, as seconds since the epoch (UTC), and the number of returns.
    # Kept by triggers of request_steps in the database. Not mapped (read through the table's
    # columns): the ORM would write them in every INSERT, which PostgreSQL refuses to a role
    # (they are the steps', not the client's).
    kpi_submitted: Unmapped[float | None] = unmapped_column(Double, index=True)
    kpi_reviewed: Unmapped[float | None] = unmapped_column(Double)
    kpi_approved: Unmapped[float | None] = unmapped_column(Double, index=True)
    kpi_activated: Unmapped[float | None] = unmapped_column(Double, index=True)
    kpi_edited: Unmapped[float | None] = unmapped_column(Double)
    kpi_returns: Unmapped[int] = unmapped_column(Integer, nullable=False, server_default="0")


class RequestStep(Base):
    """One step of a request's history: time, actor, action, statuses, comment."""

    __tablename__ = "request_steps"

    id: Mapped[uuid.UUID] = id_column()
    request_number: Mapped[str] = mapped_column(
        ForeignKey("requests.number", ondelete="CASCADE"), nullable=False, index=True
    )
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    actor: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    from_status: Mapped[str] = char_column(16)
    to_status: Mapped[str] = mapped_column(String(16), nullable=False)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")

    __table_args__ = (UniqueConstraint("request_number", "seq"),)


class RequestAttachment(Base):
    """A file attached to a request (a scan of the business licence), kept in the database;
    its size is limited by the services (domain.requests.MAX_ATTACHMENT_BYTES) and here."""

    __tablename__ = "request_attachments"

    id: Mapped[uuid.UUID] = id_column()
    request_number: Mapped[str] = mapped_column(
        ForeignKey("requests.number", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    mime: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    added_by: Mapped[str] = mapped_column(String(64), nullable=False)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (CheckConstraint("size > 0 AND size <= 5242880", name="size_limit"),)
