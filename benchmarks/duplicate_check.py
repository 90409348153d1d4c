"""Duplicate-check benchmark: how long XD01's check takes with a million customers stored.

    python benchmarks/duplicate_check.py [--customers 1000000] [--queries 200]
                                         [--db PATH | --url postgresql://...] [--reuse]

Seeds the database with `--customers` made-up customers (benchmarks/seed.py), unless --reuse
is given and it already holds that many, then runs find_duplicates, the service XD01 calls
before saving, for `--queries` customers as a clerk would enter them:

* near duplicates (40 %): a stored customer's name with the city moved into brackets, added or
  dropped, another legal form, or one more word; the stored one should be found;
* same telephone (15 %) or same tax number (15 %) as a stored customer, under a new name and
  written differently (+86 21 5555 1234, a hyphen in the tax number);
* new customers (30 %): names from the same generator with another seed.

Each call is timed from the call to its return, including opening and closing the unit of
work (a new SQLite connection each time, as in the app). The first `--warmup` calls are not
counted. Target: p95 <= 100 ms on SQLite.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import Generator, count_customers, describe_url, sample_seeded, seed  # noqa: E402
from sqlalchemy import select  # noqa: E402

from custmd_gui.domain.model import Customer  # noqa: E402
from custmd_gui.domain.sap_document import from_document  # noqa: E402
from custmd_gui.persistence.engine import make_engine  # noqa: E402
from custmd_gui.persistence.tables import Kna1  # noqa: E402
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory  # noqa: E402
from custmd_gui.services.duplicates import find_duplicates  # noqa: E402

TARGET_P95_MS = 100.0
LEGAL_FORMS = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司")
EXTRA_WORDS = ("科技", "传媒", "实业", "发展")


@dataclass(frozen=True, slots=True)
class Stored:
    number: str
    name: str
    city: str
    telephone: str
    tax_number: str


@dataclass(frozen=True, slots=True)
class Query:
    kind: str  # near, phone, tax, new
    customer: Customer
    expected: str  # the stored number that should be found ("" for new customers)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _new_customer(name: str, city: str, **kna1: str) -> Customer:
    return from_document(
        {"KNA1": {"KTOKD": "1610", "NAME1": name, "ORT01": city, "LAND1": "CN", **kna1}}
    )


def _sample(factory: UnitOfWorkFactory, rng: random.Random, n: int) -> list[Stored]:
    """`n` seeded customers, drawn uniformly from the seeded set (seed.sample_seeded)."""
    with factory() as uow:
        s = uow.session
        out: list[Stored] = []
        for number in sample_seeded(s, rng, n):
            row = s.execute(
                select(Kna1.kunnr, Kna1.name1, Kna1.ort01, Kna1.telf1, Kna1.stcd1).where(
                    Kna1.kunnr == number
                )
            ).one()
            out.append(Stored(*row))
    return out


def _vary_name(rng: random.Random, stored: Stored) -> str:
    """The stored name as another clerk might type it."""
    name, city = stored.name, stored.city
    legal = next((f for f in LEGAL_FORMS if name.endswith(f)), "")
    core = name[: len(name) - len(legal)] if legal else name
    core = core.replace(f"({city})", "")
    if core.startswith(city):
        core = core[len(city) :]
    choice = rng.randrange(4)
    if choice == 0:  # the city in full-width brackets
        return f"{core}（{city}）{legal or '有限公司'}"
    if choice == 1:  # a leading city with 市
        return f"{city}市{core}{legal or '有限公司'}"
    if choice == 2:  # another legal form
        return f"{core}{rng.choice([f for f in LEGAL_FORMS if f != legal])}"
    return f"{core}{rng.choice(EXTRA_WORDS)}{legal or '有限公司'}"  # one more word


def _reformat_phone(phone: str) -> str:
    if phone.startswith("0") and "-" in phone:
        area, local = phone[1:].split("-", 1)
        return f"+86 {area} {local[:4]} {local[4:]}"
    return f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"


def make_queries(factory: UnitOfWorkFactory, count: int, seed_value: int) -> list[Query]:
    rng = random.Random(seed_value)
    gen = Generator(seed_value + 1000)
    n_near, n_phone, n_tax = round(count * 0.4), round(count * 0.15), round(count * 0.15)
    stored = _sample(factory, rng, n_near + n_phone + n_tax)
    queries: list[Query] = []
    for s in stored[:n_near]:
        queries.append(Query("near", _new_customer(_vary_name(rng, s), s.city), s.number))
    for s in stored[n_near : n_near + n_phone]:
        fresh = gen.customer(rng.randrange(10**8))
        queries.append(
            Query(
                "phone",
                _new_customer(fresh.name, fresh.city, TELF1=_reformat_phone(s.telephone)),
                s.number,
            )
        )
    for s in stored[n_near + n_phone :]:
        fresh = gen.customer(rng.randrange(10**8))
        typed = f"{s.tax_number[:6]}-{s.tax_number[6:]}"
        queries.append(Query("tax", _new_customer(fresh.name, fresh.city, STCD1=typed), s.number))
    while len(queries) < count:
        fresh = gen.customer(rng.randrange(10**8))
        queries.append(
            Query("new", _new_customer(fresh.name, fresh.city, TELF1=fresh.telephone), "")
        )
    rng.shuffle(queries)
    return queries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time the duplicate check at scale")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", type=Path, help="SQLite file (default: in the temp folder)")
    where.add_argument("--url", help="database URL, e.g. postgresql://postgres@127.0.0.1/big")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a database that already holds the customers"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)

    if args.url:
        url = args.url
    else:
        path = args.db or Path(tempfile.gettempdir()) / f"custmd-duplicates-{args.customers}.sqlite"
        if path.exists() and not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    have = count_customers(url)
    seed_s: float | None = None
    if args.reuse and have >= args.customers:
        print(f"reusing {describe_url(url)} with {have} customers", flush=True)
    elif have and not args.reuse:
        raise SystemExit(f"{describe_url(url)} is not empty; pass --reuse or an empty database")
    else:
        print(f"seeding {describe_url(url)} with {args.customers - have} customers ...", flush=True)
        seed_s = seed(
            url,
            args.customers - have,
            seed_value=args.seed,
            progress=lambda done, s: print(f"  {done:>9} customers {s:6.1f} s", flush=True),
        )
        print(f"seeded in {seed_s:.1f} s", flush=True)

    engine = make_engine(url)
    factory = UnitOfWorkFactory(engine)
    queries = make_queries(factory, args.queries + args.warmup, args.seed)
    warmup, timed = queries[: args.warmup], queries[args.warmup :]
    for q in warmup:
        find_duplicates(factory, q.customer)
    times_ms: list[float] = []
    hits: list[int] = []
    found: dict[str, list[bool]] = {}
    for q in timed:
        start = time.perf_counter()
        result = find_duplicates(factory, q.customer)
        times_ms.append((time.perf_counter() - start) * 1000)
        hits.append(len(result))
        if q.expected:
            found.setdefault(q.kind, []).append(q.expected in {h.number for h in result})
    engine.dispose()

    total = count_customers(url)
    p95_ms = p95(times_ms)
    print()
    print(f"database: {describe_url(url)} ({engine.dialect.name}), {total} customers")
    if seed_s is not None:
        print(f"seeding: {seed_s:.1f} s")
    print(f"queries: {len(timed)} timed after {len(warmup)} warm-up")
    print(
        f"find_duplicates: p50 {statistics.median(times_ms):6.1f} ms   p95 {p95_ms:6.1f} ms   "
        f"max {max(times_ms):6.1f} ms   mean {statistics.mean(times_ms):6.1f} ms"
    )
    print(
        f"hits per query: mean {statistics.mean(hits):.1f}, max {max(hits)}, "
        f"queries with hits {sum(1 for h in hits if h)}/{len(hits)}"
    )
    for kind, flags in sorted(found.items()):
        print(f"stored customer found ({kind}): {sum(flags)}/{len(flags)}")
    verdict = "met" if p95_ms <= TARGET_P95_MS else "NOT met"
    print(f"target p95 <= {TARGET_P95_MS:.0f} ms: {verdict}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "customers": total,
                    "backend": engine.dialect.name,
                    "seed_s": seed_s,
                    "times_ms": times_ms,
                    "hits": hits,
                    "found": found,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0 if p95_ms <= TARGET_P95_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
