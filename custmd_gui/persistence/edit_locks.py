"""Edit locks in the database (table edit_lock): take one, or take over a lapsed one, in one
statement; renew, release and look one up. The rules live in services.locks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, delete, select, update
from sqlalchemy.orm import Session

from custmd_gui.persistence.dbtime import as_utc, db_now
from custmd_gui.persistence.tables import EditLock

T = cast(Table, EditLock.__table__)

# The object class of a customer, as in change documents (CDHDR-OBJECTCLAS).
CUSTOMER = "DEBI"


@dataclass(frozen=True, slots=True)
class LockRecord:
    """A stored lock as read, with whether its lease had run out by the database's clock."""

    number: str
    token: uuid.UUID
    user: str
    client_session: str
    host: str
    pid: int
    origin: str
    acquired_at: datetime
    renewed_at: datetime
    expires_at: datetime
    expired: bool


class LockRepository:
    def __init__(self, session: Session, object_class: str = CUSTOMER) -> None:
        self.session = session
        self.object_class = object_class

    def _is(self, number: str) -> Any:
        return and_(T.c.objectclas == self.object_class, T.c.objectid == number)

    def take(
        self,
        number: str,
        token: uuid.UUID,
        user: str,
        *,
        client_session: str,
        host: str,
        pid: int,
        origin: str,
        lease: float,
    ) -> LockRecord:
        """Take over the stored lock on `number` if its lease has run out, or else insert one
        for `token`; either way return the lock that now stands (the caller's if it holds
        `token`).

        Two statements, not one INSERT ... ON CONFLICT DO UPDATE: on PostgreSQL row-level
        security (migration 0010) checks the UPDATE policy against the existing row of an
        ON CONFLICT DO UPDATE before its WHERE, so a live lock of another user would raise
        an error instead of refusing quietly. A plain UPDATE skips the rows the policy hides.
        Two takers still cannot both win: the UPDATE row-locks a lapsed lock and the loser,
        once the winner commits, finds it no longer lapsed; an INSERT racing another waits
        on the primary key and then does nothing."""
        holder = {
            "token": token,
            "username": user,
            "client_session": client_session,
            "host": host,
            "pid": pid,
            "origin": origin,
            "acquired_at": db_now(),
            "renewed_at": db_now(),
            "expires_at": db_now(lease),
        }
        # Three rounds at most: a lock released between our INSERT and our read is gone when
        # we look, and the next round takes it.
        for _ in range(3):
            taken = self.session.execute(
                update(T).where(self._is(number), T.c.expires_at <= db_now()).values(holder)
            )
            if getattr(taken, "rowcount", 0) != 1:
                self.session.execute(self._insert(number, holder))
            record = self.get(number)
            if record is not None:
                return record
        raise RuntimeError(f"lock on {number} taken and released over and over")  # pragma: no cover

    def _insert(self, number: str, holder: dict[str, Any]) -> Any:
        """INSERT ... ON CONFLICT DO NOTHING (a lock standing there stays)."""
        # The dialects' INSERT constructs, imported only to take a lock (they are not small).
        from sqlalchemy.dialects import postgresql, sqlite

        values = {"objectclas": self.object_class, "objectid": number, **holder}
        dialect = self.session.get_bind().dialect.name
        if dialect == "postgresql":
            return postgresql.insert(T).values(values).on_conflict_do_nothing()
        if dialect == "sqlite":
            return sqlite.insert(T).values(values).on_conflict_do_nothing()
        raise NotImplementedError(dialect)  # pragma: no cover - the two supported databases

    def _select(self) -> Any:
        return select(T, (T.c.expires_at <= db_now()).label("expired"))

    @staticmethod
    def _record(row: Any) -> LockRecord:
        return LockRecord(
            number=row.objectid,
            token=row.token,
            user=row.username,
            client_session=row.client_session,
            host=row.host,
            pid=row.pid,
            origin=row.origin,
            acquired_at=as_utc(row.acquired_at),
            renewed_at=as_utc(row.renewed_at),
            expires_at=as_utc(row.expires_at),
            expired=bool(row.expired),
        )

    def get(self, number: str) -> LockRecord | None:
        """The stored lock on `number`, lapsed or not."""
        row = self.session.execute(self._select().where(self._is(number))).one_or_none()
        return None if row is None else self._record(row)

    def renew(
        self, number: str, token: uuid.UUID, lease: float, *, user: str | None = None
    ) -> bool:
        """Extend the lease of the lock `token` holds (also a lapsed one nobody took over);
        False when the token no longer holds it. The UPDATE also row-locks the lock until the
        transaction ends, so no one can take it over meanwhile."""
        cond = and_(self._is(number), T.c.token == token)
        if user is not None:
            cond = and_(cond, T.c.username == user)
        result = self.session.execute(
            update(T).where(cond).values(renewed_at=db_now(), expires_at=db_now(lease))
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    def release(self, number: str, token: uuid.UUID) -> bool:
        """Delete the lock `token` holds; False when it holds none (lapsed and taken over,
        or released before)."""
        result = self.session.execute(delete(T).where(self._is(number), T.c.token == token))
        return bool(getattr(result, "rowcount", 0) == 1)

    def active(self) -> list[LockRecord]:
        """Every lock whose lease has not run out, by object number (an SM12-like list)."""
        rows = self.session.execute(
            self._select()
            .where(T.c.objectclas == self.object_class, T.c.expires_at > db_now())
            .order_by(T.c.objectid)
        )
        return [self._record(r) for r in rows]
