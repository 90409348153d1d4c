"""`custmd customer changes NUMBER`: a customer's change documents (XD04) for scripts and
audits, with the same filters as the window (field, date range, activity) and the same
reading of values (a code with its text, a flag as 是/否).

Text: one line per changed field, newest document first as in XD04, tab-separated: date and
time (local), user, activity, transaction, segment, row, field label, field key, old value,
new value, the document's reason (why a block or deletion flag was set, the reason of a
request or of a direct change; empty if none), the request number (empty for a direct change).
JSON: the rows oldest first with the stored values, their texts in both languages, the
document's COMMENT and REQUEST, for a spreadsheet or another program.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING, Any

from custmd_gui.cli.common import EXIT_OK

if TYPE_CHECKING:
    from custmd_gui.services.change_documents import ChangeDocumentRow
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory

ACTIVITIES = ("create", "extend", "change")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, not {text!r}") from None


def add_parser(
    cust: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = cust.add_parser(
        "changes",
        parents=[common],
        help="show a customer's change documents (XD04)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("number")
    p.add_argument(
        "--field", action="append", metavar="KEY", help="only this field (KNB1-ZTERM); repeatable"
    )
    p.add_argument("--from", dest="date_from", type=_day, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_day, metavar="YYYY-MM-DD")
    p.add_argument("--activity", action="append", choices=ACTIVITIES, help="repeatable")
    p.add_argument("--format", choices=("text", "json"), default="text")


def _json_row(row: ChangeDocumentRow) -> dict[str, Any]:
    return {
        "DOCUMENT": str(row.document),
        "KUNNR": row.number,
        "USERNAME": row.user,
        "UDATE": row.when.isoformat(),
        "TCODE": row.tcode,
        "ACTIVITY": row.activity,
        "TABNAME": row.table,
        "FNAME": row.field_key,
        "LABEL": {"zh": row.label.zh, "en": row.label.en},
        "SEGMENT": row.segment,
        "ROW": row.row,
        "CHNGIND": row.indicator,
        "VALUE_OLD": row.old,
        "VALUE_NEW": row.new,
        "TEXT_OLD": {"zh": row.old_text.get("zh"), "en": row.old_text.get("en")},
        "TEXT_NEW": {"zh": row.new_text.get("zh"), "en": row.new_text.get("en")},
        "COMMENT": row.comment,
        "REQUEST": row.request,
    }


def _text_line(row: ChangeDocumentRow, lang: str) -> str:
    cells = [
        f"{row.when.astimezone():%Y-%m-%d %H:%M:%S}",
        row.user,
        row.activity_text.get(lang),
        row.tcode,
        row.segment,
        row.row,
        row.label.get(lang),
        row.field_key,
        row.old_text.get(lang),
        row.new_text.get(lang),
        row.comment,
        row.request,
    ]
    # A tab or line break typed into a value must not split the line.
    return "\t".join(" ".join(c.split()) if c else "" for c in cells)


def run(factory: UowFactory, actor: Actor, args: argparse.Namespace, lang: str) -> int:
    """Print the documents; a refusal (unknown field, customer not found or not visible)
    propagates as a DomainError for the caller's exit code."""
    from custmd_gui.services.change_documents import change_documents

    rows = change_documents(
        factory,
        args.number,
        field=args.field,
        date_from=args.date_from,
        date_to=args.date_to,
        activity=args.activity,
        actor=actor,
    )
    if args.format == "json":
        print(json.dumps([_json_row(r) for r in rows], ensure_ascii=False, indent=2))
        return EXIT_OK
    # Newest document first, as XD04 lists them; within a document the table order stays.
    documents: dict[object, list[ChangeDocumentRow]] = {}
    for row in rows:
        documents.setdefault(row.document, []).append(row)
    for items in reversed(list(documents.values())):
        for row in items:
            print(_text_line(row, lang))
    return EXIT_OK
