"""`custmd offline checkout|sync|conflicts|resolve`: an offline replica of the shared server
(services.offline_checkout, offline_sync, offline_conflicts)."""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path

from custmd_gui.cli.common import EXIT_OK, EXIT_REFUSED, print_problems


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    offline = sub.add_parser("offline", help="offline replicas of the shared server")
    cmds = offline.add_subparsers(dest="offline_command", required=True)
    checkout = cmds.add_parser(
        "checkout",
        parents=[common],
        help="check out a replica: the customers you may see, customizing, rights, numbers",
    )
    checkout.add_argument("--to", metavar="FILE", required=True, type=Path)
    checkout.add_argument(
        "--block-size", type=int, default=100, help="internal numbers reserved per range"
    )
    for name, text in (
        ("sync", "push the offline changes, then pull the server's"),
        ("conflicts", "list the conflicts the last syncs left"),
        ("resolve", "resolve a conflict: mine, theirs or an edited value"),
    ):
        cmd = cmds.add_parser(name, parents=[common], help=text)
        cmd.add_argument("--replica", metavar="FILE", required=True, type=Path)
        if name == "resolve":
            cmd.add_argument("conflict", metavar="ID")
            cmd.add_argument("choice", choices=("mine", "theirs", "edit"))
            cmd.add_argument("--value", default=None)


def run(url: str | None, args: argparse.Namespace, lang: str) -> int:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.settings import with_keyring_password

    en = lang.startswith("en")
    server = with_keyring_password(url) if url else None
    try:
        if args.offline_command == "checkout":
            from custmd_gui.services.offline_checkout import checkout

            if server is None:
                print("请用 --db 指定服务器 / name the server with --db", file=sys.stderr)
                return EXIT_REFUSED
            result = checkout(server, args.to, block_size=args.block_size)
            blocks = ", ".join(f"{r}: {a}-{b}" for r, (a, b) in sorted(result.blocks.items()))
            print(
                f"Replica {result.path}: {result.customers} customers, device {result.device}, "
                f"number blocks {blocks or 'none'}"
                if en
                else f"离线副本 {result.path}：{result.customers} 个客户，设备 {result.device}，"
                f"编号段 {blocks or '无'}"
            )
            return EXIT_OK
        from custmd_gui.services.offline_checkout import open_replica

        replica = open_replica(args.replica)
        if server is None:
            from custmd_gui.services.offline_checkout import replica_status

            # The replica keeps its server's URL without the password: the keyring's, if any.
            server = with_keyring_password(replica_status(replica).server)
        if args.offline_command == "sync":
            from custmd_gui.services.offline_sync import sync

            report = sync(replica, server)
            print(
                f"pushed {report.pushed}, conflicts {report.conflicts}, pulled {report.pulled}, "
                f"removed {report.removed}"
                if en
                else f"已上传 {report.pushed} 项，冲突 {report.conflicts} 个，"
                f"已下载 {report.pulled} 个客户，移除 {report.removed} 个"
            )
            return EXIT_OK
        from custmd_gui.services.offline_conflicts import Choice, list_conflicts, resolve

        if args.offline_command == "conflicts":
            for c in list_conflicts(replica):
                print(
                    "\t".join(
                        [str(c.id), c.kunnr, c.kind, c.field, c.key]
                        + [v if v is not None else "-" for v in (c.base, c.mine, c.theirs)]
                        + [c.message]
                    )
                )
            return EXIT_OK
        try:
            conflict = uuid.UUID(args.conflict)
        except ValueError:
            print(f"冲突编号无效：{args.conflict} / invalid conflict id", file=sys.stderr)
            return EXIT_REFUSED
        resolve(replica, conflict, Choice(args.choice), args.value, server)
        print("Resolved" if en else "冲突已解决")
        return EXIT_OK
    except DomainError as exc:
        print_problems(exc, lang)
        return EXIT_REFUSED
