"""Maintenance requests (客户主数据维护申请): file, edit, attach, submit, review, return,
resubmit, approve, reject, withdraw and activate (issue 18).

Who may act: the requester files, edits (draft, returned), submits, resubmits and withdraws his
own request; a reviewer is whoever holds the permission the customizing routes the request's
part to (domain.request_rules), in its scope (company code, sales area, authorization group).
Four eyes: nobody approves or activates a request he filed or last edited (the server refuses
it too, migration 0017).

Activation is services.request_activation; routing, four eyes and one step of the status
machine are services.request_flow. This module is the API the CLI and the screens call.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence

from custmd_gui.catalog import Text
from custmd_gui.domain.authorization import Forbidden, Permission
from custmd_gui.domain.errors import DomainError, Problem
from custmd_gui.domain.model import Customer
from custmd_gui.domain.requests import (
    Action,
    AttachmentInfo,
    Request,
    RequestStatus,
    RequestType,
    attachment_problems,
    next_status,
    request_problem,
)
from custmd_gui.persistence.requests import NewRequest
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.authorization import (
    authorize,
    check_visible,
    creation_refusal,
)
from custmd_gui.services.context import Actor
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.request_activation import activate
from custmd_gui.services.request_flow import (
    load_request,
    may_see,
    not_yours,
    read_request,
    review_refusal,
    scopes,
    transition,
)
from custmd_gui.services.request_rules import rules

# --- filing -----------------------------------------------------------------------------------


# The workflow's API: filing, editing, attachments, each step, activation, reading.
__all__ = [
    "act",
    "activate",
    "approve",
    "attach",
    "attachment",
    "create_request",
    "edit_request",
    "list_requests",
    "read_request",
    "reject",
    "remove_attachment",
    "resubmit",
    "return_request",
    "start_review",
    "submit",
    "withdraw",
]


def _target(request_type: RequestType, document: Customer) -> tuple[str, str, list[Problem]]:
    """The company code or sales area of an extension request, or the problem with it."""
    problems: list[Problem] = []
    code = area = ""
    if request_type is RequestType.EXTEND_COMPANY_CODE:
        if len(document.company_codes) != 1 or document.sales_areas:
            problems.append(
                Problem(
                    "KNB1-BUKRS",
                    "",
                    Text(
                        zh="扩展公司代码的申请必须正好包含一个公司代码（KNB1），不含销售范围",
                        en="A company-code extension holds exactly one company code (KNB1) "
                        "and no sales area",
                    ),
                )
            )
        else:
            code = document.company_codes[0].company_code
    if request_type is RequestType.EXTEND_SALES_AREA:
        if len(document.sales_areas) != 1 or document.company_codes:
            problems.append(
                Problem(
                    "KNVV-VKORG",
                    "",
                    Text(
                        zh="扩展销售范围的申请必须正好包含一个销售范围（KNVV），不含公司代码",
                        en="A sales-area extension holds exactly one sales area (KNVV) and no "
                        "company code",
                    ),
                )
            )
        else:
            area = document.sales_areas[0].segment_key
    return code, area, problems


def _org_unit(uow: UnitOfWork, actor: Actor, given: str | None) -> str:
    user = uow.users.get(actor.user)
    if user is not None and user.department_code:
        return user.department_code
    return (given or "").strip()


def create_request(
    uow_factory: UowFactory,
    actor: Actor,
    request_type: RequestType,
    document: Customer,
    *,
    reason: str,
    org_unit: str | None = None,
    submit: bool = False,
) -> Request:
    """File a request (draft, or submitted at once with `submit`). The proposed data are a
    whole customer as `custmd customer show` prints it: for a create the new customer; for
    an extension the customer's number with exactly the one new company code or sales area;
    for a change, block or deletion flag the whole customer as it should be. The reason is
    required (记录变更的原因). The requester's org unit is his department in the users'
    archive, else `org_unit`."""
    authorize(actor, Permission.REQUEST)
    problems: list[Problem] = []
    if not reason.strip():
        problems.append(
            Problem("REQUEST-REASON", "", Text(zh="请填写申请原因", en="Enter the reason"))
        )
    code, area, found = _target(request_type, document)
    problems += found
    number = document.general.number.strip()
    if request_type is not RequestType.CREATE and not number:
        problems.append(
            Problem("KNA1-KUNNR", "", Text(zh="请输入客户编号", en="Enter the customer number"))
        )
    if problems:
        raise DomainError(problems)
    if request_type is RequestType.CREATE:
        refusal: Forbidden | None = creation_refusal(
            actor,
            Permission.REQUEST,
            general_group=document.general.authorization_group,
            company_codes=document.company_codes,
            sales_areas=document.sales_areas,
        )
    else:
        refusal = creation_refusal(
            actor,
            Permission.REQUEST,
            general_group=None,
            company_codes=document.company_codes if code else (),
            sales_areas=document.sales_areas if area else (),
        )
    if refusal is not None:
        raise refusal
    with uow_factory(write=True) as uow:
        base_version = 0
        if request_type is not RequestType.CREATE:
            check_visible(uow, actor, number)
            stored = uow.customers.get(number)
            assert stored is not None
            base_version = stored.version
        now = uow.now()
        filed = uow.requests.add(
            NewRequest(
                type=request_type,
                status=RequestStatus.DRAFT,
                requester=actor.user,
                org_unit=_org_unit(uow, actor, org_unit),
                reason=reason.strip(),
                document=document,
                customer=number if request_type is not RequestType.CREATE else "",
                company_code=code,
                sales_area=area,
                base_version=base_version,
            ),
            now,
        )
        uow.requests.add_step(filed, now, actor.user, Action.CREATE, None, RequestStatus.DRAFT)
        if submit:
            transition(uow, actor, load_request(uow, actor, filed), Action.SUBMIT, "")
        uow.commit()
    return read_request(uow_factory, actor, filed)


def edit_request(
    uow_factory: UowFactory,
    actor: Actor,
    number: str,
    *,
    document: Customer | None = None,
    reason: str | None = None,
    comment: str = "",
    submit: bool = False,
) -> Request:
    """Correct a request's proposed data or reason: its requester while it is a draft or
    returned, a reviewer while he reviews it (who then is its last editor and may no longer
    approve it: four eyes). With `submit` the requester submits a draft or resubmits a
    returned request in the same transaction (the screens' 提交申请 / 重新提交): refused,
    nothing of the correction is stored either."""
    with uow_factory(write=True) as uow:
        request = load_request(uow, actor, number, for_update=True)
        after = next_status(request.status, Action.EDIT)
        _check_may_edit(uow, actor, request)
        if reason is not None and not reason.strip():
            raise DomainError.single("REQUEST-REASON", "请填写申请原因", "Enter the reason")
        if document is not None:
            problems = _target(request.type, document)[2]
            if problems:
                raise DomainError(problems)
            if request.type is not RequestType.CREATE and (
                document.general.number not in ("", request.customer)
            ):
                raise DomainError.single(
                    "KNA1-KUNNR",
                    f"申请 {number} 属于客户 {request.customer}，不能改为其他客户",
                    f"Request {number} is for customer {request.customer}",
                )
        now = uow.now()
        uow.requests.update(
            number,
            now,
            document=document,
            reason=reason.strip() if reason is not None else None,
            # as the server has it (migration 0017): who changes the data or the reason
            editor=actor.user if document is not None or reason is not None else None,
        )
        uow.requests.add_step(number, now, actor.user, Action.EDIT, request.status, after, comment)
        if submit:
            step = Action.RESUBMIT if request.status is RequestStatus.RETURNED else Action.SUBMIT
            transition(uow, actor, load_request(uow, actor, number, for_update=True), step, "")
        uow.commit()
    return read_request(uow_factory, actor, number)


def attach(
    uow_factory: UowFactory,
    actor: Actor,
    number: str,
    name: str,
    content: bytes,
    mime: str = "",
) -> AttachmentInfo:
    """Attach a file (a scan of the business licence) to a request, kept in the database:
    by its requester (draft, returned) or its reviewer (in review); at most 5 MB."""
    problems = attachment_problems(name, len(content))
    if problems:
        raise DomainError(problems)
    mime = mime or mimetypes.guess_type(name)[0] or "application/octet-stream"
    with uow_factory(write=True) as uow:
        request = load_request(uow, actor, number, for_update=True)
        after = next_status(request.status, Action.ATTACH)
        _check_may_edit(uow, actor, request)
        now = uow.now()
        key = uow.requests.add_attachment(number, name, mime, content, actor.user, now)
        uow.requests.add_step(number, now, actor.user, Action.ATTACH, request.status, after, name)
        uow.commit()
    return AttachmentInfo(key, name, mime, len(content), actor.user, now)


def remove_attachment(uow_factory: UowFactory, actor: Actor, number: str, key: str) -> str:
    """Remove an attachment, by whoever may attach to the request now (its requester while it
    is a draft or returned, its reviewer in review); the history keeps the file's name.
    Returns the name."""
    with uow_factory(write=True) as uow:
        request = load_request(uow, actor, number, for_update=True)
        after = next_status(request.status, Action.DETACH)
        _check_may_edit(uow, actor, request)
        found = uow.requests.attachment_content(number, key)
        if found is None:
            raise _no_attachment(key)
        uow.requests.remove_attachment(number, key)
        now = uow.now()
        uow.requests.add_step(
            number, now, actor.user, Action.DETACH, request.status, after, found[0]
        )
        uow.commit()
    return found[0]


def _no_attachment(key: str) -> DomainError:
    return DomainError.single(
        "REQUEST-ATTACHMENT", f"附件 {key} 不存在", f"Attachment {key} does not exist"
    )


def attachment(uow_factory: UowFactory, actor: Actor, number: str, key: str) -> tuple[str, bytes]:
    """An attachment's name and bytes."""
    with uow_factory() as uow:
        load_request(uow, actor, number)
        found = uow.requests.attachment_content(number, key)
    if found is None:
        raise _no_attachment(key)
    return found


def act(
    uow_factory: UowFactory, actor: Actor, number: str, action: Action, comment: str = ""
) -> Request:
    """Do one step of the status machine: submit, review, return (reason), resubmit, approve,
    reject (reason) or withdraw. Activation is `activate`."""
    if action is Action.ACTIVATE:
        return activate(uow_factory, actor, number, comment)
    if action in (Action.EDIT, Action.ATTACH, Action.DETACH, Action.CREATE):
        raise request_problem("请使用修改或附件功能", "Use edit or attach for this")
    with uow_factory(write=True) as uow:
        request = load_request(uow, actor, number, for_update=True)
        transition(uow, actor, request, action, comment)
        uow.commit()
    return read_request(uow_factory, actor, number)


def submit(uow_factory: UowFactory, actor: Actor, number: str, comment: str = "") -> Request:
    return act(uow_factory, actor, number, Action.SUBMIT, comment)


def resubmit(uow_factory: UowFactory, actor: Actor, number: str, comment: str = "") -> Request:
    return act(uow_factory, actor, number, Action.RESUBMIT, comment)


def start_review(uow_factory: UowFactory, actor: Actor, number: str) -> Request:
    return act(uow_factory, actor, number, Action.REVIEW)


def return_request(uow_factory: UowFactory, actor: Actor, number: str, reason: str) -> Request:
    return act(uow_factory, actor, number, Action.RETURN, reason)


def approve(uow_factory: UowFactory, actor: Actor, number: str, comment: str = "") -> Request:
    return act(uow_factory, actor, number, Action.APPROVE, comment)


def reject(uow_factory: UowFactory, actor: Actor, number: str, reason: str) -> Request:
    return act(uow_factory, actor, number, Action.REJECT, reason)


def withdraw(uow_factory: UowFactory, actor: Actor, number: str, comment: str = "") -> Request:
    return act(uow_factory, actor, number, Action.WITHDRAW, comment)


def list_requests(
    uow_factory: UowFactory,
    actor: Actor,
    *,
    mine: bool = False,
    inbox: bool = False,
    statuses: Sequence[RequestStatus] | None = None,
    parent: str | None = None,
) -> list[Request]:
    """Requests the actor may see, by number: `mine` those he filed; `inbox` those waiting
    for him (routed to him, submitted, resubmitted, in review or approved, not his own)."""
    with uow_factory() as uow:
        wanted = statuses
        if inbox:
            wanted = (
                RequestStatus.SUBMITTED,
                RequestStatus.RESUBMITTED,
                RequestStatus.IN_REVIEW,
                RequestStatus.APPROVED,
            )
        found = uow.requests.many(
            uow.requests.numbers(
                statuses=wanted, requester=actor.user if mine else None, parent=parent
            )
        )
        found = [r for r in found if may_see(actor, r)]
        if inbox:
            routing = rules(uow.customizing.load())
            found = [
                r
                for r in found
                if actor.user not in (r.requester, r.last_editor)
                and review_refusal(actor, r, scopes(uow, r), routing) is None
            ]
    return found


def _check_may_edit(uow: UnitOfWork, actor: Actor, request: Request) -> None:
    """Its requester edits a request while it is a draft or returned, a reviewer while he
    reviews it (and becomes its last editor)."""
    if request.status is RequestStatus.IN_REVIEW:
        cust = uow.customizing.load()
        if refusal := review_refusal(actor, request, scopes(uow, request), rules(cust)):
            raise refusal
    elif actor.user != request.requester:
        raise not_yours(request)
