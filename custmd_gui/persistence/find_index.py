"""The customer list's search index (table kna1_find): writing a customer's tokens, and
finding one page of customers for a search read by custmd_gui.domain.search_terms.

Every page is one statement of this shape, per reading of the search text:

    SELECT d.kunnr FROM <driver> d
    WHERE d.kunnr > :after AND <every other condition, checked for this customer>
    ORDER BY d.kunnr LIMIT :n

The driver is an index range already in number order (a token's customers in kna1_find's
primary key, a number range of kna1, or kna1 itself), so the database reads the driver in
order and stops after n hits; the other conditions are lookups of one customer in the
(kunnr, kind, token) index. Where a reading has several possible drivers (the pairs of a
long substring, a filter), the one with the fewest customers drives: their counts are read
first, in one statement, counting no further than FREQUENCY_CAP. The readings' pages are
merged by the database (UNION ... ORDER BY kunnr LIMIT n), so the order and the keyset are
the database's own comparison of customer numbers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    tuple_,
    union,
)
from sqlalchemy.orm import Session

from custmd_gui.domain import search_terms as st
from custmd_gui.persistence.bulk_insert import insert_columns
from custmd_gui.persistence.tables import Kna1, Kna1Find, Kna1Search

F = cast(Table, Kna1Find.__table__)
S = cast(Table, Kna1Search.__table__)
K = cast(Table, Kna1.__table__)
# The driver d and the customer p a condition looks at; made once: an alias costs more to
# build than the statement it appears in (each condition is a subquery of its own, so one
# alias serves them all).
DRIVERS = {"find": F.alias("d"), "search": S.alias("d"), "kna1": K.alias("d")}
PROBES = {"find": F.alias("p"), "search": S.alias("p")}
VISIBLE = K.alias("v")

# Customers counted per candidate driver at most; past this a token is "common" and which of
# two common tokens drives matters little (hits come quickly either way).
FREQUENCY_CAP = 2000
# Drivers counted per reading at most (a long substring has one pair per character).
MAX_CANDIDATES = 8
_GONE_CHUNK = 1000  # rows of three values an SQLite DELETE names: it binds at most 32,766
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

Driver = st.Token | st.NumberPrefix | None


def number_upper_bound(prefix: str) -> str | None:
    """The smallest string of digits and capital letters after every number starting with
    `prefix` ("2119" -> "212"), or None when there is none; comparisons of such strings agree
    in every collation, unlike a bound ending in a high code point."""
    chars = list(prefix)
    while chars:
        last = chars.pop()
        i = _ALPHABET.find(last)
        if 0 <= i < len(_ALPHABET) - 1:
            return "".join(chars) + _ALPHABET[i + 1]
        if i < 0:
            return None
    return None


def _index_of(kind: str) -> str:
    return "search" if kind == st.TAX_NUMBER else "find"


def _number_range(column: ColumnElement[str], prefix: str) -> ColumnElement[bool]:
    parts = [column >= prefix, column.like(f"{st.escape_like(prefix)}%", escape="\\")]
    upper = number_upper_bound(prefix)
    if upper is not None:
        parts.append(column < upper)
    return and_(*parts)


def check(atom: st.Atom, kunnr: ColumnElement[str]) -> ColumnElement[bool]:
    """The atom as a condition on the customer with number `kunnr`."""
    if isinstance(atom, st.NumberPrefix):
        return _number_range(kunnr, atom.prefix)
    table = PROBES[_index_of(atom.kind)]
    where = [table.c.kunnr == kunnr, table.c.kind == atom.kind]
    if isinstance(atom, st.Like):
        where.append(table.c.token.like(atom.pattern, escape="\\"))
    else:
        where.append(table.c.token == atom.token)
    # OFFSET 0 keeps the check a lookup per customer on PostgreSQL: the planner would turn a
    # plain EXISTS into a join and, misjudging how many customers hold a token from column
    # statistics, scan or materialize every holder of a common one. (SQLite checks per row.)
    found = exists(select(literal(1)).select_from(table).where(*where).offset(0))
    return ~found if isinstance(atom, st.NoToken) else found


def visible(kunnr: ColumnElement[str], auth_groups: Collection[str]) -> ColumnElement[bool]:
    """The customer's KNA1-BEGRU is one of `auth_groups` (the user's, and ""): a lookup of
    the customer by its unique number."""
    where = [VISIBLE.c.kunnr == kunnr, VISIBLE.c.begru.in_(sorted(auth_groups))]
    return exists(select(literal(1)).select_from(VISIBLE).where(*where).offset(0))


def check_reading(reading: st.Reading, kunnr: ColumnElement[str]) -> ColumnElement[bool]:
    return and_(*(check(a, kunnr) for a in reading.atoms))


def single_tokens(word: st.Word) -> list[st.Token] | None:
    """The tokens of a word each of whose readings is one token (上海: a city or a name
    part), else None."""
    atoms = [r.atoms[0] for r in word.readings if len(r.atoms) == 1]
    if len(atoms) != len(word.readings) or not all(isinstance(a, st.Token) for a in atoms):
        return None
    return cast(list[st.Token], atoms)


def check_word(word: st.Word, kunnr: ColumnElement[str]) -> ColumnElement[bool]:
    tokens = single_tokens(word)
    if tokens and len(tokens) > 1 and all(_index_of(t.kind) == "find" for t in tokens):
        # One lookup of the customer's tokens for all readings, not one per reading: each
        # lookup descends the index anew, and on a cold cache reads a page of its own. Two
        # common words that rarely meet (金有 长春) are checked for thousands of customers.
        table = PROBES["find"]
        either = or_(*(and_(table.c.kind == t.kind, table.c.token == t.token) for t in tokens))
        where = [table.c.kunnr == kunnr, either]
        return exists(select(literal(1)).select_from(table).where(*where).offset(0))
    return or_(*(check_reading(r, kunnr) for r in word.readings))


def _driver_select(driver: Driver) -> tuple[Select[tuple[str]], ColumnElement[str]]:
    if isinstance(driver, st.Token):
        table = DRIVERS[_index_of(driver.kind)]
        stmt = select(table.c.kunnr).where(
            table.c.kind == driver.kind, table.c.token == driver.token
        )
        return stmt, table.c.kunnr
    kna1 = DRIVERS["kna1"]
    stmt = select(kna1.c.kunnr)
    if isinstance(driver, st.NumberPrefix):
        stmt = stmt.where(_number_range(kna1.c.kunnr, driver.prefix))
    return stmt, kna1.c.kunnr


Counts = dict[st.Token | st.NumberPrefix, int]


def choose(options: Sequence[st.Token | st.NumberPrefix], counts: Counts) -> Driver:
    """The driver with the fewest customers. Counts stop at FREQUENCY_CAP, so common tokens
    tie; of those, one of a legal form (有限, 公司: nearly every name) drives last, else the
    reading's own order holds (the text before the filters)."""
    if not options:
        return None
    return min(
        options,
        key=lambda d: (
            counts.get(d, 0),
            isinstance(d, st.Token) and d.token in st.COMMON_TOKENS,
        ),
    )


