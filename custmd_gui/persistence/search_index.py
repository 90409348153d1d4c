"""The customer search index (table kna1_search): writing a customer's tokens and finding
customers by similar name, tax number, telephone or USCC.

Built to answer in milliseconds with a million customers: every query is a range of one of
the two covering indexes, and the name search touches only the rarest tokens of the name.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import repeat
from typing import cast

from sqlalchemy import Table, TextClause, delete, func, select, text
from sqlalchemy.orm import Session

from custmd_gui.domain import names
from custmd_gui.domain.model import Customer, GeneralData
from custmd_gui.persistence.bulk_insert import insert_columns
from custmd_gui.persistence.tables import Kna1, Kna1Search

T = cast(Table, Kna1Search.__table__)

# A token's document frequency is counted up to this; rarer tokens are picked first, and a
# token this common is as useless as one ten times more common.
FREQUENCY_CAP = 2000
# Customers read per name token; bounds the work for names made of common words only.
PER_TOKEN_LIMIT = 400
NAME_THRESHOLD = 0.6
# Exact matches of a tax number, telephone or USCC read at most.
EXACT_LIMIT = 50
IDENTIFIER_KINDS = frozenset({names.TAX_NUMBER, names.PHONE, names.USCC})


def general_tokens(general: GeneralData) -> set[tuple[str, str]]:
    return names.search_tokens(
        general.name,
        tax_numbers=(
            general.tax_number_1,
            general.vat_registration_number,
            general.tax_number_5,
        ),
        phones=(general.telephone, general.fax),
        uscc_code=general.tax_number_5,
    )


def token_rows(number: str, tokens: Iterable[tuple[str, str]]) -> list[dict[str, object]]:
    return [
        {"id": uuid.uuid4(), "kunnr": number, "kind": kind, "token": token}
        for kind, token in sorted(tokens)
    ]


@dataclass
class Candidate:
    """A stored customer that shares something with the one searched for."""

    number: str
    name: str = ""
    city: str = ""
    # Token kinds that matched: names.NAME_KEY (similar name), TAX_NUMBER, PHONE, USCC.
    kinds: set[str] = field(default_factory=set)
    score: float = 0.0  # name similarity, 0..1


def prefix_size(query_tokens: int, threshold: float) -> int:
    """How many of the query's rarest tokens a candidate must share at least one of.

    A Dice coefficient >= t with a query of q tokens needs an overlap o >= t*q/(2-t), so a
    candidate lacking the q-o+1 rarest tokens cannot reach it (prefix filtering)."""
    overlap = max(1, math.ceil(threshold * query_tokens / (2 - threshold) - 1e-9))
    return max(1, query_tokens - overlap + 1)


def idf(frequency: int, cap: int = FREQUENCY_CAP) -> float:
    """Weight of a token held by `frequency` customers: rare tokens weigh more."""
    return math.log(1 + cap / max(frequency, 1))


def token_weights(frequency: dict[str, int]) -> dict[str, float]:
    """Rarity weights of the query's tokens. A token no stored customer holds (mostly where
    an added word meets the name, 机械|实业) weighs as the rarest token that is held: its own
    rarity says nothing about how well a stored name matches."""
    seen = [idf(f) for f in frequency.values() if f]
    unseen = max(seen, default=idf(1))
    return {t: idf(f) if f else unseen for t, f in frequency.items()}


def name_score(query: set[str], other: set[str], weights: dict[str, float]) -> float:
    """Similarity of two names' bigrams: the smaller of their Dice coefficient and their Dice
    coefficient weighted by rarity.

    Plain Dice rates 山安餐饮管理 and 大安餐饮管理 0.8: the shared industry words outweigh the
    brand that tells the two apart; weighted, the brand counts most. The other name's own
    tokens weigh what the query's weigh on average (their frequencies are not looked up)."""
    return NameScorer(query, weights).score(other)


