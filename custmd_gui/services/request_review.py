"""What the review screen of a maintenance request shows, read in one call: the request, its
fields as the request form lists them (services.request_form), for a change the stored
customer's fields beside them, and the duplicate check of the proposed data."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from custmd_gui.domain.requests import Request, RequestType
from custmd_gui.services.context import Actor
from custmd_gui.services.duplicates import DuplicateHit, find_duplicates
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.request_flow import load_request
from custmd_gui.services.request_form import FormSection, sections

# Types whose proposed data are compared with the stored customer, field by field.
COMPARED = frozenset({RequestType.CHANGE, RequestType.BLOCK, RequestType.DELETION_FLAG})


@dataclass(frozen=True, slots=True)
class ReviewLine:
    section: str
    key: str
    label: str
    proposed: str
    current: str | None  # None: nothing stored to compare with (a create, an extension)

    @property
    def changed(self) -> bool:
        return self.current is not None and self.current != self.proposed


@dataclass(frozen=True, slots=True)
class ReviewData:
    request: Request
    lines: tuple[ReviewLine, ...]
    duplicates: tuple[DuplicateHit, ...]
    compared: bool  # old vs new shown


Key = tuple[str, str, str]  # section, field key, label (a partner line is known by its label)


def _by_key(found: tuple[FormSection, ...]) -> dict[Key, str]:
    return {(s.title, line.key, line.label): line.value for s in found for line in s.lines}


def review_data(uow_factory: UowFactory, actor: Actor, number: str, lang: str = "zh") -> ReviewData:
    """The request `number` as its reviewer sees it (whoever may see the request)."""
    with uow_factory() as uow:
        request = load_request(uow, actor, number)
        customizing = uow.customizing.load()
        proposed = sections(request, customizing, lang)
        current: dict[Key, str] | None = None
        compared = request.type in COMPARED and bool(request.customer)
        if compared:
            stored = uow.customers.get(request.customer)
            if stored is not None:
                as_stored = dataclasses.replace(request, document=stored)
                current = _by_key(sections(as_stored, customizing, lang))
            else:
                compared = False
    new = _by_key(proposed)
    lines = [
        ReviewLine(*key, value, None if current is None else current.get(key, ""))
        for key, value in new.items()
    ]
    # a field the change empties: only the stored customer has it
    lines += [
        ReviewLine(*key, "", value) for key, value in (current or {}).items() if key not in new
    ]
    duplicates: list[DuplicateHit] = []
    if request.type is RequestType.CREATE:
        duplicates = find_duplicates(
            uow_factory, request.document, exclude=request.customer, actor=actor
        )
    return ReviewData(request, tuple(lines), tuple(duplicates), compared)
