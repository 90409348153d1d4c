"""Four processes change a handful of customers at random, concurrently, a thousand times on
PostgreSQL (and fewer times on one SQLite file). Afterwards:
- every committed change is one change document, and every change document a committed change;
- replaying the documents from the creation gives exactly the stored customers, and does so
  strictly (every change's old values are the values before it: no change was made from a
  stale state, no update was lost);
- each customer's version counts its changes, each version was saved once.
Some saves are deliberately made from a state read before the lock (as from a display screen):
those that became stale meanwhile must be refused, never applied."""

from __future__ import annotations

import multiprocessing as mp
import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from custmd_gui.domain.change_document import canonical, replay
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.model import BankDetail, Customer, PartnerFunction
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from tests.conftest import example_document

PROCESSES = 4
EDITS = {"postgresql": 1000, "sqlite": 200}
CUSTOMERS = [f"211038000{i}" for i in range(1, 6)]
# A save in ten is made from a state read before taking the lock.
STALE_SHARE = 0.1

Mutator = Callable[[random.Random, Customer, Customizing], None]


def _pick(rng: random.Random, current: str, choices: list[str]) -> str:
    return rng.choice([c for c in choices if c != current])


def _codes(cust: Customizing, list_id: str) -> list[str]:
    return [v.code for v in cust.values(list_id)]


def _name_2(rng: random.Random, c: Customer, cust: Customizing) -> None:
    c.general.name_2 = f"别名 {rng.randrange(10**6)}"


def _street(rng: random.Random, c: Customer, cust: Customizing) -> None:
    c.general.street = f"上海市长宁路{rng.randrange(1, 2000)}号"


def _telephone(rng: random.Random, c: Customer, cust: Customizing) -> None:
    c.general.telephone = f"021-{rng.randrange(20000000, 69999999)}"


def _industry(rng: random.Random, c: Customer, cust: Customizing) -> None:
    c.general.industry = _pick(rng, c.general.industry, _codes(cust, "industries"))


def _payment_terms(rng: random.Random, c: Customer, cust: Customizing) -> None:
    cc = c.company_codes[0]
    cc.payment_terms = _pick(rng, cc.payment_terms, _codes(cust, "payment_terms"))


def _sort_key(rng: random.Random, c: Customer, cust: Customizing) -> None:
    cc = c.company_codes[0]
    cc.sort_key = _pick(rng, cc.sort_key, _codes(cust, "sort_keys"))


def _shipping(rng: random.Random, c: Customer, cust: Customizing) -> None:
    sa = c.sales_areas[0]
    sa.shipping_conditions = _pick(rng, sa.shipping_conditions, _codes(cust, "shipping_conditions"))


def _customer_group(rng: random.Random, c: Customer, cust: Customizing) -> None:
    sa = c.sales_areas[0]
    sa.customer_group = _pick(rng, sa.customer_group, _codes(cust, "customer_groups"))


def _incoterms_place(rng: random.Random, c: Customer, cust: Customizing) -> None:
    c.sales_areas[0].incoterms_place = f"Port {rng.randrange(10**5)}"


def _tax(rng: random.Random, c: Customer, cust: Customizing) -> None:
    tax = c.sales_areas[0].tax_classifications[0]
    tax.tax_classification = "0" if tax.tax_classification == "1" else "1"


def _bank(rng: random.Random, c: Customer, cust: Customizing) -> None:
    """Add a bank account, or remove one, or rename an account holder."""
    banks = c.bank_details
    roll = rng.random()
    if roll < 0.4 or not banks:
        account = str(rng.randrange(10**7, 10**8))
        if all(b.bank_account != account for b in banks):
            banks.append(BankDetail(bank_country="CN", bank_key="F012", bank_account=account))
    elif roll < 0.7:
        banks.pop(rng.randrange(len(banks)))
    else:
        bank = rng.choice(banks)
        bank.account_holder = f"开户行 {rng.randrange(10**4)}"


def _ship_to(rng: random.Random, c: Customer, cust: Customizing) -> None:
    """Add a second ship-to party (another customer of the set), or remove it."""
    partners = c.sales_areas[0].partners
    extra = [p for p in partners if p.counter == "001"]
    if extra:
        partners.remove(extra[0])
    else:
        other = rng.choice([n for n in CUSTOMERS if n != c.number])
        partners.append(PartnerFunction(partner_function="WE", counter="001", partner=other))


