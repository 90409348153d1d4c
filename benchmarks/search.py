"""Customer-search benchmark: the list's search with a million customers stored.

    python benchmarks/search.py [--customers 1000000]
        [--db PATH | --url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
        [--reuse] [--keep] [--queries 200] [--warmup 20] [--seed 1] [--json PATH]

SQLite (default file custmd-search-<customers>.sqlite in the temp folder):

    python benchmarks/search.py
    python benchmarks/search.py --reuse --keep      # seed once, run again on the same file

PostgreSQL: --url names the server (its database is only used to create and drop the
benchmark's own database, custmd_search_<customers>):

    python benchmarks/search.py --url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

The database is seeded with `--customers` made-up customers (benchmarks/seed.py: names,
addresses, telephones, USCCs, company codes, sales areas, blocks, both search indexes) unless
--reuse is given and it already holds that many. A database this run created is deleted (SQLite)
or dropped (PostgreSQL) at the end unless --keep is given; a reused one is kept.

Figures, each timed with time.perf_counter() around the call the list makes, in a unit of
work of its own (services.search.search_customers: open, search, close; the first page of 50
rows and whether more follow):

1. Search, per query class, `--queries` searches each after `--warmup` untimed ones, typed as a
   clerk would type them about a stored customer drawn at random: number prefix (4-9 digits);
   one, two and 3-6 characters of the name; the search term; pinyin initials (2-6 letters of
   the name or of its brand); city; postal code; telephone (full with +86 or area code, local
   number, last 4 digits); tax number or USCC (as stored, in lower case or with a hyphen); two
   words (2 characters of the name and the city); a name part with a filter (company code,
   sales area, blocked, account group); filters alone. For every query the stored customer is
   looked for where the list would show it (`search` from its number on, inclusive): "found"
   says in how many queries it was.
2. Jump: the page that starts at a random customer number (keyset, no OFFSET), for the whole
   list, and within a search for a common name part (科技) and for a filter (company code F015).
3. Memory: a separate process opens the list as the main window would (offscreen Qt, the
   window's list model paging through services.search, a table view), fetches the first page
   and ten more of 200 rows each, and reports VmRSS and VmHWM from /proc/self/status.

Before timing, the search's tables and indexes are read once (PostgreSQL: pg_prewarm in
mode "read", into the operating system's cache; SQLite: the file), as a server or laptop in use
holds them in memory; the time this takes is printed. --cold skips it: then the first searches
read the disk, and the figures say how a machine that just started answers.

Percentiles are nearest-rank (p95 of 200 values is the 190th). Exit status 1 when a target is
missed: search p95 <= 50 ms for every class, jump p95 <= 100 ms, RSS <= 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy  # noqa: E402
from duplicate_check import p95  # noqa: E402
from seed import (  # noqa: E402
    Database,
    count_customers,
    describe_url,
    prepare_database,
    sample_seeded,
)
from sqlalchemy import select  # noqa: E402

from custmd_gui.domain import search_terms  # noqa: E402
from custmd_gui.persistence.engine import make_engine  # noqa: E402
from custmd_gui.persistence.tables import Kna1, Knb1, Knvv  # noqa: E402
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory  # noqa: E402
from custmd_gui.services.search import (  # noqa: E402
    CustomerQuery,
    Either,
    search,
    search_customers,
)

TARGET_SEARCH_MS = 50.0
TARGET_JUMP_MS = 100.0
TARGET_RSS_MB = 300.0
PAGE = 50  # rows of a search page (the list's worker asks for this many)
LIST_PAGE = 200  # rows per page of the list model (ui.customer_list_model.PAGE_SIZE)
LIST_PAGES = 11  # the first page and ten more


# -- figures ----------------------------------------------------------------------------------


@dataclass
class Figure:
    label: str
    target_ms: float | None
    values_ms: list[float] = field(default_factory=list)
    hits: list[int] = field(default_factory=list)
    found: list[bool] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if self.target_ms is None or not self.values_ms:
            return "info"
        return "PASS" if p95(self.values_ms) <= self.target_ms else "MISS"

    def row(self) -> str:
        v = self.values_ms
        found = f"{sum(self.found)}/{len(self.found)}" if self.found else "-"
        hits = f"{statistics.mean(self.hits):.0f}" if self.hits else "-"
        target = f"<= {self.target_ms:.0f}" if self.target_ms is not None else "-"
        return (
            f"{self.label:<40} {len(v):>4} {statistics.median(v):>7.1f} {p95(v):>7.1f} "
            f"{max(v):>7.1f} {hits:>5} {found:>8}   {target:<6} {self.verdict}"
        )


HEADER = (
    f"{'':<40} {'n':>4} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'rows':>5} {'found':>8}   "
    f"{'target':<6} verdict"
)


# -- database ---------------------------------------------------------------------------------


# -- queries ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stored:
    number: str
    name: str
    search_term: str
    city: str
    postal_code: str
    telephone: str
    tax_number: str
    uscc: str
    account_group: str
    blocked: bool
    company_codes: tuple[str, ...]
    sales_areas: tuple[str, ...]


def sample(factory: UnitOfWorkFactory, rng: random.Random, count: int) -> list[Stored]:
    """`count` seeded customers, drawn uniformly from the seeded set (seed.sample_seeded)."""
    with factory() as uow:
        s = uow.session
        out: list[Stored] = []
        for number in sample_seeded(s, rng, count):
            head = s.scalars(select(Kna1).where(Kna1.kunnr == number)).one()
            codes = tuple(s.scalars(select(Knb1.bukrs).where(Knb1.kunnr == head.kunnr)))
            areas = tuple(
                search_terms.sales_area_key(o, c, d)
                for o, c, d in s.execute(
                    select(Knvv.vkorg, Knvv.vtweg, Knvv.spart).where(Knvv.kunnr == head.kunnr)
                )
            )
            out.append(
                Stored(
                    head.kunnr,
                    head.name1,
                    head.sortl,
                    head.ort01,
                    head.pstlz,
                    head.telf1,
                    head.stcd1,
                    head.stcd5,
                    head.ktokd,
                    search_terms.is_blocked(head.aufsd, head.lifsd, head.faksd, head.sperr),
                    codes,
                    areas,
                )
            )
    return out


@dataclass(frozen=True, slots=True)
class Query:
    query: CustomerQuery
    expected: str  # the stored customer the clerk is looking for


def _part(rng: random.Random, name: str, low: int, high: int) -> str:
    """A part of the name as a clerk remembers it: ideographs that stand together in it."""
    runs = re.findall(r"[\u4e00-\u9fff]+", name)
    run = rng.choice([r for r in runs if len(r) >= low] or runs)
    length = min(len(run), rng.randint(low, high))
    start = rng.randrange(len(run) - length + 1)
    return run[start : start + length]


def _phone(rng: random.Random, phone: str) -> str:
    digits = search_terms.names.normalize_phone(phone)
    choice = rng.randrange(3)
    if choice == 0:  # as printed on a letterhead
        if phone.startswith("0") and "-" in phone:
            area, local = phone[1:].split("-", 1)
            return f"+86 {area} {local[:4]} {local[4:]}"
        return f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"
    if choice == 1:  # the local number
        return phone.split("-", 1)[1] if "-" in phone else digits[-8:]
    return digits[-4:]


def _initials(rng: random.Random, name: str) -> str:
    variants = search_terms.name_initials(name)
    full, key = variants[0], variants[-1]
    if rng.random() < 0.5:
        return key[: rng.randint(2, max(2, min(6, len(key))))]
    return full[: rng.randint(2, 6)]


def _tax(rng: random.Random, s: Stored) -> str:
    choice = rng.randrange(3)
    if choice == 0:
        return s.uscc.lower()
    if choice == 1:
        return f"{s.tax_number[:6]}-{s.tax_number[6:]}"
    return s.uscc


QUERY_CLASSES: dict[str, Callable[[random.Random, Stored], CustomerQuery]] = {
    "number prefix": lambda r, s: CustomerQuery(s.number[: r.randint(4, 9)]),
    "name, 1 character": lambda r, s: CustomerQuery(_part(r, s.name, 1, 1)),
    "name, 2 characters": lambda r, s: CustomerQuery(_part(r, s.name, 2, 2)),
    "name, 3-6 characters": lambda r, s: CustomerQuery(_part(r, s.name, 3, 6)),
    "search term": lambda r, s: CustomerQuery(s.search_term),
    "pinyin initials": lambda r, s: CustomerQuery(_initials(r, s.name)),
    "city": lambda r, s: CustomerQuery(s.city + ("市" if r.random() < 0.3 else "")),
    "postal code": lambda r, s: CustomerQuery(s.postal_code),
    "telephone": lambda r, s: CustomerQuery(_phone(r, s.telephone)),
    "tax number / USCC": lambda r, s: CustomerQuery(_tax(r, s)),
    "two words (name part + city)": lambda r, s: CustomerQuery(
        f"{_part(r, s.name, 2, 2)} {s.city}"
    ),
    "name part + company code": lambda r, s: CustomerQuery(
        _part(r, s.name, 1, 4), company_code=r.choice(s.company_codes)
    ),
    "name part + sales area": lambda r, s: CustomerQuery(
        _part(r, s.name, 1, 4), sales_area=r.choice(s.sales_areas)
    ),
    "name part + not blocked + group": lambda r, s: CustomerQuery(
        _part(r, s.name, 1, 4),
        blocked=Either.YES if s.blocked else Either.NO,
        account_group=s.account_group,
    ),
    "filters only (code, area, blocked)": lambda r, s: CustomerQuery(
        company_code=r.choice(s.company_codes),
        sales_area=r.choice(s.sales_areas),
        blocked=Either.YES if s.blocked else Either.NO,
    ),
}


def make_queries(stored: list[Stored], rng: random.Random) -> dict[str, list[Query]]:
    out: dict[str, list[Query]] = {label: [] for label in QUERY_CLASSES}
    for label, make in QUERY_CLASSES.items():
        for s in stored:
            out[label].append(Query(make(rng, s), s.number))
    return out


def is_found(factory: UnitOfWorkFactory, q: Query) -> bool:
    """The stored customer is the first row of the search when the list jumps to it."""
    with factory() as uow:
        page = search(uow, q.query, after=q.expected, limit=1, inclusive=True)
    return bool(page.rows) and page.rows[0].number == q.expected


def describe(query: CustomerQuery) -> str:
    parts = [repr(query.text)] if query.text else []
    for name in ("account_group", "company_code", "sales_area"):
        if value := getattr(query, name):
            parts.append(f"{name}={value}")
    for name in ("blocked", "deletion_flag"):
        if (value := getattr(query, name)) is not Either.ANY:
            parts.append(f"{name}={value.value}")
    return " ".join(parts)


def timed_search(factory: UnitOfWorkFactory, query: CustomerQuery) -> tuple[float, int]:
    start = time.perf_counter()
    page = search_customers(factory, query, limit=PAGE)
    return (time.perf_counter() - start) * 1000, len(page.rows)


# -- jump and memory --------------------------------------------------------------------------


def jump_figures(
    factory: UnitOfWorkFactory, rng: random.Random, count: int, warmup: int
) -> list[Figure]:
    with factory() as uow:
        low, high = uow.session.execute(
            select(sqlalchemy.func.min(Kna1.kunnr), sqlalchemy.func.max(Kna1.kunnr))
        ).one()
    cases = {
        "jump: whole list": CustomerQuery(),
        "jump: within search 科技": CustomerQuery("科技"),
        "jump: within filter company code F015": CustomerQuery(company_code="F015"),
    }
    figures = []
    for label, query in cases.items():
        figure = Figure(label, TARGET_JUMP_MS)
        for i in range(count + warmup):
            at = str(rng.randrange(int(low), int(high) + 1)).zfill(len(low))
            start = time.perf_counter()
            with factory() as uow:
                page = search(uow, query, after=at, limit=LIST_PAGE, inclusive=True)
            ms = (time.perf_counter() - start) * 1000
            if i >= warmup:
                figure.values_ms.append(ms)
                figure.hits.append(len(page.rows))
        figures.append(figure)
    return figures


def rss_child(url: str) -> int:
    """Run in a process of its own: open the list as the main window does and print the
    memory it holds (JSON on stdout)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QTableView

    from custmd_gui.services.listing import CustomerListRow
    from custmd_gui.ui.customer_list_model import CustomerListModel

    app = QApplication([])
    engine = make_engine(url)
    factory = UnitOfWorkFactory(engine)
    query = CustomerQuery()

    def fetch(after: str, limit: int) -> list[CustomerListRow]:
        return search_customers(factory, query, after, limit).rows

    model = CustomerListModel(fetch, page_size=LIST_PAGE)
    view = QTableView()
    view.setModel(model)
    view.resize(1200, 800)
    view.show()
    for _ in range(LIST_PAGES):
        model.fetchMore()
        app.processEvents()
    status = Path("/proc/self/status").read_text(encoding="ascii")
    values = {
        line.split(":")[0]: int(line.split()[1]) // 1024
        for line in status.splitlines()
        if line.startswith(("VmRSS", "VmHWM"))
    }
    print(json.dumps({"rows": model.rowCount(), **values}))
    view.close()
    engine.dispose()
    del app
    return 0


