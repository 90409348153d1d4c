"""`custmd request form NUMBER --pdf FILE`: the request form (客户主数据维护申请表) of a request
as an A4 PDF; `custmd request form --xlsx FILE`: the blank Excel request form (one customer per
sheet) a branch without access fills and mails in; `custmd request import-form FILE`: a filled
form read into draft requests, one per customer sheet, every problem reported by sheet, cell
and field (nothing is filed while any sheet has an error)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from custmd_gui.cli.common import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, print_problems

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory

COMMANDS = ("form", "import-form")
_APP: list[object] = []  # the GUI application the PDF's fonts need, kept for the process


def add_parsers(
    req: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    form = req.add_parser(
        "form",
        parents=[common],
        help="print a request's form as PDF, or write the blank Excel request form",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    form.add_argument("number", nargs="?", default=None, help="the request (with --pdf)")
    out = form.add_mutually_exclusive_group(required=True)
    out.add_argument("--pdf", type=Path, metavar="FILE", help="the request's form as PDF (A4)")
    out.add_argument("--xlsx", type=Path, metavar="FILE", help="the blank Excel request form")
    form.add_argument(
        "--sheets",
        type=int,
        default=1,
        metavar="N",
        help="customer sheets of the blank form (default 1; more can be copied in Excel)",
    )
    imp = req.add_parser(
        "import-form",
        parents=[common],
        help="file draft requests from a filled Excel request form",
    )
    imp.add_argument("file", type=Path)


def _folder_problem(target: Path) -> str | None:
    if not target.parent.is_dir():
        return (
            f"{target}: 文件夹 {target.parent} 不存在 / the folder {target.parent} does not exist"
        )
    if target.is_dir():
        return f"{target}: 是文件夹，请给出文件名 / is a folder, give a file name"
    return None


def run(factory: UowFactory, actor: Actor, args: argparse.Namespace, lang: str) -> int:
    if args.request_command == "import-form":
        return _import(factory, actor, args.file, lang)
    target: Path = args.pdf or args.xlsx
    if problem := _folder_problem(target):
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.pdf is not None:
            if not args.number:
                print("请给出申请编号 / give the request number", file=sys.stderr)
                return EXIT_USAGE
            _pdf(factory, actor, args.number, target, lang)
        else:
            if args.number:
                print(
                    "--xlsx 写空白申请表，不带申请编号 / --xlsx writes a blank form",
                    file=sys.stderr,
                )
                return EXIT_USAGE
            from custmd_gui.services.customizing import read_customizing
            from custmd_gui.services.request_form_xlsx import write_request_form

            if args.sheets < 1:
                print("--sheets 至少为 1 / --sheets is at least 1", file=sys.stderr)
                return EXIT_USAGE
            write_request_form(read_customizing(factory), target, lang=lang, sheets=args.sheets)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"{target}: 无法写入 / cannot write: {reason}", file=sys.stderr)
        return EXIT_USAGE
    print(target)
    return EXIT_OK


def _pdf(factory: UowFactory, actor: Actor, number: str, target: Path, lang: str) -> None:
    from custmd_gui.services.request_form import request_form

    form = request_form(factory, actor, number, lang=lang)  # refused before Qt starts
    from PySide6.QtGui import QGuiApplication

    from custmd_gui.ui.request_pdf import write_pdf

    # Fonts need a GUI application; no window is shown, so no display is needed either.
    if QGuiApplication.instance() is None:
        _APP.append(QGuiApplication(["custmd", "-platform", "offscreen"]))
    write_pdf(form, target)


def _import(factory: UowFactory, actor: Actor, path: Path, lang: str) -> int:
    from custmd_gui.domain.hygiene import UnreadableFile
    from custmd_gui.services.request_form_import import FormRefused, import_request_form

    try:
        filed = import_request_form(factory, actor, path)
    except UnreadableFile as exc:
        print_problems(exc, lang)
        return EXIT_USAGE
    except FormRefused as exc:
        for p in exc.problems_at:
            print(p.line(lang), file=sys.stderr)
        return EXIT_REFUSED
    for request in filed:
        name = request.document.general.name
        print(f"{request.number}\t{name}")
    return EXIT_OK
