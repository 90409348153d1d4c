"""The wizard's data as maintenance requests (issue 18): what the screens file instead of a
save, and a filed request back on the screens: its requester corrects a returned request (or
completes a draft, e.g. one imported from the Excel form) with the same screens and checks as
XD01, and the save submits it again instead of creating the customer.

XD01's screens show one customer with at most one company code and one sales area: a create
request, or an extension by one company code or one sales area. The request's keys fill the
initial screen; its proposed data replace what the screens would propose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from custmd_gui.catalog import Catalog
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.model import Customer
from custmd_gui.domain.requests import (
    STATUS_TEXTS,
    Request,
    RequestStatus,
    RequestType,
    request_problem,
)
from custmd_gui.wizard.document import Document
from custmd_gui.wizard.initial import Keys
from custmd_gui.wizard.prefill import prefill

# The request types the screens file and therefore show: XD01's, and XD02's change.
ON_SCREENS = frozenset(
    {
        RequestType.CREATE,
        RequestType.EXTEND_COMPANY_CODE,
        RequestType.EXTEND_SALES_AREA,
        RequestType.CHANGE,
    }
)
# The requester corrects his request on the screens while it is a draft or returned.
CORRECTABLE = frozenset({RequestStatus.DRAFT, RequestStatus.RETURNED})


def may_correct(request: Request, user: str) -> bool:
    """Whether `user` may open `request` on the screens to correct and submit it."""
    return (
        user == request.requester and request.status in CORRECTABLE and request.type in ON_SCREENS
    )


def not_correctable(request: Request, user: str) -> DomainError:
    """Why `user` may not correct `request` on the screens (may_correct is False)."""
    if user != request.requester:
        return request_problem(
            f"申请 {request.number} 是用户 {request.requester} 的，只有申请人本人可以修改",
            f"Request {request.number} is {request.requester}'s; only the requester may correct it",
        )
    if request.status not in CORRECTABLE:
        status = STATUS_TEXTS[request.status]
        return request_problem(
            f"申请状态为“{status.zh}”：只有草稿或已退回修改的申请可以修改",
            f"The request is {status.en.lower()}: only a draft or a returned request can be "
            "corrected",
        )
    return _not_on_screens(request)


def _not_on_screens(request: Request) -> DomainError:
    return request_problem(
        f"申请 {request.number} 不能在屏幕上修改：请用 custmd request edit",
        f"Request {request.number} cannot be corrected on the screens: use custmd request edit",
    )


def initial_values(request: Request) -> dict[str, str]:
    """The initial screen's fields for the request's keys, or DomainError when XD01's screens
    cannot show it (another type, more than one company code or sales area)."""
    doc = request.document
    if request.type not in ON_SCREENS:
        raise _not_on_screens(request)
    if request.type is RequestType.CHANGE:  # XD02 on its first company code and sales area
        return change_values(request)
    if len(doc.company_codes) > 1 or len(doc.sales_areas) > 1:
        raise request_problem(
            f"申请 {request.number} 含多个公司代码或销售范围，屏幕一次只显示一个：请用 custmd "
            "request edit 修改",
            f"Request {request.number} holds more than one company code or sales area; the "
            "screens show one: use custmd request edit",
        )
    values = {
        "KNA1-KTOKD": doc.general.account_group,
        "KNA1-KUNNR": request.customer or doc.general.number,
        "KNB1-BUKRS": doc.company_codes[0].company_code if doc.company_codes else "",
    }
    area = doc.sales_areas[0] if doc.sales_areas else None
    values["KNVV-VKORG"] = area.sales_org if area else ""
    values["KNVV-VTWEG"] = area.distribution_channel if area else ""
    values["KNVV-SPART"] = area.division if area else ""
    return values


def change_values(request: Request) -> dict[str, str]:
    """XD02's initial screen for a change request: the customer, its first company code and
    sales area in code order (as XD03 from the list opens a customer)."""
    doc = request.document
    area = min(doc.sales_areas, key=lambda a: a.segment_key, default=None)
    return {
        "KNA1-KUNNR": request.customer or doc.general.number,
        "KNB1-BUKRS": min((c.company_code for c in doc.company_codes), default=""),
        "KNVV-VKORG": area.sales_org if area else "",
        "KNVV-VTWEG": area.distribution_channel if area else "",
        "KNVV-SPART": area.division if area else "",
    }


def correction_base(keys: Keys, request: Request) -> Keys:
    """The keys a change request is corrected against: its proposed customer in place of
    the stored one (with the stored version), so that what the screens do not show (other
    company codes and sales areas) stays as requested, not as stored."""
    if request.type is not RequestType.CHANGE or keys.extending is None:
        return keys
    proposed = request.document.with_number(keys.number)
    return replace(keys, extending=proposed.model_copy(update={"version": keys.extending.version}))


def request_document(
    cat: Catalog,
    customizing: Customizing,
    keys: Keys,
    initial: Mapping[str, str],
    active: list[str],
    request: Request,
) -> Document:
    """The request's proposed data as the screens opened with its keys (`initial_values`)
    show them."""
    general = request.document
    if request.type is RequestType.CHANGE:  # the whole customer as requested
        general = correction_base(keys, request).extending or general
    elif keys.extending is not None:  # an extension: the stored general data, the new segment
        general = keys.extending.model_copy(
            deep=True,
            update={
                "company_codes": request.document.company_codes,
                "sales_areas": request.document.sales_areas,
            },
        )
    # prefill shows a stored customer's segments as they are: the request's, here
    return prefill(
        cat,
        customizing,
        replace(keys, extending=general),
        None,
        initial,
        stored=True,
        active=active,
    )


def filings(
    keys: Keys, built: Customer, changed: Customer | None
) -> list[tuple[RequestType, Customer]]:
    """The requests the screens' data make: XD01 a create (`built`), or one extension per
    new company code and sales area; XD02 a change of the whole customer as shown
    (`changed`)."""
    if changed is not None:
        return [(RequestType.CHANGE, changed)]
    if keys.extending is None:
        return [(RequestType.CREATE, built)]
    new = built.with_number(keys.number)
    general = keys.extending.model_copy(deep=True, update={"company_codes": [], "sales_areas": []})
    return [
        (RequestType.EXTEND_COMPANY_CODE, general.model_copy(update={"company_codes": [c]}))
        for c in new.company_codes
    ] + [
        (RequestType.EXTEND_SALES_AREA, general.model_copy(update={"sales_areas": [a]}))
        for a in new.sales_areas
    ]


def corrected(filings: list[tuple[RequestType, Customer]], request: Request) -> Customer:
    """Of what the screens would file, the one document of the request being corrected; the
    keys were changed to something else: DomainError."""
    if len(filings) == 1 and filings[0][0] is request.type:
        return filings[0][1]
    raise request_problem(
        f"申请 {request.number} 的客户、公司代码或销售范围不能更改",
        f"The customer, company code or sales area of request {request.number} cannot change",
        "KNA1-KTOKD",
    )
