"""`custmd request create|edit|attach|submit|review|return|resubmit|approve|activate|reject|
withdraw|list|show`: the maintenance-request workflow (services.requests) for scripts, with
the same checks as the screens, a clear message and a non-zero exit when refused.

The proposed data are a JSON file as `custmd customer show` prints it (and `customer create`
reads): for `--type create` the new customer; for an extension the customer's number with
exactly the one new company code (KNB1) or sales area (KNVV); for change, block and deletion
flag the whole customer as it should be. `show` prints the request as JSON (its document, its
steps with time, actor, action and comment, its attachments); `list` one line per request.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from custmd_gui.cli import request_form
from custmd_gui.cli.common import EXIT_OK, EXIT_USAGE, print_problems

if TYPE_CHECKING:
    from custmd_gui.domain.requests import Request
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory

TYPES = (
    "create",
    "extend_company_code",
    "extend_sales_area",
    "change",
    "block",
    "deletion_flag",
)
# command -> (the status machine's action, whether a reason is required)
STEPS = {
    "submit": ("submit", False),
    "review": ("review", False),
    "return": ("return", True),
    "resubmit": ("resubmit", False),
    "approve": ("approve", False),
    "activate": ("activate", False),
    "reject": ("reject", True),
    "withdraw": ("withdraw", False),
}


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    req = sub.add_parser("request", help="maintenance requests （申请）").add_subparsers(
        dest="request_command", required=True
    )
    create = req.add_parser(
        "create",
        parents=[common],
        help="file a request",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    create.add_argument("file", type=Path, help="the proposed customer (JSON)")
    create.add_argument("--type", choices=TYPES, default="create")
    create.add_argument("--reason", required=True, help="why （记录变更的原因）")
    create.add_argument("--org-unit", default=None, help="the requester's org unit, if not stored")
    create.add_argument("--submit", action="store_true", help="submit at once")
    create.add_argument("--attach", action="append", type=Path, default=[], metavar="FILE")
    edit = req.add_parser("edit", parents=[common], help="correct a request's data or reason")
    edit.add_argument("number")
    edit.add_argument("--file", type=Path, default=None)
    edit.add_argument("--reason", default=None)
    edit.add_argument("--comment", default="")
    attach = req.add_parser("attach", parents=[common], help="attach a file (at most 5 MB)")
    attach.add_argument("number")
    attach.add_argument("file", type=Path)
    for name, (_action, needs_reason) in STEPS.items():
        p = req.add_parser(name, parents=[common], help=f"{name} a request")
        p.add_argument("number")
        p.add_argument(
            "--reason" if needs_reason else "--comment",
            dest="comment",
            required=needs_reason,
            default="",
            help="why (required)" if needs_reason else "a comment for the history",
        )
    listing = req.add_parser("list", parents=[common], help="list requests")
    listing.add_argument("--mine", action="store_true", help="those I filed")
    listing.add_argument("--inbox", action="store_true", help="those waiting for me")
    listing.add_argument("--status", action="append", default=None)
    listing.add_argument("--parent", default=None)
    listing.add_argument("--format", choices=("text", "json"), default="text")
    show = req.add_parser("show", parents=[common], help="a request with its history (JSON)")
    show.add_argument("number")
    request_form.add_parsers(req, common)


def as_json(request: Request, *, with_document: bool = True) -> dict[str, Any]:
    from custmd_gui.domain.sap_document import to_document

    out: dict[str, Any] = {
        "NUMBER": request.number,
        "TYPE": request.type.value,
        "STATUS": request.status.value,
        "PARENT": request.parent,
        "KUNNR": request.customer,
        "BUKRS": request.company_code,
        "SALES_AREA": request.sales_area,
        "REQUESTER": request.requester,
        "ORG_UNIT": request.org_unit,
        "REASON": request.reason,
        "LAST_EDITOR": request.last_editor,
        "CREATED_AT": request.created_at.isoformat(),
        "CHANGED_AT": request.changed_at.isoformat(),
    }
    if with_document:
        out["DOCUMENT"] = to_document(request.document)
        out["STEPS"] = [
            {
                "SEQ": s.seq,
                "AT": s.at.isoformat(),
                "ACTOR": s.actor,
                "ACTION": s.action.value,
                "FROM": s.from_status.value if s.from_status else "",
                "TO": s.to_status.value,
                "COMMENT": s.comment,
            }
            for s in request.steps
        ]
        out["ATTACHMENTS"] = [
            {"ID": a.id, "NAME": a.name, "MIME": a.mime, "SIZE": a.size, "BY": a.added_by}
            for a in request.attachments
        ]
    return out


def _line(request: Request, lang: str) -> str:
    from custmd_gui.domain.requests import STATUS_TEXTS, TYPE_TEXTS

    where = request.company_code or request.sales_area
    cells = [
        request.number,
        TYPE_TEXTS[request.type].get(lang),
        STATUS_TEXTS[request.status].get(lang),
        request.customer or request.document.general.number,
        where,
        request.document.general.name,
        request.requester,
        f"{request.changed_at.astimezone():%Y-%m-%d %H:%M}",
        request.reason,
    ]
    return "\t".join(" ".join(c.split()) if c else "" for c in cells)


def _message(request: Request, lang: str) -> str:
    from custmd_gui.domain.requests import STATUS_TEXTS

    status = STATUS_TEXTS[request.status].get(lang)
    if lang == "en":
        return f"Request {request.number}: {status}"
    return f"申请 {request.number}：{status}"


def read_bytes(path: Path) -> bytes:
    """An attachment's bytes; one over the size limit is refused before it is read."""
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.domain.hygiene import UnreadableFile
    from custmd_gui.domain.requests import MAX_ATTACHMENT_BYTES, attachment_problems

    try:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise DomainError(attachment_problems(path.name, size))
        return path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UnreadableFile.of(
            path, f"无法读取文件：{reason}", f"Cannot read the file: {reason}"
        ) from None


