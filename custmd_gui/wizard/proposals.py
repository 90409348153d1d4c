"""Proposals on the wizard's screens: applied when XD01 opens a new customer's screens (and
on the initial screen), derived while typing, and which fields still hold a proposal the
clerk has not touched (the window marks those).

A proposal or a derived value only ever fills a field that is empty or still holds an
untouched proposal: what the clerk typed is never overwritten. XD02 and XD03 propose nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from custmd_gui.catalog import Catalog
from custmd_gui.domain.customizing import Customizing, CustomizingError
from custmd_gui.domain.field_status import FieldStatus
from custmd_gui.domain.proposals import (
    FieldProposal,
    customizing_proposals,
    derived_values,
    field_proposals,
    organisation_proposals,
)
from custmd_gui.wizard.document import Document
from custmd_gui.wizard.initial import Keys

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory
    from custmd_gui.services.proposals import UserOrganisation

Cell = tuple[str, int, str]  # (grid table, row, field name)
_SEGMENT_OF_TABLE = {"KNA1": "general", "KNB1": "company_code", "KNVV": "sales_area"}
_GRID_TABLES = ("KNBK", "KNVI", "KNVP")
_CLOSED = (FieldStatus.SUPPRESSED, FieldStatus.DISPLAY)


def _empty(value: object) -> bool:
    return value is None or value == ""


@dataclass
class Changes:
    """What a proposal or derivation put into the document, for the window to show."""

    fields: dict[str, str] = field(default_factory=dict)
    cells: dict[Cell, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.fields or self.cells)


class WizardProposals:
    """One wizard session's proposals and the fields still holding them."""

    def __init__(
        self,
        uow_factory: UowFactory,
        customizing: Customizing,
        actor: Actor,
        cat: Catalog,
    ) -> None:
        self.factory = uow_factory
        self.customizing = customizing
        self.actor = actor
        self.catalog = cat
        try:
            self.entries: list[FieldProposal] = field_proposals(customizing, cat)
        except CustomizingError:
            # A database whose proposals an administrator broke: no proposals, no crash (the
            # shipped ones are checked when they are loaded).
            self.entries = []
        self._organisation: UserOrganisation | None = None
        self._numbers: dict[tuple[str, str], str] = {}
        self.fields: dict[str, str] = {}  # data-screen field key -> value proposed
        self.cells: dict[Cell, str] = {}
        self.derived: set[str] = set()  # the fields of `fields` derived from others
        self.typed: set[str] = set()  # typed into by the clerk: never derived into again
        self.typed_cells: set[Cell] = set()
        self.initial: dict[str, str] = {}  # initial-screen field key -> value proposed
        # Fields nobody types into (suppressed, display): nothing is derived into them.
        self.closed: frozenset[str] = frozenset()
        self.company_code = ""  # the new company code segment's: a new bank row's bank key

    # -- the user's organisation (read once per window) ------------------------------------

    @property
    def organisation(self) -> UserOrganisation:
        if self._organisation is None:
            from custmd_gui.services.proposals import user_organisation

            self._organisation = user_organisation(self.factory, self.actor, self.customizing)
        return self._organisation

    def reset(self) -> None:
        """Back to the initial screen: the data screens' proposals go; the next number is
        asked for again (it may have been used meanwhile)."""
        self.fields = {}
        self.cells = {}
        self.derived = set()
        self.typed = set()
        self.typed_cells = set()
        self._numbers = {}
        self.closed = frozenset()

    # -- the initial screen ----------------------------------------------------------------

    def initial_values(self, values: Mapping[str, str], *, stored: bool) -> dict[str, str]:
        """What to put on the initial screen now: the user's only company code and sales
        area, and for an account group numbered externally by SD02 the next free number of
        the user's responsibility center. Fills empty fields and untouched proposals only;
        a proposed number goes again when the group typed numbers internally."""
        if stored:
            return {}
        org = self.organisation
        wanted: dict[str, str] = {}
        if org.company_code:
            wanted["KNB1-BUKRS"] = org.company_code
        if org.sales_area is not None:
            wanted.update(
                zip(("KNVV-VKORG", "KNVV-VTWEG", "KNVV-SPART"), org.sales_area, strict=True)
            )
        number = self._number_for(values)
        if number is not None:
            wanted["KNA1-KUNNR"] = number
        out: dict[str, str] = {}
        for key, value in wanted.items():
            current = values.get(key, "")
            if current == value:
                continue
            if _empty(current) or self.initial.get(key) == current:
                out[key] = value
                if value:
                    self.initial[key] = value
                else:
                    self.initial.pop(key, None)
        return out

    def _number_for(self, values: Mapping[str, str]) -> str | None:
        """The number to propose for the account group typed ("" = take a proposal back),
        None when there is nothing to say (no group yet, no responsibility center)."""
        group = values.get("KNA1-KTOKD", "").upper()
        rng = self.customizing.number_range_of(group)
        center = self.organisation.responsibility_center
        if rng is None or not center:
            return None
        if rng.internal or rng.rule != "sd02":
            return ""
        company_code = values.get("KNB1-BUKRS", "").upper()
        if company_code and not self.customizing.has("company_codes", company_code):
            company_code = ""
        cache = (center, company_code)
        if cache not in self._numbers:
            from custmd_gui.services.proposals import next_external_number

            self._numbers[cache] = next_external_number(
                self.factory, self.customizing, center, company_code
            )
        return self._numbers[cache]

    def initial_proposed(self, key: str, values: Mapping[str, str]) -> bool:
        return key in self.initial and values.get(key, "") == self.initial[key]

    def initial_touched(self, key: str) -> None:
        self.initial.pop(key, None)

    # -- the data screens ------------------------------------------------------------------

    def at_open(
        self,
        doc: Document,
        keys: Keys,
        statuses: Mapping[str, FieldStatus],
        *,
        reference: bool,
    ) -> Changes:
        """Put the proposals of the account group, the sales organization, the company code
        and the user's responsibility center into the new segments' empty fields."""
        self.reset()
        self.closed = frozenset(k for k, s in statuses.items() if s in _CLOSED)
        self.company_code = keys.company_code
        sales_org = keys.sales_area[0] if keys.sales_area else ""
        wanted = customizing_proposals(
            self.entries, keys.account_group, keys.company_code, sales_org
        )
        wanted.update(
            organisation_proposals(
                self.customizing,
                self.organisation.responsibility_center,
                general=keys.extending is None,
                company_code=keys.company_code,
                sales_org=sales_org,
            )
        )
        new = {"company_code": bool(keys.company_code), "sales_area": bool(keys.sales_area)}
        new["general"] = keys.extending is None
        changes = Changes()
        for key, value in wanted.items():
            table = key.split("-", 1)[0]
            if key in self.closed:
                continue
            if table in _GRID_TABLES:
                if table == "KNVI" and new["sales_area"]:
                    self._fill_column(doc, key, value, changes)
                continue
            if not new.get(_SEGMENT_OF_TABLE.get(table, ""), False):
                continue
            if _empty(doc.get(key)):  # a new customer's document holds only what is filled
                doc[key] = value
                self.fields[key] = value
                changes.fields[key] = value
        if not reference:
            # What prefill proposes for a new segment (country, language, the group's
            # reconciliation account) is a proposal too, marked as such.
            prefilled = ["KNA1-LAND1", "KNA1-SPRAS"] if new["general"] else []
            prefilled += ["KNB1-AKONT"] if new["company_code"] else []
            for key in prefilled:
                if key not in self.closed and not _empty(doc.get(key)):
                    self.fields.setdefault(key, str(doc[key]))
        if new["sales_area"] and not reference:
            # The tax lines the wizard proposes carry the customer's country until typed over.
            fd_name = self.catalog.field("KNVI-ALAND").name
            for i, row in enumerate(doc.get("KNVI", [])):
                self.cells[("KNVI", i, fd_name)] = str(row.get(fd_name, ""))
        derived = self.derive(doc)
        changes.fields.update(derived.fields)
        changes.cells.update(derived.cells)
        return changes

    def _fill_column(self, doc: Document, key: str, value: str, changes: Changes) -> None:
        table = key.split("-", 1)[0]
        name = self.catalog.field(key).name
        for i, row in enumerate(doc.get(table, [])):
            if _empty(row.get(name)):
                row[name] = value
                self.cells[(table, i, name)] = value
                changes.cells[(table, i, name)] = value

    def is_proposed(self, key: str, doc: Mapping[str, Any]) -> bool:
        """Whether the field still holds the value proposed (or derived) for it."""
        return key in self.fields and doc.get(key, "") == self.fields[key]

    def cell_proposed(self, cell: Cell, doc: Mapping[str, Any]) -> bool:
        table, row, name = cell
        rows = doc.get(table, [])
        return (
            cell in self.cells
            and row < len(rows)
            and str(rows[row].get(name, "")) == self.cells[cell]
        )

    def touched(self, key: str) -> None:
        """The clerk typed into the field: it is the clerk's value from now on."""
        self.fields.pop(key, None)
        self.derived.discard(key)
        self.typed.add(key)

    def cell_touched(self, cell: Cell) -> None:
        self.cells.pop(cell, None)
        self.typed_cells.add(cell)

    def forget_changed(self, doc: Mapping[str, Any]) -> None:
        """Fields whose value is no longer the one proposed were typed over."""
        self.fields = {k: v for k, v in self.fields.items() if doc.get(k, "") == v}
        self.derived &= set(self.fields)
        self.cells = {c: v for c, v in self.cells.items() if self.cell_proposed(c, doc)}

    def derive(self, doc: Document) -> Changes:
        """The values derived from what the document holds now, put into the fields that
        are empty or still hold an untouched proposal (never over the clerk's typing)."""
        self.forget_changed(doc)
        changes = Changes()
        derived = derived_values(doc)
        for key in [k for k in self.derived if k not in derived and k in self.fields]:
            # The source no longer gives it (a postal code typed on): take it back.
            doc[key] = ""
            del self.fields[key]
            self.derived.discard(key)
            changes.fields[key] = ""
        for key, value in derived.items():
            if key not in doc or key in self.closed or key in self.typed or doc[key] == value:
                continue
            if _empty(doc[key]) or key in self.fields:
                doc[key] = value
                self.fields[key] = value
                self.derived.add(key)
                changes.fields[key] = value
        country = str(doc.get("KNA1-LAND1", "") or "")
        if country:
            self._derive_cells(doc, "KNBK-BANKS", country, changes)
            self._derive_cells(doc, "KNVI-ALAND", country, changes)
        if self.company_code:
            self._derive_cells(doc, "KNBK-BANKL", self.company_code, changes)
        return changes

    def _derive_cells(self, doc: Document, key: str, value: str, changes: Changes) -> None:
        """A bank row gets the customer's country and the branch's bank key (SD02:
        银行码输入分公司代码), a tax line the customer's country: into empty cells of filled
        rows and cells still holding a proposal, never a cell the clerk typed into."""
        if key in self.closed:
            return
        table = key.split("-", 1)[0]
        name = self.catalog.field(key).name
        for i, row in enumerate(doc.get(table, [])):
            cell = (table, i, name)
            current = str(row.get(name, "") or "")
            if current == value or cell in self.typed_cells:
                continue
            if _empty(current) or cell in self.cells:
                row[name] = value
                self.cells[cell] = value
                changes.cells[cell] = value
