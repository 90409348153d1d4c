"""Which customers a push leaves on the server exactly as the replica holds them, so that the
pull after it need not bring them back (issue 19: a sync of 1,000 operations at 100,000
customers; read back, a pushed customer's rows cost the server a visibility check each, some
sixty of them in the list's search index alone, and the replica a delete and an insert).

A customer is mirrored when the server had not changed it since the replica's position (the
snapshot of its last pull) when the push locked it, other than by earlier batches of the same
push, and every operation of the push on it applied whole (no conflict, no refusal): the
server then holds the replica's state plus what the replica itself did, which is the
replica's state. Only the version and the time of change differ (the server counts its own
saves), and the pull copies those. The customer stays mirrored while the change feed still
names the push's transaction as its last change: anyone writing it after the push makes
the pull copy it whole as usual. Creates and extensions are never mirrored (the server
numbers, indexes and checks them on its own), nor is anything on SQLite or when a batch
rolled back part of its work (its locks went, and with them the certainty)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.orm import Session


@dataclass
class Mirror:
    """One push's account of the customers it mirrored (see the module)."""

    position: str  # the replica's snapshot ("" for a replica never synced: nothing mirrored)
    ours: list[int] = field(default_factory=list)  # this push's committed transactions
    spoiled: set[str] = field(default_factory=set)  # an operation not applied whole
    mirrored: dict[str, int] = field(default_factory=dict)  # number -> our last transaction

    def unchanged(self, session: Session, numbers: list[str]) -> set[str]:
        """Of `numbers`, just locked for update by a batch, those the server has not changed
        since the replica's position but by this push."""
        if not numbers or not self.position or session.get_bind().dialect.name != "postgresql":
            return set()
        found = session.scalars(
            text(
                "SELECT kunnr FROM change_feed WHERE kunnr = ANY(CAST(:numbers AS text[])) "
                "AND (pg_visible_in_snapshot(xid::text::xid8, CAST(:position AS pg_snapshot)) "
                "OR xid = ANY(CAST(:ours AS bigint[])))"
            ),
            {"numbers": numbers, "position": self.position, "ours": self.ours},
        )
        return set(found) - self.spoiled

    def transaction(self, session: Session) -> int | None:
        """The id of the batch's transaction, read just before its COMMIT."""
        if session.get_bind().dialect.name != "postgresql":
            return None
        return int(session.scalar(text("SELECT pg_current_xact_id()::text::bigint")) or 0)

    def committed(self, xid: int | None, clean: set[str]) -> None:
        """A batch committed as transaction `xid`, leaving `clean` as the replica holds them."""
        if xid is None:
            return
        self.ours.append(xid)
        for number in clean - self.spoiled:
            self.mirrored[number] = xid

    def spoil(self, number: str) -> None:
        self.spoiled.add(number)
        self.mirrored.pop(number, None)
