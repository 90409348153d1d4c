"""`custmd` entry point: the desktop app, and sub-commands for scripting (db, customer, usage).

Heavy modules are imported inside the commands that need them: the GUI path must show its
window before SQLAlchemy, pydantic and friends are loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from custmd_gui import __version__

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from custmd_gui.domain.errors import DomainError
    from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
    from custmd_gui.services.context import Actor
    from custmd_gui.services.duplicates import DuplicateHit

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_DB = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="database: a SQLite file path or URL, or postgresql://user@host/db",
    )
    common.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=argparse.SUPPRESS,
        help="language of messages (default zh)",
    )
    from custmd_gui import cli_users

    cli_users.add_common(common)

    p = argparse.ArgumentParser(
        prog="custmd", parents=[common], description="Customer master data (SAP XD01 style)."
    )
    p.add_argument("--version", action="version", version=f"custmd {__version__}")
    p.add_argument(
        "--demo", action="store_true", help="open a separate demo database with example customers"
    )
    p.add_argument("--exit-after-show", action="store_true", help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command")

    db = sub.add_parser("db", help="database maintenance").add_subparsers(
        dest="db_command", required=True
    )
    upgrade = db.add_parser(
        "upgrade",
        parents=[common],
        help="create or migrate the schema and load the shipped customizing",
    )
    upgrade.add_argument(
        "--admin-password-env",
        metavar="VAR",
        default=None,
        help="while the database has no users: create the first administrator with the "
        "password in this environment variable (ends single-user mode)",
    )
    upgrade.add_argument("--admin-user", default="admin", metavar="NAME")

    cust = sub.add_parser("customer", help="customers").add_subparsers(
        dest="customer_command", required=True
    )
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
    from custmd_gui import cli_changes, cli_status

    cli_status.add_parsers(cust, common)
    cli_changes.add_parser(cust, common)

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
    cli_users.add_parsers(sub, common)
    return p


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"expected a number from 1 to 1000, not {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    """The command; whatever goes wrong, its caller gets a message and an exit status, never a
    traceback (that goes to the log file)."""
    try:
        status = _main(argv)
        # Output still buffered is written here, so that a closed pipe is caught below.
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        # `custmd customer show N | head -1`: the reader has gone, which is no error of ours.
        # Python's recipe (signal module, "Note on SIGPIPE"): point stdout at devnull so that
        # the flush at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("\n已中断 / interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last resort: a message, the traceback in the log
        return _unexpected(exc, argv)


def _unexpected(exc: Exception, argv: list[str] | None) -> int:
    import traceback

    from sqlalchemy.exc import SQLAlchemyError

    from custmd_gui.catalog import Text

    what = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()[0]
    path = _log_traceback(exc, argv)
    if path is None:
        where = Text(zh="日志文件无法写入", en="the log file cannot be written")
    else:
        where = Text(zh=f"详细信息已写入日志文件 {path}", en=f"details in {path}")
    database = isinstance(exc, SQLAlchemyError)
    zh, en = ("数据库错误", "database error") if database else ("意外错误", "unexpected error")
    print(f"{zh}：{what}；{where.zh} / {en}: {what}; {where.en}", file=sys.stderr)
    return EXIT_DB if database else EXIT_REFUSED


def _log_traceback(exc: Exception, argv: list[str] | None) -> Path | None:
    """Write the traceback to the app's log file (where the GUI's crash handler writes)."""
    import logging

    from custmd_gui.settings import log_file

    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s")
    )
    logger = logging.getLogger("custmd.cli")
    logger.addHandler(handler)
    try:
        command = " ".join(sys.argv[1:] if argv is None else argv)
        logger.error("unexpected error in custmd %s", command, exc_info=exc)
    finally:
        logger.removeHandler(handler)
        handler.close()
    return path


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    from custmd_gui.settings import default_db_url, default_lang

    lang: str = getattr(args, "lang", None) or default_lang()
    url: str = getattr(args, "db", None) or default_db_url(demo=args.demo)
    if args.command is None:
        from custmd_gui.ui.main import run

        return run(url, lang=lang, demo=args.demo, exit_after_show=args.exit_after_show)
    from custmd_gui.cli_users import CliRefusal
    from custmd_gui.domain.errors import DomainError

    try:
        if args.command == "db":
            return _db_upgrade(url, args, lang)
        if args.command == "user":
            from custmd_gui import cli_users

            # On the shared server the URL's role acts (server_actor): users are then
            # LOGIN roles, as for every other command.
            factory, actor = _session(url, args)
            return cli_users.run(factory, actor, args, lang)
        if args.command == "usage":
            if args.usage_command == "import":
                return _usage_import(url, args, lang)
            return _usage_show(url, args, lang)
        if args.customer_command == "create":
            return _customer_create(url, args, lang)
        if args.customer_command == "search":
            return _customer_search(url, args, lang)
        if args.customer_command == "changes":
            from custmd_gui import cli_changes

            factory, actor = _session(url, args)
            return cli_changes.run(factory, actor, args, lang)
        if args.customer_command in ("block", "unblock", "flag", "unflag", "delete"):
            from custmd_gui import cli_status

            factory, actor = _session(url, args)
            return cli_status.run(factory, actor, args, lang)
        return _customer_show(url, args, lang)
    except _DatabaseProblem as exc:
        print(exc, file=sys.stderr)
        return EXIT_DB
    except CliRefusal as exc:
        print(exc, file=sys.stderr)
        return EXIT_REFUSED
    except DomainError as exc:  # a refused login, a Forbidden, an administrator's refusal
        _print_problems(exc, lang)
        return EXIT_REFUSED


class _DatabaseProblem(Exception):
    pass


def _engine(url: str, *, migrate: bool = False) -> Engine:
    """An engine whose schema is current: a local SQLite file is migrated on the spot, a
    shared server must be upgraded on purpose by `custmd db upgrade`."""
    from sqlalchemy.exc import OperationalError

    from custmd_gui.persistence import migrate as mig
    from custmd_gui.persistence.engine import is_sqlite, make_engine
    from custmd_gui.services.customizing import upgrade_database
    from custmd_gui.settings import with_keyring_password

    engine = make_engine(with_keyring_password(url))
    try:
        if migrate or is_sqlite(engine):
            if migrate or not mig.is_current(engine):
                upgrade_database(engine)
        elif not mig.is_current(engine):
            raise _DatabaseProblem(
                "数据库结构不是最新版本，请先运行 custmd db upgrade --db URL / "
                "the database schema is not current; run custmd db upgrade first"
            )
    except OperationalError as exc:
        raise _DatabaseProblem(f"无法连接数据库 / cannot open the database: {exc.orig}") from exc
    return engine


def _factory(url: str) -> UnitOfWorkFactory:
    from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory

    return UnitOfWorkFactory(_engine(url))


def _session(url: str, args: argparse.Namespace) -> tuple[UnitOfWorkFactory, Actor]:
    """The database and who acts on it (cli_users.session_actor: --user and its password,
    or the OS user in single-user mode)."""
    from custmd_gui.cli_users import USER_ENV, session_actor
    from custmd_gui.services.auth import server_actor

    factory = _factory(url)
    if not (getattr(args, "user", None) or os.environ.get(USER_ENV)):
        # Shared mode: the server has signed the URL's role in; it acts with its rights.
        signed = server_actor(factory, url)
        if signed is not None:
            return factory, signed
    return factory, session_actor(factory, args)


def _db_upgrade(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.persistence import migrate as mig
    from custmd_gui.persistence.engine import make_engine
    from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
    from custmd_gui.services.auth import single_user_mode
    from custmd_gui.services.customizing import upgrade_database
    from custmd_gui.settings import with_keyring_password

    engine = make_engine(with_keyring_password(url))
    before = mig.current_revision(engine)
    added = upgrade_database(engine)
    after = mig.current_revision(engine)
    print(f"schema {before or '-'} -> {after}; customizing rows added: {added}")
    factory = UnitOfWorkFactory(engine)
    if args.admin_password_env:
        from custmd_gui.cli_users import new_password
        from custmd_gui.services.users import bootstrap_admin

        if bootstrap_admin(factory, args.admin_user, new_password(args.admin_password_env)):
            print(
                f"administrator {args.admin_user} created; from now on every command needs "
                f"--user (or CUSTMD_USER) / 已创建管理员 {args.admin_user}，此后每个命令都需要登录"
            )
        else:
            print("users exist already; no administrator created / 已有用户，未创建管理员")
    elif single_user_mode(factory):
        print(
            "no users: single-user mode, whoever opens this database acts unrestricted; "
            "create the first administrator with custmd db upgrade --admin-password-env VAR "
            "/ 没有用户：单用户模式",
            file=sys.stderr,
        )
    return EXIT_OK


def _print_problems(error: DomainError, lang: str) -> None:
    for problem in error.problems:
        print(problem.line(lang), file=sys.stderr)


def _customer_create(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.domain.hygiene import UnreadableFile
    from custmd_gui.domain.sap_document import load_document
    from custmd_gui.domain.validation import input_problems

    file: Path = args.file
    try:
        customer = load_document(file)
    except UnreadableFile as exc:
        _print_problems(exc, lang)
        return EXIT_USAGE
    try:
        # Before any query takes a value: PostgreSQL refuses NUL, and no one wants the rest.
        if unseen := input_problems(customer):
            raise DomainError(unseen)
        # Only now the database's modules: a document refused above is refused at once.
        from custmd_gui.services.create import create_customer, created_message
        from custmd_gui.services.duplicates import check_before_save

        factory, actor = _session(url, args)
        if not args.allow_duplicate:
            # XD01's duplicate check. A credit code held by another customer is no question
            # but an error: create_customer reports it with every other problem.
            taken, hits = check_before_save(factory, customer, actor=actor)
            if hits and not taken:
                _print_duplicates(hits, lang)
                return EXIT_REFUSED
        created = create_customer(factory, customer, actor)
    except DomainError as exc:
        _print_problems(exc, lang)
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


def _customer_show(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.catalog import catalog
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.domain.sap_document import to_document
    from custmd_gui.services.create import read_customer

    number: str = args.number
    fmt: str = args.format
    try:
        factory, actor = _session(url, args)
        customer = read_customer(factory, number, actor)
    except DomainError as exc:
        _print_problems(exc, lang)
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


def _customer_search(url: str, args: argparse.Namespace, lang: str) -> int:
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
        factory, actor = _session(url, args)
        page = search_customers(factory, query, args.after, args.limit, actor)
    except DomainError as exc:
        _print_problems(exc, lang)
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


def _usage_import(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.services.usage import import_usage

    file: Path = args.file
    if not file.is_file():
        print(f"{file}: 文件不存在 / no such file", file=sys.stderr)
        return EXIT_USAGE
    factory, actor = _session(url, args)
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


def _usage_show(url: str, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.services.usage import read_usage

    number: str = args.number
    fmt: str = args.format
    try:
        factory, actor = _session(url, args)
        entries = read_usage(factory, number, actor)
    except DomainError as exc:
        _print_problems(exc, lang)
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
