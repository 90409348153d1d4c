"""The request workflow's common steps (services.requests, services.request_activation):
routing (which parts a request touches and who may review them), four eyes, loading a request
the actor may see, and one step of the status machine recorded with its history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from custmd_gui.catalog import Text
from custmd_gui.domain.authorization import Permission
from custmd_gui.domain.change_document import diff_customers
from custmd_gui.domain.errors import DomainError, NotFound, Problem
from custmd_gui.domain.model import Customer
from custmd_gui.domain.request_rules import RequestRules
from custmd_gui.domain.requests import (
    FOUR_EYES_ACTIONS,
    REQUEST_KEY,
    REQUESTER_ACTIONS,
    REVIEWER_ACTIONS,
    Action,
    Part,
    Request,
    RequestStatus,
    RequestType,
    next_status,
    request_problem,
)
from custmd_gui.domain.validation import Validator
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.authorization import (
    COMPANY_CODE_TABLES,
    SALES_AREA_TABLES,
    authorize,
)
from custmd_gui.services.context import Actor
from custmd_gui.services.create import check_new
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.request_rules import rules

_BLOCK_TYPES = (RequestType.BLOCK, RequestType.DELETION_FLAG)


@dataclass(frozen=True, slots=True)
class Scope:
    """One part of a request as routing sees it: the part and where it lies."""

    part: Part
    company_code: str | None = None
    sales_area: str | None = None


def request_not_found(number: str) -> NotFound:
    message = Text(zh=f"申请 {number} 不存在", en=f"Request {number} does not exist")
    return NotFound([Problem(REQUEST_KEY, "", message)])


def general_only(customer: Customer) -> Customer:
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


def check_four_eyes(actor: Actor, request: Request, action: Action) -> None:
    if action not in FOUR_EYES_ACTIONS:
        return
    if actor.user in (request.requester, request.last_editor):
        role = "提交" if actor.user == request.requester else "最后修改"
        raise request_problem(
            f"四眼原则：申请 {request.number} 由您{role}，不能由您批准或生效；请由其他审核人处理",
            f"Four eyes: you filed or last edited request {request.number}; someone else "
            "must approve and activate it",
        )


def may_see(actor: Actor, request: Request) -> bool:
    return actor.user == request.requester or actor.rights.can_see(
        request.document.general.authorization_group
    )


def load_request(
    uow: UnitOfWork, actor: Actor, number: str, *, for_update: bool = False
) -> Request:
    request = uow.requests.get(number, for_update=for_update)
    if request is None or not may_see(actor, request):
        raise request_not_found(number)
    return request


def not_yours(request: Request) -> DomainError:
    return request_problem(
        f"申请 {request.number} 是用户 {request.requester} 的，只有申请人本人可以这样做",
        f"Request {request.number} is {request.requester}'s; only the requester may do this",
    )


# --- the status machine -----------------------------------------------------------------------


def transition(
    uow: UnitOfWork, actor: Actor, request: Request, action: Action, comment: str
) -> RequestStatus:
    """Check that `actor` may do `action` on `request` now and record it (not committed);
    activation's writing of the customer is the caller's."""
    after = next_status(request.status, action, comment)
    if action in REQUESTER_ACTIONS:
        if actor.user != request.requester:
            raise not_yours(request)
        authorize(actor, Permission.REQUEST)
    if action in REVIEWER_ACTIONS:
        check_parent_active(uow, request)
        cust = uow.customizing.load()
        if refusal := review_refusal(actor, request, scopes(uow, request), rules(cust)):
            raise refusal
        check_four_eyes(actor, request, action)
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


def check_parent_active(uow: UnitOfWork, request: Request) -> None:
    """A child waits for its parent's general data (they are, once it exists)."""
    if request.parent and not uow.customers.exists(request.customer):
        raise request_problem(
            f"申请 {request.parent} 的一般数据尚未生效", "The general data are not active yet"
        )


# --- reading ----------------------------------------------------------------------------------


def read_request(uow_factory: UowFactory, actor: Actor, number: str) -> Request:
    """A request with its history and attachments (without their bytes): for its requester
    and whoever may see the customer's authorization group."""
    with uow_factory() as uow:
        return load_request(uow, actor, number)
