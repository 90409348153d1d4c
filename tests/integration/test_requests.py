"""Maintenance requests through the services on SQLite and PostgreSQL: the documents' flow
(an assistant of 1038 requests, the head office returns, the assistant corrects and resubmits,
the head office approves and activates the general data, the F011 company-code maintainer and
a sales-area reviewer complete the children), the status machine, routing, four eyes, atomic
activation, change documents that name the request, attachments."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from custmd_gui.domain.authorization import DEFAULT_ROLES, Authorizations, Forbidden
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.model import Customer
from custmd_gui.domain.requests import (
    MAX_ATTACHMENT_BYTES,
    TRANSITIONS,
    Action,
    RequestStatus,
    RequestType,
)
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import tables
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import requests as rq
from custmd_gui.services.change_documents import change_documents
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from tests.conftest import example_document

ROLES = {r.code: r for r in DEFAULT_ROLES}
NUMBER = "2110380001"


def actor(user: str, role: str, **scopes: Any) -> Actor:
    return Actor.logged_in(Authorizations.of_roles(user, [ROLES[role]], **scopes))


ASSISTANT = actor("wang_1038", "assistant", company_codes=["F011"], sales_areas=["F011/*/*"])
OTHER_ASSISTANT = actor("li_1038", "assistant", company_codes=["F011"], sales_areas=["F011/*/*"])
HEAD_OFFICE = actor("zhao_hq", "general_maintainer")
CC_F011 = actor("chen_f011", "cc_maintainer", company_codes=["F011"])
CC_F015 = actor("sun_f015", "cc_maintainer", company_codes=["F015"])


def example() -> Customer:
    return from_document(example_document())


def filed(factory: UnitOfWorkFactory, **kw: Any) -> str:
    request = rq.create_request(
        factory,
        ASSISTANT,
        RequestType.CREATE,
        kw.pop("document", example()),
        reason="新客户东宁广告，需开具发票",
        **kw,
    )
    return request.number


def test_the_documents_flow(uow_factory: UnitOfWorkFactory) -> None:
    number = filed(uow_factory, org_unit="1038")
    request = rq.submit(uow_factory, ASSISTANT, number)
    assert request.status is RequestStatus.SUBMITTED and request.org_unit == "1038"
    assert [r.number for r in rq.list_requests(uow_factory, HEAD_OFFICE, inbox=True)] == [number]
    assert rq.list_requests(uow_factory, CC_F011, inbox=True) == []  # not his part
    rq.start_review(uow_factory, HEAD_OFFICE, number)
    with pytest.raises(DomainError, match="reason"):
        rq.return_request(uow_factory, HEAD_OFFICE, number, "  ")
    rq.return_request(uow_factory, HEAD_OFFICE, number, "搜索条款应为简称：东宁广告")
    corrected = example()
    corrected.general.search_term = "东宁广告"
    corrected.general.telephone = "021-62345678"
    rq.edit_request(uow_factory, ASSISTANT, number, document=corrected)
    rq.resubmit(uow_factory, ASSISTANT, number, "已更正")
    rq.approve(uow_factory, HEAD_OFFICE, number)
    done = rq.activate(uow_factory, HEAD_OFFICE, number)
    assert done.status is RequestStatus.ACTIVATED and done.customer == NUMBER
    assert [s.action for s in done.steps] == [
        Action.CREATE,
        Action.SUBMIT,
        Action.REVIEW,
        Action.RETURN,
        Action.EDIT,
        Action.RESUBMIT,
        Action.APPROVE,
        Action.ACTIVATE,
    ]
    assert [s.actor for s in done.steps][3:5] == [HEAD_OFFICE.user, ASSISTANT.user]
    assert done.steps[3].comment == "搜索条款应为简称：东宁广告"
    times = [s.at for s in done.steps]
    assert times == sorted(times)
    # general data only, with the corrected telephone; children for KNB1 and KNVV
    stored = read_customer(uow_factory, NUMBER)
    assert stored.general.telephone == "021-62345678"
    assert stored.company_codes == [] and stored.sales_areas == []
    children = rq.list_requests(uow_factory, HEAD_OFFICE, parent=number)
    assert [(c.type, c.company_code, c.sales_area) for c in children] == [
        (RequestType.EXTEND_COMPANY_CODE, "F011", ""),
        (RequestType.EXTEND_SALES_AREA, "", "F011/10/01"),
    ]
    assert all(
        c.status is RequestStatus.SUBMITTED and c.requester == ASSISTANT.user for c in children
    )
    cc_child, sa_child = children
    # each child routed to its own reviewer, independent of the other
    assert [r.number for r in rq.list_requests(uow_factory, CC_F011, inbox=True)] == [
        cc_child.number
    ]
    assert rq.list_requests(uow_factory, CC_F015, inbox=True) == []
    with pytest.raises(Forbidden):
        rq.approve(uow_factory, CC_F015, cc_child.number)
    rq.approve(uow_factory, CC_F011, cc_child.number)
    rq.activate(uow_factory, CC_F011, cc_child.number)
    assert read_customer(uow_factory, NUMBER).company_codes[0].company_code == "F011"
    assert read_customer(uow_factory, NUMBER).sales_areas == []  # the other child still waits
    # the requester may not review his own sales area; another assistant of F011 may
    with pytest.raises(DomainError, match="Four eyes"):
        rq.approve(uow_factory, ASSISTANT, sa_child.number)
    rq.approve(uow_factory, OTHER_ASSISTANT, sa_child.number)
    rq.activate(uow_factory, OTHER_ASSISTANT, sa_child.number)
    final = read_customer(uow_factory, NUMBER)
    assert [a.segment_key for a in final.sales_areas] == ["F011/10/01"]
    # every change document names its request and carries the reason
    rows = change_documents(uow_factory, NUMBER)
    by_request = {(r.activity, r.request) for r in rows}
    assert by_request == {
        ("create", number),
        ("extend", cc_child.number),
        ("extend", sa_child.number),
    }
    assert {r.comment for r in rows} == {"新客户东宁广告，需开具发票"}


def test_four_eyes_in_the_services(uow_factory: UnitOfWorkFactory) -> None:
    # the head office files its own request: it may not approve it
    request = rq.create_request(
        uow_factory, HEAD_OFFICE, RequestType.CREATE, example(), reason="自建", submit=True
    )
    with pytest.raises(DomainError, match="Four eyes"):
        rq.approve(uow_factory, HEAD_OFFICE, request.number)
    # nor one he last edited while reviewing it
    other = filed(uow_factory, document=example().with_number("2110380002"))
    rq.submit(uow_factory, ASSISTANT, other)
    rq.start_review(uow_factory, HEAD_OFFICE, other)
    corrected = example().with_number("2110380002")
    corrected.general.telephone = "021-62340000"
    rq.edit_request(uow_factory, HEAD_OFFICE, other, document=corrected)
    with pytest.raises(DomainError, match="Four eyes"):
        rq.approve(uow_factory, HEAD_OFFICE, other)
    second = actor("qian_hq", "general_maintainer")
    rq.approve(uow_factory, second, other)
    with pytest.raises(DomainError, match="Four eyes"):  # activation too
        rq.activate(uow_factory, HEAD_OFFICE, other)
    assert rq.activate(uow_factory, second, other).status is RequestStatus.ACTIVATED


def _walk_to(factory: UnitOfWorkFactory, status: RequestStatus, n: int) -> str:
    """A request brought to `status` by the ordinary actors."""
    number = filed(factory, document=example().with_number(f"21103800{n:02d}"))
    paths = {
        RequestStatus.DRAFT: [],
        RequestStatus.SUBMITTED: [(ASSISTANT, Action.SUBMIT)],
        RequestStatus.IN_REVIEW: [(ASSISTANT, Action.SUBMIT), (HEAD_OFFICE, Action.REVIEW)],
        RequestStatus.RETURNED: [(ASSISTANT, Action.SUBMIT), (HEAD_OFFICE, Action.RETURN)],
        RequestStatus.RESUBMITTED: [
            (ASSISTANT, Action.SUBMIT),
            (HEAD_OFFICE, Action.RETURN),
            (ASSISTANT, Action.RESUBMIT),
        ],
        RequestStatus.APPROVED: [(ASSISTANT, Action.SUBMIT), (HEAD_OFFICE, Action.APPROVE)],
        RequestStatus.ACTIVATED: [
            (ASSISTANT, Action.SUBMIT),
            (HEAD_OFFICE, Action.APPROVE),
            (HEAD_OFFICE, Action.ACTIVATE),
        ],
        RequestStatus.REJECTED: [(ASSISTANT, Action.SUBMIT), (HEAD_OFFICE, Action.REJECT)],
        RequestStatus.WITHDRAWN: [(ASSISTANT, Action.WITHDRAW)],
    }
    for who, action in paths[status]:
        rq.act(factory, who, number, action, "原因")
    return number


STEPS = (
    Action.SUBMIT,
    Action.REVIEW,
    Action.RETURN,
    Action.RESUBMIT,
    Action.APPROVE,
    Action.ACTIVATE,
    Action.REJECT,
    Action.WITHDRAW,
)


def test_every_transition_allowed_or_refused(uow_factory: UnitOfWorkFactory) -> None:
    n = 10
    for status in RequestStatus:
        for action in STEPS:
            n += 1
            number = _walk_to(uow_factory, status, n)
            who = (
                ASSISTANT
                if action in (Action.SUBMIT, Action.RESUBMIT, Action.WITHDRAW)
                else (HEAD_OFFICE)
            )
            allowed = (status, action) in TRANSITIONS
            if allowed:
                after = rq.act(uow_factory, who, number, action, "原因").status
                assert after is TRANSITIONS[(status, action)], (status, action)
            else:
                with pytest.raises(DomainError, match="cannot") as refused:
                    rq.act(uow_factory, who, number, action, "原因")
                assert "不能" in refused.value.problems[0].message.zh
                assert rq.read_request(uow_factory, who, number).status is status
    # the requester's actions are his alone; a reviewer's not the requester's
    number = _walk_to(uow_factory, RequestStatus.DRAFT, 99)
    with pytest.raises(DomainError, match="only the requester"):
        rq.submit(uow_factory, OTHER_ASSISTANT, number)
    rq.submit(uow_factory, ASSISTANT, number)
    with pytest.raises(Forbidden):
        rq.start_review(uow_factory, OTHER_ASSISTANT, number)  # general data: head office


def test_reasons_are_required(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(DomainError, match="reason"):
        rq.create_request(uow_factory, ASSISTANT, RequestType.CREATE, example(), reason=" ")
    number = _walk_to(uow_factory, RequestStatus.SUBMITTED, 1)
    for action in (Action.RETURN, Action.REJECT):
        with pytest.raises(DomainError) as refused:
            rq.act(uow_factory, HEAD_OFFICE, number, action, "")
        assert refused.value.problems[0].field_key == "REQUEST-REASON"
        assert "原因" in refused.value.problems[0].message.zh


def test_a_failing_activation_leaves_the_request_approved(
    uow_factory: UnitOfWorkFactory,
) -> None:
    number = _walk_to(uow_factory, RequestStatus.APPROVED, 1)
    # someone creates the same customer number directly in between
    create_customer(uow_factory, example().with_number("2110380001"), Actor("setup"))
    with pytest.raises(DomainError, match="already exists"):
        rq.activate(uow_factory, HEAD_OFFICE, number)
    request = rq.read_request(uow_factory, HEAD_OFFICE, number)
    assert request.status is RequestStatus.APPROVED
    assert request.steps[-1].action is Action.APPROVE
    with uow_factory() as uow:
        children = uow.session.scalar(
            select(func.count())
            .select_from(tables.MaintenanceRequest)
            .where(tables.MaintenanceRequest.parent == number)
        )
    assert children == 0


def test_submit_checks_the_data_as_xd01_would(uow_factory: UnitOfWorkFactory) -> None:
    bad = example()
    bad.general.postal_code = "12"
    number = filed(uow_factory, document=bad)
    with pytest.raises(DomainError) as refused:
        rq.submit(uow_factory, ASSISTANT, number)
    assert "KNA1-PSTLZ" in {p.field_key for p in refused.value.problems}
    assert rq.read_request(uow_factory, ASSISTANT, number).status is RequestStatus.DRAFT


def test_attachments_are_kept_and_limited(uow_factory: UnitOfWorkFactory) -> None:
    number = filed(uow_factory)
    scan = b"%PDF-1.4 licence" * 1000
    info = rq.attach(uow_factory, ASSISTANT, number, "营业执照.pdf", scan)
    assert info.mime == "application/pdf" and info.size == len(scan)
    assert rq.attachment(uow_factory, HEAD_OFFICE, number, info.id) == ("营业执照.pdf", scan)
    with pytest.raises(DomainError) as refused:
        rq.attach(uow_factory, ASSISTANT, number, "大扫描件.tif", b"x" * (MAX_ATTACHMENT_BYTES + 1))
    assert "太大" in refused.value.problems[0].message.zh
    assert "5 MB" in refused.value.problems[0].message.zh
    request = rq.read_request(uow_factory, ASSISTANT, number)
    assert [a.name for a in request.attachments] == ["营业执照.pdf"]
    assert request.steps[-1].action is Action.ATTACH
    with pytest.raises(DomainError, match="only the requester"):
        rq.attach(uow_factory, OTHER_ASSISTANT, number, "x.pdf", b"x")
