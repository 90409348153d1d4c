"""`custmd customer export --debmas FILE.xml`: customers as SAP DEBMAS07 IDocs in one XML file,
one IDoc per customer (segments and fields: services.transfer.debmas_definition).

Streamed like the other exports: the XML is written as text, customer by customer, into a
temporary file renamed when complete. Deterministic: the same customers give the same file
apart from the control records' CREDAT/CRETIM (the time of writing, `now`); DOCNUM counts
the IDocs of the file from 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO
from xml.sax.saxutils import escape

from custmd_gui.catalog import Catalog, catalog
from custmd_gui.domain.model import Customer, SalesAreaData
from custmd_gui.services.transfer.atomic import replacing
from custmd_gui.services.transfer.debmas_definition import (
    BASIC_TYPE,
    MESSAGE_TYPE,
    Segment,
    segments,
)


@dataclass(frozen=True, slots=True)
class Partners:
    """The control record's sender and receiver (logical systems, partner type LS)."""

    sender: str = "CUSTMD"
    receiver: str = "SAP"
    client: str = ""  # MANDT of the receiving client; empty: left out


def _value(model: Any, key: str, cat: Catalog) -> str:
    value = getattr(model, cat.field(key).name)
    if isinstance(value, bool):
        return "X" if value else ""
    return str(value)


class _Writer:
    def __init__(self, out: TextIO, msgfn: str, cat: Catalog) -> None:
        self.out = out
        self.msgfn = msgfn
        self.cat = cat
        self.defs = segments(cat)

    def fields(self, indent: str, values: Iterable[tuple[str, str]]) -> None:
        for name, value in values:
            if value:
                self.out.write(f"{indent}<{name}>{escape(value)}</{name}>\n")

    def segment(
        self,
        seg: Segment,
        indent: str,
        models: dict[str, Any],
        children: Callable[[str], None] | None = None,
    ) -> None:
        """One segment: MSGFN, its fields from `models` (table -> model part), then the
        segments `children` writes within it."""
        self.out.write(f'{indent}<{seg.name} SEGMENT="1">\n')
        inner = indent + "  "
        values = [("MSGFN", self.msgfn)]
        for element, key in seg.fields.items():
            if key:
                values.append((element, _value(models[key.split("-")[0]], key, self.cat)))
        self.fields(inner, values)
        if children is not None:
            children(inner)
        self.out.write(f"{indent}</{seg.name}>\n")

    def customer(self, customer: Customer) -> None:
        d = self.defs
        general = customer.general

        def within_general(indent: str) -> None:
            for area in customer.sales_areas:

                def partners(inner: str, area: SalesAreaData = area) -> None:
                    for partner in area.partners:
                        self.segment(d["E1KNVPM"], inner, {"KNVP": partner})

                self.segment(d["E1KNVVM"], indent, {"KNVV": area}, partners)
            seen: set[tuple[str, str]] = set()
            for area in customer.sales_areas:
                for tax in area.tax_classifications:
                    key = (tax.country, tax.tax_category)
                    if key not in seen:
                        seen.add(key)
                        self.segment(d["E1KNVIM"], indent, {"KNVI": tax})
            for bank in customer.bank_details:
                self.segment(d["E1KNBKM"], indent, {"KNBK": bank})
            for cc in customer.company_codes:
                # KNA1-ALTKN goes with each company code (MOVED in the definition).
                self.segment(d["E1KNB1M"], indent, {"KNB1": cc, "KNA1": general})

        self.segment(d["E1KNA1M"], "    ", {"KNA1": general}, within_general)


def write_debmas(
    customers: Iterable[Customer],
    path: Path,
    *,
    msgfn: str,
    now: datetime,
    partners: Partners | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write one IDoc per customer to `path`; returns how many. OSError when it cannot."""
    partners = partners or Partners()
    cat = catalog()
    count = 0
    with replacing(Path(path)) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(f"<{BASIC_TYPE}>\n")
        writer = _Writer(out, msgfn, cat)
        for customer in customers:
            count += 1
            out.write('  <IDOC BEGIN="1">\n')
            out.write('    <EDI_DC40 SEGMENT="1">\n')
            control = [
                ("TABNAM", "EDI_DC40"),
                ("MANDT", partners.client),
                ("DOCNUM", f"{count:016d}"),
                ("DIRECT", "2"),  # inbound, from the receiving SAP system's point of view
                ("IDOCTYP", BASIC_TYPE),
                ("MESTYP", MESSAGE_TYPE),
                ("SNDPOR", partners.sender),
                ("SNDPRT", "LS"),
                ("SNDPRN", partners.sender),
                ("RCVPOR", partners.receiver),
                ("RCVPRT", "LS"),
                ("RCVPRN", partners.receiver),
                ("CREDAT", now.strftime("%Y%m%d")),
                ("CRETIM", now.strftime("%H%M%S")),
            ]
            writer.fields("      ", control)
            out.write("    </EDI_DC40>\n")
            writer.customer(customer)
            out.write("  </IDOC>\n")
            if progress is not None:
                progress(count)
        out.write(f"</{BASIC_TYPE}>\n")
    return count