class NameScorer:
    """name_score of one query against many names (a duplicate check scores a hundred
    candidates per customer): what depends on the query alone is computed once, and the
    shared tokens once per candidate, in the same order of additions, hence the same floats."""

    __slots__ = ("mean", "mine", "query", "weights")

    def __init__(self, query: set[str], weights: dict[str, float]) -> None:
        self.query = query
        self.weights = weights
        self.mean = self.mine = 0.0
        if weights:
            self.mean = sum(weights.values()) / len(weights)
            self.mine = sum(weights.get(t, self.mean) for t in query)

    def dice(self, other: set[str]) -> tuple[float, set[str]]:
        """names.similarity of the query and `other`, with the tokens they share."""
        if not self.query or not other:
            return 0.0, set()
        both = self.query & other
        return 2 * len(both) / (len(self.query) + len(other)), both

    def score(self, other: set[str], dice: tuple[float, set[str]] | None = None) -> float:
        """name_score(query, other, weights); `dice`: self.dice(other) when known."""
        plain, both = dice or self.dice(other)
        if not self.weights:
            return plain
        mean = self.mean
        shared = sum(self.weights.get(t, mean) for t in both)
        theirs = shared + mean * len(other - self.query)
        return min(plain, 2 * shared / (self.mine + theirs))

    def score_reaching(self, other: set[str], threshold: float) -> float | None:
        """score(other) when the plain Dice coefficient, its upper bound, reaches
        `threshold`, else None: the same floats as dice and score, without their tuple, set
        difference and generator (an import scores some hundred candidates per customer)."""
        query = self.query
        if not query or not other:
            return self.score(other) if threshold <= 0.0 else None
        both = query & other
        plain = 2 * len(both) / (len(query) + len(other))
        if plain < threshold:
            return None
        if not self.weights:
            return plain
        mean = self.mean
        shared = sum(map(self.weights.get, both, repeat(mean)))
        theirs = shared + mean * (len(other) - len(both))
        return min(plain, 2 * shared / (self.mine + theirs))


def best_candidates(found: dict[str, Candidate], limit: int) -> list[Candidate]:
    """The same USCC first, then the same tax number or telephone (the stronger evidence),
    then by name similarity; at most `limit`."""
    return sorted(
        found.values(),
        key=lambda c: (
            names.USCC not in c.kinds,
            -len(c.kinds & IDENTIFIER_KINDS),
            -c.score,
            c.number,
        ),
    )[:limit]


@cache
def _capped_counts(size: int) -> TextClause:
    """`size` token counts, each up to :cap, as one row. Written as SQL text: built by
    SQLAlchemy's expression language, the statement cost more to compile than to run."""
    counts = [
        f"(SELECT count(*) FROM (SELECT kunnr FROM {T.name} "
        f"WHERE kind = :kind AND token = :t{i} LIMIT :cap) AS c{i})"
        for i in range(size)
    ]
    return text("SELECT " + ", ".join(counts))


