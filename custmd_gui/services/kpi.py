"""Master-data KPIs (主数据 KPI, issue 18): completeness, timeliness and accuracy of the
maintenance requests per month and per branch (the requester's org unit) or company code.

Months are calendar months of China Standard Time (UTC+8, no daylight saving: the branches'
working time). Each figure is counted in the month of the step that decides it:

Completeness (完整性)
- approved without return (一次通过率): of the requests approved in the month (their last
  `approve` step), the share that were never returned for revision (no `return` step);
- data right at first submission (首次提交即完整): of the requests first submitted in the
  month (their first `submit` step), the share whose data were not edited after that first
  submission (no `edit` step later: neither the requester after a return nor the reviewer in
  review had to correct them). The share of required fields filled at the first submission is
  not measured as such: submitting a create request runs XD01's own checks (request_flow:
  check_new), which refuse a submission with a required field empty, so that share is 100 %
  by construction; what the reviewers had to change afterwards is the measurable rest.

Timeliness (及时性), of the requests activated in the month (their last `activate` step), in
hours, median and 90th percentile (linear interpolation between the closest ranks, as
PostgreSQL's percentile_cont):
- lead time (提交→生效): first `submit` → last `activate`;
- per step: waiting for review (提交→开始审核: first `submit` → first `review`, requests that
  had a review step), review (审核→批准: first `review`, or the first `submit` without one →
  last `approve`), activation (批准→生效: last `approve` → last `activate`).
  Child requests (a create request's company codes and sales areas) are filed already
  submitted, without a `submit` step: they count in the activation step only.

Accuracy (准确性), of the requests activated in the month:
- changed within 30 days (30天内更改率): the share whose customer has a change document dated
  after the activation and at most 30 days later with an item on a review-relevant field
  (the fields of the field groups the customizing's `request_required` says need a request
  for a change: names, tax numbers, bank details, reconciliation account, payment terms),
  not written by the request itself nor by one of its child requests;
- duplicates later found (事后发现重复): of the activated create requests, the share whose
  customer shares a unified social credit code or a tax number with another stored customer
  (the duplicate check's strong keys).

On PostgreSQL the figures cover the requests the user may see (row-level security).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain.authorization import Permission
from custmd_gui.domain.errors import DomainError
from custmd_gui.persistence.kpi import KpiReader
from custmd_gui.services.authorization import authorize
from custmd_gui.services.context import Actor
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.request_rules import RULE_LISTS, rules

CHINA = timedelta(hours=8)
CHANGE_WINDOW = timedelta(days=30)
HOUR = 3600.0
ALL = "*"  # the unit of a month's total row (a company-code request's unit "" is none)


class Dimension(StrEnum):
    BRANCH = "branch"  # the requester's org unit when he filed the request
    COMPANY_CODE = "company_code"  # a company-code request's company code; "" the others


DIMENSION_TEXTS: dict[Dimension, Text] = {
    Dimension.BRANCH: Text(zh="分公司", en="Branch"),
    Dimension.COMPANY_CODE: Text(zh="公司代码", en="Company code"),
}


@dataclass(frozen=True, slots=True)
class Duration:
    """How long a step took over a set of requests, in hours (None: no request)."""

    count: int = 0
    median_h: float | None = None
    p90_h: float | None = None


@dataclass(frozen=True, slots=True)
class KpiRow:
    month: str  # 2026-03
    unit: str  # the branch or company code; ALL for the month's total
    submitted: int = 0
    right_first_time: int = 0
    approved: int = 0
    approved_without_return: int = 0
    activated: int = 0
    changed_30d: int = 0
    creates_activated: int = 0
    duplicates: int = 0
    lead_time: Duration = field(default_factory=Duration)
    to_review: Duration = field(default_factory=Duration)
    review: Duration = field(default_factory=Duration)
    activation: Duration = field(default_factory=Duration)

    @property
    def share_without_return(self) -> float | None:
        return _share(self.approved_without_return, self.approved)

    @property
    def share_right_first_time(self) -> float | None:
        return _share(self.right_first_time, self.submitted)

    @property
    def share_changed_30d(self) -> float | None:
        return _share(self.changed_30d, self.activated)

    @property
    def share_duplicates(self) -> float | None:
        return _share(self.duplicates, self.creates_activated)


@dataclass(frozen=True, slots=True)
class KpiReport:
    first_month: str
    last_month: str
    dimension: Dimension
    rows: tuple[KpiRow, ...]  # per month and unit, by month then unit
    totals: tuple[KpiRow, ...]  # per month (unit ALL), every month of the period
    overall: KpiRow  # the whole period (month "first..last")


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th quantile (0..1) of sorted `values`, linear between the closest ranks."""
    if not values:
        return None
    pos = p * (len(values) - 1)
    low = math.floor(pos)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (pos - low)


def _hours(seconds: float | None) -> float | None:
    # To the millisecond: SQLite's times (julianday) are exact to some 50 µs only.
    return None if seconds is None else round(seconds, 3) / HOUR


def duration(seconds: list[float]) -> Duration:
    seconds.sort()
    return Duration(
        len(seconds), _hours(percentile(seconds, 0.5)), _hours(percentile(seconds, 0.9))
    )


