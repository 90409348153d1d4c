"""The SAP DEBMAS07 IDoc as custmd writes it (services.transfer.debmas), and the check of a file
against it.

An IDoc file is XML as SAP's XML file port writes it: a root element named after the basic
type, one ``<IDOC BEGIN="1">`` per customer, in it the control record ``EDI_DC40`` and the
data segments, each element carrying ``SEGMENT="1"`` and one child element per filled field
(empty fields are left out, as SAP does). custmd sends these segments of DEBMAS07:

=========  ======  ========  ==============================================================
segment    table   parent    fields (SAP field names; lengths: the field catalog's)
=========  ======  ========  ==============================================================
EDI_DC40   —       IDOC      TABNAM, MANDT, DOCNUM, DIRECT, IDOCTYP, MESTYP, SNDPOR, SNDPRT,
                             SNDPRN, RCVPOR, RCVPRT, RCVPRN, CREDAT, CRETIM (CONTROL below)
E1KNA1M    KNA1    IDOC      MSGFN, then every KNA1 field of the catalog except ALTKN;
                             SPRAS goes as SPRAS_ISO (the catalog keeps the 2-letter ISO
                             code; SAP's SPRAS is the 1-character internal key)
E1KNVVM    KNVV    E1KNA1M   MSGFN and every KNVV field of the catalog
E1KNVPM    KNVP    E1KNVVM   MSGFN, PARVW, PARZA, KUNN2
E1KNVIM    KNVI    E1KNA1M   MSGFN, ALAND, TATYP, TAXKD
E1KNBKM    KNBK    E1KNA1M   MSGFN, BANKS, BANKL, BANKN, KOINH, BKREF
E1KNB1M    KNB1    E1KNA1M   MSGFN, every KNB1 field of the catalog, and ALTKN
=========  ======  ========  ==============================================================

Key fields, required in their segment: E1KNA1M MSGFN, KUNNR; E1KNVVM MSGFN, VKORG, VTWEG,
SPART; E1KNVPM MSGFN, PARVW; E1KNVIM MSGFN, ALAND, TATYP; E1KNBKM MSGFN, BANKS, BANKL,
BANKN; E1KNB1M MSGFN, BUKRS; EDI_DC40 all but MANDT. A field's value is at most its
catalog length (MSGFN 3).

Where custmd and SAP differ:
- KNA1-ALTKN (previous account number) is kept once per customer in custmd; SAP keeps it
  per company code (KNB1-ALTKN): it is sent in every E1KNB1M of the customer, and not at
  all for a customer without company codes.
- Tax classifications belong to a sales area in custmd, to the customer (per departure
  country and tax category) in SAP: E1KNVIM is sent once per (ALAND, TATYP) under
  E1KNA1M, the first sales area's classification where two sales areas differ.
- MSGFN: 009 (original) in every segment of a full send; 004 (change) in every segment of
  a send of the customers changed since a date: the whole customer, as SAP's change
  pointers send it (BD21).

This is the subset of DEBMAS07 custmd fills, written from SAP's segment documentation
(WE60); SAP's segments hold many more fields, which a receiver leaves untouched. The
segments' order is SAP's: general data, sales areas (their partners within), tax
classifications, bank details, company codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from custmd_gui.catalog import Catalog, catalog

BASIC_TYPE = "DEBMAS07"
MESSAGE_TYPE = "DEBMAS"
ORIGINAL = "009"
CHANGE = "004"
MSGFN_LENGTH = 3

# The control record: field -> length (EDI_DC40's).
CONTROL: dict[str, int] = {
    "TABNAM": 10,
    "MANDT": 3,
    "DOCNUM": 16,
    "DIRECT": 1,
    "IDOCTYP": 30,
    "MESTYP": 30,
    "SNDPOR": 10,
    "SNDPRT": 2,
    "SNDPRN": 10,
    "RCVPOR": 10,
    "RCVPRT": 2,
    "RCVPRN": 10,
    "CREDAT": 8,
    "CRETIM": 6,
}
CONTROL_OPTIONAL = frozenset({"MANDT"})


@dataclass(frozen=True, slots=True)
class Segment:
    name: str
    table: str
    parent: str  # "IDOC" for the top level
    # SAP field name in the segment -> catalog field key it carries ("" for MSGFN).
    fields: dict[str, str]
    required: tuple[str, ...]

    def length(self, element: str, cat: Catalog | None = None) -> int:
        key = self.fields[element]
        return MSGFN_LENGTH if not key else (cat or catalog()).field(key).length


# Catalog fields a segment carries under another name, or in another segment.
RENAMED = {"KNA1-SPRAS": "SPRAS_ISO"}
MOVED = {"KNA1-ALTKN": "E1KNB1M"}

_LAYOUT: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("E1KNA1M", "KNA1", "IDOC", ("KUNNR",)),
    ("E1KNVVM", "KNVV", "E1KNA1M", ("VKORG", "VTWEG", "SPART")),
    ("E1KNVPM", "KNVP", "E1KNVVM", ("PARVW",)),
    ("E1KNVIM", "KNVI", "E1KNA1M", ("ALAND", "TATYP")),
    ("E1KNBKM", "KNBK", "E1KNA1M", ("BANKS", "BANKL", "BANKN")),
    ("E1KNB1M", "KNB1", "E1KNA1M", ("BUKRS",)),
)


def segments(cat: Catalog | None = None) -> dict[str, Segment]:
    """The data segments by name, in the order they are written."""
    cat = cat or catalog()
    out: dict[str, Segment] = {}
    for name, table, parent, keys in _LAYOUT:
        fields = {"MSGFN": ""}
        for fd in cat.table(table):
            if fd.key not in MOVED:
                fields[RENAMED.get(fd.key, fd.sap_name)] = fd.key
        for key, target in MOVED.items():
            if target == name:
                fields[cat.field(key).sap_name] = key
        out[name] = Segment(name, table, parent, fields, ("MSGFN", *keys))
    return out


def problems(root: Element, cat: Catalog | None = None) -> list[str]:
    """Everything in an IDoc file (its parsed root) that breaks the definition above: a
    segment in the wrong place, an element its segment does not have, a value longer than
    its field, a required field missing, a MSGFN other than 009/004. Empty: it conforms."""
    cat = cat or catalog()
    defs = segments(cat)
    out: list[str] = []
    if root.tag != BASIC_TYPE:
        out.append(f"root element {root.tag}, expected {BASIC_TYPE}")
    for n, idoc in enumerate(root, 1):
        where = f"IDOC {n}"
        if idoc.tag != "IDOC" or idoc.get("BEGIN") != "1":
            out.append(f'{where}: {idoc.tag} is no <IDOC BEGIN="1">')
            continue
        controls = [c for c in idoc if c.tag == "EDI_DC40"]
        if len(controls) != 1 or idoc[0].tag != "EDI_DC40":
            out.append(f"{where}: needs one EDI_DC40 first")
        for control in controls:
            out += _check_fields(control, where, CONTROL, CONTROL.keys() - CONTROL_OPTIONAL)
        _check_children(idoc, "IDOC", where, defs, cat, out, skip={"EDI_DC40"})
    return out


def _check_children(
    parent: Element,
    parent_name: str,
    where: str,
    defs: dict[str, Segment],
    cat: Catalog,
    out: list[str],
    skip: frozenset[str] | set[str] = frozenset(),
) -> None:
    for child in parent:
        if child.tag in skip:
            continue
        seg = defs.get(child.tag)
        if seg is None:
            # A field element inside a segment is checked by _check_fields.
            if parent_name == "IDOC":
                out.append(f"{where}: unknown segment {child.tag}")
            continue
        if seg.parent != parent_name:
            out.append(f"{where}: {child.tag} within {parent_name}, expected within {seg.parent}")
        if child.get("SEGMENT") != "1":
            out.append(f'{where}: {child.tag} lacks SEGMENT="1"')
        lengths = {f: seg.length(f, cat) for f in seg.fields}
        fields = [c for c in child if c.tag not in defs]
        holder = Element(child.tag)
        holder.extend(fields)
        out += _check_fields(holder, f"{where} {child.tag}", lengths, seg.required)
        msgfn = child.findtext("MSGFN")
        if msgfn not in (ORIGINAL, CHANGE):
            out.append(f"{where} {child.tag}: MSGFN {msgfn!r}, expected {ORIGINAL} or {CHANGE}")
        _check_children(child, child.tag, where, defs, cat, out)


def _check_fields(
    segment: Element, where: str, lengths: dict[str, int], required: Iterable[str]
) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for element in segment:
        name = element.tag
        if name not in lengths:
            out.append(f"{where}: {name} is no field of the segment")
            continue
        if name in seen:
            out.append(f"{where}: {name} twice")
        seen.add(name)
        value = element.text or ""
        if not value:
            out.append(f"{where}: {name} is empty (empty fields are left out)")
        if len(value) > lengths[name]:
            out.append(f"{where}: {name} has {len(value)} characters, at most {lengths[name]}")
    for name in required:
        if name not in seen:
            out.append(f"{where}: required field {name} missing")
    return out
