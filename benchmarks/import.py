"""Import benchmark: `custmd customer import` of generated customers into a full database.

    python benchmarks/import.py [--customers 100000] [--existing 1000000]
        [--db PATH | --url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
        [--reuse] [--keep] [--seed 1]

1. The database (SQLite in the temp folder, or with --url a database of its own on that
   server) is filled with `--existing` customers by benchmarks/seed.py; its rate (customers/s,
   no validation) is the baseline of this run. With --reuse an already filled database is
   used and the seeder is timed on a small database of its own instead (20,000 customers).
2. `--customers` customers of the seed's generator (another seed, so no name repeats by
   design) are written into the template's workbook (XLSX, the template's header rows, one
   row per customer and segment): the documents' example customer (account group 1510,
   internal numbers) with the generated name, address, telephone, tax number and unified
   social credit code, tied across sheets by KNA1-ALTKN.
3. A dry run, then the real import, each in a process of its own (`--child`) so that its peak
   RSS (VmHWM) is the import's: import_customers as the CLI calls it, with the phases timed
   (ImportReport.seconds): read (the file into rows), validate (grouping, documents, the
   validator, partners, USCC against the database), duplicate check (similar stored
   customers, XD01's check) and write (numbers, rows, change documents, search indexes).

Printed: customers/s for each phase and end to end, peak RSS, and the seeder's rate. Exit
status 1 when a target is missed: >= 1,000 customers/s end to end and at least half the
seeder's rate, RSS <= 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
for where in (str(REPO), str(HERE)):
    if where not in sys.path:  # run as a script from anywhere
        sys.path.insert(0, where)

from seed import (  # noqa: E402
    Generator,
    MadeUp,
    count_customers,
    describe_url,
    postgres_database,
    prepare_database,
    seed,
    sqlite_database,
)

TARGET_RATE = 1_000.0  # customers/s end to end
TARGET_SHARE = 0.5  # of the seeder's rate
TARGET_RSS_MB = 500.0
BASELINE_SEED = 20_000  # customers the seeder is timed on when the database is reused
PHASES = ("read", "validate", "duplicates", "write")


def _base_rows() -> dict[str, list[dict[str, str]]]:
    """The documents' example as template rows, made a customer of group 1510 (internal
    numbers), its partners the customer itself."""
    from custmd_gui.domain.sap_document import from_document
    from custmd_gui.domain.transfer import columns as cols

    doc = json.loads((REPO / "resources" / "demo" / "dongning.json").read_text("utf-8"))
    rows = cols.rows_of(from_document(doc))
    for sheet_rows in rows.values():
        for row in sheet_rows:
            row["KNA1-KUNNR"] = ""
            if "KNVP-KUNN2" in row:
                row["KNVP-KUNN2"] = ""
    rows["general"][0]["KNA1-KTOKD"] = "1510"
    rows["company_code"][0]["KNB1-AKONT"] = "1122100000"
    return rows


def _general(base: dict[str, str], c: MadeUp, altkn: str) -> dict[str, str]:
    return {
        **base,
        "KNA1-ALTKN": altkn,
        "KNA1-NAME1": c.name,
        "KNA1-NAME2": "",
        "KNA1-NAME3": c.name,
        "KNA1-SORTL": c.name[:10],
        "KNA1-STRAS": c.street,
        "KNA1-PSTLZ": c.postal_code,
        "KNA1-ORT01": c.city,
        "KNA1-REGIO": c.region,
        "KNA1-TELF1": c.telephone,
        "KNA1-STCD1": c.tax_number,
        "KNA1-STCD5": c.uscc,
    }


def write_workbook(url: str, path: Path, count: int, seed_value: int) -> float:
    """The template (from the database's customizing) with `count` generated customers."""
    import openpyxl

    from custmd_gui.domain.transfer import columns as cols
    from custmd_gui.persistence.engine import make_engine
    from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
    from custmd_gui.services.customizing import read_customizing
    from custmd_gui.services.transfer.template import write_template

    start = time.perf_counter()
    engine = make_engine(url)
    write_template(read_customizing(UnitOfWorkFactory(engine)), path)
    engine.dispose()
    template = openpyxl.load_workbook(path)
    heads: dict[str, list[list[Any]]] = {}
    for sheet in cols.sheets():
        ws = template[sheet.name("zh")]
        heads[sheet.id] = [
            [cell.value for cell in row] for row in ws.iter_rows(max_row=cols.SAMPLE_ROW - 1)
        ]
    book = openpyxl.Workbook(write_only=True)
    base = _base_rows()
    gen = Generator(seed_value)
    made = [gen.customer(serial) for serial in range(count)]
    for sheet in cols.sheets():
        ws = book.create_sheet(sheet.name("zh"))
        for head in heads[sheet.id]:
            ws.append(head)
        keys = heads[sheet.id][cols.KEY_ROW - 1][1:]
        for i, c in enumerate(made):
            altkn = f"B{seed_value % 100:02}{i:07}"  # a run of its own: inserts, not updates
            for row in base.get(sheet.id, []):
                values = _general(row, c, altkn) if sheet.id == "general" else row
                values = {**values, "KNA1-ALTKN": altkn}
                ws.append([None, *(values.get(k, "") or None for k in keys)])
    book.save(path)
    return time.perf_counter() - start


def child(url: str, path: Path, dry_run: bool) -> int:
    """One import in this process; prints its figures as JSON."""
    from custmd_gui.persistence.engine import make_engine
    from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
    from custmd_gui.services.context import Actor
    from custmd_gui.services.transfer.import_file import Mode, import_customers

    engine = make_engine(url)
    factory = UnitOfWorkFactory(engine)
    start, start_cpu = time.perf_counter(), time.process_time()
    report = import_customers(factory, path, Actor("benchmark"), mode=Mode.UPSERT, dry_run=dry_run)
    total, total_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    status = Path("/proc/self/status").read_text(encoding="ascii")
    memory = {
        line.split(":")[0]: int(line.split()[1]) // 1024
        for line in status.splitlines()
        if line.startswith(("VmRSS", "VmHWM"))
    }
    engine.dispose()
    print(
        json.dumps(
            {
                "customers": len(report.outcomes),
                "written": report.written,
                "errors": len(report.errors),
                "first_errors": [str(p.message.en) for p in report.errors[:3]],
                "seconds": {**report.seconds, "total": total},
                # getattr: a baseline run of a version whose report has no CPU seconds
                "cpu": {**getattr(report, "cpu_seconds", {}), "total": total_cpu},
                "load": os.getloadavg()[0],  # a busy machine stretches the wall times
                **memory,
            }
        )
    )
    return 0


def run_child(url: str, path: Path, dry_run: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", url, str(path)]
    if dry_run:
        command.append("--dry-run")
    out = subprocess.run(command, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"import failed: {out.stderr}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def baseline(args: argparse.Namespace, seeded_s: float | None) -> float:
    """The seeder's customers/s in this run: of the fill when this run filled the database,
    else of a small database of its own."""
    if seeded_s is not None:
        return float(args.existing) / seeded_s
    db = (
        postgres_database(args.url, "importbase", BASELINE_SEED, reuse=False)
        if args.url
        else sqlite_database(None, "importbase", BASELINE_SEED, reuse=False)
    )
    try:
        return BASELINE_SEED / seed(db.url, BASELINE_SEED, seed_value=args.seed)
    finally:
        db.drop()


def print_run(name: str, figures: dict[str, Any]) -> float:
    n = figures["customers"]
    secs = figures["seconds"]
    print(
        f"{name}: {n} customers, {figures['written']} written, {figures['errors']} errors, "
        f"peak RSS {figures['VmHWM']} MB, load average {figures['load']:.1f}"
    )
    cpu = figures["cpu"]
    for phase in PHASES:
        s = secs.get(phase, 0.0)
        rate = n / s if s else float("inf")
        used = cpu.get(phase, 0.0)
        print(f"  {phase:<11} {s:8.2f} s  {rate:10.0f} customers/s  (CPU {used:.2f} s)")
    total = secs["total"]
    print(
        f"  {'end to end':<11} {total:8.2f} s  {n / total:10.0f} customers/s  "
        f"(CPU {cpu['total']:.2f} s, {n / cpu['total']:.0f} customers per CPU second)"
    )
    for message in figures["first_errors"]:
        print(f"  error: {message}")
    return float(n) / float(total)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time the customer import at scale")
    parser.add_argument("--customers", type=int, default=100_000, help="customers imported")
    parser.add_argument("--existing", type=int, default=1_000_000, help="customers stored")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", type=Path, help="SQLite file (default: in the temp folder)")
    where.add_argument("--url", help="PostgreSQL server URL (a database of its own is made)")
    parser.add_argument("--reuse", action="store_true", help="use a database that exists")
    parser.add_argument("--keep", action="store_true", help="keep the database this run made")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=2, metavar=("URL", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--dry-run", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child[0], Path(args.child[1]), args.dry_run)

    # prepare_database seeds up to args.customers: here that is the stored ones.
    seeding = argparse.Namespace(**{**vars(args), "customers": args.existing})
    db = prepare_database(seeding, "import")
    failed = True
    try:
        seed_rate = baseline(args, db.seed_s)
        print(f"seeder (no validation): {seed_rate:.0f} customers/s", flush=True)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"import-{args.customers}.xlsx"
            made_s = write_workbook(db.url, path, args.customers, args.seed + 1000)
            print(
                f"workbook: {args.customers} customers, {path.stat().st_size // 1024} KB, "
                f"written in {made_s:.1f} s",
                flush=True,
            )
            before = count_customers(db.url)
            dry = run_child(db.url, path, dry_run=True)
            print_run("dry run", dry)
            real = run_child(db.url, path, dry_run=False)
            rate = print_run("import", real)
            after = count_customers(db.url)
        print(f"database {describe_url(db.url)}: {before} -> {after} customers")
        rss = max(dry["VmHWM"], real["VmHWM"])
        checks = {
            f"end to end >= {TARGET_RATE:.0f}/s": rate >= TARGET_RATE,
            f"end to end >= {TARGET_SHARE:.0%} of the seeder ({seed_rate:.0f}/s)": rate
            >= TARGET_SHARE * seed_rate,
            f"peak RSS <= {TARGET_RSS_MB:.0f} MB": rss <= TARGET_RSS_MB,
            "every customer written": real["written"] == args.customers,
        }
        for label, ok in checks.items():
            print(f"  {'ok  ' if ok else 'MISS'} {label}")
        failed = not all(checks.values())
    finally:
        if db.created and not args.keep:
            db.drop()
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.setdefault("CUSTMD_LANG", "zh")
    raise SystemExit(main())