def _check_order(item: st.Atom | st.Word, counts: Counts) -> tuple[int, int]:
    """Conditions most likely to turn a customer away first, cheap ones before dear ones: a
    number range (no lookup), a token fewer customers hold than FREQUENCY_CAP, a pattern (the
    words typed: rarely true), other words, then common tokens and "does not hold" (true for
    most customers)."""
    if isinstance(item, st.NumberPrefix):
        return (0, 0)
    if isinstance(item, st.Token):
        n = counts.get(item, FREQUENCY_CAP)
        return (1, n) if n < FREQUENCY_CAP else (4, 0)
    if isinstance(item, st.Like):
        return (2, 0)
    if isinstance(item, st.Word):
        return (3, 0)
    return (5, 0)


@dataclass(frozen=True, slots=True)
class Branch:
    """One statement of a page: a driver and the conditions checked per customer, in the
    order they are checked."""

    driver: Driver
    checks: tuple[st.Atom | st.Word, ...]  # a Word holds when any of its readings holds

    def select(
        self,
        after: str,
        limit: int,
        *,
        inclusive: bool = False,
        auth_groups: Collection[str] | None = None,
    ) -> Select[tuple[str]]:
        stmt, kunnr = _driver_select(self.driver)
        conditions: list[ColumnElement[bool]] = []
        if auth_groups is not None:
            conditions.append(visible(kunnr, auth_groups))
        if inclusive:
            conditions.append(kunnr >= after)
        elif after:
            conditions.append(kunnr > after)
        for item in self.checks:
            conditions.append(
                check_word(item, kunnr) if isinstance(item, st.Word) else check(item, kunnr)
            )
        return stmt.where(*conditions).order_by(kunnr).limit(limit)


