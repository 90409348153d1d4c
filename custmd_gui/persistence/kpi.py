"""The KPIs' reads (services.kpi): one read of the period's requests with the step times the
steps' triggers keep on each request (migration 0021: no step is read), counted per month and
unit here (the activated requests one row each), one over the change documents after each
activation and one over the search index, each returning compact columns (numbers, epoch
seconds) rather than objects.

Times come back as seconds since the epoch (UTC; on SQLite through julianday, a double of
days exact to some 50 µs: the services round what they report): the services compute
months and percentiles from those in Python (SQLite has no percentile_cont, and plain floats
are read far faster than SQLite's timestamp text is parsed).
"""

from __future__ import annotations

import typing
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Float,
    Table,
    and_,
    func,
    literal_column,
    or_,
    select,
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


# The share of the requests above which SQLite reads them all rather than by index.
SCAN_SHARE = 0.12
# More than the error of SQLite's epoch (julianday): a window on timestamps this much wider
# than one on epoch seconds holds all that one does.
SLACK = timedelta(seconds=1)

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


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


class KpiReader:
    def __init__(self, session: Session) -> None:
        self.session = session

    def tallies(
        self, start: datetime, end: datetime, bounds: Sequence[float], by_company_code: bool
    ) -> tuple[list[Count], list[Activated]]:
        """The requests whose first submission, last approval or activation lies in the
        period (and created before its end and last changed after its start: each step
        changes the request), by month (`bounds`: the months' starts and the period's end,
        epoch seconds) and unit (the requester's org unit, or the request's company code):
        counted for the months of their first submission and last approval; one row each for
        those activated in the period (their durations are percentiles: counted by the
        caller). One statement over the step times the steps' triggers keep on each request
        (migration 0021), through their indexes unless reading all is cheaper: no step is
        read, and no grouping in the database (SQLite spent more on materializing and sorting
        than this loop takes)."""
        if len(bounds) < 2:
            raise ValueError("a period has at least one month")
        c = KPI
        # our own floats, written into the statement: the planner sees the range
        low: ColumnElement[float] = literal_column(repr(float(bounds[0])))
        high: ColumnElement[float] = literal_column(repr(float(bounds[-1])))
        times: tuple[ColumnElement[Any], ...] = (c.kpi_submitted, c.kpi_approved, c.kpi_activated)
        if self._scan_is_cheaper(bounds[0], bounds[-1]):
            # `+ 0`: the same values, no longer a column SQLite would look up by its index
            times = tuple(t + 0 for t in times)
        # Core, not the ORM's rows, fetched at once (iterating fetches row by row): tens of
        # thousands of plain tuples.
        rows = (
            self.session.connection()
            .execute(
                select(
                    c.number,
                    c.bukrs if by_company_code else c.org_unit,
                    c.type,
                    c.kunnr,
                    c.kpi_submitted,
                    c.kpi_reviewed,
                    c.kpi_approved,
                    c.kpi_activated,
                    c.kpi_edited,
                    c.kpi_returns,
                ).where(
                    c.created_at < end,
                    c.changed_at >= start,
                    or_(*(and_(time >= low, time < high) for time in times)),
                )
            )
            .all()
        )
        first, last = bounds[0], bounds[-1]
        counted: dict[tuple[str, int, str], list[int]] = {}
        done: list[Activated] = []
        for number, u, kind, customer, sub, rev, appr, act, edited, returns in rows:
            if sub is not None and first <= sub < last:
                tally = counted.setdefault(("submitted", bisect_right(bounds, sub) - 1, u), [0, 0])
                tally[0] += 1
                tally[1] += edited is None or edited <= sub
            if appr is not None and first <= appr < last:
                tally = counted.setdefault(("approved", bisect_right(bounds, appr) - 1, u), [0, 0])
                tally[0] += 1
                tally[1] += returns == 0
            if act is not None and first <= act < last:
                done.append(
                    (
                        number,
                        bisect_right(bounds, act) - 1,
                        u,
                        kind,
                        customer,
                        _minus(act, sub),
                        _minus(rev, sub),
                        _minus(appr, sub if rev is None else rev),
                        _minus(act, appr),
                    )
                )
        counts = [Count(k, m, u, n, good) for (k, m, u), (n, good) in counted.items()]
        return counts, done

    def _scan_is_cheaper(self, low: float, high: float) -> bool:
        """SQLite: whether reading every request beats looking up those of [low, high) through
        the indexes of their times: it does (about 1 µs a row read against 7 µs a row looked
        up, with small or large documents alike) once the period holds more than a tenth or
        so of them, as three months of a year do; a long history tips it the other way.
        Judged by the share of the period in the span of the first submissions (two index
        lookups). PostgreSQL's planner weighs this itself, from its statistics."""
        if self.session.get_bind().dialect.name != "sqlite":
            return False
        first, last = self.session.execute(
            select(
                select(func.min(KPI.kpi_submitted)).scalar_subquery(),
                select(func.max(KPI.kpi_submitted)).scalar_subquery(),
            )
        ).one()
        if first is None or last <= first:
            return True
        overlap = min(high, last) - max(low, first)
        return bool(overlap / (last - first) > SCAN_SHARE)

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
        # Correlated to the outer request explicitly: two levels down, auto-correlation
        # would put a second `requests` into this FROM (a child of any request).
        own_child = (
            select(child.number)
            .where(child.number == ChangeHeader.request_number, child.parent == r.number)
            .correlate(r, ChangeHeader)
            .exists()
        )
        changed = (
            select(ChangeHeader.id)
            .join(ChangeItem, ChangeItem.header_id == ChangeHeader.id)
            .where(
                ChangeHeader.objectid == r.kunnr,
                # The period's window on the timestamps themselves, a second wider than the
                # epoch test below (SQLite's julianday is exact to some 50 µs): it changes no
                # answer, but PostgreSQL, hashing the change documents once, hashes only those.
                ChangeHeader.udate >= start - SLACK,
                ChangeHeader.udate <= end + timedelta(seconds=window) + SLACK,
                when > activated_at,
                when <= activated_at + window,
                ChangeHeader.request_number != r.number,
                ~own_child,
                relevant,
            )
            .exists()
        )
        # as the tallies: by the index of the activations unless reading all is cheaper
        in_period = activated_at + 0 if self._scan_is_cheaper(low, high) else activated_at
        rows = self.session.scalars(
            select(r.number).where(
                r.status == "activated",
                r.changed_at >= start,
                r.created_at < end,
                r.kunnr != "",
                in_period >= low,
                in_period < high,
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
