"""The names of customers by number, as a screen shows them beside a customer-number field
(the partner table, the customer to change): one indexed query for all numbers at once."""

from __future__ import annotations

from collections.abc import Iterable

from custmd_gui.services.context import Actor
from custmd_gui.services.ports import UowFactory


def customer_names(
    uow_factory: UowFactory, numbers: Iterable[str], actor: Actor | None = None
) -> dict[str, str]:
    """NAME1 of each of `numbers` that exists and that `actor` may see (display and the
    customer's KNA1-BEGRU); a customer the actor may not see is left out, as one that does
    not exist, so that nothing tells that it exists. None: every customer (system use)."""
    wanted = {n for n in numbers if n}
    if not wanted:
        return {}
    with uow_factory() as uow:
        names = uow.customers.names(wanted)
        if actor is None or not names:
            return names
        groups = uow.customers.auth_groups(names)
    rights = actor.rights
    return {n: name for n, name in names.items() if rights.can_see(groups.get(n, ""))}
