"""`custmd customer block|unblock|flag|unflag|delete`: the finance actions of services.status
and the administrator's deletion run (services.deletion) for scripts, with the same checks as
the dialogs, a clear message and a non-zero exit when refused.

Where a block goes: order, delivery and billing blocks to each `--sales-area` given, else
centrally (all sales areas); the posting block to each `--company-code` given, else centrally
(all company codes). `unblock` without a level removes every block at every level; with one,
the blocks of that level. Deletion flags likewise: `flag` without a level flags centrally,
`unflag` without a level removes every deletion flag.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from custmd_gui.cli.common import EXIT_OK, EXIT_REFUSED, print_problems

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory
    from custmd_gui.services.status import StatusEdit

COMMANDS = ("block", "unblock", "flag", "unflag")


def add_parsers(
    cust: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    helps = {
        "block": "block customers (XD05): order, delivery, billing or posting block",
        "unblock": "remove blocks (XD05); without a level every block of the customers",
        "flag": "set deletion flags (XD06); without a level the central one",
        "unflag": "remove deletion flags (XD06); without a level every one",
    }
    for name in COMMANDS:
        p = cust.add_parser(name, parents=[common], help=helps[name], description=__doc__)
        p.add_argument("numbers", nargs="+", metavar="NUMBER")
        p.add_argument("--comment", required=True, help="why (stored on the change document)")
        p.add_argument("--sales-area", action="append", default=[], metavar="VKORG/VTWEG/SPART")
        p.add_argument("--company-code", action="append", default=[], metavar="BUKRS")
        p.add_argument("--format", choices=("json", "text"), default="text")
        if name == "block":
            for block in ("order", "delivery", "billing"):
                p.add_argument(f"--{block}", default="", metavar="REASON", help=f"{block} block")
            p.add_argument("--posting", action="store_true", help="posting block")
    delete = cust.add_parser(
        "delete",
        parents=[common],
        help="physically delete customers flagged for deletion and never used (administrator)",
        description="Deletes customers that carry the central deletion flag, have no business "
        "in the usage register, are nobody's partner and are not open in XD02; each is first "
        "written to the archive folder as the JSON `customer show` prints, which `customer "
        "create` reads back. One refusal stops the whole run.",
    )
    delete.add_argument("numbers", nargs="+", metavar="NUMBER")
    delete.add_argument("--comment", required=True, help="why (stored on the change document)")
    delete.add_argument(
        "--archive",
        type=Path,
        default=None,
        metavar="FOLDER",
        help="where the archive files go (default: the app's data folder, archive/)",
    )


def edits_of(args: argparse.Namespace) -> list[StatusEdit]:
    from custmd_gui.services.status import Level, StatusEdit

    areas: list[str] = [a.strip().upper() for a in args.sales_area]
    codes: list[str] = [c.strip().upper() for c in args.company_code]
    command = args.customer_command
    if command == "block":
        order, delivery = args.order or None, args.delivery or None
        billing = args.billing or None
        edits: list[StatusEdit] = []
        if order or delivery or billing:
            levels = [(Level.SALES_AREA, a) for a in areas] or [(Level.CENTRAL, "")]
            edits += [StatusEdit(lv, key, order, delivery, billing) for lv, key in levels]
        if args.posting:
            edits += [StatusEdit(Level.COMPANY_CODE, c, posting=True) for c in codes] or [
                StatusEdit(Level.CENTRAL, posting=True)
            ]
        return edits
    if command == "unblock":
        if not areas and not codes:
            return [StatusEdit.unblock_everything()]
        return [
            *(StatusEdit(Level.SALES_AREA, a, order="", delivery="", billing="") for a in areas),
            *(StatusEdit(Level.COMPANY_CODE, c, posting=False) for c in codes),
        ]
    flag = command == "flag"
    if not areas and not codes:
        return [StatusEdit(deletion=True) if flag else StatusEdit.unflag_everything()]
    return [
        *(StatusEdit(Level.SALES_AREA, a, deletion=flag) for a in areas),
        *(StatusEdit(Level.COMPANY_CODE, c, deletion=flag) for c in codes),
    ]


def run(factory: UowFactory, actor: Actor, args: argparse.Namespace, lang: str) -> int:
    """Run the command on `factory`'s database as `actor` (cli.common.session)."""
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.services.status import change_status

    if args.customer_command == "delete":
        return _delete(factory, actor, args, lang)
    try:
        report = change_status(factory, args.numbers, edits_of(args), actor, args.comment)
    except DomainError as exc:
        print_problems(exc, lang)
        return EXIT_REFUSED
    if args.format == "json":
        print(
            json.dumps(
                {
                    "changed": [
                        {
                            "KUNNR": r.customer.number,
                            "items": [
                                {"table": i.table, "field": i.field, "old": i.old, "new": i.new}
                                for i in r.items
                            ],
                        }
                        for r in report.changed
                    ],
                    "unchanged": report.unchanged,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for r in report.changed:
            fields = ", ".join(
                f"{i.table}-{i.field} {i.old or '-'}→{i.new or '-'}" for i in r.items
            )
            print(f"{r.customer.number}\t{fields}")
        print(report.summary(lang))
    return EXIT_OK


def _delete(factory: UowFactory, actor: Actor, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.services.deletion import delete_customers
    from custmd_gui.settings import default_archive_dir

    folder: Path = args.archive or default_archive_dir()
    try:
        report = delete_customers(factory, args.numbers, actor, folder, args.comment)
    except DomainError as exc:
        print_problems(exc, lang)
        return EXIT_REFUSED
    for removal in report.removed:
        print(f"{removal.number}\t{removal.name}\t{removal.archive}")
    print(report.summary(lang))
    return EXIT_OK
