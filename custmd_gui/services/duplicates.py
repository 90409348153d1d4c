"""The duplicate check of XD01: stored customers that may be the one being created."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from custmd_gui.catalog import Text
from custmd_gui.domain import names
from custmd_gui.domain.errors import Problem
from custmd_gui.domain.model import Customer
from custmd_gui.persistence.search_index import Candidate
from custmd_gui.persistence.search_many import candidates_many
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.context import Actor
from custmd_gui.services.ports import UowFactory

MAX_HITS = 20


class DuplicateReason(StrEnum):
    """Why a stored customer is shown; the values are the search index's token kinds."""

    NAME = names.NAME_KEY
    TAX_NUMBER = names.TAX_NUMBER
    PHONE = names.PHONE
    USCC = names.USCC

    @property
    def text(self) -> Text:
        return _REASON_TEXTS[self]


_REASON_TEXTS = {
    DuplicateReason.NAME: Text(zh="名称相似", en="Similar name"),
    DuplicateReason.TAX_NUMBER: Text(zh="税号相同", en="Same tax number"),
    DuplicateReason.PHONE: Text(zh="电话/传真号码相同", en="Same telephone or fax number"),
    DuplicateReason.USCC: Text(zh="统一社会信用代码相同", en="Same unified social credit code"),
}


@dataclass(frozen=True, slots=True)
class DuplicateHit:
    """A stored customer that may be the one being entered."""

    number: str
    name: str
    city: str
    reasons: tuple[DuplicateReason, ...]
    score: float  # name similarity 0..1 (1.0: the same name once normalized)

    def reason_text(self, lang: str = "zh") -> str:
        sep = "、" if lang == "zh" else ", "
        return sep.join(r.text.get(lang) for r in self.reasons)


_REASON_ORDER = tuple(DuplicateReason)


def find_duplicates(
    uow_factory: UowFactory,
    customer: Customer,
    *,
    exclude: str = "",
    limit: int = MAX_HITS,
    actor: Actor | None = None,
) -> list[DuplicateHit]:
    """Stored customers with a similar name, the same tax number, telephone/fax or USCC;
    best first. `exclude` is the customer's own number when it is already stored. With an
    actor, only customers the actor may see (authorization groups)."""
    with uow_factory() as uow:
        return _hits(uow, customer, exclude, limit, actor)


def find_duplicates_each(
    uow_factory: UowFactory,
    customers: Sequence[Customer],
    *,
    limit: int = MAX_HITS,
    actor: Actor | None = None,
) -> list[list[DuplicateHit]]:
    """find_duplicates of each new customer, in one read (an import checks thousands)."""
    with uow_factory() as uow:
        uow.search.remember_frequencies()
        found = candidates_many(uow.search, [c.general for c in customers], limit=limit)
        shown = set(_visible(uow, sorted({c.number for cs in found for c in cs}), actor))
        return [_hit_list([c for c in cs if c.number in shown]) for cs in found]


def check_before_save(
    uow_factory: UowFactory,
    customer: Customer,
    *,
    limit: int = MAX_HITS,
    actor: Actor | None = None,
) -> tuple[list[Problem], list[DuplicateHit]]:
    """What XD01 checks before the save, in one read: a credit code held by another customer
    (an error) and the possible duplicates (a question)."""
    with uow_factory() as uow:
        taken = uscc_problems(uow, customer, actor)
        if taken:
            return taken, []
        return [], _hits(uow, customer, "", limit, actor)


def _visible(uow: UnitOfWork, numbers: list[str], actor: Actor | None) -> list[str]:
    """The numbers the actor may see (all without an actor), in the given order."""
    if actor is None or actor.rights.auth_groups is None:
        return numbers
    groups = uow.customers.auth_groups(numbers)
    return [n for n in numbers if actor.rights.can_see(groups.get(n, ""))]


def _hits(
    uow: UnitOfWork, customer: Customer, exclude: str, limit: int, actor: Actor | None
) -> list[DuplicateHit]:
    found = uow.search.candidates(
        customer.general, exclude=exclude or customer.general.number, limit=limit
    )
    # Customers of other authorization groups are left out: their centers' data stay theirs
    # (the credit code, which must be unique, is told apart by uscc_problems).
    shown = set(_visible(uow, [c.number for c in found], actor))
    return _hit_list([c for c in found if c.number in shown])


def _hit_list(found: Sequence[Candidate]) -> list[DuplicateHit]:
    return [
        DuplicateHit(
            c.number,
            c.name,
            c.city,
            tuple(r for r in _REASON_ORDER if r.value in c.kinds),
            round(c.score, 3),
        )
        for c in found
    ]


def uscc_problems(uow: UnitOfWork, customer: Customer, actor: Actor | None = None) -> list[Problem]:
    """An error when another customer already has the customer's unified social credit code.
    A holder the actor may not see is not named, but still counts: the code stays unique
    across responsibility centers."""
    code = names.normalize_uscc(customer.general.tax_number_5)
    if not code:
        return []
    own = customer.general.number
    stored = sorted(n for n in uow.search.numbers_with(names.USCC, [code]) if n != own)
    holders = _visible(uow, stored, actor)
    if not holders:
        if not uow.search.uscc_holders(code, own):
            return []
        return [
            Problem(
                "KNA1-STCD5",
                "",
                Text(
                    zh=f"统一社会信用代码 {code} 已被其他责任中心的客户使用（您无权查看）；"
                    "请联系总部主数据维护员",
                    en=f"Unified social credit code {code} is already used by a customer of "
                    "another responsibility center (not visible to you); ask the head-office "
                    "master-data maintainers",
                ),
            )
        ]
    shown = uow.customers.names(holders[:3])
    who_zh = "、".join(f"{n}（{shown.get(n, '')}）" for n in holders[:3])
    who_en = ", ".join(f"{n} ({shown.get(n, '')})" for n in holders[:3])
    more_zh = f"等 {len(holders)} 个客户" if len(holders) > 3 else ""
    more_en = f" and {len(holders) - 3} more" if len(holders) > 3 else ""
    return [
        Problem(
            "KNA1-STCD5",
            "",
            Text(
                zh=f"统一社会信用代码 {code} 已被客户 {who_zh}{more_zh}使用",
                en=f"Unified social credit code {code} is already used by customer "
                f"{who_en}{more_en}",
            ),
        )
    ]


def uscc_problems_many(
    uow: UnitOfWork, customers: Sequence[Customer], actor: Actor | None = None
) -> list[list[Problem]]:
    """uscc_problems of each customer; the credit codes nobody else holds (nearly all of an
    import) are told apart in one statement per few hundred codes."""
    asked = [(names.normalize_uscc(c.general.tax_number_5), c.general.number) for c in customers]
    held = uow.search.uscc_holder_counts([(code, own) for code, own in asked if code])
    return [
        uscc_problems(uow, c, actor) if code and held.get((code, own), 0) else []
        for c, (code, own) in zip(customers, asked, strict=True)
    ]


def duplicates_in(
    uow: UnitOfWork, customer: Customer, *, actor: Actor | None = None, limit: int = MAX_HITS
) -> list[DuplicateHit]:
    """The possible duplicates of a new customer inside the caller's transaction (an offline
    create being applied on the server, services.offline_sync)."""
    return _hits(uow, customer, "", limit, actor)
