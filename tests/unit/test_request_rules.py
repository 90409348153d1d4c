"""The request workflow's customizing (domain.request_rules) and status machine
(domain.requests), without a database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from custmd_gui.catalog import catalog
from custmd_gui.domain.authorization import Permission
from custmd_gui.domain.customizing import Customizing, CustomizingError
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.request_rules import request_rules
from custmd_gui.domain.requests import (
    MAX_ATTACHMENT_BYTES,
    Action,
    Part,
    RequestStatus,
    RequestType,
    attachment_problems,
    next_status,
)
from custmd_gui.services.customizing import load_shipped


def test_the_shipped_rules_follow_the_documents() -> None:
    rules = request_rules(load_shipped(), catalog())
    assert rules.permission(RequestType.CREATE, Part.GENERAL) is Permission.REVIEW_GENERAL
    assert (
        rules.permission(RequestType.EXTEND_COMPANY_CODE, Part.COMPANY_CODE)
        is Permission.REVIEW_COMPANY_CODE
    )
    assert rules.permission(RequestType.BLOCK, Part.GENERAL) is Permission.BLOCK
    assert rules.needs_request(RequestType.CREATE)
    assert rules.groups_needing_request(
        {"address.name", "control.tax_numbers", "payment.bank_details", "communication.telephone"}
    ) == ["address.name", "control.tax_numbers", "payment.bank_details"]
    assert not rules.reason_required


def _with(list_id: str, attrs: dict[str, str]) -> Customizing:
    """The shipped customizing with one more entry BAD in `list_id`."""
    cust = load_shipped()
    lst = cust.lists[list_id]
    value = next(iter(lst.values.values()))
    values = {**lst.values, ("", "BAD"): replace(value, code="BAD", attrs=attrs)}
    return replace(cust, lists={**cust.lists, list_id: replace(lst, values=values)})


@pytest.mark.parametrize(
    ("list_id", "attrs", "says"),
    [
        ("request_routing", {"request_type": "merge", "part": "general", "permission": "flag"},
         "merge"),
        ("request_routing", {"request_type": "create", "part": "general", "permission": "sing"},
         "sing"),
        ("request_required", {"request_type": "change", "field_groups": "address.nmae"},
         "address.nmae"),
        ("request_required", {"request_type": "change"}, "field_groups"),
        ("change_reason", {"reason": "sometimes"}, "required or optional"),
    ],
)  # fmt: skip
def test_a_bad_entry_is_refused_by_name(list_id: str, attrs: dict[str, str], says: str) -> None:
    with pytest.raises(CustomizingError, match=says) as refused:
        request_rules(_with(list_id, attrs), catalog())
    assert "BAD" in str(refused.value)


def test_the_status_machine_and_its_reasons() -> None:
    assert next_status(RequestStatus.DRAFT, Action.SUBMIT) is RequestStatus.SUBMITTED
    assert next_status(RequestStatus.RETURNED, Action.RESUBMIT) is RequestStatus.RESUBMITTED
    assert next_status(RequestStatus.APPROVED, Action.ACTIVATE) is RequestStatus.ACTIVATED
    with pytest.raises(DomainError) as refused:
        next_status(RequestStatus.DRAFT, Action.APPROVE)
    assert refused.value.problems[0].message.zh == "申请状态为“草稿”，不能批准"
    for final in (RequestStatus.ACTIVATED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN):
        for action in Action:
            with pytest.raises(DomainError):
                next_status(final, action, "x")
    with pytest.raises(DomainError, match="reason"):
        next_status(RequestStatus.IN_REVIEW, Action.RETURN, " ")
    assert next_status(RequestStatus.IN_REVIEW, Action.RETURN, "缺电话") is RequestStatus.RETURNED


def test_attachments_are_limited() -> None:
    assert attachment_problems("营业执照.pdf", MAX_ATTACHMENT_BYTES) == []
    (too_big,) = attachment_problems("营业执照.pdf", MAX_ATTACHMENT_BYTES + 1)
    assert too_big.message.zh.startswith("附件 营业执照.pdf 太大（5.0 MB）：每个附件最大 5 MB")
    assert attachment_problems("", 10)[0].message.zh == "附件必须有文件名"
    assert "空文件" in attachment_problems("a.pdf", 0)[0].message.zh
