"""`custmd`: without a command the desktop app; with one, the scripting commands (db, customer,
request, usage, user), each in a module of this package.

Heavy modules are imported inside the commands that need them: the GUI path must show its
window before SQLAlchemy, pydantic and friends are loaded.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import traceback
from pathlib import Path

from custmd_gui import __version__
from custmd_gui.cli.common import (
    EXIT_DB,
    EXIT_REFUSED,
    CliRefusal,
    DatabaseProblem,
    common_parser,
    print_problems,
    session,
)


def _parser() -> argparse.ArgumentParser:
    from custmd_gui.cli import (
        changes,
        customer_import,
        customers,
        customizing,
        db,
        export,
        kpi,
        offline,
        requests,
        status,
        template,
        usage,
        users,
    )

    common = common_parser()
    p = argparse.ArgumentParser(
        prog="custmd", parents=[common], description="Customer master data (SAP XD01 style)."
    )
    p.add_argument("--version", action="version", version=f"custmd {__version__}")
    p.add_argument(
        "--demo", action="store_true", help="open a separate demo database with example customers"
    )
    p.add_argument(
        "--offscreen",
        action="store_true",
        help="run the window without a display (Qt's offscreen platform): servers, CI",
    )
    p.add_argument("--exit-after-show", action="store_true", help=argparse.SUPPRESS)
    p.add_argument(
        "--smoke-test",
        nargs="?",
        const="",
        metavar="FOLDER",
        help="check this installation on a temporary database (offscreen); with FOLDER, "
        "keep the database and the pictures there",
    )
    sub = p.add_subparsers(dest="command")
    db.add_parsers(sub, common)
    cust = sub.add_parser("customer", help="customers").add_subparsers(
        dest="customer_command", required=True
    )
    customers.add_parsers(cust, common)
    status.add_parsers(cust, common)
    changes.add_parser(cust, common)
    customer_import.add_parser(cust, common)
    export.add_parser(cust, common)
    usage.add_parsers(sub, common)
    users.add_parsers(sub, common)
    requests.add_parsers(sub, common)
    kpi.add_parser(sub, common)
    template.add_parser(sub, common)
    customizing.add_parsers(sub, common)
    offline.add_parsers(sub, common)
    return p


def main(argv: list[str] | None = None) -> int:
    """The command; whatever goes wrong, its caller gets a message and an exit status, never a
    traceback (that goes to the log file, with the warnings of every module; a crash of the
    interpreter itself leaves its stacks in faults.log beside it: custmd_gui.logs)."""
    from custmd_gui import logs

    logs.setup()
    threading.excepthook = _thread_failed
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


def _thread_failed(args: threading.ExceptHookArgs) -> None:
    """An error in a background thread of a command (the edit lock's renewal, say): logged
    with its traceback, one line for the caller instead of Python's traceback on stderr."""
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):
        return
    import logging

    from custmd_gui import logs

    thread = args.thread.name if args.thread is not None else "?"
    logging.getLogger("custmd.cli").error(
        "unexpected error in thread %s",
        thread,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )
    what = "".join(traceback.format_exception_only(args.exc_type, args.exc_value)).strip()
    traces = logs.current()
    path = traces.log_file if traces is not None else None
    print(f"意外错误（线程 {thread}）：{what.splitlines()[0]}；日志：{path}", file=sys.stderr)


def _unexpected(exc: Exception, argv: list[str] | None) -> int:
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

    from custmd_gui import logs

    traces = logs.setup()  # again: the window's run may have closed it
    if traces.log_file is None:
        return None
    command = " ".join(sys.argv[1:] if argv is None else argv)
    logging.getLogger("custmd.cli").error("unexpected error in custmd %s", command, exc_info=exc)
    if traces.handler is not None:
        traces.handler.flush()
    return traces.log_file


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    from custmd_gui.settings import default_db_url, default_lang

    lang: str = getattr(args, "lang", None) or default_lang()
    if args.smoke_test is not None:
        from custmd_gui.ui.smoke_test import run as smoke_test

        return smoke_test(lang, Path(args.smoke_test) if args.smoke_test else None)
    url: str = getattr(args, "db", None) or default_db_url(demo=args.demo)
    if args.command is None:
        from custmd_gui.ui.main import run

        return run(
            url,
            lang=lang,
            demo=args.demo,
            exit_after_show=args.exit_after_show,
            offscreen=args.offscreen,
        )
    from custmd_gui.cli import changes, customers, db, status, template, usage, users
    from custmd_gui.domain.errors import DomainError

    try:
        if args.command == "offline":
            from custmd_gui.cli import offline

            # The server's URL only when given: a replica knows its server.
            return offline.run(getattr(args, "db", None), args, lang)
        if args.command == "db":
            return db.run(url, args, lang)
        if args.command == "template":
            return template.run(url, args, lang)
        if args.command == "customizing":
            from custmd_gui.cli import customizing

            return customizing.run(url, args, lang)
        if args.command == "user":
            # On the shared server the URL's role acts (server_actor): users are then
            # LOGIN roles, as for every other command.
            factory, actor = session(url, args)
            return users.run(factory, actor, args, lang)
        if args.command == "request":
            from custmd_gui.cli import requests

            factory, actor = session(url, args)
            return requests.run(factory, actor, args, lang)
        if args.command == "kpi":
            from custmd_gui.cli import kpi

            return kpi.run(url, args, lang)
        if args.command == "usage":
            if args.usage_command == "import":
                return usage.import_extract(url, args, lang)
            return usage.show(url, args, lang)
        if args.customer_command == "import":
            from custmd_gui.cli import customer_import

            return customer_import.run(url, args, lang)
        if args.customer_command == "create":
            return customers.create(url, args, lang)
        if args.customer_command == "search":
            return customers.search(url, args, lang)
        if args.customer_command == "export":
            from custmd_gui.cli import export as export_cli

            return export_cli.run(url, args, lang)
        if args.customer_command == "changes":
            factory, actor = session(url, args)
            return changes.run(factory, actor, args, lang)
        if args.customer_command in ("block", "unblock", "flag", "unflag", "delete"):
            factory, actor = session(url, args)
            return status.run(factory, actor, args, lang)
        return customers.show(url, args, lang)
    except DatabaseProblem as exc:
        print(exc, file=sys.stderr)
        return EXIT_DB
    except CliRefusal as exc:
        print(exc, file=sys.stderr)
        return EXIT_REFUSED
    except DomainError as exc:  # a refused login, a Forbidden, an administrator's refusal
        print_problems(exc, lang)
        return EXIT_REFUSED
