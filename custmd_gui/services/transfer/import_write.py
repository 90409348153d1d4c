"""Writing an import's new customers in batches: many customers per transaction through the
create service's own steps (services.create: the database checks again, as the state may
have changed since the import checked the file, the numbers drawn from the server's or the
file's range, then the rows and search indexes of the batch table by table, one change
document each), so that a commit per customer does not bound it. The validator's checks are
not repeated: they read nothing but the customer and the customizing, which the import
checked them against (the customers are those validated_new returned).

A batch is all or nothing: a crash leaves whole batches, hence whole customers, and a rerun
of the file recognises them by KNA1-ALTKN. When one customer of a batch is refused, the batch
is rolled back and written again one customer per transaction, so that the others are still
stored and the refused one is reported with its reasons."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from sqlalchemy.exc import DBAPIError

from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.model import Customer
from custmd_gui.domain.requests import RequestType
from custmd_gui.services.context import Actor
from custmd_gui.services.create import (
    authorize_create,
    numbered_many,
    stored_state_problems,
    write_new,
)
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.request_rules import require_no_request

BATCH = 200  # customers per transaction: the commit's cost shared, a rollback still small


class NewCustomer(Protocol):
    """What the batch needs of an import's plan."""

    customer: Customer | None


Item = TypeVar("Item", bound=NewCustomer)


def create_batch(
    uow_factory: UowFactory,
    items: Sequence[Item],
    actor: Actor,
    cust: Customizing,
    comment: str,
    one_by_one: Callable[[Item], None],
) -> list[Customer] | None:
    """Store the customers of `items` in one transaction: the stored customers in order, or
    None when the batch was refused (nothing of it written; `one_by_one` was called for each
    item instead)."""
    try:
        for item in items:
            assert item.customer is not None
            authorize_create(actor, item.customer)
        customers = [item.customer for item in items if item.customer is not None]
        with uow_factory(write=True) as uow:
            # As a direct XD01: a role that must file requests does not create by import.
            require_no_request(actor, cust, RequestType.CREATE)
            problems = [p for ps in stored_state_problems(uow, customers, actor) for p in ps]
            if problems:
                raise DomainError(problems)
            stored = write_new(uow, numbered_many(uow, customers, cust), actor, comment=comment)
            uow.commit()
        return stored
    except (DomainError, DBAPIError):
        for item in items:
            one_by_one(item)
        return None
