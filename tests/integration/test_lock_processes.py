"""Edit locks between real processes on one database (SQLite file, PostgreSQL server):
A locks and keeps renewing; B is refused with A's name and may only display; A is killed
(SIGKILL, no clean-up); B gets the lock once A's lease has run out, not before."""

from __future__ import annotations

import multiprocessing as mp
import time
from multiprocessing.synchronize import Event
from typing import Any

from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from tests.conftest import example_document

NUMBER = "2110380001"
# Short, so that the test waits seconds; the app's default is 30 s (services.locks).
LEASE = 2.0
POLL = 0.05


def _process_a(url: str, lease: float, out: mp.Queue) -> None:
    """Holds the lock and renews it until killed."""
    from custmd_gui.services.locks import Client, LockKeeper, acquire_lock

    factory = UnitOfWorkFactory(make_engine(url))
    lock = acquire_lock(factory, NUMBER, Actor("user_a"), Client.current("A"), lease=lease)
    LockKeeper(factory, lock).start()
    out.put(("A", "locked", time.time()))
    while True:
        time.sleep(1)


def _process_b(url: str, lease: float, out: mp.Queue, killed: Event) -> None:
    """Tries to change, displays instead, then waits for A's death and polls for the lock."""
    from custmd_gui.services.change import change_customer
    from custmd_gui.services.create import read_customer
    from custmd_gui.services.locks import Client, CustomerLocked, LockLost, acquire_lock

    factory = UnitOfWorkFactory(make_engine(url))
    actor = Actor("user_b")
    report: dict[str, Any] = {}
    try:
        acquire_lock(factory, NUMBER, actor, Client.current("B"), lease=lease)
        report["first"] = "locked"
    except CustomerLocked as exc:
        report["first"] = (exc.problems[0].message.zh, exc.problems[0].message.en)
    shown = read_customer(factory, NUMBER)  # display is allowed
    report["displayed"] = shown.general.name
    edited = shown.model_copy(deep=True)
    edited.general.name_2 = "B was here"
    try:
        change_customer(factory, NUMBER, edited, actor, expected_version=1, lock=None)
        report["save_without_lock"] = "saved"
    except LockLost:
        report["save_without_lock"] = "refused"
    # Longer than a lease after A took the lock: A's renewals keep it.
    time.sleep(lease * 1.5)
    try:
        acquire_lock(factory, NUMBER, actor, lease=lease)
        report["after_a_lease"] = "locked"
    except CustomerLocked as exc:
        report["after_a_lease"] = exc.holder.user
    out.put(("B", "report", report))
    killed.wait(120)
    start = time.monotonic()
    refused = 0
    while time.monotonic() - start < lease * 5:
        try:
            lock = acquire_lock(factory, NUMBER, actor, lease=lease)
            out.put(("B", "locked", (time.monotonic() - start, refused, lock.user)))
            return
        except CustomerLocked:
            refused += 1
            time.sleep(POLL)
    out.put(("B", "gave up", (time.monotonic() - start, refused, "")))


def test_killed_holder_frees_the_lock_within_its_lease(
    db_url: str, uow_factory: UnitOfWorkFactory
) -> None:
    create_customer(uow_factory, from_document(example_document()), Actor("zhangsan"))
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    killed = ctx.Event()
    a = ctx.Process(target=_process_a, args=(db_url, LEASE, out))
    a.start()
    b: Any = None
    try:
        assert out.get(timeout=60)[:2] == ("A", "locked")
        b = ctx.Process(target=_process_b, args=(db_url, LEASE, out, killed))
        b.start()
        who, what, report = out.get(timeout=60)
        assert (who, what) == ("B", "report")
        assert report["first"] == (
            f"客户 {NUMBER} 正在被用户 user_a 处理",
            f"Customer {NUMBER} is being processed by user user_a",
        )
        assert report["displayed"] == "东宁广告有限公司"
        assert report["save_without_lock"] == "refused"
        assert report["after_a_lease"] == "user_a"  # renewed past its lease
        a.kill()  # SIGKILL: no release, no clean-up
        a.join(timeout=30)
        killed.set()
        who, what, (elapsed, refused, user) = out.get(timeout=60)
        assert (who, what, user) == ("B", "locked", "user_b")
        # not at once: the lease A renewed last was still running ...
        assert refused >= 1
        # ... and B got the lock as soon as it ran out
        assert elapsed <= LEASE + 1.0, elapsed
        print(
            f"\nB locked {elapsed:.2f} s after A was killed (lease {LEASE} s, {refused} refusals)"
        )
    finally:
        for p in (a, b):
            if p is not None and p.is_alive():
                p.kill()
                p.join(timeout=30)
