"""Maintenance requests, their steps and attachments (tables of migration 0017): plain reads and
writes; the status machine, routing and four eyes are domain.requests and services.requests."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from custmd_gui.domain.model import Customer
from custmd_gui.domain.requests import (
    NUMBER_LENGTH,
    Action,
    AttachmentInfo,
    Request,
    RequestStatus,
    RequestType,
    Step,
)
from custmd_gui.domain.sap_document import from_document, to_document
from custmd_gui.persistence.dbtime import as_utc
from custmd_gui.persistence.tables import MaintenanceRequest, RequestAttachment, RequestStep


@dataclass(frozen=True, slots=True)
class NewRequest:
    """What filing a request stores (the number and times are the repository's)."""

    type: RequestType
    status: RequestStatus
    requester: str
    org_unit: str
    reason: str
    document: Customer
    customer: str = ""
    parent: str | None = None
    company_code: str = ""
    sales_area: str = ""
    base_version: int = 0
    last_editor: str = ""


def _json(customer: Customer) -> str:
    return json.dumps(to_document(customer), ensure_ascii=False, sort_keys=True)


class RequestRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _next_number(self) -> str:
        if self.session.get_bind().dialect.name == "postgresql":
            # Over every request, also those row-level security hides, queued on a lock
            # (migration 0017); SQLite writes one transaction at a time anyway.
            return str(self.session.scalar(text("SELECT custmd_next_request_number()")))
        highest = self.session.scalar(select(func.max(MaintenanceRequest.number)))
        return str(int(highest or 0) + 1).zfill(NUMBER_LENGTH)

    def add(self, new: NewRequest, now: datetime) -> str:
        number = self._next_number()
        self.session.add(
            MaintenanceRequest(
                number=number,
                type=new.type.value,
                status=new.status.value,
                parent=new.parent,
                kunnr=new.customer,
                bukrs=new.company_code,
                sales_area=new.sales_area,
                begru=new.document.general.authorization_group,
                requester=new.requester,
                org_unit=new.org_unit,
                reason=new.reason,
                document=_json(new.document),
                base_version=new.base_version,
                created_at=now,
                changed_at=now,
                last_editor=new.last_editor or new.requester,
            )
        )
        self.session.flush()
        return number

    def _row(self, number: str, *, for_update: bool = False) -> MaintenanceRequest | None:
        stmt = select(MaintenanceRequest).where(MaintenanceRequest.number == number)
        if for_update:
            stmt = stmt.with_for_update()
        return self.session.scalars(stmt).one_or_none()

    def get(self, number: str, *, for_update: bool = False) -> Request | None:
        row = self._row(number, for_update=for_update)
        if row is None:
            return None
        return self._request(row, self.steps(number), self.attachments(number))

    def update(
        self,
        number: str,
        now: datetime,
        *,
        status: RequestStatus | None = None,
        document: Customer | None = None,
        reason: str | None = None,
        editor: str | None = None,
        customer: str | None = None,
        base_version: int | None = None,
    ) -> None:
        """Change a request's status and/or proposed data; `editor` becomes its last editor."""
        row = self._row(number)
        assert row is not None
        if status is not None:
            row.status = status.value
        if document is not None:
            row.document = _json(document)
            row.begru = document.general.authorization_group
        if reason is not None:
            row.reason = reason
        if editor is not None:
            row.last_editor = editor
        if customer is not None:
            row.kunnr = customer
        if base_version is not None:
            row.base_version = base_version
        row.changed_at = now
        row.version += 1
        self.session.flush()

    def add_step(
        self,
        number: str,
        now: datetime,
        actor: str,
        action: Action,
        from_status: RequestStatus | None,
        to_status: RequestStatus,
        comment: str = "",
    ) -> None:
        seq = self.session.scalar(
            select(func.coalesce(func.max(RequestStep.seq), 0)).where(
                RequestStep.request_number == number
            )
        )
        self.session.add(
            RequestStep(
                request_number=number,
                seq=int(seq or 0) + 1,
                at=now,
                actor=actor,
                action=action.value,
                from_status=from_status.value if from_status else "",
                to_status=to_status.value,
                comment=comment,
            )
        )
        self.session.flush()

    def steps(self, number: str) -> list[Step]:
        rows = self.session.scalars(
            select(RequestStep)
            .where(RequestStep.request_number == number)
            .order_by(RequestStep.seq)
        )
        return [
            Step(
                r.seq,
                as_utc(r.at),
                r.actor,
                Action(r.action),
                RequestStatus(r.from_status) if r.from_status else None,
                RequestStatus(r.to_status),
                r.comment,
            )
            for r in rows
        ]

    def add_attachment(
        self, number: str, name: str, mime: str, content: bytes, user: str, now: datetime
    ) -> str:
        row = RequestAttachment(
            request_number=number,
            name=name,
            mime=mime,
            size=len(content),
            content=content,
            added_by=user,
            added_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return str(row.id)

    def remove_attachment(self, number: str, attachment_id: str) -> None:
        self.session.execute(
            delete(RequestAttachment).where(
                RequestAttachment.request_number == number,
                RequestAttachment.id == uuid.UUID(attachment_id),
            )
        )

    def attachments(self, number: str) -> list[AttachmentInfo]:
        rows = self.session.execute(
            select(
                RequestAttachment.id,
                RequestAttachment.name,
                RequestAttachment.mime,
                RequestAttachment.size,
                RequestAttachment.added_by,
                RequestAttachment.added_at,
            )
            .where(RequestAttachment.request_number == number)
            .order_by(RequestAttachment.added_at, RequestAttachment.name)
        ).all()
        return [
            AttachmentInfo(str(i), name, mime, size, by, as_utc(at))
            for i, name, mime, size, by, at in rows
        ]

    def attachment_content(self, number: str, attachment_id: str) -> tuple[str, bytes] | None:
        try:
            key = uuid.UUID(attachment_id)
        except ValueError:
            return None
        row = self.session.execute(
            select(RequestAttachment.name, RequestAttachment.content).where(
                RequestAttachment.request_number == number, RequestAttachment.id == key
            )
        ).one_or_none()
        return (row[0], bytes(row[1])) if row else None

    def numbers(
        self,
        *,
        statuses: Iterable[RequestStatus] | None = None,
        requester: str | None = None,
        parent: str | None = None,
    ) -> list[str]:
        stmt = select(MaintenanceRequest.number).order_by(MaintenanceRequest.number)
        if statuses is not None:
            stmt = stmt.where(MaintenanceRequest.status.in_([s.value for s in statuses]))
        if requester is not None:
            stmt = stmt.where(MaintenanceRequest.requester == requester)
        if parent is not None:
            stmt = stmt.where(MaintenanceRequest.parent == parent)
        return list(self.session.scalars(stmt))

    def many(self, numbers: Iterable[str]) -> list[Request]:
        """The requests without their steps and attachments (lists)."""
        wanted = list(numbers)
        if not wanted:
            return []
        rows = self.session.scalars(
            select(MaintenanceRequest)
            .where(MaintenanceRequest.number.in_(wanted))
            .order_by(MaintenanceRequest.number)
        )
        return [self._request(r, [], []) for r in rows]

    @staticmethod
    def _request(
        row: MaintenanceRequest, steps: list[Step], attachments: list[AttachmentInfo]
    ) -> Request:
        return Request(
            number=row.number,
            type=RequestType(row.type),
            status=RequestStatus(row.status),
            requester=row.requester,
            org_unit=row.org_unit,
            reason=row.reason,
            document=from_document(json.loads(row.document)),
            created_at=as_utc(row.created_at),
            changed_at=as_utc(row.changed_at),
            last_editor=row.last_editor,
            customer=row.kunnr,
            parent=row.parent or "",
            company_code=row.bukrs,
            sales_area=row.sales_area,
            base_version=row.base_version,
            version=row.version,
            steps=tuple(steps),
            attachments=tuple(attachments),
        )
