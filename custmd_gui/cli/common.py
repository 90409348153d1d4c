"""What every `custmd` command shares: exit codes, the options --db, --lang and --user, the
database a command opens and who acts on it, and how refusals are printed.

Who acts: a database without users is in single-user mode, where the operating-system user
acts unrestricted and nothing is asked. Once a user exists, every command needs `--user NAME`
(or CUSTMD_USER) and that user's password, read from the CUSTMD_PASSWORD environment
variable or asked on the terminal; never from an argument, which other users of the machine
could read in the process list. On the shared server the URL's role acts instead; on an
offline replica (`custmd offline checkout`) its user, with the rights of the last sync.

Only the standard library is imported at the top: `custmd` without a command opens the window,
which must show before SQLAlchemy and pydantic are loaded.
"""

from __future__ import annotations

import argparse
import getpass
import os
import socket
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from custmd_gui.domain.errors import DomainError
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_DB = 0, 1, 2, 3

USER_ENV = "CUSTMD_USER"
PASSWORD_ENV = "CUSTMD_PASSWORD"


class CliRefusal(Exception):
    """A message for stderr and exit status 1."""


class DatabaseProblem(Exception):
    """A message for stderr and exit status 3: the database cannot be used as it is."""


def common_parser() -> argparse.ArgumentParser:
    """The options every command takes (a parent parser)."""
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
    common.add_argument(
        "--user",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help=f"act as this user (default ${USER_ENV}); the password comes from "
        f"${PASSWORD_ENV} or is asked",
    )
    return common


def print_problems(error: DomainError, lang: str) -> None:
    for problem in error.problems:
        print(problem.line(lang), file=sys.stderr)


def engine(url: str, *, migrate: bool = False) -> Engine:
    """An engine whose schema is current: a local SQLite file is migrated on the spot, a
    shared server must be upgraded on purpose by `custmd db upgrade`."""
    from sqlalchemy.exc import OperationalError

    from custmd_gui.persistence import migrate as mig
    from custmd_gui.persistence.engine import is_sqlite, make_engine
    from custmd_gui.services.customizing import upgrade_database
    from custmd_gui.settings import with_keyring_password

    made = make_engine(with_keyring_password(url))
    try:
        if migrate or is_sqlite(made):
            if migrate or not mig.is_current(made):
                upgrade_database(made)
        elif not mig.is_current(made):
            raise DatabaseProblem(
                "数据库结构不是最新版本，请先运行 custmd db upgrade --db URL / "
                "the database schema is not current; run custmd db upgrade first"
            )
    except OperationalError as exc:
        raise DatabaseProblem(f"无法连接数据库 / cannot open the database: {exc.orig}") from exc
    return made


def session(url: str, args: argparse.Namespace) -> tuple[UowFactory, Actor]:
    """The database and who acts on it (see the module)."""
    from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
    from custmd_gui.services.auth import server_actor

    made = engine(url)
    replica = _replica(made)
    if replica is not None:
        return replica
    factory = UnitOfWorkFactory(made)
    if not (getattr(args, "user", None) or os.environ.get(USER_ENV)):
        # Shared mode: the server has signed the URL's role in; it acts with its rights.
        signed = server_actor(factory, url)
        if signed is not None:
            return factory, signed
    return factory, session_actor(factory, args)


def _replica(made: Engine) -> tuple[UowFactory, Actor] | None:
    """An offline replica (custmd offline checkout): its unit of work writes the outbox, and
    its user acts with the rights copied at the last sync, no password asked (the server asks
    for it at every sync)."""
    from custmd_gui.persistence.engine import is_sqlite
    from custmd_gui.persistence.replica import ReplicaUnitOfWorkFactory, replica_device
    from custmd_gui.services.offline_checkout import replica_actor

    device = replica_device(made) if is_sqlite(made) else None
    if device is None:
        return None
    factory = ReplicaUnitOfWorkFactory(made, device)
    return factory, replica_actor(factory)


def session_actor(factory: UowFactory, args: argparse.Namespace) -> Actor:
    """The acting user of a command (see the module). LoginFailed or CliRefusal when not."""
    from custmd_gui.services.auth import session_actor as actor_of

    name = getattr(args, "user", None) or os.environ.get(USER_ENV) or None
    return actor_of(factory, name, _password, socket.gethostname())


def new_password(variable: str | None) -> str:
    """A new password from the environment variable named, or typed twice on the terminal."""
    if variable:
        value = os.environ.get(variable)
        if not value:
            raise CliRefusal(
                f"环境变量 {variable} 未设置 / environment variable {variable} is unset"
            )
        return value
    if not sys.stdin.isatty():
        raise CliRefusal(
            "请用 --password-env VAR 提供密码 / give the password with --password-env VAR"
        )
    first = getpass.getpass("新密码 / new password: ")
    if first != getpass.getpass("再次输入 / again: "):
        raise CliRefusal("两次输入的密码不一致 / the passwords differ")
    return first


def _password() -> str:
    value = os.environ.get(PASSWORD_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CliRefusal(
            f"需要密码：请设置 {PASSWORD_ENV} / a password is needed: set {PASSWORD_ENV}"
        )
    return getpass.getpass("密码 / password: ")
