"""The duplicate candidates of many customers at once (an import checks thousands): the same
answer as SearchIndex.candidates for each, in a few statements per chunk instead of about ten
per customer.

The statements read what the single search reads, only for all customers of the chunk
together: the exact name keys, the bigram frequencies (cached for the whole unit of work by
SearchIndex.remember_frequencies), the postings of each customer's rarest bigrams (a token
shared by several names of the chunk is read once), the name keys of every candidate, the
identifier tokens per kind and the names and cities of the customers shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import select, union_all

from custmd_gui.domain import names
from custmd_gui.domain.model import GeneralData
from custmd_gui.persistence.search_index import (
    EXACT_LIMIT,
    NAME_THRESHOLD,
    PER_TOKEN_LIMIT,
    Candidate,
    T,
    best_candidates,
    general_tokens,
    name_score,
    prefix_size,
    token_weights,
)
from custmd_gui.persistence.tables import Kna1

if TYPE_CHECKING:
    from custmd_gui.persistence.search_index import SearchIndex

# Values bound in one IN list, and limited subqueries in one UNION ALL: well below
# SQLite's 32,766 variables and PostgreSQL's 65,535 parameters.
IN_CHUNK = 2000
UNION_CHUNK = 200

V = TypeVar("V")


def _chunks(values: Sequence[V], size: int) -> Iterator[Sequence[V]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _holders(index: SearchIndex, kind: str, tokens: Iterable[str]) -> dict[str, list[str]]:
    """token -> customers holding it (as SearchIndex.numbers_with, per token)."""
    out: dict[str, list[str]] = {}
    for part in _chunks(sorted({t for t in tokens if t}), IN_CHUNK):
        rows = index.session.execute(
            select(T.c.token, T.c.kunnr).where(T.c.kind == kind, T.c.token.in_(part))
        )
        for token, number in rows:
            out.setdefault(token, []).append(number)
    return out


def _postings(index: SearchIndex, tokens: Iterable[str], per_token: int) -> dict[str, list[str]]:
    """Customers holding each name bigram, at most `per_token` each (one limited subquery
    per token, as the single search reads them)."""
    out: dict[str, list[str]] = {}
    for part in _chunks(sorted(set(tokens)), UNION_CHUNK):
        parts = [
            select(T.c.token, T.c.kunnr)
            .where(T.c.kind == names.NAME_BIGRAM, T.c.token == token)
            .limit(per_token)
            .subquery()
            for token in part
        ]
        statement = union_all(*(select(p.c.token, p.c.kunnr) for p in parts))
        for token, number in index.session.execute(statement):
            out.setdefault(token, []).append(number)
    return out


def _name_keys(index: SearchIndex, numbers: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in _chunks(sorted(set(numbers)), IN_CHUNK):
        out.update(index.name_keys(part))
    return out


def _hit(found: dict[str, Candidate], number: str, kind: str, score: float = 0.0) -> None:
    c = found.setdefault(number, Candidate(number))
    c.kinds.add(kind)
    c.score = max(c.score, score)


def candidates_many(
    index: SearchIndex,
    generals: Sequence[GeneralData],
    *,
    limit: int = 20,
    threshold: float = NAME_THRESHOLD,
    per_token: int = PER_TOKEN_LIMIT,
) -> list[list[Candidate]]:
    """SearchIndex.candidates of each general data (its own number excluded), in order."""
    keys = [names.normalize_name(g.name) for g in generals]
    exact = _holders(index, names.NAME_KEY, keys)
    queries = [names.name_tokens(k) if len(k) >= 2 else set() for k in keys]
    frequency = index.frequencies(names.NAME_BIGRAM, set().union(*queries))
    prefixes: list[list[str]] = []
    for query in queries:
        # Rarest first; ties by token, as the single search ranks them.
        ranked = sorted(query, key=lambda t: (frequency[t], t))
        prefixes.append(ranked[: prefix_size(len(query), threshold)] if len(query) >= 2 else [])
    postings = _postings(index, {t for p in prefixes for t in p}, per_token)
    same_key = [set(exact.get(k, [])[:per_token]) if k else set() for k in keys]
    wanted = [
        {n for t in prefix for n in postings.get(t, ())} - same
        for prefix, same in zip(prefixes, same_key, strict=True)
    ]
    stored_keys = _name_keys(index, set().union(*wanted))
    tokens = [general_tokens(g) for g in generals]
    identifiers = {
        kind: _holders(index, kind, (t for ts in tokens for k, t in ts if k == kind))
        for kind in (names.TAX_NUMBER, names.PHONE, names.USCC)
    }
    answers: list[list[Candidate]] = []
    for i, general in enumerate(generals):
        found: dict[str, Candidate] = {}
        for number in same_key[i]:
            _hit(found, number, names.NAME_KEY, 1.0)
        if prefixes[i]:
            weights = token_weights({t: frequency[t] for t in queries[i]})
            for number in wanted[i]:
                other = stored_keys.get(number)
                if other is None:
                    continue
                score = name_score(queries[i], names.name_tokens(other), weights)
                if score >= threshold:
                    _hit(found, number, names.NAME_KEY, score)
        for kind, holders in identifiers.items():
            mine = {t for k, t in tokens[i] if k == kind and t}
            held = {n for t in sorted(mine) for n in holders.get(t, ())[:EXACT_LIMIT]}
            for number in held:
                _hit(found, number, kind)
        found.pop(general.number, None)
        answers.append(best_candidates(found, limit))
    shown = sorted({c.number for best in answers for c in best})
    heads: dict[str, tuple[str, str]] = {}
    for part in _chunks(shown, IN_CHUNK):
        rows = index.session.execute(
            select(Kna1.kunnr, Kna1.name1, Kna1.ort01).where(Kna1.kunnr.in_(part))
        )
        heads.update({number: (name, city) for number, name, city in rows})
    for best in answers:
        for c in best:
            c.name, c.city = heads.get(c.number, ("", ""))
    return answers
