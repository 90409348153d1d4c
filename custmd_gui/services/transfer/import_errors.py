"""The error workbook of an import: the rows of the customers that failed, in the template's
layout (row 1 the field keys, row 2 the labels, the data rows below) with a 错误 column saying
what is wrong in each row, and a last sheet listing every error. Fixed and imported again as
it is: the reader skips the 错误 column and the list sheet."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

from custmd_gui.domain.errors import Severity
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.services.transfer.atomic import replacing
from custmd_gui.services.transfer.import_reader import (
    ERROR_COLUMN,
    FileRow,
    ImportProblem,
    ReadFile,
)
from custmd_gui.services.transfer.import_rows import FileCustomer
from custmd_gui.services.transfer.import_sheet import LIST_SHEET

TEXT_FORMAT = "@"
_RED = "C00000"


def error_file_of(path: Path) -> Path:
    """customers.xlsx -> customers.errors.xlsx (beside the file; a CSV's too)."""
    path = Path(path)
    stem = path.name if path.is_dir() else path.stem
    return path.with_name(f"{stem}.errors.xlsx")


def _row_problems(problems: Iterable[ImportProblem]) -> dict[tuple[str, int], list[ImportProblem]]:
    out: dict[tuple[str, int], list[ImportProblem]] = {}
    for p in problems:
        if p.row is not None:
            out.setdefault((p.sheet, p.row), []).append(p)
    return out


def write_error_file(
    target: Path,
    read: ReadFile,
    failed: Sequence[FileCustomer],
    loose: Sequence[ImportProblem],
    lang: str = "zh",
) -> Path:
    problems = [p for c in failed for p in c.problems] + list(loose)
    by_row = _row_problems(problems)
    rows: list[FileRow] = [r for c in failed for r in c.all_rows()]
    seen = {(r.sheet_name, r.number) for r in rows}
    rows += [
        r
        for r in read.rows
        if (r.sheet_name, r.number) in by_row and (r.sheet_name, r.number) not in seen
    ]
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for sheet in cols.sheets():
        keys = read.headers.get(sheet.id)
        mine = sorted((r for r in rows if r.sheet.id == sheet.id), key=lambda r: r.number)
        if not keys or not mine:
            continue
        ws = book.create_sheet(sheet.name(lang))
        heading = ERROR_COLUMN.get(lang)
        ws.append([cols.META_FIELD.get(lang), *keys, heading])
        ws.append(
            [cols.META_LABEL.get(lang), *(sheet.column(k).heading(lang) for k in keys), heading]
        )
        for cell in ws[1]:
            cell.font = bold
        ws.cell(1, len(keys) + 2).font = Font(bold=True, color=_RED)
        for row in mine:
            text = "\n".join(_say(p, lang) for p in by_row.get((row.sheet_name, row.number), []))
            ws.append(["", *(_shown(row.values.get(k, "")) for k in keys), _shown(text)])
            last = ws.max_row
            for col in range(2, len(keys) + 2):
                ws.cell(last, col).number_format = TEXT_FORMAT  # codes keep leading zeros
            cell = ws.cell(last, len(keys) + 2)
            cell.font = Font(color=_RED)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            for p in by_row.get((row.sheet_name, row.number), []):
                if p.field_key in keys:
                    bad = ws.cell(last, keys.index(p.field_key) + 2)
                    bad.fill = PatternFill("solid", fgColor="FFC7CE")
        ws.column_dimensions["A"].width = 6
        ws.freeze_panes = "B3"
    listing = book.create_sheet(LIST_SHEET.get(lang, LIST_SHEET["zh"]))
    en = lang == "en"
    listing.append(
        ["Sheet", "Row", "Column", "Field", "Severity", "Message"]
        if en
        else ["工作表", "行", "列", "字段", "类别", "说明"]
    )
    for p in problems:
        severity = p.severity is Severity.ERROR
        kind = ("error" if severity else "warning") if en else ("错误" if severity else "警告")
        message = _shown(p.message.get(lang))
        listing.append([_shown(p.sheet), p.row, p.column, _shown(p.field_key), kind, message])
    for cell in listing[1]:
        cell.font = bold
    with replacing(target) as tmp:
        book.save(tmp)
    return target


def _shown(text: str) -> str:
    """The text with the control characters a worksheet cannot hold (NUL, ESC, ...: a CSV file
    can) written as <U+001B>: openpyxl refuses them, and the row must still go to the file."""
    return str(ILLEGAL_CHARACTERS_RE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text))


def _say(p: ImportProblem, lang: str) -> str:
    where = (
        f"{p.column}{p.row}" if p.column else (f"row {p.row}" if lang == "en" else f"第 {p.row} 行")
    )
    key = f" {p.field_key}" if p.field_key else ""
    return f"{where}{key}: {p.message.get(lang)}"
