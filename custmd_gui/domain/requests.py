"""Maintenance requests (客户主数据维护申请): types, statuses, the status machine and the
objects a request and its history are made of. Pure Python: the services store and route them.

A request carries the proposed customer in the same SAP-shaped document as `custmd customer
show`, the requester and his org unit, a reason, attachments and a step per action. The
status machine (`next_status`) is the one place that says which action is allowed in which
status; the services add who may act (requester or reviewer, four eyes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from custmd_gui.catalog import Text
from custmd_gui.domain.errors import DomainError, Problem
from custmd_gui.domain.model import Customer

# The "field" of problems about a request as a whole and about its reason.
REQUEST_KEY = "REQUEST"
REASON_KEY = "REQUEST-REASON"
ATTACHMENT_KEY = "REQUEST-ATTACHMENT"
# Attachments (a scan of the business licence) are kept in the database: small ones only.
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENT_NAME = 200
NUMBER_LENGTH = 10


class RequestType(StrEnum):
    CREATE = "create"
    EXTEND_COMPANY_CODE = "extend_company_code"
    EXTEND_SALES_AREA = "extend_sales_area"
    CHANGE = "change"
    BLOCK = "block"  # block or unblock
    DELETION_FLAG = "deletion_flag"  # set or remove


class RequestStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    APPROVED = "approved"
    ACTIVATED = "activated"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    CREATE = "create"
    EDIT = "edit"
    ATTACH = "attach"
    DETACH = "detach"  # an attachment removed
    SUBMIT = "submit"
    REVIEW = "review"  # the reviewer takes it up
    RETURN = "return"
    RESUBMIT = "resubmit"
    APPROVE = "approve"
    ACTIVATE = "activate"
    REJECT = "reject"
    WITHDRAW = "withdraw"


class Part(StrEnum):
    """Which part of a customer a request (or part of a change) touches: what routes it."""

    GENERAL = "general"
    COMPANY_CODE = "company_code"
    SALES_AREA = "sales_area"


TYPE_TEXTS: dict[RequestType, Text] = {
    RequestType.CREATE: Text(zh="创建客户", en="Create customer"),
    RequestType.EXTEND_COMPANY_CODE: Text(zh="扩展公司代码", en="Extend by company code"),
    RequestType.EXTEND_SALES_AREA: Text(zh="扩展销售范围", en="Extend by sales area"),
    RequestType.CHANGE: Text(zh="更改客户", en="Change customer"),
    RequestType.BLOCK: Text(zh="冻结/解冻", en="Block/unblock"),
    RequestType.DELETION_FLAG: Text(zh="删除标记", en="Deletion flag"),
}

STATUS_TEXTS: dict[RequestStatus, Text] = {
    RequestStatus.DRAFT: Text(zh="草稿", en="Draft"),
    RequestStatus.SUBMITTED: Text(zh="已提交", en="Submitted"),
    RequestStatus.IN_REVIEW: Text(zh="审核中", en="In review"),
    RequestStatus.RETURNED: Text(zh="已退回修改", en="Returned for revision"),
    RequestStatus.RESUBMITTED: Text(zh="已重新提交", en="Resubmitted"),
    RequestStatus.APPROVED: Text(zh="已批准", en="Approved"),
    RequestStatus.ACTIVATED: Text(zh="已生效", en="Activated"),
    RequestStatus.REJECTED: Text(zh="已拒绝", en="Rejected"),
    RequestStatus.WITHDRAWN: Text(zh="已撤回", en="Withdrawn"),
}

ACTION_TEXTS: dict[Action, Text] = {
    Action.CREATE: Text(zh="创建", en="create"),
    Action.EDIT: Text(zh="修改", en="edit"),
    Action.ATTACH: Text(zh="添加附件", en="attach"),
    Action.DETACH: Text(zh="删除附件", en="remove an attachment"),
    Action.SUBMIT: Text(zh="提交", en="submit"),
    Action.REVIEW: Text(zh="开始审核", en="start review"),
    Action.RETURN: Text(zh="退回修改", en="return for revision"),
    Action.RESUBMIT: Text(zh="重新提交", en="resubmit"),
    Action.APPROVE: Text(zh="批准", en="approve"),
    Action.ACTIVATE: Text(zh="生效", en="activate"),
    Action.REJECT: Text(zh="拒绝", en="reject"),
    Action.WITHDRAW: Text(zh="撤回", en="withdraw"),
}

S, A = RequestStatus, Action
_WAITING = (S.SUBMITTED, S.RESUBMITTED, S.IN_REVIEW)
# (status, action) -> the status after it. What is not here is refused.
TRANSITIONS: dict[tuple[RequestStatus, Action], RequestStatus] = {
    (S.DRAFT, A.EDIT): S.DRAFT,
    (S.DRAFT, A.ATTACH): S.DRAFT,
    (S.DRAFT, A.DETACH): S.DRAFT,
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.DRAFT, A.WITHDRAW): S.WITHDRAWN,
    (S.RETURNED, A.EDIT): S.RETURNED,
    (S.RETURNED, A.ATTACH): S.RETURNED,
    (S.RETURNED, A.DETACH): S.RETURNED,
    (S.RETURNED, A.RESUBMIT): S.RESUBMITTED,
    (S.RETURNED, A.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, A.REVIEW): S.IN_REVIEW,
    (S.RESUBMITTED, A.REVIEW): S.IN_REVIEW,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.RESUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.IN_REVIEW, A.EDIT): S.IN_REVIEW,  # the reviewer corrects: then someone else approves
    (S.IN_REVIEW, A.ATTACH): S.IN_REVIEW,
    (S.IN_REVIEW, A.DETACH): S.IN_REVIEW,
    **{(s, A.RETURN): S.RETURNED for s in _WAITING},
    **{(s, A.APPROVE): S.APPROVED for s in _WAITING},
    **{(s, A.REJECT): S.REJECTED for s in _WAITING},
    (S.APPROVED, A.ACTIVATE): S.ACTIVATED,
}
# Actions that need a reason in the step's comment.
REASON_REQUIRED = frozenset({A.RETURN, A.REJECT})
# Actions of the requester (his own request) and of the reviewer (a request routed to him).
REQUESTER_ACTIONS = frozenset({A.SUBMIT, A.RESUBMIT, A.WITHDRAW})
REVIEWER_ACTIONS = frozenset({A.REVIEW, A.RETURN, A.APPROVE, A.ACTIVATE, A.REJECT})
# Four eyes: nobody does these on a request he created or last edited.
FOUR_EYES_ACTIONS = frozenset({A.APPROVE, A.ACTIVATE})
FINAL = frozenset({S.ACTIVATED, S.REJECTED, S.WITHDRAWN})


def request_problem(zh: str, en: str, key: str = REQUEST_KEY) -> DomainError:
    return DomainError([Problem(key, "", Text(zh=zh, en=en))])


def next_status(status: RequestStatus, action: Action, comment: str = "") -> RequestStatus:
    """The status after `action`, or DomainError saying why it may not be done now (the
    action in this status, or a missing reason)."""
    after = TRANSITIONS.get((status, action))
    if after is None:
        st, ac = STATUS_TEXTS[status], ACTION_TEXTS[action]
        raise request_problem(
            f"申请状态为“{st.zh}”，不能{ac.zh}",
            f"The request is {st.en.lower()}; it cannot {ac.en} now",
        )
    if action in REASON_REQUIRED and not comment.strip():
        ac = ACTION_TEXTS[action]
        raise request_problem(
            f"{ac.zh}申请必须填写原因", f"A reason is required to {ac.en}", REASON_KEY
        )
    return after


@dataclass(frozen=True, slots=True)
class Step:
    """One entry of a request's history: who did what, when, from which status to which."""

    seq: int
    at: datetime
    actor: str
    action: Action
    from_status: RequestStatus | None
    to_status: RequestStatus
    comment: str = ""


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    """An attachment without its bytes (list and show read these)."""

    id: str
    name: str
    mime: str
    size: int
    added_by: str
    added_at: datetime


