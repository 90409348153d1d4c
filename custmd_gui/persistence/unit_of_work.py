"""The unit of work: one transaction, rolled back unless the caller commits."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from custmd_gui.persistence.engine import WRITE_OPTION

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.domain.model import Customer
    from custmd_gui.persistence.change_documents import ChangeDocumentRepository
    from custmd_gui.persistence.edit_locks import LockRepository
    from custmd_gui.persistence.find_index import FindIndex
    from custmd_gui.persistence.number_ranges import NumberRangeRepository
    from custmd_gui.persistence.repository import CustomerRepository, CustomizingRepository
    from custmd_gui.persistence.requests import RequestRepository
    from custmd_gui.persistence.search_index import SearchIndex
    from custmd_gui.persistence.usage_register import UsageRepository
    from custmd_gui.persistence.users import UserRepository


class UnitOfWork:
    customers: CustomerRepository
    numbers: NumberRangeRepository
    changes: ChangeDocumentRepository
    customizing: CustomizingRepository
    search: SearchIndex
    find: FindIndex
    locks: LockRepository
    usage: UsageRepository
    users: UserRepository
    requests: RequestRepository

    def __init__(self, engine: Engine, *, write: bool = False) -> None:
        self.write = write
        # Customers whose search tokens services.search.reindex keeps back to write them
        # together (a batch of the offline push); None: written at once.
        self.deferred_index: dict[str, Customer] | None = None
        # Customers as the list's search index holds them now (a batch read them for update):
        # their tokens are rewritten from the difference, without reading the index first.
        self.indexed: dict[str, Customer] = {}
        bind = engine.execution_options(**{WRITE_OPTION: True}) if write else engine
        self._factory = sessionmaker(bind=bind, expire_on_commit=False)
        self._session: Session | None = None
        self._clock: tuple[datetime, float] | None = None  # see now()
        self.committed = False

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open")
        return self._session

    def __enter__(self) -> UnitOfWork:
        # Imported here: the repositories pull in the domain model (pydantic), which the
        # customer list, shown right after start-up, does not need.
        from custmd_gui.persistence.change_documents import ChangeDocumentRepository
        from custmd_gui.persistence.edit_locks import LockRepository
        from custmd_gui.persistence.find_index import FindIndex
        from custmd_gui.persistence.number_ranges import NumberRangeRepository
        from custmd_gui.persistence.repository import CustomerRepository, CustomizingRepository
        from custmd_gui.persistence.requests import RequestRepository
        from custmd_gui.persistence.search_index import SearchIndex
        from custmd_gui.persistence.usage_register import UsageRepository
        from custmd_gui.persistence.users import UserRepository

        self._session = self._factory()
        self._clock = None
        self.committed = False
        self.customers = CustomerRepository(self._session)
        self.numbers = NumberRangeRepository(self._session)
        self.changes = ChangeDocumentRepository(self._session)
        self.customizing = CustomizingRepository(self._session)
        self.search = SearchIndex(self._session)
        self.find = FindIndex(self._session)
        self.locks = LockRepository(self._session)
        self.usage = UsageRepository(self._session)
        self.users = UserRepository(self._session)
        self.requests = RequestRepository(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Rolls back what was not committed. A lock or busy timeout, a statement the server
        cancelled, a transaction it ended (the client stood still inside it), a serialization
        failure or deadlock becomes DatabaseBusy, a refusal of the shared server (its grants,
        row-level security, checks) ServerRefused (persistence.db_errors), raised from the
        driver's error: every caller gets a clear message instead of a traceback."""
        session = self.session
        try:
            if not self.committed:
                session.rollback()
        except Exception as failed:
            # A connection the server has closed cannot roll back (the server did): the
            # error that ended the work is the one to report.
            if exc is None or _user_error(exc, self.write) is None:
                raise
            log.debug("rollback after %s failed: %s", type(exc).__name__, failed)
        finally:
            session.close()
            self._session = None
        if exc is not None:
            error = _user_error(exc, self.write)
            if error is not None:
                raise error from exc

    def now(self) -> datetime:
        """The current time by the database's clock (UTC): what change documents carry, so
        that documents written from machines with different clocks still sort as they
        happened. Read from the database once per unit of work and carried on by this
        machine's monotonic clock: a batch of a thousand changes (the offline push) would
        otherwise wait for a thousand round trips, and the two clocks part by microseconds
        in the seconds a unit of work lasts."""
        from custmd_gui.persistence.dbtime import current_time

        if self._clock is None:
            self._clock = (current_time(self.session), time.monotonic())
        read, at = self._clock
        return read + timedelta(seconds=time.monotonic() - at)

    def commit(self) -> None:
        self.changes.flush_pending()
        self.session.commit()
        self.committed = True

    def rollback(self) -> None:
        self.changes.drop_pending()
        self.session.rollback()


def _user_error(exc: BaseException, write: bool) -> DomainError | None:
    from custmd_gui.persistence.db_errors import database_error

    return database_error(exc, write=write)


class UnitOfWorkFactory:
    """Hands out units of work on one engine; what services receive."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self, *, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self.engine, write=write)
