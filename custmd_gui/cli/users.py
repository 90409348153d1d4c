"""`custmd user ...`: the administrator's commands (users, their grants, the roles)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from custmd_gui.cli.common import EXIT_OK, new_password

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory


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


def run(factory: UowFactory, actor: Actor, args: argparse.Namespace, lang: str) -> int:
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