def parse_month(text: str, key: str) -> tuple[int, int]:
    """(year, month) of YYYY-MM, or a DomainError naming `key`."""
    try:
        when = datetime.strptime(text.strip(), "%Y-%m")
    except ValueError:
        raise DomainError.single(
            key, f"月份格式应为 YYYY-MM：{text}", f"A month is written YYYY-MM: {text}"
        ) from None
    return when.year, when.month


def month_start(year: int, month: int) -> datetime:
    """The first instant of a China Standard Time month, in UTC."""
    return datetime(year, month, 1, tzinfo=UTC) - CHINA


def _next(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def months(first: tuple[int, int], last: tuple[int, int]) -> list[str]:
    found: list[str] = []
    y, m = first
    while (y, m) <= last:
        found.append(f"{y:04d}-{m:02d}")
        y, m = _next(y, m)
    return found


def month_of(seconds: float) -> str:
    return (datetime.fromtimestamp(seconds, UTC) + CHINA).strftime("%Y-%m")


def review_fields(groups: Iterable[str]) -> list[tuple[str, str]]:
    """(table, SAP field name) of the fields of `groups`: what the change documents name."""
    wanted = set(groups)
    return sorted((fd.table, fd.sap_name) for fd in catalog() if fd.field_group in wanted)


@dataclass
class _Tally:
    submitted: int = 0
    right_first_time: int = 0
    approved: int = 0
    approved_without_return: int = 0
    activated: int = 0
    changed_30d: int = 0
    creates_activated: int = 0
    duplicates: int = 0
    lead: list[float] = field(default_factory=list)
    to_review: list[float] = field(default_factory=list)
    review: list[float] = field(default_factory=list)
    activation: list[float] = field(default_factory=list)

    def add(self, other: _Tally) -> None:
        for name in (
            "submitted",
            "right_first_time",
            "approved",
            "approved_without_return",
            "activated",
            "changed_30d",
            "creates_activated",
            "duplicates",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.lead += other.lead
        self.to_review += other.to_review
        self.review += other.review
        self.activation += other.activation

    def row(self, month: str, unit: str) -> KpiRow:
        return KpiRow(
            month,
            unit,
            self.submitted,
            self.right_first_time,
            self.approved,
            self.approved_without_return,
            self.activated,
            self.changed_30d,
            self.creates_activated,
            self.duplicates,
            duration(self.lead),
            duration(self.to_review),
            duration(self.review),
            duration(self.activation),
        )


def kpis(
    uow_factory: UowFactory,
    actor: Actor,
    first_month: str,
    last_month: str,
    dimension: Dimension = Dimension.BRANCH,
) -> KpiReport:
    """The KPIs of the months first_month..last_month (YYYY-MM, both included)."""
    authorize(actor, Permission.DISPLAY)
    first = parse_month(first_month, "KPI-FROM")
    last = parse_month(last_month, "KPI-TO")
    if last < first:
        raise DomainError.single(
            "KPI-TO",
            f"结束月份 {last_month} 早于开始月份 {first_month}",
            f"The last month {last_month} is before the first {first_month}",
        )
    start, end = month_start(*first), month_start(*_next(*last))
    names = months(first, last)
    wanted = set(names)
    # The months' starts and the period's end as epoch seconds: the reader puts each
    # request's step time in its month by them.
    bounds = [month_start(int(n[:4]), int(n[5:])).timestamp() for n in names]
    bounds.append(end.timestamp())

    with uow_factory() as uow:
        # the request rules only: the whole customizing would take longer than the figures
        groups = rules(uow.customizing.load(only=RULE_LISTS)).change_groups
        reader = KpiReader(uow.session)
        counts, activated = reader.tallies(start, end, bounds, dimension is Dimension.COMPANY_CODE)
        changed = reader.changed_after_activation(
            start, end, review_fields(groups), CHANGE_WINDOW.total_seconds()
        )
        duplicates = reader.duplicated_creates(start, end)
    tallies: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    for c in counts:
        t = tallies[(names[c.month], c.unit)]
        if c.kind == "submitted":
            t.submitted += c.requests
            t.right_first_time += c.good
        else:
            t.approved += c.requests
            t.approved_without_return += c.good
    for number, m, unit, kind, customer, lead, to_review, review, activation in activated:
        t = tallies[(names[m], unit)]
        t.activated += 1
        if lead is not None:
            t.lead.append(lead)
        if to_review is not None:
            t.to_review.append(to_review)
        if review is not None:
            t.review.append(review)
        if activation is not None:
            t.activation.append(activation)
        t.changed_30d += number in changed
        if kind == "create":
            t.creates_activated += 1
            t.duplicates += customer in duplicates

    rows = tuple(tallies[key].row(*key) for key in sorted(tallies))
    per_month: dict[str, _Tally] = {m: _Tally() for m in sorted(wanted)}
    for (name, _unit), t in tallies.items():
        per_month[name].add(t)
    overall = _Tally()
    for t in per_month.values():
        overall.add(t)
    return KpiReport(
        months(first, first)[0],
        months(last, last)[0],
        dimension,
        rows,
        tuple(t.row(m, ALL) for m, t in per_month.items()),
        overall.row(f"{months(first, first)[0]}..{months(last, last)[0]}", ALL),
    )
