"""The sheets of an Excel workbook as grids of cell values, for every reader of files: the
customer import (import_xlsx) and the usage register's extracts (services.usage).

python-calamine reads the values (formula cells as Excel last calculated them, date cells as
dates, numbers as floats) and the merged ranges. What it does not tell, a formula cell never
calculated (a program wrote the file, Excel never saved it), is found in the sheet's XML: a
reader would see it empty, which must not pass for an empty field."""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from custmd_gui.domain.transfer.cells import column_index, letter


class NotAWorkbook(ValueError):
    """The bytes are no workbook python-calamine can read (damaged, or another format)."""


@dataclass
class SheetGrid:
    name: str
    values: list[list[Any]]  # rows from row 1 and column A, blank ones included
    merged: list[str] = field(default_factory=list)  # "A1:B2"
    # (row, column), both from 1, of the formula cells without a calculated value
    uncached: set[tuple[int, int]] = field(default_factory=set)


def sheet_names(data: bytes) -> list[str]:
    return list(_open(data).sheet_names)


def read_sheets(data: bytes, wanted: Callable[[str], bool] = lambda _: True) -> Iterator[SheetGrid]:
    """The sheets whose name `wanted` accepts, in the workbook's order. NotAWorkbook."""
    book = _open(data)
    parts: dict[str, str] | None = None
    for name in book.sheet_names:
        if not wanted(name):
            continue
        if parts is None:
            parts = _sheet_parts(data)
        ws = book.get_sheet_by_name(name)
        yield SheetGrid(
            name,
            ws.to_python(skip_empty_area=False),
            [
                f"{letter(c0 + 1)}{r0 + 1}:{letter(c1 + 1)}{r1 + 1}"
                for (r0, c0), (r1, c1) in (ws.merged_cell_ranges or [])
            ],
            _uncached_formulas(data, parts.get(name, "")),
        )


def _open(data: bytes) -> Any:
    import python_calamine  # imported here: only file imports need it, not every start

    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # CalamineError and friends: not a workbook it can read
        raise NotAWorkbook(str(exc)) from None


def _sheet_parts(data: bytes) -> dict[str, str]:
    """Worksheet name -> its XML part in the package (xl/workbook.xml and its relations)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            book = zf.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile):
        return {}
    targets = {}
    for rel in re.findall(r"<Relationship\b[^>]*>", rels):
        rid, target = re.search(r'Id="([^"]+)"', rel), re.search(r'Target="([^"]+)"', rel)
        if rid and target:
            t = target.group(1)
            targets[rid.group(1)] = t.lstrip("/") if t.startswith("/") else f"xl/{t}"
    out = {}
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book):
        name, rid = re.search(r'name="([^"]*)"', tag), re.search(r'r:id="([^"]+)"', tag)
        if name and rid and rid.group(1) in targets:
            out[html.unescape(name.group(1))] = targets[rid.group(1)]
    return out


# A formula cell without a calculated value: <c r="F11"><f>...</f><v/></c> (or no <v>).
_UNCACHED = re.compile(
    r'<c r="([A-Z]+)(\d+)"[^>]*>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>'
)


def _uncached_formulas(data: bytes, member: str) -> set[tuple[int, int]]:
    if not member:
        return set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            xml = zf.read(member).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile):
        return set()
    if "<f" not in xml:
        return set()
    return {(int(m.group(2)), column_index(m.group(1))) for m in _UNCACHED.finditer(xml)}
