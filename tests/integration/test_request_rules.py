"""The customizing of the request workflow on both databases: which direct changes need a
request (per request type, for a change per field group) unless the role may skip review,
XD02's reason required or optional, and change and block requests activated through the
change service with documents that name the request."""

from __future__ import annotations

from dataclasses import replace

import pytest

from custmd_gui.domain.authorization import DEFAULT_ROLES, Authorizations, Permission, Role
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.requests import RequestStatus, RequestType
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import requests as rq
from custmd_gui.services.change import ChangeResult, change_customer, open_for_change
from custmd_gui.services.change_documents import change_documents
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.customizing import read_customizing
from custmd_gui.services.locks import release_lock
from tests.conftest import example_document

NUMBER = "2110380001"
ROLES = {r.code: r for r in DEFAULT_ROLES}


def actor(user: str, role: str, *, skip: bool = True) -> Actor:
    base = ROLES[role]
    perms = base.permissions if skip else base.permissions - {Permission.SKIP_REVIEW}
    return Actor.logged_in(Authorizations.of_roles(user, [Role(base.code, base.text, perms)]))


def reason_required(cust: Customizing) -> Customizing:
    lists = dict(cust.lists)
    reasons = lists["change_reason"]
    values = {k: replace(v, attrs={"reason": "required"}) for k, v in reasons.values.items()}
    lists["change_reason"] = replace(reasons, values=values)
    return replace(cust, lists=lists)


@pytest.fixture
def customer(uow_factory: UnitOfWorkFactory) -> str:
    create_customer(uow_factory, from_document(example_document()), Actor("setup"))
    return NUMBER


def _save(
    factory: UnitOfWorkFactory, who: Actor, cust: Customizing, reason: str, **general: str
) -> ChangeResult:
    lock, stored = open_for_change(factory, NUMBER, who)
    changed = stored.model_copy(deep=True)
    for name, value in general.items():
        setattr(changed.general, name, value)
    try:
        return change_customer(
            factory,
            NUMBER,
            changed,
            who,
            expected_version=stored.version,
            lock=lock,
            customizing=cust,
            comment=reason,
        )
    finally:
        release_lock(factory, lock)


def test_xd02_reason_required_or_optional(uow_factory: UnitOfWorkFactory, customer: str) -> None:
    head = actor("zhao", "general_maintainer")
    shipped = read_customizing(uow_factory)
    assert _save(uow_factory, head, shipped, "", street="长宁路 1 号").changed  # optional
    strict = reason_required(shipped)
    with pytest.raises(DomainError) as refused:
        _save(uow_factory, head, strict, "  ", street="长宁路 2 号")
    (problem,) = refused.value.problems
    assert (problem.field_key, problem.message.zh) == ("CDHDR-COMMENT", "请填写更改原因")
    assert read_customer(uow_factory, NUMBER).general.street == "长宁路 1 号"
    _save(uow_factory, head, strict, "客户搬迁", street="长宁路 2 号")
    last = change_documents(uow_factory, NUMBER)[-1]
    assert (last.field_key, last.comment, last.request) == ("KNA1-STRAS", "客户搬迁", "")


def test_which_direct_changes_need_a_request(uow_factory: UnitOfWorkFactory, customer: str) -> None:
    shipped = read_customizing(uow_factory)
    strict_head = actor("zhao", "general_maintainer", skip=False)
    # name and tax number need review; a telephone number does not
    with pytest.raises(DomainError) as refused:
        _save(
            uow_factory,
            strict_head,
            shipped,
            "更名",
            name="东宁广告（上海）有限公司",
            telephone="021-62345678",
        )
    assert [p.field_key for p in refused.value.problems] == ["KNA1-NAME1"]
    assert "需要提交维护申请" in refused.value.problems[0].message.zh
    assert _save(uow_factory, strict_head, shipped, "", telephone="021-62345678").changed
    # a role that may skip review changes the name directly
    assert _save(
        uow_factory, actor("qian", "general_maintainer"), shipped, "更名", name="东宁"
    ).changed
    # creating directly needs a request for a role that may not skip review
    other = from_document(example_document()).with_number("2110380002")
    other.general.tax_number_5 = ""
    with pytest.raises(DomainError, match="needs a maintenance request"):
        create_customer(uow_factory, other, actor("wang", "assistant", skip=False))
    assert create_customer(uow_factory, other, actor("wang", "assistant")).number == "2110380002"


