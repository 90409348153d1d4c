"""`custmd db upgrade`: create or migrate the schema, load the shipped customizing and, once,
create the first administrator."""

from __future__ import annotations

import argparse
import sys

from custmd_gui.cli.common import EXIT_OK, new_password


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
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
    backup = db.add_parser(
        "backup",
        parents=[common],
        help="back the whole database up into FILE (consistent while the app works on it)",
    )
    backup.add_argument("file", metavar="FILE")
    restore = db.add_parser(
        "restore",
        parents=[common],
        help="restore the backup FILE: replaces a SQLite file (kept as .before-restore), "
        "fills an empty PostgreSQL database",
    )
    restore.add_argument("file", metavar="FILE")
    restore.add_argument(
        "--force",
        action="store_true",
        help="replace a SQLite file that holds data (it is kept as FILE.before-restore)",
    )


def run(url: str, args: argparse.Namespace, lang: str) -> int:
    """`custmd db upgrade|backup|restore`."""
    if args.db_command in ("backup", "restore"):
        from custmd_gui.cli import db_backup

        if args.db_command == "backup":
            return db_backup.backup(url, args, lang)
        return db_backup.restore(url, args, lang)
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
