"""The customers an export holds: those the acting user sees (KNA1-BEGRU held, as in the
customer list), matching the list's search and filters, in customer-number order, read a page
of customers per unit of work so that an export of a million customers never holds more than
a page of them (services.search pages by keyset)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time

from sqlalchemy import select

from custmd_gui.domain.model import Customer
from custmd_gui.persistence.tables import ChangeHeader
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.context import Actor
from custmd_gui.services.listing import CustomerListRow
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.search import CustomerQuery, search

PAGE = 500


def list_pages(
    uow_factory: UowFactory, actor: Actor, query: CustomerQuery, page: int = PAGE
) -> Iterator[list[CustomerListRow]]:
    """The list rows of every customer the search finds for `actor`, a page at a time
    (Forbidden without `display`)."""
    after = ""
    while True:
        with uow_factory() as uow:
            found = search(uow, query, after, page, rights=actor.rights)
        if found.rows:
            yield found.rows
        if not found.more:
            return
        after = found.next_after


def _changed_among(uow: UnitOfWork, numbers: Sequence[str], since: datetime) -> set[str]:
    """Which of these customers have a change document from `since` on (CDHDR-UDATE;
    SQLite keeps timestamps as UTC text without an offset: compared in UTC)."""
    stmt = select(ChangeHeader.objectid).where(
        ChangeHeader.objectid.in_(list(numbers)),
        ChangeHeader.udate >= since.astimezone(UTC),
    )
    return set(uow.session.scalars(stmt.distinct()))


def day_start(day: date) -> datetime:
    """The start of `day` in local time, as the change documents' date filters read dates."""
    return datetime.combine(day, time.min).astimezone()


def customers(
    uow_factory: UowFactory,
    actor: Actor,
    query: CustomerQuery | None = None,
    *,
    changed_since: datetime | None = None,
    page: int = PAGE,
) -> Iterator[Customer]:
    """Every customer the search `query` (None: all) finds for `actor`, whole, in number
    order; with `changed_since` only those with a change document from then on."""
    for rows in list_pages(uow_factory, actor, query or CustomerQuery(), page):
        numbers = [r.number for r in rows]
        with uow_factory() as uow:
            if changed_since is not None:
                changed = _changed_among(uow, numbers, changed_since)
                numbers = [n for n in numbers if n in changed]
            loaded = uow.customers.get_page(numbers)
        yield from loaded
