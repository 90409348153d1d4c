"""Maintenance requests (客户主数据维护申请): file, edit, attach, submit, review, return,
resubmit, approve, reject, withdraw and activate (issue 18).

Who may act: the requester files, edits (draft, returned), submits, resubmits and withdraws his
own request; a reviewer is whoever holds the permission the customizing routes the request's
part to (domain.request_rules), in its scope (company code, sales area, authorization group).
Four eyes: nobody approves or activates a request he filed or last edited (the server refuses
it too, migration 0017).

Activation writes the customer through the create, extend and change services' own steps
(store_new, store_extension, store_change, write_change) in the same transaction as the
request's status change; the change document names the request and carries its reason. A
create request activates the general data; each company code and sales area of its document
becomes a child request routed on its own (SAP MDG: one slow approver must not hold the rest).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain.authorization import Forbidden, Permission
from custmd_gui.domain.change_document import diff_customers
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError, NotFound, Problem
from custmd_gui.domain.model import Customer
from custmd_gui.domain.request_rules import RequestRules
from custmd_gui.domain.requests import (
    FOUR_EYES_ACTIONS,
    REQUEST_KEY,
    REQUESTER_ACTIONS,
    REVIEWER_ACTIONS,
    Action,
    AttachmentInfo,
    Part,
    Request,
    RequestStatus,
    RequestType,
    attachment_problems,
    next_status,
    request_problem,
)
from custmd_gui.domain.validation import Validator
from custmd_gui.persistence.requests import NewRequest
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.authorization import (
    COMPANY_CODE_TABLES,
    SALES_AREA_TABLES,
    authorize,
    check_status_rights,
    check_visible,
    creation_refusal,
)
from custmd_gui.services.change import store_change, write_change
from custmd_gui.services.context import Actor
from custmd_gui.services.create import check_new, store_extension, store_new
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.request_rules import rules

_BLOCK_TYPES = (RequestType.BLOCK, RequestType.DELETION_FLAG)


@dataclass(frozen=True, slots=True)
class Scope:
    """One part of a request as routing sees it: the part and where it lies."""

    part: Part
    company_code: str | None = None
    sales_area: str | None = None


def _not_found(number: str) -> NotFound:
    message = Text(zh=f"申请 {number} 不存在", en=f"Request {number} does not exist")
    return NotFound([Problem(REQUEST_KEY, "", message)])


def _general_only(customer: Customer) -> Customer:
    return customer.model_copy(deep=True, update={"company_codes": [], "sales_areas": []})


# --- routing ----------------------------------------------------------------------------------


def scopes(uow: UnitOfWork, request: Request) -> list[Scope]:
    """The parts a request touches: what routes it to its reviewers."""
    kind = request.type
    if kind is RequestType.CREATE or kind in _BLOCK_TYPES:
        return [Scope(Part.GENERAL)]
    if kind is RequestType.EXTEND_COMPANY_CODE:
        return [Scope(Part.COMPANY_CODE, company_code=request.company_code)]
    if kind is RequestType.EXTEND_SALES_AREA:
        return [Scope(Part.SALES_AREA, sales_area=request.sales_area)]
    stored = uow.customers.get(request.customer)
    if stored is None:
        return [Scope(Part.GENERAL)]
    found: dict[tuple[Part, str], Scope] = {}
    for change in diff_customers(stored, request.document.with_number(request.customer)):
        if change.table in COMPANY_CODE_TABLES:
            found[(Part.COMPANY_CODE, change.segment)] = Scope(
                Part.COMPANY_CODE, company_code=change.segment
            )
        elif change.table in SALES_AREA_TABLES:
            found[(Part.SALES_AREA, change.segment)] = Scope(
                Part.SALES_AREA, sales_area=change.segment
            )
        else:
            found[(Part.GENERAL, "")] = Scope(Part.GENERAL)
    return list(found.values()) or [Scope(Part.GENERAL)]


def review_refusal(
    actor: Actor, request: Request, parts: Sequence[Scope], routing: RequestRules
) -> DomainError | None:
    """Why the actor may not review the request (None: he may): each part needs the
    permission the customizing routes it to, in its company code or sales area, and the
    authorization group of the customer's general data."""
    group = request.document.general.authorization_group
    for scope in parts:
        permission = routing.permission(request.type, scope.part)
        if permission is None:
            return request_problem(
                f"定制中没有 {request.type.value}/{scope.part.value} 的审核路由（request_routing）",
                f"The customizing routes no {request.type.value}/{scope.part.value} review "
                "(request_routing)",
            )
        refusal = actor.rights.missing(
            permission,
            company_code=scope.company_code,
            sales_area=scope.sales_area,
            auth_group=group,
        )
        if refusal is not None:
            return refusal
    return None


def _four_eyes(actor: Actor, request: Request, action: Action) -> None:
    if action not in FOUR_EYES_ACTIONS:
        return
    if actor.user in (request.requester, request.last_editor):
        role = "提交" if actor.user == request.requester else "最后修改"
        raise request_problem(
            f"四眼原则：申请 {request.number} 由您{role}，不能由您批准或生效；请由其他审核人处理",
            f"Four eyes: you filed or last edited request {request.number}; someone else "
            "must approve and activate it",
        )


