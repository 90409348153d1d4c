"""`custmd customer create|show|search`: a customer from a SAP-shaped JSON file, one customer
as JSON or text, and the search of the customer list."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from custmd_gui.cli.common import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, print_problems, session

if TYPE_CHECKING:
    from custmd_gui.services.duplicates import DuplicateHit


def add_parsers(
    cust: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    create = cust.add_parser(
        "create", parents=[common], help="create a customer from a SAP-shaped JSON file"
    )
    create.add_argument("file", type=Path)
    create.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="create the customer even when similar customers exist (the duplicate check of "
        "XD01); the same unified social credit code is refused all the same",
    )
    show = cust.add_parser("show", parents=[common], help="show one customer")
    show.add_argument("number")
    show.add_argument("--format", choices=("json", "text"), default="text")
    find = cust.add_parser(
        "search",
        parents=[common],
        help="find customers as the search field of the customer list does",
        description="Find customers by number prefix, any part of the name or search term, "
        "pinyin initials, city, postal code, telephone or tax number; several words must "
        "all match. In customer-number order.",
    )
    find.add_argument("term", nargs="*", help="search text (none: every customer)")
    find.add_argument("--format", choices=("json", "text"), default="text")
    find.add_argument("--limit", type=_limit, default=50, help="at most this many (1-1000)")
    find.add_argument("--after", default="", metavar="NUMBER", help="start after this number")
    find.add_argument("--account-group", default="", metavar="KTOKD")
    find.add_argument("--company-code", default="", metavar="BUKRS")
    find.add_argument("--sales-area", default="", metavar="VKORG/VTWEG/SPART")
    find.add_argument("--blocked", choices=("yes", "no", "any"), default="any")
    find.add_argument("--deletion-flag", choices=("yes", "no", "any"), default="any")


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"expected a number from 1 to 1000, not {text!r}")
    return value


def create(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.domain.hygiene import UnreadableFile
    from custmd_gui.domain.sap_document import load_document
    from custmd_gui.domain.validation import input_problems

    file: Path = args.file
    try:
        customer = load_document(file)
    except UnreadableFile as exc:
        print_problems(exc, lang)
        return EXIT_USAGE
    try:
        # Before any query takes a value: PostgreSQL refuses NUL, and no one wants the rest.
        if unseen := input_problems(customer):
            raise DomainError(unseen)
        # Only now the database's modules: a document refused above is refused at once.
        from custmd_gui.services.create import create_customer, created_message
        from custmd_gui.services.duplicates import check_before_save

        factory, actor = session(url, args)
        if not args.allow_duplicate:
            # XD01's duplicate check. A credit code held by another customer is no question
            # but an error: create_customer reports it with every other problem.
            taken, hits = check_before_save(factory, customer, actor=actor)
            if hits and not taken:
                _print_duplicates(hits, lang)
                return EXIT_REFUSED
        created = create_customer(factory, customer, actor)
    except DomainError as exc:
        print_problems(exc, lang)
        return EXIT_REFUSED
    print(created_message(created, lang))
    return EXIT_OK


def _print_duplicates(hits: list[DuplicateHit], lang: str) -> None:
    """A likely duplicate, as XD01 asks about it: the similar customers, one per line."""
    n = len(hits)
    print(
        f"KNA1-NAME1: Found {n} similar customer{'s' if n > 1 else ''}; if this is a "
        "different customer, create it with --allow-duplicate"
        if lang == "en"
        else f"KNA1-NAME1: 可能是重复的客户，找到 {n} 个相似的客户；"
        "确认不是同一客户时，请加上 --allow-duplicate 重新创建",
        file=sys.stderr,
    )
    for hit in hits:
        print("\t".join((hit.number, hit.name, hit.city, hit.reason_text(lang))), file=sys.stderr)


def show(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.catalog import catalog
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.domain.sap_document import to_document
    from custmd_gui.services.create import read_customer

    number: str = args.number
    fmt: str = args.format
    try:
        factory, actor = session(url, args)
        customer = read_customer(factory, number, actor)
    except DomainError as exc:
        print_problems(exc, lang)
        return EXIT_REFUSED
    doc = to_document(customer)
    if fmt == "json":
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return EXIT_OK
    cat = catalog()

    def dump(table: str, values: dict[str, Any], indent: str) -> None:
        for name, value in values.items():
            if isinstance(value, list):
                for i, item in enumerate(value, 1):
                    print(f"{indent}{name} #{i}")
                    dump(name, item, indent + "  ")
            elif value not in ("", None) and f"{table}-{name}" in cat:
                label = cat.field(f"{table}-{name}").label.get(lang)
                print(f"{indent}{table}-{name:<6} {label:<12} {value}")

    for table, values in doc.items():
        if isinstance(values, dict):
            dump(table, values, "")
        else:
            for i, item in enumerate(values, 1):
                print(f"{table} #{i}")
                dump(table, item, "  ")
    return EXIT_OK


def search(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.services.search import CustomerQuery, Either, search_customers

    query = CustomerQuery(
        " ".join(args.term),
        account_group=args.account_group,
        company_code=args.company_code,
        sales_area=args.sales_area,
        blocked=Either(args.blocked),
        deletion_flag=Either(args.deletion_flag),
    )
    try:
        factory, actor = session(url, args)
        page = search_customers(factory, query, args.after, args.limit, actor)
    except DomainError as exc:
        print_problems(exc, lang)
        return EXIT_REFUSED
    if args.format == "json":
        rows = [
            {
                "KUNNR": r.number,
                "NAME1": r.name,
                "SORTL": r.search_term,
                "ORT01": r.city,
                "KTOKD": r.account_group,
                "TELF1": r.telephone,
                "BLOCKED": r.blocked,
                "LOEVM": r.deletion_flag,
                "PARTLY_BLOCKED": r.partly_blocked,
                "PARTLY_FLAGGED": r.partly_flagged,
            }
            for r in page.rows
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        blocked, deleted = ("blocked", "deletion flag") if lang == "en" else ("冻结", "删除标记")
        for r in page.rows:
            status = ", ".join(
                s for s, on in ((blocked, r.blocked), (deleted, r.deletion_flag)) if on
            )
            print("\t".join((r.number, r.name, r.city, r.account_group, r.telephone, status)))
        if not page.rows:
            print("No customer found" if lang == "en" else "没有找到客户", file=sys.stderr)
    if page.more:
        # On stderr, so that the JSON stays a plain list; the next page starts after the last.
        print(
            f"more customers match; the next ones: --after {page.next_after}"
            if lang == "en"
            else f"还有更多客户；下一页：--after {page.next_after}",
            file=sys.stderr,
        )
    return EXIT_OK
