"""Edit locks of XD02: one session changes a customer at a time, everyone else may display it.

A lock is a row in the database with a lease (see persistence.edit_locks), not a lock held by
a database connection, because it has to:
- work the same on a SQLite file and on the PostgreSQL server (SQLite has no session locks);
- name its holder in the refusal (`客户 X 正在被用户 Y 处理`), which a PostgreSQL advisory
  lock cannot do without such a row anyway;
- outlive a dropped connection or a restarted pool (the app opens a connection per unit of
  work; an advisory lock would pin one connection per open XD02 screen), yet not a crash: a
  client renews its lease every RENEW_EVERY seconds, and a lease not renewed for
  DEFAULT_LEASE seconds may be taken over, so a killed client blocks no one for longer.
Leases are judged by the database's clock, never the clients'.

The same user in a second window is refused like anyone else, as in SAP: the lock belongs
to the window (its token), not to the user.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from types import TracebackType

from custmd_gui.catalog import Text
from custmd_gui.domain.errors import DomainError, Problem
from custmd_gui.persistence.edit_locks import LockRecord
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.authorization import authorize_change, check_visible
from custmd_gui.services.context import Actor
from custmd_gui.services.ports import UowFactory

log = logging.getLogger(__name__)

# Seconds a lock lives without renewal: a crashed client's lock lapses within this time.
DEFAULT_LEASE = 30.0
# How often a holder renews (a third of the lease: two renewals may fail before it lapses).
RENEW_EVERY = DEFAULT_LEASE / 3
# The longest lease allowed: the issue promises that a crashed client blocks for at most 60 s.
MAX_LEASE = 60.0

# One id per running application (all its windows share it; each lock has its own token).
_PROCESS_SESSION = uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class Client:
    """The running application that holds or asks for a lock: shown to whoever is refused
    and in the list of locks, never used to decide anything."""

    session: str
    host: str
    pid: int

    @classmethod
    def current(cls, session: str | None = None) -> Client:
        return cls(session or _PROCESS_SESSION, socket.gethostname(), os.getpid())


@dataclass(frozen=True, slots=True)
class EditLock:
    """A lock held: what the holder keeps to renew, save under and release."""

    number: str
    token: uuid.UUID
    user: str
    client: Client
    origin: str
    acquired_at: datetime
    expires_at: datetime
    lease: float

    @property
    def renew_every(self) -> float:
        """Seconds between renewals (a third of the lease)."""
        return self.lease / 3


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who holds the lock on a customer, for the refusal and the lock list."""

    number: str
    user: str
    host: str
    client_session: str
    pid: int
    origin: str
    since: datetime
    expires_at: datetime

    @classmethod
    def of(cls, record: LockRecord) -> LockHolder:
        return cls(
            record.number,
            record.user,
            record.host,
            record.client_session,
            record.pid,
            record.origin,
            record.acquired_at,
            record.expires_at,
        )

    @property
    def message(self) -> Text:
        return locked_text(self.number, self.user)


def locked_text(number: str, user: str) -> Text:
    """SAP's refusal when someone else (or the same user elsewhere) is changing a customer."""
    return Text(
        zh=f"客户 {number} 正在被用户 {user} 处理",
        en=f"Customer {number} is being processed by user {user}",
    )


class CustomerLocked(DomainError):
    """Another session holds the edit lock: the customer may be displayed, not changed."""

    def __init__(self, holder: LockHolder) -> None:
        self.holder = holder
        super().__init__([Problem("KNA1-KUNNR", "", holder.message)])


class LockLost(DomainError):
    """The caller does not (or no longer) hold the edit lock it names; nothing was written.
    `holder` is whoever holds it now, if anyone."""

    def __init__(self, number: str, message: Text, holder: LockHolder | None = None) -> None:
        self.number = number
        self.holder = holder
        super().__init__([Problem("KNA1-KUNNR", "", message)])


def _check_lease(lease: float) -> float:
    if not 0 < lease <= MAX_LEASE:
        raise ValueError(f"a lease lasts more than 0 and at most {MAX_LEASE:g} seconds: {lease}")
    return float(lease)


def acquire_lock(
    uow_factory: UowFactory,
    number: str,
    actor: Actor,
    client: Client | None = None,
    *,
    lease: float = DEFAULT_LEASE,
) -> EditLock:
    """Take the edit lock on a customer for changing it (XD02), or raise CustomerLocked
    naming the holder. A lock whose lease ran out is taken over. The actor needs some change
    permission (Forbidden) and must see the customer (NotFound otherwise)."""
    authorize_change(actor)
    lease = _check_lease(lease)
    client = client or Client.current()
    token = uuid.uuid4()
    with uow_factory(write=True) as uow:
        check_visible(uow, actor, number)
        record = uow.locks.take(
            number,
            token,
            actor.user,
            client_session=client.session,
            host=client.host,
            pid=client.pid,
            origin=actor.origin,
            lease=lease,
        )
        if record.token != token:
            raise CustomerLocked(LockHolder.of(record))
        uow.commit()
    log.info("edit lock on %s taken by %s (%s)", number, actor.user, client.host)
    return EditLock(
        number,
        token,
        actor.user,
        client,
        actor.origin,
        record.acquired_at,
        record.expires_at,
        lease,
    )


