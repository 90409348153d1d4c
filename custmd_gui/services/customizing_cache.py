"""The customizing a client's screens use, kept fresh without a restart: the database's
version counter (cust_version, raised by triggers at every customizing change, migration 0018)
is read at most every `interval` seconds, and the customizing reloaded when it moved. A new
screen asks for `current()`; the screens already open keep the copy they were built with."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from custmd_gui.domain.customizing import Customizing
from custmd_gui.persistence.customizing_store import CustomizingStore
from custmd_gui.services.ports import UowFactory

# Other clients of a shared server see a change within this many seconds (issue 21: a minute).
CHECK_INTERVAL = 30.0


class CustomizingCache:
    def __init__(
        self,
        uow_factory: UowFactory,
        *,
        interval: float = CHECK_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.uow_factory = uow_factory
        self.interval = interval
        self.clock = clock
        self._lock = threading.Lock()
        self._customizing: Customizing | None = None
        self._version = -1
        self._checked = float("-inf")
        self.loads = 0  # how often the customizing was read (tests, benchmarks)

    def current(self) -> Customizing:
        """The customizing, reloaded first if the interval has passed and it changed."""
        with self._lock:
            if self._customizing is None or self.clock() - self._checked >= self.interval:
                self._check()
            assert self._customizing is not None
            return self._customizing

    def refresh(self) -> Customizing:
        """Check now (after this client's own maintenance)."""
        with self._lock:
            self._check()
            assert self._customizing is not None
            return self._customizing

    @property
    def version(self) -> int:
        return self._version

    def _check(self) -> None:
        with self.uow_factory() as uow:
            version = CustomizingStore(uow.session).version()
            if self._customizing is None or version != self._version:
                # Read in the same transaction as the version: a change committed meanwhile
                # moves the counter again, and the next check reloads.
                self._customizing = uow.customizing.load()
                self._version = version
                self.loads += 1
        self._checked = self.clock()
