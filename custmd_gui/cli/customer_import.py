"""`custmd customer import FILE`: customers from a filled template (XLSX, CSV or a folder of
CSV files), checked as the wizard checks them (services.transfer.import_file)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from custmd_gui.cli.common import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, print_problems, session


def add_parser(
    cust: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = cust.add_parser(
        "import",
        parents=[common],
        help="import customers from a filled template (XLSX or CSV)",
        description="Import customers from a template written by `custmd template` (XLSX, a "
        "CSV file, or a folder of CSV files). Every row is checked as the wizard checks it "
        "and every problem is listed with sheet, row, column and field; nothing is written "
        "while errors remain unless --accept-good-rows. Customers are recognised by "
        "KNA1-ALTKN (previous account number), else by KNA1-KUNNR: importing the same file "
        "again updates or skips them, never duplicates. The failed rows go to "
        "FILE.errors.xlsx with an error column, to be fixed and imported again.",
    )
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    p.add_argument(
        "--mode",
        choices=("insert", "update", "upsert"),
        default="upsert",
        help="insert: new customers only (stored ones are skipped); update: stored customers "
        "only; upsert (default): both",
    )
    p.add_argument(
        "--accept-good-rows",
        action="store_true",
        help="write the customers without errors even when others have errors",
    )


def run(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.domain.errors import DomainError, Severity
    from custmd_gui.domain.hygiene import UnreadableFile
    from custmd_gui.services.transfer.import_file import import_customers
    from custmd_gui.services.transfer.import_report import Mode

    file: Path = args.file
    if not file.exists():
        print(f"{file}: 文件不存在 / no such file", file=sys.stderr)
        return EXIT_USAGE
    try:
        factory, actor = session(url, args)
        report = import_customers(
            factory,
            file,
            actor,
            mode=Mode(args.mode),
            dry_run=args.dry_run,
            accept_good_rows=args.accept_good_rows,
            lang=lang,
        )
    except UnreadableFile as exc:
        print_problems(exc, lang)
        return EXIT_USAGE
    except DomainError as exc:
        print_problems(exc, lang)
        return EXIT_REFUSED
    except OSError as exc:
        print(f"{file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    for problem in report.problems:
        print(problem.line(lang), file=sys.stderr)
    print(report.summary(lang))
    errors = any(p.severity is Severity.ERROR for p in report.problems)
    return EXIT_REFUSED if errors else EXIT_OK
