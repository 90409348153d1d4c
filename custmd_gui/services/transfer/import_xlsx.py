"""Reading the workbook of a filled template (import_reader does the rest).

python-calamine reads the values (formula cells as Excel last calculated them, date cells as
dates) and the merged ranges; openpyxl's read-only stream is the fallback where it is not
installed. What neither tells cheaply, a formula cell never calculated (a program wrote the
file, Excel never saved it), is found in the sheet's XML."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from custmd_gui.catalog import Text
from custmd_gui.domain.hygiene import UnreadableFile
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.services.transfer.import_sheet import (
    LIST_SHEET,
    ImportProblem,
    ReadFile,
    column_index,
    letter,
    read_sheet,
)
from custmd_gui.services.transfer.template_texts import code_sheet_name
from custmd_gui.services.transfer.template_xlsx import instructions_title


def _open_workbook(path: Path, data: bytes, *, values: bool) -> Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=values, keep_links=False
        )
    except Exception:  # openpyxl raises many kinds for a damaged file (KeyError, zip, XML)
        raise damaged(path) from None


def read_xlsx(path: Path, data: bytes) -> ReadFile:
    """python-calamine when installed (a dependency; about 18 times faster than openpyxl on
    a 20,000-customer workbook), else openpyxl's read-only stream."""
    try:
        import python_calamine
    except ImportError:
        return _read_xlsx_openpyxl(path, data)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # CalamineError and friends: not a workbook it can read
        raise damaged(path) from None
    out = ReadFile()
    parts = _sheet_parts(data)
    found = False
    for name in book.sheet_names:
        sheet = cols.sheet_named(name)
        if sheet is None:
            _other_sheet(name, out)
            continue
        found = True
        ws = book.get_sheet_by_name(name)
        values = ws.to_python(skip_empty_area=False)
        merged = [
            f"{letter(c0 + 1)}{r0 + 1}:{letter(c1 + 1)}{r1 + 1}"
            for (r0, c0), (r1, c1) in (ws.merged_cell_ranges or [])
        ]
        read_sheet(sheet, name, values, _uncached_formulas(data, parts.get(name, "")), merged, out)
    if not found:
        out.problems.append(no_sheets(path))
    return out


def damaged(path: Path) -> UnreadableFile:
    return UnreadableFile.of(
        path,
        "不是有效的 Excel 工作簿（.xlsx），文件可能已损坏",
        "Not a valid Excel workbook (.xlsx); the file may be damaged",
    )


def no_sheets(path: Path) -> ImportProblem:
    names = "、".join(s.name("zh") for s in cols.sheets())
    return ImportProblem(
        path.name,
        None,
        "",
        "",
        Text(
            zh=f"工作簿中没有客户模板的工作表（{names}）；请使用 custmd template 生成的模板",
            en="The workbook has none of the template's sheets; use a template written by "
            "custmd template",
        ),
    )


def _other_sheet(name: str, out: ReadFile) -> None:
    """A sheet that is not one of the template's data sheets: the template's instructions and
    code sheet and the error file's list are skipped; any other (a renamed or mistyped data
    sheet, a sheet of one's own) is an error, since its rows would be lost without a word."""
    skipped = {f(lang) for f in (code_sheet_name, instructions_title) for lang in ("zh", "en")}
    if name in skipped or name in LIST_SHEET.values():
        return
    names = "、".join(s.name("zh") for s in cols.sheets())
    out.problems.append(
        ImportProblem(
            name,
            None,
            "",
            "",
            Text(
                zh=f"工作表“{name}”不是客户模板的工作表，其中的行不会被导入：请改回模板中的名称"
                f"（{names}），或删除该工作表",
                en=f"Sheet '{name}' is not one of the template's sheets and its rows would not "
                "be imported: give it back the template's name, or delete it",
            ),
        )
    )


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
    """(row, column) of the formula cells Excel never calculated (a program wrote them): a
    reader sees them empty, which must not pass for an empty field."""
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


def _read_xlsx_openpyxl(path: Path, data: bytes) -> ReadFile:
    out = ReadFile()
    book = _open_workbook(path, data, values=False)
    cached: Any = None
    try:
        found = False
        for ws in book.worksheets:
            sheet = cols.sheet_named(ws.title)
            if sheet is None:
                _other_sheet(ws.title, out)
                continue
            found = True
            merged = _merged_ranges(data, getattr(ws, "_worksheet_path", ""))
            rows = list(ws.iter_rows(values_only=False))
            formulas = {
                (c.row, c.column) for r in rows for c in r if getattr(c, "data_type", None) == "f"
            }
            values: list[list[Any]]
            if formulas:
                if cached is None:
                    cached = _open_workbook(path, data, values=True)
                values = [list(r) for r in cached[ws.title].iter_rows(values_only=True)]
            else:
                values = [[getattr(c, "value", None) for c in r] for r in rows]
            uncached = {
                (r, c)
                for r, c in formulas
                if r - 1 >= len(values)
                or c - 1 >= len(values[r - 1])
                or values[r - 1][c - 1] is None
            }
            read_sheet(sheet, ws.title, values, uncached, merged, out)
        if not found:
            out.problems.append(no_sheets(path))
    finally:
        book.close()
        if cached is not None:
            cached.close()
    return out


def _merged_ranges(data: bytes, member: str) -> list[str]:
    """The merged ranges of a worksheet (read-only openpyxl does not report them)."""
    if not member:
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            xml = zf.read(member.lstrip("/")).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile):
        return []
    return re.findall(r'<mergeCell[^>]*\bref="([A-Z]+\d+:[A-Z]+\d+)"', xml)