def run(factory: UowFactory, actor: Actor, args: argparse.Namespace, lang: str) -> int:
    """Run a request command; a refusal propagates as a DomainError for the exit code."""
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.domain.hygiene import UnreadableFile
    from custmd_gui.domain.requests import Action, RequestStatus, RequestType
    from custmd_gui.domain.sap_document import load_document
    from custmd_gui.services import requests as rq

    command = args.request_command
    if command in request_form.COMMANDS:
        return request_form.run(factory, actor, args, lang)
    try:
        if command == "create":
            document = load_document(args.file)
            files = [(f.name, read_bytes(f)) for f in args.attach]
            request = rq.create_request(
                factory,
                actor,
                RequestType(args.type),
                document,
                reason=args.reason,
                org_unit=args.org_unit,
            )
            for name, content in files:
                rq.attach(factory, actor, request.number, name, content)
            if args.submit:
                request = rq.submit(factory, actor, request.number)
            print(_message(request, lang))
            return EXIT_OK
        if command == "edit":
            request = rq.edit_request(
                factory,
                actor,
                args.number,
                document=load_document(args.file) if args.file else None,
                reason=args.reason,
                comment=args.comment,
            )
            print(_message(request, lang))
            return EXIT_OK
        if command == "attach":
            info = rq.attach(factory, actor, args.number, args.file.name, read_bytes(args.file))
            print(f"{info.id}\t{info.name}\t{info.size}")
            return EXIT_OK
        if command in STEPS:
            request = rq.act(factory, actor, args.number, Action(STEPS[command][0]), args.comment)
            print(_message(request, lang))
            return EXIT_OK
        if command == "show":
            request = rq.read_request(factory, actor, args.number)
            print(json.dumps(as_json(request), ensure_ascii=False, indent=2))
            return EXIT_OK
        statuses = None
        if args.status:
            try:
                statuses = [RequestStatus(s) for s in args.status]
            except ValueError:
                choices = ", ".join(s.value for s in RequestStatus)
                raise DomainError.single(
                    "REQUEST",
                    f"未知状态；可用：{choices}",
                    f"Unknown status; one of: {choices}",
                ) from None
        found = rq.list_requests(
            factory,
            actor,
            mine=args.mine,
            inbox=args.inbox,
            statuses=statuses,
            parent=args.parent,
        )
        if args.format == "json":
            rows = [as_json(r, with_document=False) for r in found]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for request in found:
                print(_line(request, lang))
        return EXIT_OK
    except UnreadableFile as exc:
        print_problems(exc, lang)
        return EXIT_USAGE