def _may_see(actor: Actor, request: Request) -> bool:
    return actor.user == request.requester or actor.rights.can_see(
        request.document.general.authorization_group
    )


def _load(uow: UnitOfWork, actor: Actor, number: str, *, for_update: bool = False) -> Request:
    request = uow.requests.get(number, for_update=for_update)
    if request is None or not _may_see(actor, request):
        raise _not_found(number)
    return request


# --- filing -----------------------------------------------------------------------------------


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
            _transition(uow, actor, _load(uow, actor, filed), Action.SUBMIT, "")
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
) -> Request:
    """Correct a request's proposed data or reason: its requester while it is a draft or
    returned, a reviewer while he reviews it (who then is its last editor and may no longer
    approve it: four eyes)."""
    with uow_factory(write=True) as uow:
        request = _load(uow, actor, number, for_update=True)
        after = next_status(request.status, Action.EDIT)
        if request.status is RequestStatus.IN_REVIEW:
            cust = uow.customizing.load()
            if refusal := review_refusal(actor, request, scopes(uow, request), rules(cust)):
                raise refusal
        elif actor.user != request.requester:
            raise _not_yours(request)
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
        request = _load(uow, actor, number, for_update=True)
        after = next_status(request.status, Action.ATTACH)
        if request.status is RequestStatus.IN_REVIEW:
            cust = uow.customizing.load()
            if refusal := review_refusal(actor, request, scopes(uow, request), rules(cust)):
                raise refusal
        elif actor.user != request.requester:
            raise _not_yours(request)
        now = uow.now()
        key = uow.requests.add_attachment(number, name, mime, content, actor.user, now)
        uow.requests.add_step(number, now, actor.user, Action.ATTACH, request.status, after, name)
        uow.commit()
    return AttachmentInfo(key, name, mime, len(content), actor.user, now)


def attachment(uow_factory: UowFactory, actor: Actor, number: str, key: str) -> tuple[str, bytes]:
    """An attachment's name and bytes."""
    with uow_factory() as uow:
        _load(uow, actor, number)
        found = uow.requests.attachment_content(number, key)
    if found is None:
        raise DomainError.single(
            "REQUEST-ATTACHMENT", f"附件 {key} 不存在", f"Attachment {key} does not exist"
        )
    return found


def _not_yours(request: Request) -> DomainError:
    return request_problem(
        f"申请 {request.number} 是用户 {request.requester} 的，只有申请人本人可以这样做",
        f"Request {request.number} is {request.requester}'s; only the requester may do this",
    )


# --- the status machine -----------------------------------------------------------------------


def _transition(
    uow: UnitOfWork, actor: Actor, request: Request, action: Action, comment: str
) -> RequestStatus:
    """Check that `actor` may do `action` on `request` now and record it (not committed);
    activation's writing of the customer is the caller's."""
    after = next_status(request.status, action, comment)
    if action in REQUESTER_ACTIONS:
        if actor.user != request.requester:
            raise _not_yours(request)
        authorize(actor, Permission.REQUEST)
    if action in REVIEWER_ACTIONS:
        _parent_active(uow, request)
        cust = uow.customizing.load()
        if refusal := review_refusal(actor, request, scopes(uow, request), rules(cust)):
            raise refusal
        _four_eyes(actor, request, action)
    if action in (Action.SUBMIT, Action.RESUBMIT) and request.type is RequestType.CREATE:
        # The requester's own check (工程公司递交数据的正确性和完整性): what XD01 would refuse.
        cust = uow.customizing.load()
        check_new(uow, request.document, actor, cust, Validator(cust))
    now = uow.now()
    uow.requests.update(request.number, now, status=after)
    uow.requests.add_step(
        request.number, now, actor.user, action, request.status, after, comment.strip()
    )
    return after


def _parent_active(uow: UnitOfWork, request: Request) -> None:
    """A child waits for its parent's general data (they are, once it exists)."""
    if request.parent and not uow.customers.exists(request.customer):
        raise request_problem(
            f"申请 {request.parent} 的一般数据尚未生效", "The general data are not active yet"
        )


def act(
    uow_factory: UowFactory, actor: Actor, number: str, action: Action, comment: str = ""
) -> Request:
    """Do one step of the status machine: submit, review, return (reason), resubmit, approve,
    reject (reason) or withdraw. Activation is `activate`."""
    if action is Action.ACTIVATE:
        return activate(uow_factory, actor, number, comment)
    if action in (Action.EDIT, Action.ATTACH, Action.CREATE):
        raise request_problem("请使用修改或附件功能", "Use edit or attach for this")
    with uow_factory(write=True) as uow:
        request = _load(uow, actor, number, for_update=True)
        _transition(uow, actor, request, action, comment)
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


# --- activation -------------------------------------------------------------------------------


