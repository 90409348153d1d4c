"""The row of the customer list (services.listing, services.search, the start-up's first page
in persistence.first_page): a plain dataclass, importable before anything heavy."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CustomerListRow:
    number: str
    name: str
    search_term: str
    city: str
    account_group: str
    telephone: str
    blocked: bool  # a central block (KNA1): all sales areas or all company codes
    deletion_flag: bool  # the central deletion flag
    # Blocked or flagged in some company codes or sales areas only (KNB1, KNVV): the list
    # marks these too, so that a clerk sees them before picking the customer.
    partly_blocked: bool = False
    partly_flagged: bool = False


def is_blocked(order: str, delivery: str, billing: str, posting: bool) -> bool:
    """Blocked as the list shows it: any central block (KNA1-AUFSD, LIFSD, FAKSD, SPERR)."""
    return bool(order or delivery or billing or posting)
