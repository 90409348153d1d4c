"""Two common words that rarely meet (a name pair held by thousands, a city held by thousands,
few customers holding both): the page holds exactly the customers holding both, in number
order, and the keyset goes on from there, on both backends. The second word reads as a name
part or a city; find_index checks both readings in one lookup of the customer's tokens."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, insert

from custmd_gui.domain import search_terms as st
from custmd_gui.persistence import find_index, tables
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.search import CustomerQuery, search

PAIR_HOLDERS = find_index.FREQUENCY_CAP + 500  # common: more than the first count reaches
CITY_HOLDERS = find_index.FREQUENCY_CAP + 800
BOTH_EVERY = 97  # every 97th customer holds both


def _number(i: int) -> str:
    return f"2{i:09d}"


@pytest.fixture
def stored(engine: Engine) -> list[str]:
    """Customers 0..N: the first PAIR_HOLDERS hold the pair 金有, the last CITY_HOLDERS the
    city 长春, and every BOTH_EVERY-th of the pair's holders also 长春 (city or name)."""
    total = PAIR_HOLDERS + CITY_HOLDERS
    both = {i for i in range(PAIR_HOLDERS) if i % BOTH_EVERY == 0}
    now = datetime.now(UTC)
    kna1 = [
        {"id": uuid.uuid4(), "kunnr": _number(i), "name1": f"客户{i}", "created_at": now}
        for i in range(total)
    ]
    tokens = [{"kind": st.PAIR, "token": "金有", "kunnr": _number(i)} for i in range(PAIR_HOLDERS)]
    # Of those holding both, every other one is in the city 长春, the rest have 长春 in
    # their name: either reading of the word counts.
    tokens += [
        {"kind": st.CITY if n % 2 else st.PAIR, "token": "长春", "kunnr": _number(i)}
        for n, i in enumerate(sorted(both))
    ]
    tokens += [
        {"kind": st.CITY, "token": "长春", "kunnr": _number(i)} for i in range(PAIR_HOLDERS, total)
    ]
    with engine.begin() as conn:
        conn.execute(insert(tables.Kna1), kna1)
        conn.execute(insert(tables.Kna1Find), tokens)
    return [_number(i) for i in sorted(both)]


def test_a_rare_meeting_of_two_common_words_is_found_whole(
    stored: list[str],
    uow_factory: UnitOfWorkFactory,
) -> None:
    assert len(stored) > 20
    with uow_factory() as uow:
        (_, city) = st.read_text("金有 长春")
        assert find_index.single_tokens(city) == [
            st.Token(st.PAIR, "长春"),
            st.Token(st.CITY, "长春"),
        ]
        page = search(uow, CustomerQuery("金有 长春"), limit=50)
        assert [r.number for r in page.rows] == stored  # all of them, none else
        first = search(uow, CustomerQuery("金有 长春"), limit=10)
        assert [r.number for r in first.rows] == stored[:10]
        # and the keyset goes on where the page ended
        rest = search(uow, CustomerQuery("金有 长春"), after=stored[9], limit=10)
        assert [r.number for r in rest.rows] == stored[10:20]
