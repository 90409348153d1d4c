"""`custmd kpi --from YYYY-MM --to YYYY-MM [--by branch|company_code] --format json|csv`:
the master-data KPIs (services.kpi) per month and branch or company code."""

from __future__ import annotations

import argparse
import csv
import json
import sys

from custmd_gui.cli.common import EXIT_OK, EXIT_REFUSED, print_problems, session


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    kpi = sub.add_parser(
        "kpi",
        parents=[common],
        help="master-data KPIs of the maintenance requests",
        description="Completeness, timeliness and accuracy of the maintenance requests per "
        "month (China Standard Time) and branch or company code; the definitions are in "
        "the README (KPIs).",
    )
    kpi.add_argument("--from", dest="first", metavar="YYYY-MM", required=True)
    kpi.add_argument("--to", dest="last", metavar="YYYY-MM", required=True)
    kpi.add_argument("--by", choices=("branch", "company_code"), default="branch")
    kpi.add_argument("--format", choices=("json", "csv"), default="json")


def run(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.services.kpi import ALL, Dimension, kpis
    from custmd_gui.services.kpi_table import COLUMNS, record, table_rows

    try:
        factory, actor = session(url, args)
        report = kpis(factory, actor, args.first, args.last, Dimension(args.by))
    except DomainError as exc:
        print_problems(exc, lang)
        return EXIT_REFUSED
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["level", *(c.key for c in COLUMNS)])
        for row in table_rows(report):
            level = "period" if ".." in row.month else ("month" if row.unit == ALL else "unit")
            writer.writerow([level, *("" if (v := c.value(row)) is None else v for c in COLUMNS)])
        return EXIT_OK
    doc = {
        "from": report.first_month,
        "to": report.last_month,
        "by": report.dimension.value,
        "timezone": "UTC+08:00",
        "overall": record(report.overall),
        "months": [record(r) for r in report.totals],
        "rows": [record(r) for r in report.rows],
    }
    print(json.dumps(doc, ensure_ascii=False, indent=2))
    return EXIT_OK