def memory_figure(url: str) -> dict[str, int]:
    out = subprocess.run(
        [sys.executable, __file__, "--rss-child", url],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"memory probe failed: {out.stderr}")
    result: dict[str, int] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# -- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time the customer search at scale")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200, help="timed searches per class")
    parser.add_argument("--warmup", type=int, default=20)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", type=Path, help="SQLite file (default: in the temp folder)")
    where.add_argument("--url", help="PostgreSQL server URL (a database of its own is made)")
    parser.add_argument("--reuse", action="store_true", help="use a database that exists")
    parser.add_argument("--keep", action="store_true", help="keep the database this run made")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument(
        "--slowest", type=int, default=0, help="show the N slowest searches of each class"
    )
    parser.add_argument(
        "--cold", action="store_true", help="do not read the search index into the cache first"
    )
    parser.add_argument("--rss-child", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_child:
        return rss_child(args.rss_child)

    db = prepare_database(args, "search")
    try:
        return run(args, db)
    finally:
        if db.created and not args.keep:
            db.drop()
            print(f"removed {describe_url(db.url)}")


# The tables a search reads, with their indexes.
SEARCH_TABLES = ("kna1_find", "kna1_search", "kna1")


def prewarm(url: str) -> str:
    """Read the search's tables and indexes into the operating system's cache; what was
    done, for the report."""
    start = time.perf_counter()
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        size = 0
        with path.open("rb") as f:
            while chunk := f.read(16 << 20):
                size += len(chunk)
        return f"file read ({size >> 20} MB) in {time.perf_counter() - start:.1f} s"
    engine = make_engine(url, statement_timeout=None)  # reading gigabytes may take minutes
    try:
        with engine.begin() as conn:
            conn.execute(sqlalchemy.text("CREATE EXTENSION IF NOT EXISTS pg_prewarm"))
            blocks = conn.execute(
                sqlalchemy.text(
                    "SELECT sum(pg_prewarm(c.oid, 'read')) FROM pg_class c "
                    "WHERE c.relname = ANY(:t) OR c.oid IN (SELECT indexrelid FROM pg_index i "
                    "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = ANY(:t))"
                ),
                {"t": list(SEARCH_TABLES)},
            ).scalar()
    except sqlalchemy.exc.DBAPIError as exc:
        return f"not prewarmed ({exc.orig})"
    finally:
        engine.dispose()
    size = int(blocks or 0) * 8192 >> 20
    return f"pg_prewarm read {size} MB in {time.perf_counter() - start:.1f} s"


def run(args: argparse.Namespace, db: Database) -> int:
    cache = "cold (--cold)" if args.cold else prewarm(db.url)
    print(f"cache: {cache}", flush=True)
    engine = make_engine(db.url)
    factory = UnitOfWorkFactory(engine)
    rng = random.Random(args.seed)
    stored = sample(factory, rng, args.queries + args.warmup)
    queries = make_queries(stored, rng)
    figures: list[Figure] = []
    for label, items in queries.items():
        figure = Figure(label, TARGET_SEARCH_MS)
        for i, q in enumerate(items):
            ms, rows = timed_search(factory, q.query)
            if i >= args.warmup:
                figure.values_ms.append(ms)
                figure.hits.append(rows)
                figure.found.append(is_found(factory, q))
                figure.queries.append(describe(q.query))
        figures.append(figure)
        print(figure.row() if len(figures) > 1 else f"{HEADER}\n{figure.row()}", flush=True)
    jumps = jump_figures(factory, rng, args.queries, args.warmup)
    for figure in jumps:
        print(figure.row(), flush=True)
    engine.dispose()
    memory = memory_figure(db.url)
    total = count_customers(db.url)

    print()
    version = ".".join(map(str, engine.dialect.server_version_info or ()))
    print(f"database: {describe_url(db.url)} ({engine.dialect.name} {version}), {total} customers")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}"
    )
    if db.seed_s is not None:
        print(f"seeding: {db.seed_s:.1f} s")
    print(f"cache: {cache}")
    print(f"searches: {args.queries} timed per class after {args.warmup} warm-up; page {PAGE} rows")
    print()
    print(HEADER)
    for figure in [*figures, *jumps]:
        print(figure.row())
    rss_ok = memory["VmRSS"] <= TARGET_RSS_MB
    print(
        f"{'memory: list open (' + str(memory['rows']) + ' rows)':<40} VmRSS {memory['VmRSS']} MB, "
        f"VmHWM {memory['VmHWM']} MB   target <= {TARGET_RSS_MB:.0f} MB "
        f"{'PASS' if rss_ok else 'MISS'}"
    )
    if args.slowest:
        print()
        for figure in figures:
            ranked = sorted(
                zip(figure.values_ms, figure.queries, figure.found, strict=True), reverse=True
            )
            shown = ", ".join(
                f"{q} {ms:.0f} ms{'' if ok else ' (not found)'}"
                for ms, q, ok in ranked[: args.slowest]
            )
            print(f"slowest {figure.label}: {shown}")
        for figure in figures:
            missing = [q for q, ok in zip(figure.queries, figure.found, strict=True) if not ok]
            if missing:
                print(f"not found {figure.label}: {', '.join(missing)}")
    missed = [f.label for f in [*figures, *jumps] if f.verdict == "MISS"]
    if not rss_ok:
        missed.append("memory")
    print(f"targets: {'all met' if not missed else 'NOT met: ' + ', '.join(missed)}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "customers": total,
                    "backend": engine.dialect.name,
                    "seed_s": db.seed_s,
                    "figures": {
                        f.label: {"ms": f.values_ms, "rows": f.hits, "found": f.found}
                        for f in [*figures, *jumps]
                    },
                    "memory_mb": memory,
                },
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
