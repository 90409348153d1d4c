"""The KPIs' reads (services.kpi): one aggregating statement over the request steps, one over
the change documents after each activation and one over the search index, each returning
compact columns (numbers, epoch seconds) rather than objects.

Times come back as seconds since the epoch (UTC; on SQLite through julianday, a double of
days exact to some 50 µs: the services round what they report): the services compute
months and percentiles from those in Python (SQLite has no percentile_cont, and plain floats
are read far faster than SQLite's timestamp text is parsed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Float, and_, case, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from custmd_gui.domain import names
from custmd_gui.persistence.tables import (
    ChangeHeader,
    ChangeItem,
    Kna1Search,
    MaintenanceRequest,
    RequestStep,
)


class epoch(FunctionElement[float]):
    """Seconds since 1970-01-01 UTC of a timestamp column."""

    type = Float()
    name = "epoch"
    inherit_cache = True


@compiles(epoch, "sqlite")
def _epoch_sqlite(element: epoch, compiler: Any, **kw: Any) -> str:
    # SQLAlchemy keeps UTC text (2024-05-01 08:00:00.123000); julianday reads it.
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


@compiles(epoch, "postgresql")
def _epoch_postgresql(element: epoch, compiler: Any, **kw: Any) -> str:
    return f"extract(epoch FROM {compiler.process(element.clauses, **kw)})::float8"


@dataclass(frozen=True, slots=True)
class RequestTimes:
    """One request as the KPIs see it: where it comes from and when its steps were done
    (epoch seconds; None: not done)."""

    number: str
    type: str
    org_unit: str
    company_code: str
    customer: str
    parent: str
    submitted: float | None  # the first submission
    reviewed: float | None  # the first start of review
    approved: float | None  # the last approval
    activated: float | None  # the last activation
    last_edit: float | None  # the last edit (of the data, the reason, or a comment)
    returns: int  # how often it was returned for revision


def _first(action: str) -> ColumnElement[Any]:
    return func.min(case((RequestStep.action == action, epoch(RequestStep.at))))


def _last(action: str) -> ColumnElement[Any]:
    return func.max(case((RequestStep.action == action, epoch(RequestStep.at))))


class KpiReader:
    def __init__(self, session: Session) -> None:
        self.session = session

    def request_times(self, start: datetime, end: datetime) -> list[RequestTimes]:
        """The requests that may have had a step in [start, end): created before its end
        and last changed after its start (each step changes the request)."""
        r = MaintenanceRequest
        # Grouped by the request (its primary key: PostgreSQL takes its other columns along),
        # so that the planner starts from the requests of the period and reads their steps
        # through the steps' index, not every step of every request.
        rows = self.session.execute(
            select(
                r.number,
                r.type,
                r.org_unit,
                r.bukrs,
                r.kunnr,
                func.coalesce(r.parent, ""),
                _first("submit"),
                _first("review"),
                _last("approve"),
                _last("activate"),
                _last("edit"),
                func.sum(case((RequestStep.action == "return", 1), else_=0)),
            )
            .join(RequestStep, RequestStep.request_number == r.number)
            .where(r.created_at < end, r.changed_at >= start)
            .group_by(r.number)
        )
        return [
            RequestTimes(n, t, o, b, k, p, s, rv, ap, ac, e, int(ret or 0))
            for n, t, o, b, k, p, s, rv, ap, ac, e, ret in rows
        ]

    def changed_after_activation(
        self, start: datetime, end: datetime, fields: Sequence[tuple[str, str]], window: float
    ) -> set[str]:
        """The requests activated (last `activate` step) in [start, end) whose customer has a
        change document up to `window` seconds after the activation with an item on one of
        `fields` (table, SAP field name), written neither by the request nor by a child of
        it. One EXISTS per activated request, on the change documents' customer index."""
        if not fields:
            return set()
        r, child = MaintenanceRequest, aliased(MaintenanceRequest)
        # A request is activated once (activated is final): its one `activate` step.
        activated_at = epoch(RequestStep.at)
        when = epoch(ChangeHeader.udate)
        tables = sorted({t for t, _ in fields})
        relevant = or_(
            *(
                and_(
                    ChangeItem.tabname == t,
                    ChangeItem.fname.in_([f for tt, f in fields if tt == t]),
                )
                for t in tables
            )
        )
        own_child = (
            select(child.number)
            .where(child.number == ChangeHeader.request_number, child.parent == r.number)
            .exists()
        )
        changed = (
            select(ChangeHeader.id)
            .join(ChangeItem, ChangeItem.header_id == ChangeHeader.id)
            .where(
                ChangeHeader.objectid == r.kunnr,
                when > activated_at,
                when <= activated_at + window,
                ChangeHeader.request_number != r.number,
                ~own_child,
                relevant,
            )
            .exists()
        )
        rows = self.session.scalars(
            select(r.number)
            .join(RequestStep, RequestStep.request_number == r.number)
            .where(
                r.status == "activated",
                r.changed_at >= start,
                r.created_at < end,
                r.kunnr != "",
                RequestStep.action == "activate",
                activated_at >= start.timestamp(),
                activated_at < end.timestamp(),
                changed,
            )
        )
        return set(rows)

    def duplicated_creates(self, start: datetime, end: datetime) -> set[str]:
        """The customers of the create requests activated in [start, end) (by the request's
        last change: its activation) that share a unified social credit code or a tax number
        with another stored customer (the duplicate check's strong keys in the search
        index)."""
        r, other = MaintenanceRequest, aliased(Kna1Search)
        return set(
            self.session.scalars(
                select(Kna1Search.kunnr)
                .distinct()
                .join(r, r.kunnr == Kna1Search.kunnr)
                .join(
                    other,
                    and_(
                        other.kind == Kna1Search.kind,
                        other.token == Kna1Search.token,
                        other.kunnr != Kna1Search.kunnr,
                    ),
                )
                .where(
                    r.type == "create",
                    r.status == "activated",
                    r.changed_at >= start,
                    r.created_at < end,
                    Kna1Search.kind.in_([names.USCC, names.TAX_NUMBER]),
                )
            )
        )