def test_a_change_request_activates_through_the_change_service(
    uow_factory: UnitOfWorkFactory, customer: str
) -> None:
    assistant = actor("wang", "assistant", skip=False)
    wanted = read_customer(uow_factory, NUMBER)
    wanted.general.name = "东宁广告传媒有限公司"
    filed = rq.create_request(
        uow_factory,
        assistant,
        RequestType.CHANGE,
        wanted,
        reason="工商变更，见营业执照",
        submit=True,
    )
    assert filed.base_version == 1
    # routed by what it changes: general data, the head office
    assert rq.list_requests(uow_factory, actor("chen", "cc_maintainer"), inbox=True) == []
    head = actor("zhao", "general_maintainer")
    rq.approve(uow_factory, head, filed.number)
    # the customer changes in between: the activation is refused, the request stays approved
    _save(uow_factory, head, read_customizing(uow_factory), "", telephone="021-62345678")
    with pytest.raises(DomainError, match="changed by user zhao"):
        rq.activate(uow_factory, head, filed.number)
    assert rq.read_request(uow_factory, head, filed.number).status is RequestStatus.APPROVED

    again = read_customer(uow_factory, NUMBER)
    again.general.name = "东宁广告传媒有限公司"
    second = rq.create_request(
        uow_factory, assistant, RequestType.CHANGE, again, reason="工商变更", submit=True
    )
    rq.approve(uow_factory, head, second.number)
    rq.activate(uow_factory, head, second.number)
    assert read_customer(uow_factory, NUMBER).general.name == "东宁广告传媒有限公司"
    last = change_documents(uow_factory, NUMBER)[-1]
    assert (last.field_key, last.request, last.comment, last.user) == (
        "KNA1-NAME1",
        second.number,
        "工商变更",
        "zhao",
    )


def test_a_block_request_is_finances(uow_factory: UnitOfWorkFactory, customer: str) -> None:
    wanted = read_customer(uow_factory, NUMBER)
    wanted.general.order_block = "01"
    filed = rq.create_request(
        uow_factory,
        actor("wang", "assistant"),
        RequestType.BLOCK,
        wanted,
        reason="客户逾期未付款",
        submit=True,
    )
    with pytest.raises(DomainError):  # the head office does not block
        rq.approve(uow_factory, actor("zhao", "general_maintainer"), filed.number)
    finance = actor("sun", "finance")
    rq.approve(uow_factory, finance, filed.number)
    rq.activate(uow_factory, finance, filed.number)
    assert read_customer(uow_factory, NUMBER).general.order_block == "01"
    last = change_documents(uow_factory, NUMBER)[-1]
    assert (last.tcode, last.field_key, last.request) == ("XD05", "KNA1-AUFSD", filed.number)
    # a block request that changes anything else is refused at activation
    sneaky = read_customer(uow_factory, NUMBER)
    sneaky.general.order_block = ""
    sneaky.general.name = "别的名字"
    other = rq.create_request(
        uow_factory, actor("wang", "assistant"), RequestType.BLOCK, sneaky, reason="x", submit=True
    )
    rq.approve(uow_factory, finance, other.number)
    with pytest.raises(DomainError, match="only blocks"):
        rq.activate(uow_factory, finance, other.number)


def test_blocks_need_a_request_where_the_customizing_says(
    uow_factory: UnitOfWorkFactory, customer: str
) -> None:
    from custmd_gui.services.status import StatusEdit, change_status

    shipped = read_customizing(uow_factory)
    finance = actor("sun", "finance", skip=False)
    block = [StatusEdit(order="01")]
    # shipped: blocks need no request
    assert change_status(uow_factory, [NUMBER], block, finance, "逾期", customizing=shipped).changed
    required = shipped.lists["request_required"]
    value = next(iter(required.values.values()))
    entry = replace(value, code="BLOCK", attrs={"request_type": "block"})
    lists = {**shipped.lists, "request_required": replace(required, values={("", "BLOCK"): entry})}
    strict = replace(shipped, lists=lists)
    unblock = [StatusEdit.unblock_everything()]
    with pytest.raises(DomainError, match="needs a maintenance request"):
        change_status(uow_factory, [NUMBER], unblock, finance, "已付款", customizing=strict)
    assert read_customer(uow_factory, NUMBER).general.order_block == "01"
    skipping = actor("zhou", "finance")
    assert change_status(
        uow_factory, [NUMBER], unblock, skipping, "已付款", customizing=strict
    ).changed
