"""`custmd user ...` (the administrator's commands) and who acts in every command: `--user`.

Who acts: a database without users is in single-user mode, where the operating-system user
acts unrestricted and nothing is asked. Once a user exists, every command needs `--user NAME`
(or CUSTMD_USER) and that user's password, read from the CUSTMD_PASSWORD environment
variable or asked on the terminal; never from an argument, which other users of the machine
could read in the process list.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import socket
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
    from custmd_gui.services.context import Actor

USER_ENV = "CUSTMD_USER"
PASSWORD_ENV = "CUSTMD_PASSWORD"


def add_common(common: argparse.ArgumentParser) -> None:
    common.add_argument(
        "--user",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help=f"act as this user (default ${USER_ENV}); the password comes from "
        f"${PASSWORD_ENV} or is asked",
    )


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    user = sub.add_parser("user", help="users (administrator)").add_subparsers(
        dest="user_command", required=True
    )
    create = user.add_parser(
        "create",
        parents=[common],
        help="create a user; the initial password comes from --password-env or is asked",
    )
    create.add_argument("name")
    create.add_argument("--display-name", default="")
    create.add_argument("--department", default=None, metavar="CODE")
    create.add_argument("--organization", default=None, metavar="CODE")
    create.add_argument(
        "--no-password",
        action="store_true",
        help="no local password (a shared-mode user who signs in to PostgreSQL)",
    )
    _add_password_env(create)
    _add_grants(create)
    for name, text in (("disable", "disable a user"), ("enable", "enable a user again")):
        p = user.add_parser(name, parents=[common], help=text)
        p.add_argument("name")
    reset = user.add_parser(
        "reset-password", parents=[common], help="set a new password (ends a lockout)"
    )
    reset.add_argument("name")
    _add_password_env(reset)
    grant = user.add_parser(
        "grant",
        parents=[common],
        help="replace a user's roles and/or scopes (each option given replaces that list)",
    )
    grant.add_argument("name")
    _add_grants(grant)
    role = user.add_parser(
        "role",
        parents=[common],
        help="show the roles, or set what one role may do (--permission replaces the list)",
    )
    role.add_argument("code", nargs="?", help="the role to change (none: list every role)")
    role.add_argument(
        "--permission",
        action="append",
        default=None,
        metavar="PERMISSION",
        help="a permission the role gets (repeat); e.g. display, create, block",
    )
    listing = user.add_parser("list", parents=[common], help="list the users")
    listing.add_argument("--format", choices=("json", "text"), default="text")


def _add_password_env(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--password-env",
        metavar="VAR",
        default=None,
        help="read the new password from this environment variable (else it is asked twice)",
    )


def _add_grants(p: argparse.ArgumentParser) -> None:
    p.add_argument("--role", action="append", default=None, metavar="ROLE")
    p.add_argument("--auth-group", action="append", default=None, metavar="BEGRU|*")
    p.add_argument("--company-code", action="append", default=None, metavar="BUKRS|*")
    p.add_argument("--sales-area", action="append", default=None, metavar="VKORG/VTWEG/SPART")


class CliRefusal(Exception):
    """A message for stderr and exit status 1."""


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


def session_actor(factory: UnitOfWorkFactory, args: argparse.Namespace) -> Actor:
    """The acting user of a command (see the module). LoginFailed or CliRefusal when not."""
    from custmd_gui.services.auth import session_actor as actor_of

    name = getattr(args, "user", None) or os.environ.get(USER_ENV) or None
    return actor_of(factory, name, _password, socket.gethostname())


def run(factory: UnitOfWorkFactory, actor: Actor, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.cli import EXIT_OK
    from custmd_gui.services import users

    command = args.user_command
    if command == "create":
        password = None if args.no_password else new_password(args.password_env)
        info = users.create_user(
            factory,
            actor,
            args.name,
            password=password,
            display_name=args.display_name,
            roles=args.role or (),
            auth_groups=args.auth_group or (),
            company_codes=args.company_code or (),
            sales_areas=args.sales_area or (),
            department=args.department,
            organization=args.organization,
        )
        print(_describe(info))
    elif command in ("disable", "enable"):
        users.set_disabled(factory, actor, args.name, command == "disable")
        print(f"{args.name}: {'已停用 / disabled' if command == 'disable' else '已启用 / enabled'}")
    elif command == "reset-password":
        users.reset_password(factory, actor, args.name, new_password(args.password_env))
        print(f"{args.name}: 密码已重置 / password reset")
    elif command == "grant":
        info = users.grant(
            factory,
            actor,
            args.name,
            roles=args.role,
            auth_groups=args.auth_group,
            company_codes=args.company_code,
            sales_areas=args.sales_area,
        )
        print(_describe(info))
    elif command == "role":
        if args.code and args.permission is not None:
            users.set_role_permissions(factory, actor, args.code, args.permission)
        for r in users.list_roles(factory, actor):
            if not args.code or r.code == args.code:
                perms = ", ".join(sorted(p.value for p in r.permissions)) or "-"
                print(f"{r.code}\t{r.text.zh}\t{perms}")
    else:
        infos = users.list_users(factory, actor)
        if args.format == "json":
            print(
                json.dumps(
                    [
                        {
                            "username": i.username,
                            "display_name": i.display_name,
                            "disabled": i.disabled,
                            "locked": i.locked,
                            "roles": list(i.scopes.roles),
                            "auth_groups": list(i.scopes.auth_groups),
                            "company_codes": list(i.scopes.company_codes),
                            "sales_areas": ["/".join(a) for a in i.scopes.sales_areas],
                        }
                        for i in infos
                    ],
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            for i in infos:
                print(_describe(i))
    return EXIT_OK


def _describe(info: object) -> str:
    from custmd_gui.services.users import UserInfo

    assert isinstance(info, UserInfo)
    s = info.scopes
    state = " ".join(w for w, on in (("disabled", info.disabled), ("locked", info.locked)) if on)
    return "\t".join(
        (
            info.username,
            info.display_name,
            ",".join(s.roles) or "-",
            "BEGRU " + (",".join(s.auth_groups) or "-"),
            "BUKRS " + (",".join(s.company_codes) or "-"),
            "VKORG " + (",".join("/".join(a) for a in s.sales_areas) or "-"),
            state,
        )
    ).rstrip()
