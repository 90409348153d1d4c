"""The customer list without a search: one page at a time by keyset (never all rows), and the
row it shows (services.search finds the rows of a search)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, select

from custmd_gui.domain.list_row import CustomerListRow, is_blocked
from custmd_gui.persistence.tables import Kna1
from custmd_gui.persistence.unit_of_work import UnitOfWork

__all__ = ["CustomerListRow", "list_page"]

if TYPE_CHECKING:  # the list shows before the catalog (YAML) is loaded
    from custmd_gui.domain.authorization import Authorizations


def _rows(uow: UnitOfWork, condition: ColumnElement[bool], limit: int) -> list[CustomerListRow]:
    stmt = (
        select(
            Kna1.kunnr,
            Kna1.name1,
            Kna1.sortl,
            Kna1.ort01,
            Kna1.ktokd,
            Kna1.telf1,
            Kna1.aufsd,
            Kna1.lifsd,
            Kna1.faksd,
            Kna1.sperr,
            Kna1.loevm,
        )
        .where(condition)
        .order_by(Kna1.kunnr)
        .limit(limit)
    )
    return [
        CustomerListRow(
            r.kunnr,
            r.name1,
            r.sortl,
            r.ort01,
            r.ktokd,
            r.telf1,
            is_blocked(r.aufsd, r.lifsd, r.faksd, bool(r.sperr)),
            bool(r.loevm),
        )
        for r in uow.session.execute(stmt)
    ]


def list_page(
    uow: UnitOfWork, after: str = "", limit: int = 200, *, rights: Authorizations | None = None
) -> list[CustomerListRow]:
    """Up to `limit` customers with numbers greater than `after`, in number order; with
    `rights` only those the user may see (display; KNA1-BEGRU held or empty)."""
    condition: ColumnElement[bool] = Kna1.kunnr > after
    if rights is not None:
        from custmd_gui.domain.authorization import Permission

        rights.require(Permission.DISPLAY)
        if rights.auth_groups is not None:
            condition = and_(condition, Kna1.begru.in_(sorted(rights.auth_groups | {""})))
    return _rows(uow, condition, limit)
