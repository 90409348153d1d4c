"""`custmd customer export FILE`: customers to a file, only those the acting user sees; the
search and filters of `custmd customer search` choose which. Forms: the template's format
(XLSX, --csv a folder of files, --csv-wide one file), the customer list (--list), SAP DEBMAS07
IDocs (--debmas, --changed-since DATE for changes)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from custmd_gui.cli.common import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, print_problems, session


def add_parser(
    cust: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = cust.add_parser(
        "export",
        parents=[common],
        help="export customers (template format, list, SAP DEBMAS IDoc)",
        description="Export the customers you may see. Default: an Excel workbook in the "
        "format of `custmd template`, which the import reads again. --list writes the "
        "customer list's columns, --debmas SAP DEBMAS07 IDocs. --search and the filters "
        "choose customers as the customer list does.",
    )
    p.add_argument("file", type=Path, help="the file to write (with --csv a folder)")
    form = p.add_mutually_exclusive_group()
    form.add_argument("--csv", action="store_true", help="CSV files, one per sheet, into FILE")
    form.add_argument("--csv-wide", action="store_true", help="one CSV file with every sheet")
    form.add_argument(
        "--list",
        action="store_true",
        help="the customer list's columns (number, name, city, status, ...): XLSX, or CSV "
        "for a .csv file name",
    )
    form.add_argument("--debmas", action="store_true", help="SAP DEBMAS07 IDocs as XML")
    p.add_argument(
        "--changed-since",
        type=_date,
        metavar="YYYY-MM-DD",
        help="only customers changed from this day on (change documents); DEBMAS sends "
        "them as changes (MSGFN 004)",
    )
    p.add_argument("--search", default="", metavar="TEXT", help="the list's search text")
    p.add_argument("--account-group", default="", metavar="KTOKD")
    p.add_argument("--company-code", default="", metavar="BUKRS")
    p.add_argument("--sales-area", default="", metavar="VKORG/VTWEG/SPART")
    p.add_argument("--blocked", choices=("yes", "no", "any"), default="any")
    p.add_argument("--deletion-flag", "--flagged", choices=("yes", "no", "any"), default="any")
    p.add_argument("--sender", default="CUSTMD", help="DEBMAS: sending logical system")
    p.add_argument("--receiver", default="SAP", help="DEBMAS: receiving logical system")
    p.add_argument("--client", default="", help="DEBMAS: the receiving SAP client (MANDT)")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期应写成 YYYY-MM-DD / expected a date YYYY-MM-DD, not {text!r}"
        ) from None


def _target_problem(target: Path, folder: bool) -> str:
    if not target.parent.is_dir():
        return (
            f"{target}: 文件夹 {target.parent} 不存在 / the folder {target.parent} does not exist"
        )
    if folder and target.exists() and not target.is_dir():
        return f"{target}: 不是文件夹 / not a folder (--csv writes a folder)"
    if not folder and target.is_dir():
        return f"{target}: 是文件夹，请给出文件名 / is a folder, give a file name"
    return ""


def _partner_problem(args: argparse.Namespace) -> str:
    for option, value, limit in (
        ("--sender", args.sender, 10),
        ("--receiver", args.receiver, 10),
        ("--client", args.client, 3),
    ):
        if len(value) > limit or (option != "--client" and not value):
            return f"{option}: 1-{limit} 个字符 / 1 to {limit} characters"
    return ""


def run(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.services.search import CustomerQuery, Either
    from custmd_gui.services.transfer import export

    target: Path = args.file
    problem = _target_problem(target, folder=args.csv)
    if args.list and args.changed_since is not None:
        problem = "--changed-since: 不能与 --list 一起使用 / cannot go with --list"
    problem = problem or (_partner_problem(args) if args.debmas else "")
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    query = CustomerQuery(
        args.search,
        account_group=args.account_group,
        company_code=args.company_code,
        sales_area=args.sales_area,
        blocked=Either(args.blocked),
        deletion_flag=Either(args.deletion_flag),
    )
    try:
        query.filters()  # a sales area it cannot read: refused before anything is read
        factory, actor = session(url, args)
        if args.list:
            count = export.export_list(factory, actor, target, query=query, lang=lang)
            paths = [target]
        elif args.debmas:
            partners = export.Partners(args.sender, args.receiver, args.client)
            count = export.export_debmas(
                factory,
                actor,
                target,
                query=query,
                changed_since=args.changed_since,
                partners=partners,
            )
            paths = [target]
        else:
            form = (
                export.FileForm.CSV
                if args.csv
                else export.FileForm.CSV_WIDE
                if args.csv_wide
                else export.FileForm.XLSX
            )
            written = export.export_customers(
                factory,
                actor,
                target,
                form=form,
                lang=lang,
                query=query,
                changed_since=args.changed_since,
            )
            count, paths = written.customers, written.paths
    except DomainError as exc:
        print_problems(exc, lang)
        return EXIT_REFUSED
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"{target}: 无法写入 / cannot write: {reason}", file=sys.stderr)
        return EXIT_USAGE
    for path in paths:
        print(path)
    print(
        f"{count} customers exported" if lang == "en" else f"已导出 {count} 个客户",
        file=sys.stderr,
    )
    return EXIT_OK
