"""Partners that are new customers of the same file: a ship-to party and the sold-to party
that names it, typed in one file (or exported together from another database).

The check before writing looks into the database, where such a partner is not yet; so its
partner lines are checked when the customer is written (the create service checks every
partner, the one written just before included), the partner is written first, and a
customer whose partner of the file has errors has an error itself. A dry run therefore does
not check the partner determination of such lines (the function allowed for the partner's
account group)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TypeVar

from custmd_gui.domain.model import Customer

T = TypeVar("T")


def file_partners(customer: Customer, in_file: Collection[str]) -> set[str]:
    """The partners of `customer` that are other new customers of the file."""
    own = customer.general.number
    return {
        p.partner
        for area in customer.sales_areas
        for p in area.partners
        if p.partner in in_file and p.partner != own
    }


def without_partners(customer: Customer, numbers: Collection[str]) -> Customer:
    """`customer` without the partner lines of `numbers` (for the check before writing)."""
    if not numbers:
        return customer
    out = customer.model_copy(deep=True)
    for area in out.sales_areas:
        area.partners = [p for p in area.partners if p.partner not in numbers]
    return out


def write_order(
    items: Sequence[T], number: Callable[[T], str], waits: Callable[[T], Collection[str]]
) -> list[T]:
    """`items` in file order, except that a customer comes after the customers of the file
    it names as partners. Customers naming each other (a cycle) cannot be written one by
    one: they fail when written, each reported with its missing partner."""
    by_number = {number(i): i for i in items if number(i)}
    done: list[T] = []
    state: dict[int, bool] = {}  # id -> placed (True) or being placed (False)
    for item in items:
        # Depth first without recursion: a chain of thousands of customers is no problem.
        stack = [(item, iter(sorted(waits(item))))]
        while stack:
            current, pending = stack[-1]
            state.setdefault(id(current), False)
            for n in pending:
                partner = by_number.get(n)
                if partner is not None and id(partner) not in state:
                    stack.append((partner, iter(sorted(waits(partner)))))
                    break
            else:
                stack.pop()
                if not state[id(current)]:
                    state[id(current)] = True
                    done.append(current)
    return done
