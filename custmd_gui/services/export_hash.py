"""A fingerprint of a database's customers: two databases with the same export hash hold the
same customers, field by field, and the same number of change documents (a backup and its
restore; an export and its re-import).

Every customer in number order as the document `custmd customer show --format json` prints
(domain.sap_document.to_document), as canonical JSON (sorted keys, no whitespace), into one
SHA-256, followed by the counts of change document headers and items. Read in pages of
customer numbers, never all customers at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterator
from typing import Any

from sqlalchemy import func, select

from custmd_gui.domain.authorization import Permission
from custmd_gui.domain.sap_document import to_document
from custmd_gui.persistence.tables import ChangeHeader, ChangeItem, Kna1
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.authorization import authorize
from custmd_gui.services.context import Actor
from custmd_gui.services.ports import UowFactory

PAGE = 500


def customer_documents(uow_factory: UowFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    """(number, document) of every customer in number order, a page per unit of work."""
    after = ""
    while True:
        with uow_factory() as uow:
            numbers = list(
                uow.session.scalars(
                    select(Kna1.kunnr).where(Kna1.kunnr > after).order_by(Kna1.kunnr).limit(PAGE)
                )
            )
            for number in numbers:
                customer = uow.customers.get(number)
                if customer is not None:
                    yield number, to_document(customer)
        if len(numbers) < PAGE:
            return
        after = numbers[-1]


def canonical_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _change_document_counts(uow: UnitOfWork, numbers: Collection[str] | None) -> tuple[int, int]:
    headers = select(func.count()).select_from(ChangeHeader)
    items = select(func.count()).select_from(ChangeItem).join(ChangeHeader)
    if numbers is not None:
        headers = headers.where(ChangeHeader.objectid.in_(list(numbers)))
        items = items.where(ChangeHeader.objectid.in_(list(numbers)))
    return int(uow.session.scalar(headers) or 0), int(uow.session.scalar(items) or 0)


def export_hash(
    uow_factory: UowFactory, actor: Actor, *, only: Collection[str] | None = None
) -> str:
    """The hash of every customer and the change documents' counts (see the module); the
    whole database, so for administrators only. `only`: just these customers (and their
    change documents), e.g. those a backup taken meanwhile holds."""
    authorize(actor, Permission.ADMIN)
    digest = hashlib.sha256()
    customers = 0
    for number, document in customer_documents(uow_factory):
        if only is not None and number not in only:
            continue
        digest.update(number.encode("utf-8") + b"\n")
        digest.update(canonical_json(document).encode("utf-8") + b"\n")
        customers += 1
    with uow_factory() as uow:
        headers, items = _change_document_counts(uow, only)
    digest.update(f"customers={customers};cdhdr={headers};cdpos={items}".encode())
    return digest.hexdigest()