@dataclass(frozen=True, slots=True)
class Request:
    """A maintenance request as stored: its proposed customer and its history."""

    number: str
    type: RequestType
    status: RequestStatus
    requester: str
    org_unit: str
    reason: str
    document: Customer  # the proposed data; for a change the whole customer as wanted
    created_at: datetime
    changed_at: datetime
    last_editor: str
    customer: str = ""  # the customer's number once known (all but a create before activation)
    parent: str = ""  # the create request whose general data a child completes
    company_code: str = ""  # of an extend_company_code request
    sales_area: str = ""  # of an extend_sales_area request: F011/10/01
    base_version: int = 0  # the customer's version the change was proposed against
    version: int = 1  # the request's own, against concurrent actions
    steps: tuple[Step, ...] = ()
    attachments: tuple[AttachmentInfo, ...] = ()

    @property
    def final(self) -> bool:
        return self.status in FINAL

    def last(self, action: Action) -> Step | None:
        """The newest step of `action` (the KPIs' timestamps)."""
        found = [s for s in self.steps if s.action is action]
        return found[-1] if found else None


def attachment_problems(name: str, size: int) -> list[Problem]:
    """What refuses an attachment: no name, a name too long, empty, or over the size limit."""
    problems: list[Problem] = []

    def p(zh: str, en: str) -> None:
        problems.append(Problem(ATTACHMENT_KEY, "", Text(zh=zh, en=en)))

    if not name.strip():
        p("附件必须有文件名", "An attachment needs a file name")
    elif len(name) > MAX_ATTACHMENT_NAME:
        p(
            f"附件文件名过长（最多 {MAX_ATTACHMENT_NAME} 个字符）",
            f"The attachment's name is too long (at most {MAX_ATTACHMENT_NAME} characters)",
        )
    if size == 0:
        p(f"附件 {name} 是空文件", f"The attachment {name} is empty")
    elif size > MAX_ATTACHMENT_BYTES:
        limit = MAX_ATTACHMENT_BYTES // (1024 * 1024)
        p(
            f"附件 {name} 太大（{size / 1024 / 1024:.1f} MB）：每个附件最大 {limit} MB，"
            "请压缩或缩小扫描件后再添加",
            f"The attachment {name} is too large ({size / 1024 / 1024:.1f} MB); at most "
            f"{limit} MB each",
        )
    return problems
