"""`custmd usage import|show`: the usage register (business per customer and org unit)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from custmd_gui.cli.common import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, print_problems, session


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    usage = sub.add_parser("usage", help="usage register (business per org unit)").add_subparsers(
        dest="usage_command", required=True
    )
    imp = usage.add_parser(
        "import",
        parents=[common],
        help="import an ERP usage extract (CSV in UTF-8, or XLSX)",
        description="Import document counts and last document dates per customer and company "
        "code or sales area. Nothing is imported while any row has an error, unless "
        "--accept-good-rows is given.",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--accept-good-rows",
        action="store_true",
        help="import the rows without errors even when other rows have some",
    )
    imp.add_argument("--format", choices=("text", "json"), default="text")
    used = usage.add_parser("show", parents=[common], help="show a customer's usage register")
    used.add_argument("number")
    used.add_argument("--format", choices=("json", "text"), default="text")


def import_extract(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.services.usage import import_usage

    file: Path = args.file
    if not file.is_file():
        print(f"{file}: 文件不存在 / no such file", file=sys.stderr)
        return EXIT_USAGE
    factory, actor = session(url, args)
    try:
        report = import_usage(factory, file, actor, accept_good_rows=args.accept_good_rows)
    except OSError as exc:
        print(f"{file}: 无法读取文件 / cannot read the file: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        doc = {
            "source": report.source,
            "rows_read": report.rows_read,
            "imported": report.imported,
            "rejected": report.rejected,
            "problems": [
                {
                    "line": p.line,
                    "column": p.column,
                    "letter": p.letter,
                    "value": p.value,
                    "severity": p.severity.value,
                    "message": {"zh": p.message.zh, "en": p.message.en},
                    "text": p.text(lang),
                }
                for p in report.problems
            ],
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        # Problems on stderr as every command reports them, the summary on stdout.
        for problem in report.problems:
            print(problem.text(lang), file=sys.stderr)
        print(report.summary(lang))
        if report.refused and report.rows_read > report.rejected:
            print(
                "Correct the rows and import again, or import only the rows without errors "
                "with --accept-good-rows"
                if lang == "en"
                else "请改正后重新导入，或用 --accept-good-rows 只导入没有错误的行",
                file=sys.stderr,
            )
    return EXIT_REFUSED if report.refused else EXIT_OK


def show(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.services.usage import read_usage

    number: str = args.number
    fmt: str = args.format
    try:
        factory, actor = session(url, args)
        entries = read_usage(factory, number, actor)
    except DomainError as exc:
        print_problems(exc, lang)
        return EXIT_REFUSED
    if fmt == "json":
        rows = [
            {
                "KUNNR": e.number,
                "ORG_KIND": e.org_kind.value,
                "ORG_UNIT": e.org_unit,
                "DOC_COUNT": e.doc_count,
                "LAST_DOC_DATE": e.last_doc_date.isoformat() if e.last_doc_date else None,
                "IMPORTED_AT": e.imported_at.isoformat() if e.imported_at else None,
                "SOURCE": e.source,
            }
            for e in entries
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    for e in entries:
        print(f"{e.describe().get(lang)}\t{e.source}")
    if not entries:
        # Not an error: a customer without recorded business is what a deletion needs.
        print(
            f"No business registered for customer {number}"
            if lang == "en"
            else f"客户 {number} 没有登记的业务",
            file=sys.stderr,
        )
    return EXIT_OK
