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
from collections.abc import Callable, Iterable, Iterator
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


@dataclass
class SheetRows:
    """A sheet as SheetGrid has it, its rows read one by one (a large import's sheet is
    never held as a grid of Python values besides its rows)."""

    name: str
    rows: Iterable[list[Any]]  # from row 1 and column A, blank ones included
    merged: list[str] = field(default_factory=list)
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


def stream_sheets(
    data: bytes, wanted: Callable[[str], bool] = lambda _: True, *, largest_first: bool = False
) -> Iterator[SheetRows]:
    """read_sheets, each sheet's rows produced as they are asked for; `largest_first`: the
    sheets in the order of their size in the package, largest first (the reader holds one
    sheet's cells at a time: the largest then meets the fewest rows already read).
    NotAWorkbook."""
    book = _open(data)
    names = [name for name in book.sheet_names if wanted(name)]
    parts = _sheet_parts(data) if names else {}
    if largest_first:
        sizes = _part_sizes(data)
        names.sort(key=lambda name: -sizes.get(parts.get(name, ""), 0))
    for name in names:
        ws = book.get_sheet_by_name(name)
        yield SheetRows(
            name,
            _rows_from_a1(ws),
            [
                f"{letter(c0 + 1)}{r0 + 1}:{letter(c1 + 1)}{r1 + 1}"
                for (r0, c0), (r1, c1) in (ws.merged_cell_ranges or [])
            ],
            _uncached_formulas(data, parts.get(name, "")),
        )


def _part_sizes(data: bytes) -> dict[str, int]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return {info.filename: info.file_size for info in zf.infolist()}
    except zipfile.BadZipFile:
        return {}


def _rows_from_a1(ws: Any) -> Iterator[list[Any]]:
    """The sheet's rows as to_python(skip_empty_area=False) has them: from cell A1. A sheet
    whose cells begin there (every template: A1 names the field row) is read row by row;
    any other is small enough to be read whole (iter_rows pads such a sheet's rows but not
    its columns)."""
    if ws.height == 0 and ws.width == 0:
        return iter(())
    if tuple(ws.start or (0, 0)) != (0, 0):
        return iter(ws.to_python(skip_empty_area=False))
    return iter(ws.iter_rows())


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
            if not _has_formula(zf, member):
                return set()
            xml = zf.read(member).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile):
        return set()
    return {(int(m.group(2)), column_index(m.group(1))) for m in _UNCACHED.finditer(xml)}


def _has_formula(zf: zipfile.ZipFile, member: str) -> bool:
    """Whether the part may hold a formula cell, read in pieces: a large sheet without
    formulas (nearly every import) is never decoded whole."""
    tail = b""
    with zf.open(member) as part:
        while chunk := part.read(1 << 20):
            if b"<f" in tail + chunk[:1] or b"<f" in chunk:
                return True
            tail = chunk[-1:]
    return False