class SearchIndex:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._frequencies: dict[tuple[str, str], int] | None = None

    def remember_frequencies(self) -> None:
        """Keep the frequencies read for the rest of this unit of work: a read checking
        thousands of names (an import) asks for the same common bigrams again and again, and
        the counts only weigh and order the candidates."""
        self._frequencies = {}

    # --- writing --------------------------------------------------------------------------

    def index(self, customer: Customer | GeneralData) -> None:
        """Replace the stored tokens of one customer by those of its current general data."""
        general = customer.general if isinstance(customer, Customer) else customer
        # One statement for the rows, not the driver's executemany (a round trip less per
        # save, and no pipeline mode: see persistence.bulk_insert).
        self.index_new([general])

    def index_new(self, generals: Sequence[GeneralData]) -> None:
        """The tokens of new customers, in one statement (a batch of an import); stale rows
        under their numbers go first, as in index."""
        if not generals:
            return
        self.session.execute(delete(T).where(T.c.kunnr.in_([g.number for g in generals])))
        # In the order of the token index: the batch's rows go into it page after page
        # instead of at random places of a tree larger than the database's page cache.
        rows = sorted(
            (kind, token, g.number) for g in generals for kind, token in general_tokens(g)
        )
        # By column, in one executemany, the ids from the column's default.
        insert_columns(
            self.session,
            T,
            {
                "kunnr": [r[2] for r in rows],
                "kind": [r[0] for r in rows],
                "token": [r[1] for r in rows],
            },
        )

    def replace_many(self, generals: Sequence[GeneralData]) -> None:
        """Replace the stored tokens of several customers by writing only the difference
        (as FindIndex.replace_many); the result is that of index for each."""
        if not generals:
            return
        wanted = {(g.number, kind, token) for g in generals for kind, token in general_tokens(g)}
        have: dict[tuple[str, str, str], list[object]] = {}
        for row in self.session.execute(
            select(T.c.id, T.c.kunnr, T.c.kind, T.c.token).where(
                T.c.kunnr.in_([g.number for g in generals])
            )
        ):
            have.setdefault((row.kunnr, row.kind, row.token), []).append(row.id)
        # A token stored twice keeps one row, as a rewrite would leave it.
        gone = [i for key, ids in have.items() for i in (ids if key not in wanted else ids[1:])]
        if gone:
            self.session.execute(delete(T).where(T.c.id.in_(gone)))
        new = sorted(wanted - set(have))
        insert_columns(
            self.session,
            T,
            {
                "kunnr": [r[0] for r in new],
                "kind": [r[1] for r in new],
                "token": [r[2] for r in new],
            },
        )

    # --- reading --------------------------------------------------------------------------

    def numbers_with(
        self, kind: str, tokens: Iterable[str], *, limit: int = EXACT_LIMIT
    ) -> dict[str, set[str]]:
        """Customers holding any of the tokens of one kind, with the tokens they hold."""
        wanted = sorted({t for t in tokens if t})
        if not wanted:
            return {}
        out: dict[str, set[str]] = {}
        rows = self.session.execute(
            select(T.c.kunnr, T.c.token).where(T.c.kind == kind, T.c.token.in_(wanted)).limit(limit)
        )
        for number, token in rows:
            out.setdefault(number, set()).add(token)
        return out

    def uscc_holders(self, code: str, exclude: str = "") -> int:
        """How many customers other than `exclude` hold the credit code, also those the
        session may not see (PostgreSQL's row-level security; migration 0011)."""
        if self.session.get_bind().dialect.name == "postgresql":
            stmt = select(func.custmd_uscc_holders(code, exclude))
            return int(self.session.scalar(stmt) or 0)
        holders = select(func.count(func.distinct(T.c.kunnr))).where(
            T.c.kind == names.USCC, T.c.token == code, T.c.kunnr != exclude
        )
        return int(self.session.scalar(holders) or 0)

    def uscc_holder_counts(self, asked: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """uscc_holders of many (code, exclude) pairs: a few hundred per statement."""
        wanted = sorted(set(asked))
        out: dict[tuple[str, str], int] = {}
        on_server = self.session.get_bind().dialect.name == "postgresql"
        for i in range(0, len(wanted), 200):
            part = wanted[i : i + 200]
            if on_server:
                row = self.session.execute(
                    select(*(func.custmd_uscc_holders(code, own) for code, own in part))
                ).one()
                out.update({pair: int(n or 0) for pair, n in zip(part, row, strict=True)})
                continue
            holders: dict[str, set[str]] = {}
            rows = self.session.execute(
                select(T.c.token, T.c.kunnr).where(
                    T.c.kind == names.USCC, T.c.token.in_(sorted({c for c, _ in part}))
                )
            )
            for code, number in rows:
                holders.setdefault(code, set()).add(number)
            out.update({(c, own): len(holders.get(c, set()) - {own}) for c, own in part})
        return out

    def frequency(self, kind: str, token: str, cap: int = FREQUENCY_CAP) -> int:
        """How many customers hold the token, counted no further than `cap`."""
        inner = select(T.c.kunnr).where(T.c.kind == kind, T.c.token == token).limit(cap).subquery()
        return int(self.session.scalar(select(func.count()).select_from(inner)) or 0)

    def frequencies(
        self, kind: str, tokens: Iterable[str], cap: int = FREQUENCY_CAP
    ) -> dict[str, int]:
        """`frequency` of several tokens in one statement (one round trip, not one each)."""
        wanted = sorted(set(tokens))
        known = self._frequencies
        if known is not None and cap == FREQUENCY_CAP:
            missing = [t for t in wanted if (kind, t) not in known]
            if missing:
                for t, n in self._count(kind, missing, cap).items():
                    known[kind, t] = n
            return {t: known[kind, t] for t in wanted}
        return self._count(kind, wanted, cap)

    def _count(self, kind: str, wanted: list[str], cap: int) -> dict[str, int]:
        out: dict[str, int] = {}
        # A few hundred counts per statement: an import asks for thousands of tokens at once.
        for i in range(0, len(wanted), 200):
            part = wanted[i : i + 200]
            params: dict[str, object] = {"kind": kind, "cap": cap}
            params.update({f"t{j}": t for j, t in enumerate(part)})
            row = self.session.execute(_capped_counts(len(part)), params).one()
            out.update({t: int(n or 0) for t, n in zip(part, row, strict=True)})
        return out

    def name_keys(self, numbers: Sequence[str]) -> dict[str, str]:
        if not numbers:
            return {}
        rows = self.session.execute(
            select(T.c.kunnr, T.c.token).where(
                T.c.kunnr.in_(sorted(numbers)), T.c.kind == names.NAME_KEY
            )
        )
        return {number: token for number, token in rows}

    def similar_names(
        self,
        key: str,
        *,
        threshold: float = NAME_THRESHOLD,
        per_token: int = PER_TOKEN_LIMIT,
    ) -> dict[str, float]:
        """Customers whose name key is `key` (score 1.0) or similar to it (score >= the
        threshold, see `name_score`), with their score."""
        if not key:
            return {}
        found = {n: 1.0 for n in self.numbers_with(names.NAME_KEY, [key], limit=per_token)}
        query = names.name_tokens(key)
        if len(query) < 2:
            return found  # a one- or two-character key: only the same key is similar
        frequency = self.frequencies(names.NAME_BIGRAM, query)
        # Rarest first; ties by token so the plan is the same every time.
        ranked = sorted(query, key=lambda t: (frequency[t], t))
        candidates: set[str] = set()
        for token in ranked[: prefix_size(len(query), threshold)]:
            candidates.update(
                self.session.scalars(
                    select(T.c.kunnr)
                    .where(T.c.kind == names.NAME_BIGRAM, T.c.token == token)
                    .limit(per_token)
                )
            )
        candidates -= set(found)
        weights = token_weights(frequency)
        for number, other in self.name_keys(sorted(candidates)).items():
            score = name_score(query, names.name_tokens(other), weights)
            if score >= threshold:
                found[number] = score
        return found

    def candidates(
        self,
        general: GeneralData,
        *,
        exclude: str = "",
        limit: int = 20,
        threshold: float = NAME_THRESHOLD,
    ) -> list[Candidate]:
        """Stored customers with a similar name, or the same tax number, telephone or USCC
        as `general`; best first (most kinds matched, then name similarity), at most `limit`."""
        found: dict[str, Candidate] = {}

        def hit(number: str, kind: str, score: float = 0.0) -> None:
            c = found.setdefault(number, Candidate(number))
            c.kinds.add(kind)
            c.score = max(c.score, score)

        key = names.normalize_name(general.name)
        for number, score in self.similar_names(key, threshold=threshold).items():
            hit(number, names.NAME_KEY, score)
        tokens = general_tokens(general)
        for kind in (names.TAX_NUMBER, names.PHONE, names.USCC):
            mine = [t for k, t in tokens if k == kind]
            for number in self.numbers_with(kind, mine):
                hit(number, kind)
        found.pop(exclude, None)
        best = best_candidates(found, limit)
        if best:
            heads = self.session.execute(
                select(Kna1.kunnr, Kna1.name1, Kna1.ort01).where(
                    Kna1.kunnr.in_([c.number for c in best])
                )
            )
            for number, name, city in heads:
                found[number].name = name
                found[number].city = city
        return best
