"""Activation of an approved maintenance request: the customer written through the create,
extend and change services' own steps (store_new, store_extension, store_change,
write_change) in the same transaction as the request's status change, change documents naming
the request and carrying its reason; a create request's company codes and sales areas become
child requests routed on their own (SAP MDG: one slow approver must not hold the rest)."""

from __future__ import annotations

from custmd_gui.catalog import catalog
from custmd_gui.domain.change_document import diff_customers
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.model import Customer
from custmd_gui.domain.requests import (
    Action,
    Request,
    RequestStatus,
    RequestType,
    request_problem,
)
from custmd_gui.domain.validation import Validator
from custmd_gui.persistence.requests import NewRequest
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.authorization import (
    check_status_rights,
    check_visible,
)
from custmd_gui.services.change import store_change, write_change
from custmd_gui.services.context import Actor
from custmd_gui.services.create import store_extension, store_new
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.request_flow import (
    general_only,
    load_request,
    read_request,
    transition,
)

# --- activation -------------------------------------------------------------------------------


def activate(uow_factory: UowFactory, actor: Actor, number: str, comment: str = "") -> Request:
    """Write the approved request's data into the customer and mark it activated, in one
    transaction: a refusal of the create, extend or change service leaves the request
    approved and nothing written. A create request then has a child request per company code
    and sales area of its document, each routed on its own."""
    with uow_factory(write=True) as uow:
        request = load_request(uow, actor, number, for_update=True)
        transition(uow, actor, request, Action.ACTIVATE, comment)
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
            uow, general_only(doc), actor, cust, Validator(cust), "XD01", reason, request=number
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
    general = general_only(stored)
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