def _rows_of(tokens: Mapping[str, Iterable[tuple[str, str]]]) -> set[tuple[str, str, str]]:
    """(kind, token, number) rows of customers' tokens (number -> (kind, token) pairs)."""
    return {(kind, token, n) for n, pairs in tokens.items() for kind, token in pairs}


class FindIndex:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- writing --------------------------------------------------------------------------

    def index(self, number: str, tokens: Iterable[tuple[str, str]]) -> None:
        """Replace the stored tokens of one customer."""
        # As a new customer's: nothing left to compare with after the delete.
        self.index_new({number: tokens})

    def index_new(self, tokens: Mapping[str, Iterable[tuple[str, str]]]) -> None:
        """The tokens of new customers (number -> tokens), in one statement; stale rows under
        their numbers go first, as in index."""
        if not tokens:
            return
        self.session.execute(delete(F).where(F.c.kunnr.in_(list(tokens))))
        # In the order of the primary key: the batch's rows go into it page after page
        # instead of at random places of a tree larger than the database's page cache.
        rows = sorted(
            (kind, token, number) for number, pairs in tokens.items() for kind, token in set(pairs)
        )
        # By column, in one executemany: a new customer has some eighty tokens.
        insert_columns(
            self.session,
            F,
            {
                "kind": [r[0] for r in rows],
                "token": [r[1] for r in rows],
                "kunnr": [r[2] for r in rows],
            },
        )

    def replace_many(self, tokens: Mapping[str, Iterable[tuple[str, str]]]) -> None:
        """Replace the stored tokens of several customers (number -> tokens) by writing only
        the difference: a change of a name rewrites a few of a customer's eighty rows. What
        is stored is read, not assumed, so the result is that of index for each."""
        if not tokens:
            return
        have = {
            (kind, token, n)
            for kind, token, n in self.session.execute(
                select(F.c.kind, F.c.token, F.c.kunnr).where(F.c.kunnr.in_(list(tokens)))
            )
        }
        self._write_difference(have, _rows_of(tokens))

    def replace_known(
        self,
        before: Mapping[str, Iterable[tuple[str, str]]],
        after: Mapping[str, Iterable[tuple[str, str]]],
    ) -> None:
        """As replace_many, from the tokens the index holds for these customers (`before`,
        those of their stored state) instead of reading them: a row of the list's index
        costs the server a check of its customer's visibility, the sixty of a customer some
        half a millisecond. Should the stored rows not be `before`'s, a row already there
        is skipped, not refused."""
        self._write_difference(_rows_of(before), _rows_of(after), skip_existing=True)

    def _write_difference(
        self,
        have: set[tuple[str, str, str]],
        wanted: set[tuple[str, str, str]],
        *,
        skip_existing: bool = False,
    ) -> None:
        self._delete_rows(sorted(have - wanted))
        new = sorted(wanted - have)
        insert_columns(
            self.session,
            F,
            {
                "kind": [r[0] for r in new],
                "token": [r[1] for r in new],
                "kunnr": [r[2] for r in new],
            },
            skip_existing=skip_existing,
        )

    def _delete_rows(self, rows: Sequence[tuple[str, str, str]]) -> None:
        """Delete these (kind, token, number) rows. On PostgreSQL as three arrays joined by
        their primary key: planning a list of a thousand rows took it 0.2 s."""
        if not rows:
            return
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(
                text(
                    f"DELETE FROM {F.name} AS f USING unnest(CAST(:kinds AS text[]), "
                    "CAST(:tokens AS text[]), CAST(:numbers AS text[])) AS g(kind, token, kunnr) "
                    "WHERE f.kind = g.kind AND f.token = g.token AND f.kunnr = g.kunnr"
                ),
                {
                    "kinds": [r[0] for r in rows],
                    "tokens": [r[1] for r in rows],
                    "numbers": [r[2] for r in rows],
                },
            )
            return
        for i in range(0, len(rows), _GONE_CHUNK):
            part = rows[i : i + _GONE_CHUNK]
            self.session.execute(delete(F).where(tuple_(F.c.kind, F.c.token, F.c.kunnr).in_(part)))

    def add(self, number: str, tokens: Iterable[tuple[str, str]]) -> None:
        """Add tokens to a customer's (extending it by a company code or sales area)."""
        have = self.tokens(number)
        rows = [
            {"kind": kind, "token": token, "kunnr": number}
            for kind, token in sorted(set(tokens) - have)
        ]
        if rows:
            self.session.execute(insert(F), rows)

    def tokens(self, number: str) -> set[tuple[str, str]]:
        rows = self.session.execute(select(F.c.kind, F.c.token).where(F.c.kunnr == number))
        return {(kind, token) for kind, token in rows}

    # --- reading --------------------------------------------------------------------------

    def frequencies(
        self, drivers: Iterable[st.Token | st.NumberPrefix], cap: int = FREQUENCY_CAP
    ) -> dict[st.Token | st.NumberPrefix, int]:
        """How many customers each driver yields, counted no further than `cap`; one
        statement for all."""
        wanted = list(dict.fromkeys(drivers))
        if not wanted:
            return {}
        counts = []
        for driver in wanted:
            stmt, _ = _driver_select(driver)
            counts.append(
                select(func.count()).select_from(stmt.limit(cap).subquery()).scalar_subquery()
            )
        row = self.session.execute(select(*counts)).one()
        return {d: int(n or 0) for d, n in zip(wanted, row, strict=True)}

    def plan(self, words: Sequence[st.Word], filters: Sequence[st.Atom]) -> list[Branch]:
        """The statements of a page: one per reading of the word that drives (one for the
        filters alone when there is no text)."""
        filter_drivers: list[st.Token | st.NumberPrefix] = [
            a for a in filters if isinstance(a, st.Token)
        ]
        # What each reading could be driven by.
        candidates: dict[tuple[int, int], list[st.Token | st.NumberPrefix]] = {
            (wi, ri): [*list(r.driver_candidates())[:MAX_CANDIDATES], *filter_drivers]
            for wi, w in enumerate(words)
            for ri, r in enumerate(w.readings)
        }
        # Counted where there is a choice, and the filters (to order the checks).
        to_count = [d for c in candidates.values() if len(c) > 1 or len(words) > 1 for d in c]
        counts = self.frequencies([*to_count, *filter_drivers])
        if not words:
            driver = choose(filter_drivers, counts)
            checks = [a for a in filters if a != driver]
            checks.sort(key=lambda a: _check_order(a, counts))
            return [Branch(driver, tuple(checks))]
        driving = 0
        if len(words) > 1:
            cost = [
                sum(
                    counts.get(d, 0) if (d := choose(candidates[(wi, ri)], counts)) else 0
                    for ri in range(len(w.readings))
                )
                for wi, w in enumerate(words)
            ]
            driving = min(range(len(words)), key=lambda i: cost[i])
        others = [w for i, w in enumerate(words) if i != driving]
        branches = []
        for ri, reading in enumerate(words[driving].readings):
            driver = choose(candidates[(driving, ri)], counts)
            items: list[st.Atom | st.Word] = [a for a in (*reading.atoms, *filters) if a != driver]
            items += others
            items.sort(key=lambda a: _check_order(a, counts))
            branches.append(Branch(driver, tuple(items)))
        return branches

    def numbers(
        self,
        words: Sequence[st.Word],
        filters: Sequence[st.Atom] = (),
        *,
        after: str = "",
        limit: int = 50,
        inclusive: bool = False,
        auth_groups: Collection[str] | None = None,
    ) -> list[str]:
        """Up to `limit` numbers of customers matching every word and filter, greater than
        `after` (or equal, with `inclusive`), in number order; only customers whose
        KNA1-BEGRU is in `auth_groups` unless that is None (a user's visibility)."""
        branches = self.plan(words, filters)
        if not branches:
            return []
        if len(branches) == 1:
            stmt = branches[0].select(after, limit, inclusive=inclusive, auth_groups=auth_groups)
        else:
            parts = [
                select(
                    b.select(after, limit, inclusive=inclusive, auth_groups=auth_groups)
                    .subquery()
                    .c.kunnr
                )
                for b in branches
            ]
            merged = union(*parts).subquery()
            stmt = select(merged.c.kunnr).order_by(merged.c.kunnr).limit(limit)
        return list(self.session.scalars(stmt))
