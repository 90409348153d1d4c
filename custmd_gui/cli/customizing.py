"""`custmd customizing export|import`: customizing transport between databases for scripts
(the format of resources/customizing; services.customizing_transport). Administrators only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from custmd_gui.cli.common import EXIT_OK, EXIT_USAGE, session


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    cust = sub.add_parser("customizing", help="customizing transport").add_subparsers(
        dest="customizing_command", required=True
    )
    exp = cust.add_parser(
        "export",
        parents=[common],
        help="export customizing to a YAML file",
        description="Write the code lists (all, or those named with --list), the number-range "
        "intervals and the account groups with their field status to FILE.",
    )
    exp.add_argument("file", type=Path)
    exp.add_argument(
        "--list",
        action="append",
        dest="lists",
        metavar="LIST_ID",
        help="export this code list (repeatable); default: all",
    )
    exp.add_argument(
        "--no-structure", action="store_true", help="leave out number ranges and account groups"
    )
    imp = cust.add_parser(
        "import",
        parents=[common],
        help="import customizing from a YAML file",
        description="Bring the database's customizing to what FILE holds: each list in the "
        "file is the whole list; intervals and account groups are added or changed. Refused "
        "when a code customers hold would vanish.",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")


def run(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.services.customizing_transport import export_customizing, import_customizing

    file: Path = args.file
    factory, actor = session(url, args)
    if args.customizing_command == "export":
        text = export_customizing(factory, actor, args.lists, not args.no_structure)
        try:
            file.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"{file}: 无法写入文件 / cannot write the file: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"{file}" if lang.startswith("en") else f"已导出到 {file}")
        return EXIT_OK
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{file}: 无法读取文件 / cannot read the file: {exc}", file=sys.stderr)
        return EXIT_USAGE
    plan = import_customizing(factory, actor, text, dry_run=args.dry_run)
    for change in plan.changes:
        print(change.line())
    print(plan.summary(lang))
    return EXIT_OK
