"""What the direct transactions ask of the request workflow's customizing (domain.request_rules):
whether XD01/XD02/XD05/XD06 need a request for this user, and whether XD02 needs a reason."""

from __future__ import annotations

from collections.abc import Iterable

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain.authorization import Permission
from custmd_gui.domain.change_document import RowChange
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError, Problem
from custmd_gui.domain.request_rules import (
    REASON_LIST,
    REQUIRED_LIST,
    ROUTING_LIST,
    RequestRules,
    request_rules,
)
from custmd_gui.domain.requests import REQUEST_KEY, TYPE_TEXTS, RequestType
from custmd_gui.services.context import Actor

# The "field" of a direct change's reason (the change document header's comment).
REASON_KEY = "CDHDR-COMMENT"


# The customizing's lists the request rules read (a partial load suffices for `rules`).
RULE_LISTS = (ROUTING_LIST, REQUIRED_LIST, REASON_LIST)


def rules(cust: Customizing) -> RequestRules:
    return request_rules(cust, catalog())


def require_no_request(actor: Actor, cust: Customizing, request_type: RequestType) -> None:
    """DomainError unless the actor may do `request_type` directly: the customizing does not
    ask for a request, or the actor's role may skip review."""
    if actor.rights.has(Permission.SKIP_REVIEW) or not rules(cust).needs_request(request_type):
        return
    what = TYPE_TEXTS[request_type]
    raise DomainError(
        [
            Problem(
                REQUEST_KEY,
                "",
                Text(
                    zh=f"{what.zh}需要提交维护申请并经审核（custmd request create），不能直接保存",
                    en=f"{what.en} needs a maintenance request and its review; it cannot be "
                    "saved directly",
                ),
            )
        ]
    )


def changed_field_groups(changes: Iterable[RowChange]) -> set[str]:
    cat = catalog()
    return {cat.field(f.field_key).field_group for c in changes for f in c.fields}


def change_request_problems(
    actor: Actor, cust: Customizing, changes: Iterable[RowChange]
) -> list[Problem]:
    """A problem per changed field whose field group needs a request (unless the actor may
    skip review): e.g. the name, tax numbers and bank details, never a telephone number."""
    if actor.rights.has(Permission.SKIP_REVIEW):
        return []
    groups = rules(cust).change_groups
    if not groups:
        return []
    cat = catalog()
    problems: list[Problem] = []
    for change in changes:
        for f in change.fields:
            fd = cat.field(f.field_key)
            if fd.field_group in groups:
                problems.append(
                    Problem(
                        f.field_key,
                        change.segment,
                        Text(
                            zh=f"{fd.label.zh}的更改需要提交维护申请并经审核，不能直接保存",
                            en=f"A change of {fd.label.en} needs a maintenance request and its "
                            "review; it cannot be saved directly",
                        ),
                    )
                )
    return problems


def reason_problems(cust: Customizing, reason: str) -> list[Problem]:
    """XD02's reason: required by the customizing (change_reason) and empty."""
    if reason.strip() or not rules(cust).reason_required:
        return []
    return [
        Problem(
            REASON_KEY,
            "",
            Text(zh="请填写更改原因", en="Enter the reason for the change"),
        )
    ]


def reason_required(cust: Customizing) -> bool:
    return rules(cust).reason_required
