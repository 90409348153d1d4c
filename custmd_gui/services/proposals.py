"""What XD01 proposes from the acting user's own organisation, read from the user's record in
the database (never from what a client says it may do): the responsibility center, the only
company code and sales area of the user's scope, and the next free external number.

Proposals are convenience only: the validator and the create service (and on PostgreSQL the
server) check whatever is saved, proposed or typed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from custmd_gui.domain.authorization import ALL
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.proposals import next_number, responsibility_center, sd02_prefix
from custmd_gui.services.context import Actor
from custmd_gui.services.ports import UowFactory

log = logging.getLogger(__name__)

SalesArea = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class UserOrganisation:
    """The acting user's unit as far as XD01 proposes from it ("" / None: nothing)."""

    responsibility_center: str = ""
    company_code: str = ""  # the user's only company code
    sales_area: SalesArea | None = None  # the user's only sales area (no "*" in it)


def user_organisation(
    uow_factory: UowFactory, actor: Actor, customizing: Customizing
) -> UserOrganisation:
    """The user's responsibility center (the department when it is a sales office, else the
    only authorization group when that is one) and the only company code and sales area of
    the user's scope. A user without a record (single-user mode, system jobs) or a disabled
    one: nothing."""
    with uow_factory() as uow:
        record = uow.users.get(actor.user)
        if record is None or record.disabled:
            return UserOrganisation()
        scopes = uow.users.scopes(actor.user)
    groups = None if ALL in scopes.auth_groups else frozenset(scopes.auth_groups)
    center = responsibility_center(customizing, record.department_code, groups)
    codes = [c for c in scopes.company_codes if c != ALL]
    areas = [a for a in scopes.sales_areas if ALL not in a]
    return UserOrganisation(
        center,
        codes[0] if len(codes) == 1 and len(scopes.company_codes) == 1 else "",
        areas[0] if len(areas) == 1 and len(scopes.sales_areas) == 1 else None,
    )


def next_external_number(
    uow_factory: UowFactory, customizing: Customizing, center: str, company_code: str = ""
) -> str:
    """SD02's next free number for customers of responsibility center `center` (in the
    branch `company_code`, else the center's own): one more than the highest stored number
    with the same six digits, whoever may see it; "" when the rule gives no prefix, the
    serials are used up or the database cannot tell (a role without the right to ask)."""
    prefix = sd02_prefix(customizing, center, company_code)
    if not prefix:
        return ""
    try:
        with uow_factory() as uow:
            highest = uow.numbers.highest_with_prefix(prefix)
    except Exception:  # only a proposal: without it the clerk types the number
        log.warning("no number proposal for prefix %s", prefix, exc_info=True)
        return ""
    return next_number(prefix, highest)
