"""Customer search: the customer list (`search_customers`), the F4 customer search help
(`search_help`) and `custmd customer search`.

One search field. The text is split into words at spaces (a telephone number typed with spaces,
``+86 21 5555 1234``, stays one word); a customer matches when it matches every word, and it
matches a word when any of the word's readings holds:

=================================  ==========================================================
the word                           matches
=================================  ==========================================================
letters and digits, up to 10       customer numbers starting with it (``2110`` finds
                                   2110380001; letters in capitals)
anything with a letter, digit or   any part of a name (NAME1-NAME4) or of the search term
ideograph                          (SORTL), without case or width: ``东``, ``东宁``,
                                   ``宁广告``, ``dong ning``
two or more Latin letters          pinyin initials (助记码) of NAME1 from its start, or of the
                                   name without a leading city and the legal form:
                                   ``dngg`` finds 东宁广告有限公司 and 上海东宁广告有限公司; a
                                   name with a character of two readings is found under
                                   both (重庆: ``cq`` and ``zq``)
anything with a letter             the city (``上海`` and ``上海市`` alike)
3 to 10 letters and digits         the postal code, exactly (``200000``)
digits (+, spaces, hyphens,        telephone or fax: the whole number, with or without
brackets allowed), 4 or more       +86 and the trunk 0 (``021-5555 1234``), the local
                                   number (its last 7 or 8 digits: ``55551234``) or its last
                                   4 digits (``1234``); not other parts of it
8 or more letters and digits       a tax number (STCD1), VAT registration number (STCEG) or
                                   unified social credit code (STCD5), exactly; spaces,
                                   hyphens and case do not matter
=================================  ==========================================================

So digits are tried as number prefix, name part, postal code, telephone and tax number; Latin
letters as number prefix, name part (Latin names), initials, city, postal code and tax number;
Chinese as name part and city. Filters narrow the result: account group, company code, sales
area (``VKORG/VTWEG/SPART``), blocked (any central block: KNA1-AUFSD, LIFSD, FAKSD or SPERR)
and flagged for deletion (KNA1-LOEVM), each yes, no or either.

Results come in customer-number order, one page at a time: `search` returns up to `limit`
rows after the keyset `after` (the last number of the previous page) and whether there are
more, without counting them. Every page is a few index ranges whatever the size of the
customer base (see persistence.find_index); nothing is loaded beyond the page and nothing is
skipped with OFFSET.

The index (kna1_find) is written with the customer: on create and extension by the
repository, on every other change by `reindex`, which a service that changes KNA1, KNB1 or
KNVV calls in its transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import or_, select

from custmd_gui.domain import search_terms as st
from custmd_gui.domain.authorization import Authorizations, Permission
from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.model import Customer
from custmd_gui.persistence.tables import Kna1, Knb1, Knvv
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.authorization import visible_groups
from custmd_gui.services.context import Actor
from custmd_gui.services.listing import CustomerListRow
from custmd_gui.services.ports import UowFactory

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000


class Either(StrEnum):
    """A yes/no filter: only customers with the flag, only those without, or both."""

    ANY = "any"
    YES = "yes"
    NO = "no"


@dataclass(frozen=True, slots=True)
class CustomerQuery:
    """What the user asked for: the search text and the filters (empty: no filter)."""

    text: str = ""
    account_group: str = ""
    company_code: str = ""
    sales_area: str = ""  # VKORG/VTWEG/SPART, e.g. F011/10/01
    blocked: Either = Either.ANY
    deletion_flag: Either = Either.ANY

    def words(self) -> list[st.Word]:
        return st.read_text(self.text)

    def filters(self) -> list[st.Atom]:
        out: list[st.Atom] = []
        if group := self.account_group.strip():
            out.append(st.Token(st.ACCOUNT_GROUP, group.upper()))
        if code := self.company_code.strip():
            out.append(st.Token(st.COMPANY_CODE, code.upper()))
        if area := self.sales_area.strip():
            parts = [p.strip() for p in area.split("/")]
            if len(parts) != 3 or not all(parts):
                raise DomainError.single(
                    "KNVV-VKORG",
                    f"销售范围 {area} 应写成 销售组织/分销渠道/产品组，例如 F011/10/01",
                    f"Sales area {area} must read sales org/channel/division, e.g. F011/10/01",
                )
            out.append(st.Token(st.SALES_AREA, st.sales_area_key(*parts)))
        for flag, value in ((st.BLOCKED, self.blocked), (st.DELETION, self.deletion_flag)):
            if value is Either.YES:
                out.append(st.Token(st.FLAG, flag))
            elif value is Either.NO:
                out.append(st.NoToken(st.FLAG, flag))
        return out


@dataclass(frozen=True, slots=True)
class SearchPage:
    rows: list[CustomerListRow] = field(default_factory=list)
    more: bool = False  # another page follows (found without counting)

    @property
    def next_after(self) -> str:
        """The keyset of the next page: the last number of this one."""
        return self.rows[-1].number if self.rows else ""


def search(
    uow: UnitOfWork,
    query: CustomerQuery,
    after: str = "",
    limit: int = DEFAULT_LIMIT,
    *,
    inclusive: bool = False,
    rights: Authorizations | None = None,
) -> SearchPage:
    """Up to `limit` customers matching `query` with numbers after `after` (from `after` on
    with `inclusive`: jumping to a number), in number order.

    With `rights` (the acting user's; the UI and CLI always pass them): `display` is needed
    (Forbidden), and customers whose KNA1-BEGRU the user does not hold are left out in the
    query itself, so pages stay full and nothing tells that they exist. None: every
    customer (the system's own use)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be 1..{MAX_LIMIT}, not {limit}")
    groups = None
    if rights is not None:
        rights.require(Permission.DISPLAY)
        groups = visible_groups(rights)
    filters = query.filters()
    words = query.words()
    if query.text.strip() and not words:
        return SearchPage()  # only punctuation: nothing can match
    numbers = uow.find.numbers(
        words, filters, after=after, limit=limit + 1, inclusive=inclusive, auth_groups=groups
    )
    return SearchPage(rows_of(uow, numbers[:limit]), more=len(numbers) > limit)


def search_customers(
    uow_factory: UowFactory,
    query: CustomerQuery,
    after: str = "",
    limit: int = DEFAULT_LIMIT,
    actor: Actor | None = None,
) -> SearchPage:
    """`search` in a unit of work of its own (what a worker thread of the list calls), with
    the actor's rights."""
    with uow_factory() as uow:
        return search(uow, query, after, limit, rights=actor.rights if actor else None)


def search_help(
    uow_factory: UowFactory,
    text: str,
    limit: int = 50,
    *,
    include_flagged: bool = False,
    actor: Actor | None = None,
) -> list[CustomerListRow]:
    """F4 search help for a customer: the first `limit` customers the search field of the
    list finds for `text`, all customers in number order for no text. Customers flagged for
    deletion are left out unless `include_flagged` (display, change documents): they are not
    to be chosen as partner or reference any more."""
    flag = Either.ANY if include_flagged else Either.NO
    query = CustomerQuery(text, deletion_flag=flag)
    return search_customers(uow_factory, query, limit=limit, actor=actor).rows


def rows_of(uow: UnitOfWork, numbers: Sequence[str]) -> list[CustomerListRow]:
    """The list rows of these customers, in the order given."""
    if not numbers:
        return []
    stmt = select(
        Kna1.kunnr,
        Kna1.name1,
        Kna1.sortl,
        Kna1.ort01,
        Kna1.ktokd,
        Kna1.telf1,
        Kna1.aufsd,
        Kna1.lifsd,
        Kna1.faksd,
        Kna1.sperr,
        Kna1.loevm,
    ).where(Kna1.kunnr.in_(list(numbers)))
    partly_blocked, partly_flagged = _segment_marks(uow, numbers)
    found = {
        r.kunnr: CustomerListRow(
            r.kunnr,
            r.name1,
            r.sortl,
            r.ort01,
            r.ktokd,
            r.telf1,
            st.is_blocked(r.aufsd, r.lifsd, r.faksd, bool(r.sperr)),
            bool(r.loevm),
            r.kunnr in partly_blocked,
            r.kunnr in partly_flagged,
        )
        for r in uow.session.execute(stmt)
    }
    return [found[n] for n in numbers if n in found]


def _segment_marks(uow: UnitOfWork, numbers: Sequence[str]) -> tuple[set[str], set[str]]:
    """Which of these customers have a block, and which a deletion flag, in some company code
    or sales area: two short queries per page, by the segments' customer-number indexes."""
    blocked: set[str] = set()
    flagged: set[str] = set()
    wanted = list(numbers)
    for r in uow.session.execute(
        select(Knb1.kunnr, Knb1.sperr, Knb1.loevm).where(
            Knb1.kunnr.in_(wanted), or_(Knb1.sperr, Knb1.loevm)
        )
    ):
        if r.sperr:
            blocked.add(r.kunnr)
        if r.loevm:
            flagged.add(r.kunnr)
    for area in uow.session.execute(
        select(Knvv.kunnr, Knvv.aufsd, Knvv.lifsd, Knvv.faksd, Knvv.loevm).where(
            Knvv.kunnr.in_(wanted),
            or_(Knvv.aufsd != "", Knvv.lifsd != "", Knvv.faksd != "", Knvv.loevm),
        )
    ):
        if area.aufsd or area.lifsd or area.faksd:
            blocked.add(area.kunnr)
        if area.loevm:
            flagged.add(area.kunnr)
    return blocked, flagged


def reindex(uow: UnitOfWork, customer: Customer) -> None:
    """Rewrite the search tokens of a stored customer from `customer` (as it is now stored):
    the list's (kna1_find) and the duplicate check's (kna1_search). Call it in the
    transaction that changes the customer's general data, company codes or sales areas.
    Inside `deferred_reindex` the rows are written later, with the others of the batch."""
    if uow.deferred_index is not None:
        uow.deferred_index[customer.number] = customer
        return
    uow.search.index(customer.general)
    uow.find.index(customer.number, st.customer_tokens(st.indexed(customer)))


def write_deferred_index(uow: UnitOfWork) -> None:
    """The search tokens `reindex` has kept back, of all those customers in one statement
    per index and table; before the transaction reads the indexes or commits."""
    pending = uow.deferred_index
    if not pending:
        return
    customers = list(pending.values())
    # A few customers per statement: the indexes' row-level security (a customer's tokens
    # are visible with the customer) makes PostgreSQL plan a longer list of numbers as a
    # scan of every customer.
    for i in range(0, len(customers), _INDEX_CHUNK):
        part = customers[i : i + _INDEX_CHUNK]
        uow.search.replace_many([c.general for c in part])
        uow.find.replace_many(
            {
                c.number: st.customer_tokens(st.indexed(c))
                for c in part
                if c.number not in uow.indexed
            }
        )
    known = [c for c in customers if c.number in uow.indexed]
    uow.find.replace_known(
        {c.number: st.customer_tokens(st.indexed(uow.indexed[c.number])) for c in known},
        {c.number: st.customer_tokens(st.indexed(c)) for c in known},
    )
    uow.indexed.update((c.number, c) for c in known)
    pending.clear()


_INDEX_CHUNK = 10


def reindex_stored(uow: UnitOfWork, number: str) -> bool:
    """`reindex` from what is stored under `number`; False when there is no such customer."""
    customer = uow.customers.get(number)
    if customer is None:
        return False
    reindex(uow, customer)
    return True
