"""The KPI report as a table: one column list for `custmd kpi` (JSON, CSV), the dashboard's
table and its XLSX and PDF exports, so that all of them name and round the figures alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from custmd_gui.catalog import Text
from custmd_gui.services.kpi import ALL, DIMENSION_TEXTS, Duration, KpiReport, KpiRow

Value = int | float | str | None


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the JSON key and CSV heading
    heading: Text  # the table's and the workbook's
    value: Callable[[KpiRow], Value]
    kind: str = "count"  # count, share (0..1), hours, text


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _duration(key: str, zh: str, en: str, pick: Callable[[KpiRow], Duration]) -> list[Column]:
    return [
        Column(
            f"{key}_median_h",
            Text(zh=f"{zh}中位数（小时）", en=f"{en} median (h)"),
            lambda r: _hours(pick(r).median_h),
            "hours",
        ),
        Column(
            f"{key}_p90_h",
            Text(zh=f"{zh}P90（小时）", en=f"{en} p90 (h)"),
            lambda r: _hours(pick(r).p90_h),
            "hours",
        ),
    ]


COLUMNS: tuple[Column, ...] = (
    Column("month", Text(zh="月份", en="Month"), lambda r: r.month, "text"),
    Column("unit", Text(zh="组织", en="Unit"), lambda r: r.unit, "text"),
    Column("submitted", Text(zh="首次提交数", en="Submitted"), lambda r: r.submitted),
    Column(
        "share_right_first_time",
        Text(zh="首次提交即完整率", en="Right at first submission"),
        lambda r: _pct(r.share_right_first_time),
        "share",
    ),
    Column("approved", Text(zh="批准数", en="Approved"), lambda r: r.approved),
    Column(
        "share_without_return",
        Text(zh="一次通过率", en="Approved without return"),
        lambda r: _pct(r.share_without_return),
        "share",
    ),
    Column("activated", Text(zh="生效数", en="Activated"), lambda r: r.activated),
    *_duration("lead_time", "提交→生效", "Submit→active", lambda r: r.lead_time),
    *_duration("to_review", "等待审核", "Wait for review", lambda r: r.to_review),
    *_duration("review", "审核", "Review", lambda r: r.review),
    *_duration("activation", "批准→生效", "Approve→active", lambda r: r.activation),
    Column(
        "share_changed_30d",
        Text(zh="30天内更改率", en="Changed within 30 days"),
        lambda r: _pct(r.share_changed_30d),
        "share",
    ),
    Column(
        "creates_activated",
        Text(zh="新建生效数", en="Creates activated"),
        lambda r: r.creates_activated,
    ),
    Column(
        "share_duplicates",
        Text(zh="事后发现重复率", en="Duplicates found later"),
        lambda r: _pct(r.share_duplicates),
        "share",
    ),
)
# The raw counts behind the shares: in JSON, so that a reader can add months up himself.
COUNTS: tuple[Column, ...] = (
    Column(
        "right_first_time",
        Text(zh="首次提交即完整数", en="Right first time"),
        lambda r: r.right_first_time,
    ),
    Column(
        "approved_without_return",
        Text(zh="一次通过数", en="Approved without return"),
        lambda r: r.approved_without_return,
    ),
    Column(
        "changed_30d", Text(zh="30天内更改数", en="Changed within 30 days"), lambda r: r.changed_30d
    ),
    Column("duplicates", Text(zh="事后发现重复数", en="Duplicates"), lambda r: r.duplicates),
)


def unit_heading(report: KpiReport, lang: str) -> str:
    return DIMENSION_TEXTS[report.dimension].get(lang)


def unit_text(row: KpiRow, lang: str) -> str:
    """The unit as shown: the month's total and the requests without a company code named."""
    if row.unit == ALL:
        return "（合计）" if lang == "zh" else "(total)"
    if not row.unit:
        return "（无）" if lang == "zh" else "(none)"
    return row.unit


def record(row: KpiRow) -> dict[str, Value]:
    """A row as JSON: every column and the counts behind the shares."""
    return {c.key: c.value(row) for c in (*COLUMNS, *COUNTS)}


def table_rows(report: KpiReport) -> list[KpiRow]:
    """Per month its units then its total; the whole period last."""
    out: list[KpiRow] = []
    for total in report.totals:
        out += [r for r in report.rows if r.month == total.month]
        out.append(total)
    out.append(report.overall)
    return out
