"""Made-up maintenance requests for the KPIs (services.kpi), written straight into the tables
of migration 0017 (requests, request_steps) with the change documents and search keys the
KPIs read: fast enough for 100,000 requests. The step times the KPIs read off each request
(migration 0021) are kept by the steps' triggers as the steps are copied in.

    python benchmarks/kpi_seed.py --db /tmp/kpi.sqlite --requests 1000 --month 2026-03
    python benchmarks/kpi_seed.py --db postgresql://postgres@127.0.0.1/custmd_kpi \\
        --requests 100000 --month 2026-01 --months 12

Each request is submitted in working hours (09:00-18:00 China time, Monday to Friday) of its
month, by one of eight branches; its type is drawn as the documents describe the work
(create 35 %, change 40 %, company-code and sales-area extensions 10 % each, blocks 5 %);
changes, extensions and blocks are for one of 200,000 customers maintained before (no rows
of their own) or, one in ten, a customer created here. Its path:
most are reviewed and approved, 15 % are returned once (and 3 % twice), corrected and
resubmitted, 4 % rejected, 2 % withdrawn before review; 97 % of the approved are activated.
Durations are log-normal: waiting for review about 4 h (median), the review about 3 h, the
requester's correction about 8 h, approval to activation about 1 h. A create request's
activation writes a customer (KNA1 and its unified social credit code in the search index:
2 % share it with an earlier customer, a duplicate) and a change document naming the request;
8 % of the activated customers are changed later on a review-relevant field (name, tax number,
bank account) 1 to 60 days after the activation by a direct XD02 change. Drawn from a random
generator with a fixed seed: the same arguments give the same data.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import Table, func, select  # noqa: E402

from benchmarks.seed import _bulk_engine, _copy, _sequential_ids  # noqa: E402
from custmd_gui.persistence import tables  # noqa: E402
from custmd_gui.persistence.engine import make_engine, normalize_url  # noqa: E402
from custmd_gui.services.customizing import upgrade_database  # noqa: E402

CHINA = timedelta(hours=8)
BRANCHES = ("1038", "1041", "1052", "2045", "2110", "3301", "3307", "4410")
TYPES = (
    ("create", 0.35),
    ("change", 0.40),
    ("extend_company_code", 0.10),
    ("extend_sales_area", 0.10),
    ("block", 0.05),
)
COMPANY_CODES = ("F011", "F011", "F011", "F001", "F015")
RELEVANT = (("KNA1", "NAME1"), ("KNA1", "STCD1"), ("KNBK", "BANKN"))
REQUEST_COLUMNS = (
    "number",
    "type",
    "status",
    "parent",
    "kunnr",
    "bukrs",
    "sales_area",
    "begru",
    "requester",
    "org_unit",
    "reason",
    "document",
    "base_version",
    "created_at",
    "changed_at",
    "last_editor",
    "version",
)
STEP_COLUMNS = (
    "id",
    "request_number",
    "seq",
    "at",
    "actor",
    "action",
    "from_status",
    "to_status",
    "comment",
)
HEADER_COLUMNS = (
    "id",
    "objectclas",
    "objectid",
    "username",
    "udate",
    "tcode",
    "activity",
    "origin",
    "comment",
    "request_number",
)
ITEM_COLUMNS = (
    "id",
    "header_id",
    "tabname",
    "tabkey",
    "fname",
    "chngind",
    "value_old",
    "value_new",
)


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


@dataclass
class Made:
    requests: list[tuple[Any, ...]] = field(default_factory=list)
    steps: list[tuple[Any, ...]] = field(default_factory=list)
    customers: list[tuple[Any, ...]] = field(default_factory=list)
    keys: list[tuple[Any, ...]] = field(default_factory=list)
    headers: list[tuple[Any, ...]] = field(default_factory=list)
    items: list[tuple[Any, ...]] = field(default_factory=list)


class RequestMaker:
    def __init__(self, seed: int, first_number: int, first_customer: int, sqlite: bool) -> None:
        self.rng = random.Random(seed)
        self.number = first_number
        self.customer = first_customer
        self.sqlite = sqlite
        self.ids = _sequential_ids()
        self.existing: list[str] = []
        self.uscc: list[str] = []

    def _t(self, when: datetime) -> Any:
        # SQLite keeps SQLAlchemy's UTC text; COPY takes the aware datetime.
        return when.strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else when

    def _hours(self, median: float, spread: float = 0.9) -> timedelta:
        return timedelta(hours=median * math.exp(self.rng.gauss(0.0, spread)))

    def _submit_time(self, year: int, month: int) -> datetime:
        start = datetime(year, month, 1)
        days = ((start.replace(day=28) + timedelta(days=4)).replace(day=1) - start).days
        while True:
            day = start + timedelta(days=self.rng.randrange(days))
            if day.weekday() < 5:
                break
        local = day + timedelta(hours=9, seconds=self.rng.randrange(9 * 3600))
        return (local - CHINA).replace(tzinfo=UTC)

    def request(self, year: int, month: int, out: Made) -> None:
        self.number += 1
        number = str(self.number).zfill(10)
        r = self.rng.random()
        kind = "create"
        for name, share in TYPES:
            if r < share:
                kind = name
                break
            r -= share
        branch = self.rng.choice(BRANCHES)
        requester = f"user_{branch}_{self.rng.randrange(4)}"
        bukrs = self.rng.choice(COMPANY_CODES) if kind == "extend_company_code" else ""
        area = "F011/10/01" if kind == "extend_sales_area" else ""
        customer = ""
        if kind != "create":
            # Mostly one of the customers maintained before (a base of 200,000), some new.
            if self.existing and self.rng.random() < 0.1:
                customer = self.rng.choice(self.existing)
            else:
                customer = str(6_000_000_000 + self.rng.randrange(200_000))
        submitted = self._submit_time(year, month)
        steps: list[tuple[datetime, str, str, str, str]] = []
        t = submitted - self._hours(2.0)
        steps.append((t, requester, "create", "", "draft"))
        steps.append((submitted, requester, "submit", "draft", "submitted"))
        t, status = submitted, "submitted"
        reviewer = f"reviewer_{self.rng.randrange(3)}"
        if self.rng.random() < 0.02:
            steps.append((t + self._hours(1.0), requester, "withdraw", status, "withdrawn"))
            status = "withdrawn"
        else:
            returns = 2 if self.rng.random() < 0.03 else (1 if self.rng.random() < 0.12 else 0)
            for _ in range(returns):
                t += self._hours(4.0)
                steps.append((t, reviewer, "review", status, "in_review"))
                t += self._hours(2.0)
                steps.append((t, reviewer, "return", "in_review", "returned"))
                t += self._hours(8.0)
                steps.append((t, requester, "edit", "returned", "returned"))
                t += self._hours(0.5)
                steps.append((t, requester, "resubmit", "returned", "resubmitted"))
                status = "resubmitted"
            t += self._hours(4.0)
            steps.append((t, reviewer, "review", status, "in_review"))
            t += self._hours(3.0)
            if self.rng.random() < 0.04:
                steps.append((t, reviewer, "reject", "in_review", "rejected"))
                status = "rejected"
            else:
                steps.append((t, reviewer, "approve", "in_review", "approved"))
                status = "approved"
                if self.rng.random() < 0.97:
                    t += self._hours(1.0)
                    activator = f"reviewer_{self.rng.randrange(3, 5)}"
                    steps.append((t, activator, "activate", "approved", "activated"))
                    status = "activated"
                    customer = self._activate(kind, number, customer, t, activator, out)
        for seq, (at, actor, action, before, after) in enumerate(steps, 1):
            out.steps.append(
                (next(self.ids), number, seq, self._t(at), actor, action, before, after, "")
            )
        out.requests.append(
            (
                number,
                kind,
                status,
                None,
                customer,
                bukrs,
                area,
                "",
                requester,
                branch,
                "生成的申请 / generated request",
                "{}",
                0,
                self._t(steps[0][0]),
                self._t(steps[-1][0]),
                requester,
                len(steps),
            )
        )

    def _activate(
        self, kind: str, number: str, customer: str, at: datetime, actor: str, out: Made
    ) -> str:
        if kind == "create":
            self.customer += 1
            customer = str(self.customer).zfill(10)
            out.customers.append((next(self.ids), customer, self._t(at), 1))
            if self.uscc and self.rng.random() < 0.02:
                code = self.rng.choice(self.uscc)  # the same company once more: a duplicate
            else:
                code = f"91{self.customer:016d}"
                self.uscc.append(code)
            out.keys.append((next(self.ids), customer, "u", code))
            self.existing.append(customer)
        self._change(customer, at, actor, "XD01" if kind == "create" else "XD02", number, out)
        if self.rng.random() < 0.08:
            later = at + timedelta(days=self.rng.uniform(1.0, 60.0))
            self._change(customer, later, "clerk", "XD02", "", out)
        return customer

    def _change(
        self, customer: str, at: datetime, user: str, tcode: str, request: str, out: Made
    ) -> None:
        header = next(self.ids)
        out.headers.append(
            (header, "DEBI", customer, user, self._t(at), tcode, "U", "local", "", request)
        )
        table, name = self.rng.choice(RELEVANT)
        out.items.append((next(self.ids), header, table, customer, name, "U", "旧", "新"))


def seed_requests(
    url: str, per_month: int, first_month: str, months: int = 1, seed: int = 1
) -> float:
    """Migrate the database at `url` and add `per_month` requests in each of `months` months
    from `first_month` (YYYY-MM); the seconds it took."""
    start = time.perf_counter()
    app = make_engine(url, statement_timeout=None)
    upgrade_database(app)
    with app.connect() as conn:
        highest = conn.scalar(select(func.max(tables.MaintenanceRequest.number)))
    app.dispose()
    engine = _bulk_engine(normalize_url(url))
    sqlite = engine.dialect.name == "sqlite"
    maker = RequestMaker(seed, int(highest or 0), 7_000_000_000 + int(highest or 0), sqlite)
    year, month = (int(p) for p in first_month.split("-"))
    for _ in range(months):
        out = Made()
        for _ in range(per_month):
            maker.request(year, month, out)
        with engine.begin() as conn:
            _copy(
                conn, _table(tables.Kna1), out.customers, ("id", "kunnr", "created_at", "version")
            )
            _copy(conn, _table(tables.Kna1Search), out.keys, ("id", "kunnr", "kind", "token"))
            _copy(conn, _table(tables.MaintenanceRequest), out.requests, REQUEST_COLUMNS)
            _copy(conn, _table(tables.RequestStep), out.steps, STEP_COLUMNS)
            _copy(conn, _table(tables.ChangeHeader), out.headers, HEADER_COLUMNS)
            _copy(conn, _table(tables.ChangeItem), out.items, ITEM_COLUMNS)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    with engine.connect() as conn:
        if sqlite:
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.commit()
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE requests, request_steps, cdhdr, cdpos, kna1, kna1_search"
            )
    engine.dispose()
    return time.perf_counter() - start


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", required=True, help="SQLite file or URL, or postgresql://...")
    p.add_argument("--requests", type=int, default=1000, help="requests per month")
    p.add_argument("--month", default="2026-03", help="the first month, YYYY-MM")
    p.add_argument("--months", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    seconds = seed_requests(args.db, args.requests, args.month, args.months, args.seed)
    total = args.requests * args.months
    print(f"{total} requests in {seconds:.1f} s ({total / seconds:,.0f}/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
