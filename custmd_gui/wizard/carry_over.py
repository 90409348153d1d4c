"""Correcting the initial screen keeps the typing: what goes where under the new keys.

Going back to the initial screen (F3/Esc) parks what the clerk typed on the data screens: the
document's differences from what the screens showed when they opened (proposals, copied and
stored values are not typing; the new keys propose their own). Enter with corrected keys puts
the typing back wherever its keys still apply:

- general data (KNA1, bank details): the same customer, i.e. the same number (or both left to
  the number range) and, as before, a new customer or the same stored one;
- company-code data: the same customer and company code;
- sales-area data (sales, shipping, billing, partners): the same customer and sales area.

Only the company code changed: the sales-area data still apply (they are keyed by the sales
area alone; the checks say if the sales area and the company code do not fit together), the
company-code data were typed for the old company code and are offered for the new one. Typing
whose key changed is offered to be taken over ("movable"); typing the new keys do not show as
changeable (a segment left empty on the initial screen, a field the account group hides, the
stored general data of an existing customer) cannot be placed ("lost"). Either way the window
asks before anything is discarded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from custmd_gui.catalog import Catalog
from custmd_gui.domain.field_status import FieldStatus
from custmd_gui.wizard.document import Document
from custmd_gui.wizard.initial import Keys
from custmd_gui.wizard.screens import GRID_SCREENS, SCREEN_SEGMENT

CHANGEABLE = (FieldStatus.REQUIRED, FieldStatus.OPTIONAL)


@dataclass(frozen=True)
class Parked:
    """The typing of the data screens while the initial screen is corrected."""

    keys: Keys
    typed: Document


@dataclass(frozen=True)
class Move:
    """Typing of one segment whose key changed: (segment, old key, new key, field keys)."""

    segment: str  # general, company_code, sales_area
    old: str
    new: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class CarryOver:
    kept: Document = field(default_factory=dict)  # keys still apply: put back unasked
    movable: Document = field(default_factory=dict)  # key changed: taken over if the clerk says so
    moves: tuple[Move, ...] = ()
    lost: tuple[str, ...] = ()  # field keys and tables the new keys do not show as changeable

    @property
    def asks(self) -> bool:
        """Whether something would be discarded without the clerk's word."""
        return bool(self.movable or self.lost)

    def document(self, take_over: bool) -> Document:
        """The typing to put on the new screens."""
        return {**self.kept, **(self.movable if take_over else {})}


def typed(document: Mapping[str, object], snapshot: Mapping[str, object]) -> Document:
    """The document's values that differ from what the screens showed when they opened."""
    return {
        key: value
        for key, value in document.items()
        if value != snapshot.get(key) and (key in snapshot or value not in ("", [], False))
    }


def screen_of(cat: Catalog, key: str) -> str:
    """The data screen of a field key or a grid table."""
    if key in GRID_SCREENS:
        return GRID_SCREENS[key]
    return cat.groups[cat.field(key).field_group].screen


def _changeable(
    cat: Catalog, key: str, statuses: Mapping[str, FieldStatus], active: list[str]
) -> bool:
    if screen_of(cat, key) not in active:
        return False
    columns = [fd.key for fd in cat.table(key)] if key in GRID_SCREENS else [key]
    return any(statuses.get(k) in CHANGEABLE for k in columns)


def _segment_key(keys: Keys, segment: str) -> str:
    if segment == "company_code":
        return keys.company_code
    if segment == "sales_area":
        return keys.sales_area_key
    return keys.number


def carry_over(
    cat: Catalog,
    parked: Parked | None,
    new: Keys,
    statuses: Mapping[str, FieldStatus],
    active: list[str],
) -> CarryOver:
    """Where the parked typing goes under the new keys (their field status and screens)."""
    if parked is None or not parked.typed:
        return CarryOver()
    old = parked.keys
    same_customer = old.number == new.number and (old.extending is None) == (new.extending is None)
    kept: Document = {}
    movable: Document = {}
    moving: dict[str, list[str]] = {}
    lost: list[str] = []
    for key, value in parked.typed.items():
        if not _changeable(cat, key, statuses, active):
            lost.append(key)
            continue
        segment = SCREEN_SEGMENT[screen_of(cat, key)]
        if same_customer and _segment_key(old, segment) == _segment_key(new, segment):
            kept[key] = value
            continue
        movable[key] = value
        # A different customer moves all its typing; else the segment whose key changed.
        moving.setdefault("general" if not same_customer else segment, []).append(key)
    moves = tuple(
        Move(segment, _segment_key(old, segment), _segment_key(new, segment), tuple(keys))
        for segment, keys in moving.items()
    )
    return CarryOver(kept, movable, moves, tuple(lost))
