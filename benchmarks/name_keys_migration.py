"""What migration 0015 (duplicate-check name keys made anew) costs on a big customer base.

    python benchmarks/name_keys_migration.py [--customers 200000] [--stale 3]
                                             [--db PATH | --url postgresql://...] [--reuse]

Seeds `--customers` made-up customers (benchmarks/seed.py; their keys are made the new way),
makes the keys of `--stale` per cent of them old (as an older version stored them), sets the
schema back to 0014 and times `migrate.upgrade` to 0015; then checks that every key is as
normalize_name makes it. Prints the seconds and the figure for a million customers.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import count_customers, describe_url, seed, sqlite_database  # noqa: E402
from sqlalchemy import select, text, update  # noqa: E402

from custmd_gui.domain import names  # noqa: E402
from custmd_gui.persistence import migrate  # noqa: E402
from custmd_gui.persistence.engine import make_engine  # noqa: E402
from custmd_gui.persistence.tables import Kna1, Kna1Search  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--stale", type=float, default=3.0, help="per cent of keys made old")
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--url", default=None)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    database = None
    if args.url:
        url = args.url
    else:
        database = sqlite_database(args.db, "name-keys", args.customers, reuse=args.reuse)
        url = database.url
    try:
        if count_customers(url) < args.customers:
            print(f"seeding {args.customers} customers into {describe_url(url)} …", flush=True)
            seed(url, args.customers - count_customers(url))
        engine = make_engine(url, statement_timeout=None)
        every = max(1, round(100 / args.stale)) if args.stale > 0 else 0
        with engine.begin() as conn:
            numbers = list(conn.scalars(select(Kna1.kunnr).order_by(Kna1.kunnr)))
            stale = numbers[::every] if every else []
            for i in range(0, len(stale), 5000):
                conn.execute(
                    update(Kna1Search)
                    .where(Kna1Search.kunnr.in_(stale[i : i + 5000]))
                    .where(Kna1Search.kind == names.NAME_KEY)
                    .values(token="old key")
                )
            conn.execute(text("UPDATE alembic_version SET version_num = '0014'"))
        start = time.perf_counter()
        migrate.upgrade(engine, "0015")
        seconds = time.perf_counter() - start
        with engine.connect() as conn:
            keys = dict(
                conn.execute(
                    select(Kna1Search.kunnr, Kna1Search.token).where(
                        Kna1Search.kind == names.NAME_KEY
                    )
                ).all()
            )
            wrong = sum(
                1
                for number, name in conn.execute(select(Kna1.kunnr, Kna1.name1))
                if keys.get(number, "") != names.normalize_name(name)
            )
        engine.dispose()
        n = len(numbers)
        print(f"customers {n}, keys made old {len(stale)}")
        print(f"migration 0015: {seconds:.1f} s; per million customers ≈ {seconds * 1e6 / n:.0f} s")
        print(f"keys not as normalize_name makes them afterwards: {wrong}")
    finally:
        if database is not None and database.created:
            database.drop()


if __name__ == "__main__":
    main()
