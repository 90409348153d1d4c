"""Internal numbers: drawn one at a time for a create, or in blocks for an offline device."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    cast,
    func,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from custmd_gui.persistence.tables import (
    Kna1,
    NumberBlock,
    NumberRangeRow,
)


class NumberRangeRepository:
    """Internal numbers. On PostgreSQL only the server's functions draw them (migration 0012:
    nobody but the administrator updates nriv); on a local file the same steps run here."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def _on_server(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def draw(self, range_id: str) -> int:
        """The next internal number that no customer holds (a range set back by hand skips
        the numbers in use instead of failing every create). The update locks the range row
        until the transaction ends, so concurrent creators queue and a rolled-back create
        gives its number back. LookupError: no such internal range, or exhausted."""
        if self._on_server:
            level = self.session.scalar(text("SELECT custmd_draw_number(:r)"), {"r": range_id})
            if level is None:
                raise LookupError(range_id)
            return int(level)
        while True:
            row = self.session.execute(
                update(NumberRangeRow)
                .where(NumberRangeRow.nrrangenr == range_id)
                .where(NumberRangeRow.kind == "internal")
                .where(NumberRangeRow.nrlevel < cast(NumberRangeRow.tonumber, BigInteger))
                .values(nrlevel=NumberRangeRow.nrlevel + 1)
                .returning(NumberRangeRow.nrlevel, NumberRangeRow.fromnumber)
            ).one_or_none()
            if row is None:
                raise LookupError(range_id)
            level, number = int(row[0]), str(row[0]).zfill(len(row[1]))
            if self.session.scalar(select(Kna1.kunnr).where(Kna1.kunnr == number)) is None:
                return level

    def draw_many(self, range_id: str, count: int) -> list[int]:
        """`count` next internal numbers (as `draw`, in one or two statements instead of two
        per number: an import's batch). LookupError when the range holds fewer."""
        if count <= 0:
            return []
        if self._on_server:
            levels = self.session.scalars(
                text("SELECT custmd_draw_number(:r) FROM generate_series(1, :n)"),
                {"r": range_id, "n": count},
            ).all()
            if any(level is None for level in levels):
                raise LookupError(range_id)
            return [int(level) for level in levels]
        drawn: list[int] = []
        while len(drawn) < count:
            need = count - len(drawn)
            row = self.session.execute(
                update(NumberRangeRow)
                .where(NumberRangeRow.nrrangenr == range_id)
                .where(NumberRangeRow.kind == "internal")
                .where(NumberRangeRow.nrlevel + need <= cast(NumberRangeRow.tonumber, BigInteger))
                .values(nrlevel=NumberRangeRow.nrlevel + need)
                .returning(NumberRangeRow.nrlevel, NumberRangeRow.fromnumber)
            ).one_or_none()
            if row is None:  # fewer than `need` left: one at a time up to the end
                drawn += [self.draw(range_id) for _ in range(need)]
                break
            last, width = int(row[0]), len(row[1])
            levels = range(last - need + 1, last + 1)
            taken = set(
                self.session.scalars(
                    select(Kna1.kunnr).where(Kna1.kunnr.in_([str(n).zfill(width) for n in levels]))
                )
            )
            drawn += [n for n in levels if str(n).zfill(width) not in taken]
        return drawn

    def adopt(self, range_id: str, level: int) -> None:
        """An imported customer keeps the internal number `level`: the range's level raised
        to it (never lowered), so that no later draw hands it out. LookupError: no such
        internal range, or the number outside it. On PostgreSQL through custmd_adopt_number
        (migration 0022)."""
        if self._on_server:
            found = self.session.scalar(
                text("SELECT custmd_adopt_number(:r, :n)"), {"r": range_id, "n": level}
            )
        else:
            found = self.session.execute(
                update(NumberRangeRow)
                .where(NumberRangeRow.nrrangenr == range_id)
                .where(NumberRangeRow.kind == "internal")
                .where(cast(NumberRangeRow.fromnumber, BigInteger) <= level)
                .where(cast(NumberRangeRow.tonumber, BigInteger) >= level)
                .values(nrlevel=func.max(NumberRangeRow.nrlevel, level))
                .returning(NumberRangeRow.nrlevel)
            ).one_or_none()
        if not found:
            raise LookupError(range_id)

    def highest_with_prefix(self, prefix: str, width: int = 10) -> str | None:
        """The highest stored customer number of `width` digits that starts with `prefix`
        (digits only; a whole number: itself if taken), None when there is none. On
        PostgreSQL through custmd_highest_number (migration 0014), which sees past row-level
        security: the number must be free even where the holder is hidden from the user."""
        if not (prefix.isascii() and prefix.isdigit() and len(prefix) <= width):
            raise ValueError(f"prefix must be at most {width} digits: {prefix!r}")
        if self._on_server:
            found = self.session.scalar(text("SELECT custmd_highest_number(:p)"), {"p": prefix})
            return str(found) if found else None
        # A range of the primary key, not LIKE: numbers of one length that start with the
        # prefix lie between it padded with 0s and with 9s, and the index finds the highest.
        numbers = self.session.scalars(
            select(Kna1.kunnr)
            .where(Kna1.kunnr.between(prefix.ljust(width, "0"), prefix.ljust(width, "9")))
            .where(func.length(Kna1.kunnr) == width)
            .order_by(Kna1.kunnr.desc())
        )
        return next((n for n in numbers if n.isdigit()), None)

    def level(self, range_id: str) -> int:
        return int(
            self.session.scalars(
                select(NumberRangeRow.nrlevel).where(NumberRangeRow.nrrangenr == range_id)
            ).one()
        )

    def reserve_block(
        self, range_id: str, device: str, size: int, now: datetime, user: str = ""
    ) -> NumberBlock:
        """Hand `size` consecutive numbers to one device; it numbers offline from them. On
        PostgreSQL the server records the block and whom it went to (the signed-in role)."""
        if self._on_server:
            row = self.session.execute(
                text("SELECT * FROM custmd_reserve_numbers(:r, :d, :n)"),
                {"r": range_id, "d": device, "n": size},
            ).one_or_none()
            if row is None:
                raise LookupError(range_id)
            return self.session.scalars(
                select(NumberBlock).where(
                    NumberBlock.nrrangenr == range_id,
                    NumberBlock.first_number == row.first_number,
                )
            ).one()
        last = self.session.execute(
            update(NumberRangeRow)
            .where(NumberRangeRow.nrrangenr == range_id)
            .where(NumberRangeRow.kind == "internal")
            .where(NumberRangeRow.nrlevel + size <= cast(NumberRangeRow.tonumber, BigInteger))
            .values(nrlevel=NumberRangeRow.nrlevel + size)
            .returning(NumberRangeRow.nrlevel)
        ).scalar_one_or_none()
        if last is None:
            raise LookupError(range_id)
        block = NumberBlock(
            nrrangenr=range_id,
            device=device,
            first_number=int(last) - size + 1,
            last_number=int(last),
            issued_at=now,
            issued_to=user,
        )
        self.session.add(block)
        self.session.flush()
        return block
