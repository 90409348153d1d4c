"""What a stored value of a catalog field reads as: a code with its text from the customizing
(payment terms `0001 立即支付`), a flag as 是/否, anything else as it is.

One mechanism for every field, driven by the field catalog: the field's type gives the text
(domain/field_types.py): a code of a value help reads in that code list (with the value of its
`value_help_parent` for a dependent list, such as the region of a country), a flag as Yes/No.
Change documents (XD04) use it; any screen or report that shows stored codes can.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from custmd_gui.catalog import Catalog, Text, catalog
from custmd_gui.domain import field_types
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.field_types import Context


@dataclass(frozen=True, slots=True)
class ValueText:
    """A stored value as a reader reads it, in either language."""

    value: str  # as stored; "" for none
    text: Text | None = None  # the code's text, or Yes/No of a flag; None: the value alone
    flag: bool = False  # a checkbox: its text alone reads it (是, not "X 是")
    # A code of a value-help field that the customizing does not hold (or no longer holds):
    # shown bare, as it was stored, so that history neither breaks nor lies.
    unknown: bool = False

    def get(self, lang: str) -> str:
        """`0001 立即支付`, `是`, `上海市长宁路…`; the bare code where there is no text."""
        if self.text is None:
            return self.value
        if self.flag:
            return self.text.get(lang)
        return f"{self.value} {self.text.get(lang)}"


EMPTY = ValueText("")


class ValueTexts:
    """Reads stored values of catalog fields against one customizing."""

    def __init__(self, customizing: Customizing, cat: Catalog | None = None) -> None:
        self.customizing = customizing
        self.catalog = cat or catalog()

    def parent_field(self, field_key: str) -> str | None:
        """The field whose value a dependent value help needs (KNA1-LAND1 for KNA1-REGIO)."""
        if field_key not in self.catalog:
            return None
        fd = self.catalog.field(field_key)
        lst = self.customizing.lists.get(fd.value_help or "")
        if fd.value_help_parent and (lst is None or lst.parent):
            return fd.value_help_parent
        return None

    def text(
        self, field_key: str, value: str | None, row: Mapping[str, str | None] | None = None
    ) -> ValueText:
        """`value` of field `field_key` as it reads. None reads as empty; a flag's blank as No
        (a flag always holds a value). `row`: the other values of the same row by field key,
        for a dependent value help; where it lacks the parent's value, the code stays bare."""
        if value is None:
            return EMPTY
        if field_key not in self.catalog:
            return ValueText(value)
        fd = self.catalog.field(field_key)
        ftype = field_types.of(fd)
        if ftype.checkbox:
            text = ftype.value_text(fd, value)
            return ValueText(value) if text is None else ValueText(value, text, flag=True)
        if not value or not fd.value_help:
            return ValueText(value)
        parent = ""
        if (parent_key := self.parent_field(field_key)) is not None:
            parent = (row or {}).get(parent_key) or ""
            if not parent:
                return ValueText(value)  # which country's region? Not known: the code alone.
        text = ftype.value_text(fd, value, Context(self.customizing, parent=parent))
        return ValueText(value, unknown=True) if text is None else ValueText(value, text)
