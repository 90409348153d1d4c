"""`custmd template FILE`: an Excel (or CSV) template for the data conversion, generated from the
field catalog and the database's customizing (code lists, account groups)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from custmd_gui.cli.common import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, engine, print_problems


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "template",
        parents=[common],
        help="write an import template (XLSX, or CSV)",
        description="Write a template for importing customers: one sheet per segment (general, "
        "bank, company code, sales area, tax classification, partners) with the SAP field "
        "names and labels, required columns marked per account group, dropdowns of the "
        "customizing's codes, instructions and the process documents' example as a sample "
        "row. --lang chooses the language of labels and instructions.",
    )
    p.add_argument("file", type=Path, help="the .xlsx file (with --csv a folder)")
    p.add_argument(
        "--fields",
        metavar="KEY,...",
        help="only these optional columns, e.g. KNA1-NAME2,KNA1-TELF1 (required and key "
        "columns are always there)",
    )
    p.add_argument(
        "--account-group",
        metavar="CODE",
        help="mark the required fields of this account group and leave out the fields it "
        "does not allow (default: marks for every account group)",
    )
    form = p.add_mutually_exclusive_group()
    form.add_argument(
        "--csv",
        action="store_true",
        help="CSV files (UTF-8 with BOM), one per sheet, into the folder FILE",
    )
    form.add_argument(
        "--csv-wide", action="store_true", help="one CSV file with every sheet's columns"
    )


def run(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
    from custmd_gui.services.customizing import read_customizing
    from custmd_gui.services.transfer.template import FileForm, write_template

    target: Path = args.file
    form = FileForm.CSV if args.csv else FileForm.CSV_WIDE if args.csv_wide else FileForm.XLSX
    if not target.parent.is_dir():
        print(
            f"{target}: 文件夹 {target.parent} 不存在 / the folder {target.parent} does not exist",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if form is FileForm.CSV and target.exists() and not target.is_dir():
        print(f"{target}: 不是文件夹 / not a folder (--csv writes a folder)", file=sys.stderr)
        return EXIT_USAGE
    if form is not FileForm.CSV and target.is_dir():
        print(f"{target}: 是文件夹，请给出文件名 / is a folder, give a file name", file=sys.stderr)
        return EXIT_USAGE
    fields = args.fields.split(",") if args.fields is not None else None
    customizing = read_customizing(UnitOfWorkFactory(engine(url)))
    try:
        written = write_template(
            customizing,
            target,
            form=form,
            lang=lang,
            fields=fields,
            account_group=args.account_group,
        )
    except DomainError as exc:
        print_problems(exc, lang)
        return EXIT_REFUSED
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"{target}: 无法写入 / cannot write: {reason}", file=sys.stderr)
        return EXIT_USAGE
    for path in written:
        print(path)
    return EXIT_OK