MUTATORS: list[Mutator] = [
    _name_2,
    _street,
    _telephone,
    _industry,
    _payment_terms,
    _sort_key,
    _shipping,
    _customer_group,
    _incoterms_place,
    _tax,
    _bank,
    _ship_to,
]


def _worker(url: str, worker: int, edits: int, start: Any, out: mp.Queue) -> None:
    from custmd_gui.services.change import StaleCustomer, change_customer, open_for_change
    from custmd_gui.services.locks import CustomerLocked, release_lock

    engine = make_engine(url)
    factory = UnitOfWorkFactory(engine)
    with factory() as uow:
        customizing = uow.customizing.load()
    actor = Actor(f"worker{worker}", origin=f"proc-{worker}")
    rng = random.Random(1000 + worker)
    commits: list[tuple[str, int, str, int]] = []  # number, version saved, document, items
    counts: Counter[str] = Counter()
    errors: list[str] = []
    start.wait()
    began = time.monotonic()
    while len(commits) < edits and len(errors) < 5:
        number = rng.choice(CUSTOMERS)
        early = read_customer(factory, number) if rng.random() < STALE_SHARE else None
        try:
            lock, current = open_for_change(factory, number, actor)
        except CustomerLocked:
            counts["refused"] += 1
            time.sleep(rng.random() * 0.002)
            continue
        base = early or current
        edited = base.model_copy(deep=True)
        rng.choice(MUTATORS)(rng, edited, customizing)
        try:
            result = change_customer(
                factory,
                number,
                edited,
                actor,
                expected_version=base.version,
                lock=lock,
                customizing=customizing,
                release=True,
            )
        except StaleCustomer:
            counts["stale"] += 1
            release_lock(factory, lock)
            continue
        except Exception as exc:  # reported to the parent, which fails the test
            errors.append(f"{number}: {exc!r}")
            release_lock(factory, lock)
            continue
        if early is not None:
            counts["early but current"] += 1
        if result.document is None:
            counts["no change"] += 1
            continue
        commits.append((number, result.customer.version, str(result.document), len(result.items)))
    engine.dispose()
    out.put((worker, commits, dict(counts), errors, time.monotonic() - began))


def _document(number: str) -> dict[str, Any]:
    doc = example_document()
    doc["KNA1"].update({"KUNNR": number, "NAME1": f"东宁广告有限公司{number[-1]}"})
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = number
    return doc


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_four_processes_edit_concurrently_without_losing_an_update(
    backend: str, db_url: str, uow_factory: UnitOfWorkFactory
) -> None:
    created = {
        n: create_customer(uow_factory, from_document(_document(n)), Actor("setup")).number
        for n in CUSTOMERS
    }
    assert list(created) == CUSTOMERS
    total = EDITS[backend]
    ctx = mp.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(db_url, w, total // PROCESSES, start, out))
        for w in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    began = time.monotonic()
    start.set()
    try:
        results = [out.get(timeout=600) for _ in procs]
    finally:
        for p in procs:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
    wall = time.monotonic() - began
    errors = [e for r in results for e in r[3]]
    assert errors == []
    commits = [c for r in results for c in r[1]]
    counts: Counter[str] = Counter()
    for r in results:
        counts.update(r[2])
    assert len(commits) == total

    for number in CUSTOMERS:
        mine = [c for c in commits if c[0] == number]
        with uow_factory() as uow:
            records = uow.changes.for_customer(number)
        changes = [r for r in records if r.activity == "change"]
        # every committed change is one change document, and nothing else is
        assert {str(r.document) for r in changes} == {c[2] for c in mine}
        assert len(changes) == sum(c[3] for c in mine)
        # versions 2, 3, ... each saved exactly once: the saves were serialized
        stored = read_customer(uow_factory, number)
        assert sorted(c[1] for c in mine) == list(range(2, stored.version + 1))
        # the documents replay strictly to the stored state
        items = [(r.table, r.key, r.field, r.indicator, r.old, r.new) for r in records]
        assert replay(number, items, strict=True) == canonical(stored)

    slowest = max(r[4] for r in results)
    print(
        f"\n{backend}: {total} edits by {PROCESSES} processes in {wall:.1f} s "
        f"(slowest worker {slowest:.1f} s); lock refusals {counts['refused']}, "
        f"stale saves refused {counts['stale']}, early reads still current "
        f"{counts['early but current']}, no-op saves {counts['no change']}"
    )