def activate(uow_factory: UowFactory, actor: Actor, number: str, comment: str = "") -> Request:
    """Write the approved request's data into the customer and mark it activated, in one
    transaction: a refusal of the create, extend or change service leaves the request
    approved and nothing written. A create request then has a child request per company code
    and sales area of its document, each routed on its own."""
    with uow_factory(write=True) as uow:
        request = _load(uow, actor, number, for_update=True)
        _transition(uow, actor, request, Action.ACTIVATE, comment)
        cust = uow.customizing.load()
        customer = _write_customer(uow, actor, request, cust)
        uow.requests.update(number, uow.now(), customer=customer)
        if request.type is RequestType.CREATE:
            _file_children(uow, actor, request, customer)
        uow.commit()
    return read_request(uow_factory, actor, number)


def _write_customer(uow: UnitOfWork, actor: Actor, request: Request, cust: Customizing) -> str:
    """Write the request's data through the services' own steps; the customer's number."""
    doc, reason, number = request.document, request.reason, request.number
    if request.type is RequestType.CREATE:
        stored = store_new(
            uow, _general_only(doc), actor, cust, Validator(cust), "XD01", reason, request=number
        )
        return stored.number
    check_visible(uow, actor, request.customer)
    if request.type in (RequestType.EXTEND_COMPANY_CODE, RequestType.EXTEND_SALES_AREA):
        store_extension(
            uow,
            request.customer,
            actor,
            cust,
            doc.company_codes,
            doc.sales_areas,
            comment=reason,
            request=number,
        )
        return request.customer
    if request.type is RequestType.CHANGE:
        store_change(
            uow,
            request.customer,
            doc,
            actor,
            cust,
            expected_version=request.base_version,
            comment=reason,
            request=number,
        )
        return request.customer
    current = uow.customers.get(request.customer, for_update=True)
    assert current is not None
    return _write_status(uow, actor, request, current)


def _write_status(uow: UnitOfWork, actor: Actor, request: Request, stored: Customer) -> str:
    """A block or deletion-flag request: only those fields, with the rights to set them."""
    reason, number = request.reason, request.number
    wanted = request.document.with_number(request.customer)
    others = [
        f.field_key
        for change in diff_customers(stored, wanted)
        for f in change.fields
        if not _is_status_field(f.field_key)
    ]
    if others:
        raise DomainError.single(
            others[0],
            "冻结或删除标记的申请只能更改冻结和删除标记",
            "A block or deletion-flag request changes only blocks and deletion flags",
        )
    if stored.version != request.base_version:
        raise request_problem(
            f"客户 {request.customer} 在申请提交后已被更改，请退回申请人重新提交",
            f"Customer {request.customer} changed since the request was filed; return it",
        )
    check_status_rights(actor, stored, wanted)
    tcode = "XD06" if request.type is RequestType.DELETION_FLAG else "XD05"
    write_change(uow, stored, wanted, actor, tcode, comment=reason, request=number)
    return request.customer


def _is_status_field(key: str) -> bool:
    return catalog().field(key).field_group == "blocks"


def _file_children(uow: UnitOfWork, actor: Actor, parent: Request, number: str) -> None:
    """A child request per company code and sales area of a create request's document,
    submitted in the parent's name (requester, last editor, reason, org unit)."""
    stored = uow.customers.get(number)
    assert stored is not None
    general = _general_only(stored)
    children: list[tuple[RequestType, Customer, str, str]] = [
        (
            RequestType.EXTEND_COMPANY_CODE,
            general.model_copy(update={"company_codes": [cc.model_copy(deep=True)]}),
            cc.company_code,
            "",
        )
        for cc in parent.document.company_codes
    ]
    children += [
        (
            RequestType.EXTEND_SALES_AREA,
            general.model_copy(update={"sales_areas": [sa.model_copy(deep=True)]}).with_number(
                number
            ),
            "",
            sa.segment_key,
        )
        for sa in parent.document.sales_areas
    ]
    for kind, document, code, area in children:
        now = uow.now()
        child = uow.requests.add(
            NewRequest(
                type=kind,
                status=RequestStatus.SUBMITTED,
                requester=parent.requester,
                org_unit=parent.org_unit,
                reason=parent.reason,
                document=document,
                customer=number,
                parent=parent.number,
                company_code=code,
                sales_area=area,
                base_version=stored.version,
                last_editor=parent.last_editor,
            ),
            now,
        )
        uow.requests.add_step(
            child,
            now,
            actor.user,
            Action.CREATE,
            None,
            RequestStatus.SUBMITTED,
            f"申请 {parent.number} 的一般数据已生效 / general data of {parent.number} active",
        )


# --- reading ----------------------------------------------------------------------------------


def read_request(uow_factory: UowFactory, actor: Actor, number: str) -> Request:
    """A request with its history and attachments (without their bytes): for its requester
    and whoever may see the customer's authorization group."""
    with uow_factory() as uow:
        return _load(uow, actor, number)


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
        found = [r for r in found if _may_see(actor, r)]
        if inbox:
            routing = rules(uow.customizing.load())
            found = [
                r
                for r in found
                if actor.user not in (r.requester, r.last_editor)
                and review_refusal(actor, r, scopes(uow, r), routing) is None
            ]
    return found
