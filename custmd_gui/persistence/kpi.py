"""The KPIs' reads (services.kpi): one aggregating statement over the requests (the counts per
month and unit tallied by the database, the activated requests one row each) from the step
times the steps' triggers keep on each request (migration 0021: no step is read), one over
the change documents after each activation and one over the search index, each returning
compact columns (numbers, epoch seconds) rather than objects.

Times come back as seconds since the epoch (UTC; on SQLite through julianday, a double of
days exact to some 50 µs: the services round what they report): the services compute
months and percentiles from those in Python (SQLite has no percentile_cont, and plain floats
are read far faster than SQLite's timestamp text is parsed).
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Float,
    String,
    Table,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
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
)

# The step times kept on each request (migration 0021), columns of the table: not mapped.
KPI = typing.cast(Table, MaintenanceRequest.__table__).c


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


# A request activated in the period as the KPIs see it: its number, its month (the index of
# the period's month of its activation), its unit, type and customer, and how long its steps
# took in seconds (None: a step it did not have): submitted → activated, submitted → review
# started, review started (else submitted) → approved, approved → activated. Plain tuples:
# a period holds tens of thousands.
Activated = tuple[str, int, str, str, str, float | None, float | None, float | None, float | None]


@dataclass(frozen=True, slots=True)
class Count:
    """Requests first submitted (kind "submitted") or last approved ("approved") in one
    month and unit: how many, and how many of them count as good (submitted: not edited
    after the first submission; approved: never returned)."""

    kind: str
    month: int
    unit: str
    requests: int
    good: int


def _month(seconds: ColumnElement[Any], bounds: Sequence[float]) -> ColumnElement[Any]:
    """The index of the month [bounds[i], bounds[i+1]) holding `seconds`, NULL outside. The
    bounds are written into the statement (our own floats): a month is then the same
    expression wherever it is grouped by."""
    if len(bounds) < 2:
        raise ValueError("a period has at least one month")
    cut: list[ColumnElement[Any]] = [literal_column(repr(float(b))) for b in bounds]
    return case(
        (seconds.is_(None), null()),
        (seconds < cut[0], null()),
        *((seconds < cut[i + 1], i) for i in range(len(bounds) - 1)),
        else_=null(),
    )


class KpiReader:
    def __init__(self, session: Session) -> None:
        self.session = session

    def tallies(
        self, start: datetime, end: datetime, bounds: Sequence[float], by_company_code: bool
    ) -> tuple[list[Count], list[Activated]]:
        """The requests that may have had a step in [start, end) (created before its end and
        last changed after its start: each step changes the request), by month (`bounds`:
        the months' starts and the period's end, epoch seconds) and unit (the requester's
        org unit, or the request's company code): counted by the database for the months
        of their first submission and last approval; one row each for those activated in
        the period (their durations are percentiles: counted by the caller). One statement
        over the requests whose first submission, last approval or activation lies in the
        period."""
        r = MaintenanceRequest
        unit = r.bukrs if by_company_code else r.org_unit
        low: ColumnElement[float] = literal_column(repr(float(bounds[0])))
        high: ColumnElement[float] = literal_column(repr(float(bounds[-1])))
        # Each request's step times as its steps' triggers keep them (migration 0021): the
        # requests of the period through the indexes of those times, no step read.
        per = (
            select(
                r.number.label("number"),
                unit.label("unit"),
                r.type.label("type"),
                r.kunnr.label("customer"),
                KPI.kpi_submitted.label("submitted"),
                KPI.kpi_reviewed.label("reviewed"),
                KPI.kpi_approved.label("approved"),
                KPI.kpi_activated.label("activated"),
                KPI.kpi_edited.label("edited"),
                KPI.kpi_returns.label("returns"),
            )
            .where(
                r.created_at < end,
                r.changed_at >= start,
                or_(
                    *(
                        and_(time >= low, time < high)
                        for time in (KPI.kpi_submitted, KPI.kpi_approved, KPI.kpi_activated)
                    )
                ),
            )
            .cte("per_request")
        )
        months = select(
            per,
            _month(per.c.submitted, bounds).label("m_submitted"),
            _month(per.c.approved, bounds).label("m_approved"),
            _month(per.c.activated, bounds).label("m_activated"),
        ).cte("per_month")
        nothing_f, nothing_s = cast(null(), Float), cast(null(), String)
        right_first_time = case(
            (or_(months.c.edited.is_(None), months.c.edited <= months.c.submitted), 1), else_=0
        )
        submitted = (
            select(
                literal("submitted").label("kind"),
                months.c.m_submitted,
                months.c.unit,
                func.count().label("requests"),
                func.sum(right_first_time).label("good"),
                nothing_s,
                nothing_s,
                nothing_s,
                nothing_f,
                nothing_f,
                nothing_f,
                nothing_f,
            )
            .where(months.c.m_submitted.is_not(None))
            .group_by(months.c.m_submitted, months.c.unit)
        )
        approved = (
            select(
                literal("approved"),
                months.c.m_approved,
                months.c.unit,
                func.count(),
                func.sum(case((months.c.returns == 0, 1), else_=0)),
                nothing_s,
                nothing_s,
                nothing_s,
                nothing_f,
                nothing_f,
                nothing_f,
                nothing_f,
            )
            .where(months.c.m_approved.is_not(None))
            .group_by(months.c.m_approved, months.c.unit)
        )
        c = months.c
        activated = select(
            literal("activated"),
            c.m_activated,
            c.unit,
            literal(1),
            literal(0),
            c.number,
            c.type,
            c.customer,
            c.activated - c.submitted,
            c.reviewed - c.submitted,
            c.approved - func.coalesce(c.reviewed, c.submitted),
            c.activated - c.approved,
        ).where(c.m_activated.is_not(None))
        rows = self.session.execute(union_all(submitted, approved, activated)).all()
        counts = [
            Count(kind, m, u, n, int(good or 0))
            for kind, m, u, n, good, *_ in rows
            if kind != "activated"
        ]
        done: list[Activated] = [
            (r[5], r[1], r[2], r[6], r[7], r[8], r[9], r[10], r[11])
            for r in rows
            if r[0] == "activated"
        ]
        return counts, done

    def changed_after_activation(
        self, start: datetime, end: datetime, fields: Sequence[tuple[str, str]], window: float
    ) -> set[str]:
        """The requests activated (last `activate` step) in [start, end) whose customer has a
        change document up to `window` seconds after the activation with an item on one of
        `fields` (table, SAP field name), written neither by the request nor by a child of
        it. One EXISTS per activated request, on the change documents' customer index."""
        low, high = start.timestamp(), end.timestamp()
        if not fields:
            return set()
        r, child = MaintenanceRequest, aliased(MaintenanceRequest)
        # A request is activated once (activated is final): its one `activate` step, kept on
        # the request in seconds as the tallies' months count it.
        activated_at = KPI.kpi_activated
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
            select(r.number).where(
                r.status == "activated",
                r.changed_at >= start,
                r.created_at < end,
                r.kunnr != "",
                activated_at >= low,
                activated_at < high,
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
