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
from functools import cache
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import TextClause, select, text

from custmd_gui.domain import names
from custmd_gui.domain.model import GeneralData
from custmd_gui.persistence.search_index import (
    EXACT_LIMIT,
    NAME_THRESHOLD,
    PER_TOKEN_LIMIT,
    Candidate,
    NameScorer,
    T,
    best_candidates,
    general_tokens,
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
        params: dict[str, object] = {"kind": names.NAME_BIGRAM, "n": per_token}
        params.update({f"t{i}": token for i, token in enumerate(part)})
        for token, number in index.session.execute(_union_of_limited(len(part)), params):
            out.setdefault(token, []).append(number)
    return out


@cache
def _union_of_limited(size: int) -> TextClause:
    """`size` limited reads of one token each, as one statement. Written as SQL text: built
    by SQLAlchemy's expression language, the statement cost more to compile than to run."""
    parts = [
        f"SELECT * FROM (SELECT token, kunnr FROM {T.name} "
        f"WHERE kind = :kind AND token = :t{i} LIMIT :n) AS s{i}"
        for i in range(size)
    ]
    return text(" UNION ALL ".join(parts))


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
    stored_tokens = {number: names.name_tokens(key) for number, key in stored_keys.items()}
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
            scorer = NameScorer(queries[i], token_weights({t: frequency[t] for t in queries[i]}))
            for number in wanted[i]:
                other = stored_tokens.get(number)
                if other is None:
                    continue
                score = scorer.score_reaching(other, threshold)
                if score is not None and score >= threshold:
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
