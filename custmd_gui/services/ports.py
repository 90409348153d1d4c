"""What the services are given from outside: the source of units of work.

Calling convention: a use case that the windows, the wizard session or the CLI call takes a
`UowFactory` and opens its own unit of work (reading, or `write=True` for a transaction that
writes), so that the caller never holds a session. A function taking a `UnitOfWork` is a step
inside another service's transaction (reindex, write_change, check_visible, list_page, …).

Declared here rather than beside persistence's UnitOfWorkFactory: the windows and the wizard
type their factory with it and so depend on the services, not on persistence, and a test
may hand a service any callable of this shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from custmd_gui.persistence.unit_of_work import UnitOfWork


class UowFactory(Protocol):
    """Opens a unit of work; `write=True` for one that writes: SQLite takes the write lock
    at its start (two readers turning writers would deadlock), and a transaction the server
    ended is told as a save that wrote nothing."""

    def __call__(self, *, write: bool = False) -> UnitOfWork: ...
