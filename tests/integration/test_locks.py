"""Edit locks of XD02 on SQLite and PostgreSQL: one holder, a named refusal, leases."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from custmd_gui.domain.errors import NotFound
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.locks import (
    MAX_LEASE,
    Client,
    CustomerLocked,
    LockKeeper,
    LockLost,
    acquire_lock,
    active_locks,
    lock_holder,
    release_lock,
    renew_lock,
)
from tests.conftest import example_document

NUMBER = "2110380001"
ZHANG = Actor("zhangsan")
LI = Actor("lisi")


@pytest.fixture
def customer(uow_factory: UnitOfWorkFactory) -> str:
    return create_customer(uow_factory, from_document(example_document()), ZHANG).number


def test_second_user_is_refused_with_the_holders_name(
    uow_factory: UnitOfWorkFactory, customer: str
) -> None:
    lock = acquire_lock(uow_factory, customer, ZHANG, Client("window-1", "pc-zhang", 101))
    with pytest.raises(CustomerLocked) as err:
        acquire_lock(uow_factory, customer, LI, Client("window-9", "pc-li", 202))
    (problem,) = err.value.problems
    assert problem.field_key == "KNA1-KUNNR"
    assert problem.message.zh == f"客户 {NUMBER} 正在被用户 zhangsan 处理"
    assert problem.message.en == f"Customer {NUMBER} is being processed by user zhangsan"
    holder = err.value.holder
    assert (holder.user, holder.host, holder.client_session, holder.pid) == (
        "zhangsan",
        "pc-zhang",
        "window-1",
        101,
    )
    assert holder.since == lock.acquired_at
    # and the refused user may still display it
    assert read_customer(uow_factory, customer).number == NUMBER


def test_same_user_in_another_window_is_refused(
    uow_factory: UnitOfWorkFactory, customer: str
) -> None:
    acquire_lock(uow_factory, customer, ZHANG, Client("window-1", "pc", 1))
    with pytest.raises(CustomerLocked, match="is being processed by user zhangsan"):
        acquire_lock(uow_factory, customer, ZHANG, Client("window-2", "pc", 1))


def test_released_lock_is_free_at_once(uow_factory: UnitOfWorkFactory, customer: str) -> None:
    lock = acquire_lock(uow_factory, customer, ZHANG)
    assert release_lock(uow_factory, lock) is True
    assert release_lock(uow_factory, lock) is False  # twice is harmless
    other = acquire_lock(uow_factory, customer, LI)
    assert other.user == "lisi"
    assert lock_holder(uow_factory, customer) is not None


def test_lease_runs_by_the_database_clock(uow_factory: UnitOfWorkFactory, customer: str) -> None:
    lock = acquire_lock(uow_factory, customer, ZHANG, lease=20)
    assert lock.expires_at - lock.acquired_at == pytest.approx(
        timedelta(seconds=20), abs=timedelta(milliseconds=10)
    )
    assert lock.renew_every == pytest.approx(20 / 3)
    with uow_factory() as uow:
        now = uow.now()
    assert abs((lock.acquired_at - now).total_seconds()) < 5


def test_lapsed_lock_is_taken_over(uow_factory: UnitOfWorkFactory, customer: str) -> None:
    lock = acquire_lock(uow_factory, customer, ZHANG, lease=0.3)
    with pytest.raises(CustomerLocked):
        acquire_lock(uow_factory, customer, LI, lease=0.3)
    time.sleep(0.45)
    assert lock_holder(uow_factory, customer) is None  # lapsed: no one is changing it
    taken = acquire_lock(uow_factory, customer, LI)
    assert taken.user == "lisi"
    # the old holder learns it lost the lock, and to whom
    with pytest.raises(LockLost) as err:
        renew_lock(uow_factory, lock)
    assert err.value.holder is not None and err.value.holder.user == "lisi"
    assert "lisi" in err.value.problems[0].message.zh
    assert release_lock(uow_factory, lock) is False  # nor does it release the new holder's
    assert lock_holder(uow_factory, customer) is not None


def test_renewal_keeps_a_lock_past_its_lease(uow_factory: UnitOfWorkFactory, customer: str) -> None:
    lock = acquire_lock(uow_factory, customer, ZHANG, lease=0.6)
    for _ in range(4):
        time.sleep(0.25)
        lock = renew_lock(uow_factory, lock)
    # a second after taking it, with a 0.6 s lease: still held
    with pytest.raises(CustomerLocked):
        acquire_lock(uow_factory, customer, LI)


def test_lapsed_lock_nobody_took_is_still_the_holders(
    uow_factory: UnitOfWorkFactory, customer: str
) -> None:
    lock = acquire_lock(uow_factory, customer, ZHANG, lease=0.2)
    time.sleep(0.3)
    renewed = renew_lock(uow_factory, lock)
    assert renewed.expires_at > lock.expires_at
    with pytest.raises(CustomerLocked):
        acquire_lock(uow_factory, customer, LI)


def test_lock_of_a_missing_customer_is_refused(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(NotFound, match="does not exist"):
        acquire_lock(uow_factory, "2110389999", ZHANG)


@pytest.mark.parametrize("lease", [0, -1, MAX_LEASE + 1])
def test_lease_is_bounded(uow_factory: UnitOfWorkFactory, customer: str, lease: float) -> None:
    with pytest.raises(ValueError, match="at most 60"):
        acquire_lock(uow_factory, customer, ZHANG, lease=lease)


def test_active_locks_list_every_holder(uow_factory: UnitOfWorkFactory, customer: str) -> None:
    doc = example_document()
    doc["KNA1"]["KUNNR"] = "2110380002"
    for p in doc["KNVV"][0]["KNVP"]:
        p["KUNN2"] = "2110380002"
    second = create_customer(uow_factory, from_document(doc), ZHANG).number
    acquire_lock(uow_factory, second, LI)
    acquire_lock(uow_factory, customer, ZHANG)
    held = active_locks(uow_factory)
    assert [(h.number, h.user) for h in held] == [(customer, "zhangsan"), (second, "lisi")]


def test_keeper_renews_in_the_background_and_releases(
    uow_factory: UnitOfWorkFactory, customer: str
) -> None:
    lock = acquire_lock(uow_factory, customer, ZHANG, lease=0.6)
    with LockKeeper(uow_factory, lock, interval=0.15) as keeper:
        time.sleep(1.2)  # twice the lease
        with pytest.raises(CustomerLocked):
            acquire_lock(uow_factory, customer, LI)
        assert keeper.lock.expires_at > lock.expires_at
    assert keeper.lost is None
    assert lock_holder(uow_factory, customer) is None  # released on leaving


def test_keeper_reports_a_lost_lock(uow_factory: UnitOfWorkFactory, customer: str) -> None:
    lock = acquire_lock(uow_factory, customer, ZHANG, lease=0.2)
    lost: list[LockLost] = []
    keeper = LockKeeper(uow_factory, lock, interval=0.1, on_lost=lost.append)
    release_lock(uow_factory, lock)  # as if taken away
    keeper.start()
    time.sleep(0.4)
    keeper.stop()
    assert keeper.lost is not None and lost == [keeper.lost]
    assert "released or has lapsed" in keeper.lost.problems[0].message.en