def _lost(uow: UnitOfWork, number: str) -> LockLost:
    record = uow.locks.get(number)
    if record is not None and not record.expired:
        holder = LockHolder.of(record)
        return LockLost(
            number,
            Text(
                zh=f"客户 {number} 的编辑锁已失效，现在正在被用户 {holder.user} 处理；"
                "未保存任何更改",
                en=f"Your edit lock on customer {number} has lapsed and user {holder.user} "
                "is processing it now; nothing was saved",
            ),
            holder,
        )
    return LockLost(
        number,
        Text(
            zh=f"客户 {number} 的编辑锁已释放或失效；未保存任何更改，请重新以更改模式打开",
            en=f"Your edit lock on customer {number} was released or has lapsed; nothing "
            "was saved, open the customer for change again",
        ),
    )


def confirm_lock(uow: UnitOfWork, lock: EditLock | None, number: str, actor: Actor) -> None:
    """Inside a writing unit of work: the actor holds the edit lock on `number`, renewed to a
    full lease and row-locked until the transaction ends (so no one takes it over while the
    change is written). Raises LockLost otherwise.

    A lock whose lease ran out but that nobody took over is still the holder's: a lapsed
    lease only lets others in, it does not throw away a clerk's work."""
    if lock is None or lock.number != number or lock.user != actor.user:
        raise LockLost(
            number,
            Text(
                zh=f"更改客户 {number} 需要先以更改模式打开它（获得编辑锁）",
                en=f"Open customer {number} for change first: a change needs its edit lock",
            ),
        )
    if not uow.locks.renew(number, lock.token, lock.lease, user=actor.user):
        raise _lost(uow, number)


def renew_lock(uow_factory: UowFactory, lock: EditLock) -> EditLock:
    """The heartbeat: extend the lease by a full lease from now (call every
    `lock.renew_every` seconds). Raises LockLost when the lock was taken over or released."""
    with uow_factory(write=True) as uow:
        if not uow.locks.renew(lock.number, lock.token, lock.lease):
            raise _lost(uow, lock.number)
        record = uow.locks.get(lock.number)
        uow.commit()
    assert record is not None
    return replace(lock, expires_at=record.expires_at)


def release_lock(uow_factory: UowFactory, lock: EditLock) -> bool:
    """Give the lock back (closing XD02, leaving the app). False if it was no longer held."""
    with uow_factory(write=True) as uow:
        released = uow.locks.release(lock.number, lock.token)
        uow.commit()
    if released:
        log.info("edit lock on %s released by %s", lock.number, lock.user)
    return released


def lock_holder(uow_factory: UowFactory, number: str) -> LockHolder | None:
    """Who is changing the customer now (None if no one): for XD03's status line."""
    with uow_factory() as uow:
        record = uow.locks.get(number)
    if record is None or record.expired:
        return None
    return LockHolder.of(record)


def active_locks(uow_factory: UowFactory) -> list[LockHolder]:
    """Every customer being changed now, by number (SAP's SM12)."""
    with uow_factory() as uow:
        return [LockHolder.of(r) for r in uow.locks.active()]


class LockKeeper:
    """Renews a lock from a background thread every `lock.renew_every` seconds until stopped;
    for clients without an event loop (scripts, workers, tests). The GUI renews from a QTimer
    on its own thread instead.

    A refusal (LockLost) ends the renewals and is kept in `lost` (and given to `on_lost`);
    any other failure (the server unreachable for a moment) is logged and retried at the
    next beat: the lease bridges two missed renewals."""

    def __init__(
        self,
        uow_factory: UowFactory,
        lock: EditLock,
        *,
        interval: float | None = None,
        on_lost: Callable[[LockLost], None] | None = None,
    ) -> None:
        self._factory = uow_factory
        self.lock = lock
        self.interval = interval if interval is not None else lock.renew_every
        self.lost: LockLost | None = None
        self._on_lost = on_lost
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"lock-keeper-{lock.number}", daemon=True
        )

    def start(self) -> LockKeeper:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.lock = renew_lock(self._factory, self.lock)
            except LockLost as exc:
                self.lost = exc
                if self._on_lost is not None:
                    self._on_lost(exc)
                return
            except Exception:  # the next beat tries again; the lease bridges the gap
                log.warning("renewing the edit lock on %s failed", self.lock.number, exc_info=True)

    def stop(self, *, release: bool = True) -> None:
        """End the renewals and, by default, release the lock."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if release and self.lost is None:
            release_lock(self._factory, self.lock)

    def __enter__(self) -> LockKeeper:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
