"""Reading a filled customer template (domain.transfer.columns' layout) from XLSX or CSV.

Workbooks are read by import_xlsx (python-calamine, openpyxl where it is missing). What a
spreadsheet does besides plain values is handled explicitly, never guessed:

- formula cells: their value as Excel last calculated it; a formula never calculated
  (written by a program, not saved by Excel) is an error naming the cell;
- merged cells: an error naming the range (only the first cell holds the value; the others
  would silently be empty);
- empty rows: skipped; rows with column A filled (header, sample) are not data;
- numbers: whole numbers as digits (13800138000, not 13800138000.0); the catalog has no date
  fields, so a date cell (an Excel date serial shown as a date) is an error asking for text;
- CSV: UTF-8 with or without byte-order mark; another encoding is refused naming the one
  it looks like (domain.hygiene.decode_utf8).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain.errors import Severity
from custmd_gui.domain.hygiene import UnreadableFile, decode_utf8
from custmd_gui.domain.transfer import columns as cols

# The error workbook's last column (import_errors); a reader skips it on the way back in.
ERROR_COLUMN = Text(zh="错误", en="Errors")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls files
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One thing wrong in the file, where Excel shows it."""

    sheet: str  # the worksheet's (or CSV file's) name
    row: int | None  # the row number as Excel shows it (1 = the field keys)
    column: str  # the column letter ("" when the problem is the row's or the file's)
    field_key: str  # KNA1-NAME1 ("" when not a field's)
    message: Text
    severity: Severity = Severity.ERROR

    def line(self, lang: str = "zh") -> str:
        where = self.sheet
        if self.row is not None:
            where += f"!{self.column}{self.row}" if self.column else f" {_row_word(lang)}{self.row}"
        key = f" {self.field_key}" if self.field_key else ""
        mark = (
            ("warning: " if lang == "en" else "警告：") if self.severity is Severity.WARNING else ""
        )
        return f"{where}{key}: {mark}{self.message.get(lang)}"


def _row_word(lang: str) -> str:
    return "row " if lang == "en" else "第"


@dataclass(slots=True)
class FileRow:
    """One data row: its Excel row number, its values by field key, where each key sits."""

    sheet: cols.Sheet
    sheet_name: str
    number: int
    values: dict[str, str]
    letters: dict[str, str]  # field key -> column letter


@dataclass(slots=True)
class ReadFile:
    rows: list[FileRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    # sheet id -> the header keys in file order (column B on), for the error workbook
    headers: dict[str, list[str]] = field(default_factory=dict)


def letter(index: int) -> str:
    """The column letter of a 1-based column index (1 -> A, 28 -> AB)."""
    out = ""
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


CELL = re.compile(r"([A-Z]+)(\d+)")


def read_file(path: Path) -> ReadFile:
    """Every data row of the file and every problem of its form. UnreadableFile when the file
    cannot be read at all (missing, not XLSX/CSV, encrypted, corrupt, wrong encoding)."""
    path = Path(path)
    if path.is_dir():
        return _read_csv_folder(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UnreadableFile.of(
            path, f"无法读取文件：{reason}", f"Cannot read the file: {reason}"
        ) from None
    if data.startswith(_OLE_MAGIC):
        raise UnreadableFile.of(
            path,
            "文件有密码保护（已加密）或是旧的 .xls 格式；请在 Excel 中取消密码并另存为 .xlsx",
            "The file is password-protected (encrypted) or an old .xls file; remove the "
            "password in Excel and save it as .xlsx",
        )
    if data.startswith(_ZIP_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
        # Imported here: import_xlsx builds on this module.
        from custmd_gui.services.transfer.import_xlsx import damaged, read_xlsx

        if not data.startswith(_ZIP_MAGIC):
            raise damaged(path)
        return read_xlsx(path, data)
    if path.suffix.lower() != ".csv":
        raise UnreadableFile.of(
            path,
            "只能导入 Excel 工作簿（.xlsx）或 CSV 文件（.csv）",
            "Only Excel workbooks (.xlsx) and CSV files (.csv) can be imported",
        )
    out = ReadFile()
    _read_csv(path, data, out)
    return out


# -- cell values ---------------------------------------------------------------------------------


def cell_text(value: object) -> tuple[str, Text | None]:
    """A cell's value as the text a field takes, or a problem: whole numbers without ".0",
    flags as X, dates refused (no catalog field is a date)."""
    if value is None:
        return "", None
    if isinstance(value, bool):
        return ("X" if value else ""), None
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value)), None
        return repr(value), None
    if isinstance(value, datetime | date | time):
        return "", Text(
            zh=f"单元格是日期/时间（{value}），本字段不是日期字段：请把单元格设为文本格式后重新输入",
            en=f"The cell is a date/time ({value}) but the field is not a date: format the cell "
            "as text and type the value again",
        )
    return str(value), None


# -- one sheet -------------------------------------------------------------------------------


def read_sheet(
    sheet: cols.Sheet,
    name: str,
    values: Sequence[Sequence[Any]],
    uncached: set[tuple[int, int]],
    merged: Iterable[str],
    out: ReadFile,
) -> None:
    if not values:
        return
    header = [cell_text(v)[0].strip() for v in values[0]]
    keys = _header_keys(sheet, name, header, out)
    out.headers[sheet.id] = [k for _, k in sorted(keys.items())]
    for ref in merged:
        first, last = ref.split(":")
        m1, m2 = CELL.fullmatch(first), CELL.fullmatch(last)
        if m1 is None or m2 is None or int(m2.group(2)) <= cols.HEADER_ROWS:
            continue
        key = keys.get(column_index(m1.group(1)), "")
        out.problems.append(
            ImportProblem(
                name,
                int(m1.group(2)),
                m1.group(1),
                key,
                Text(
                    zh=f"合并单元格 {ref}：请取消合并，并在每个单元格中填入各自的值",
                    en=f"Merged cells {ref}: unmerge them and fill every cell with its own value",
                ),
            )
        )
    for i, cells in enumerate(values[1:], start=2):
        if not cells or all(cell_text(v)[0].strip() == "" for v in cells):
            continue  # an empty row
        if not cols.is_data_row(cells[0]):
            continue
        row = FileRow(sheet, name, i, {}, {})
        for col, key in keys.items():
            value = cells[col - 1] if col - 1 < len(cells) else None
            text, problem = cell_text(value)
            if (i, col) in uncached:
                problem = Text(
                    zh="公式没有计算结果（文件未在 Excel 中保存过）：请在 Excel 中打开并保存，"
                    "或把公式替换为数值",
                    en="The formula has no calculated value (the file was never saved by "
                    "Excel): open and save it in Excel, or replace the formula by its value",
                )
            row.letters[key] = letter(col)
            if problem is not None:
                out.problems.append(ImportProblem(name, i, letter(col), key, problem))
            if text:
                row.values[key] = text
        out.rows.append(row)


def _header_keys(sheet: cols.Sheet, name: str, header: list[str], out: ReadFile) -> dict[int, str]:
    """Column index (1-based) -> field key, from row 1; unknown keys and missing customer keys
    are problems."""
    known = {c.key for c in sheet.columns}
    cat = catalog()
    keys: dict[int, str] = {}
    for col, text in enumerate(header, start=1):
        if col == 1 or not text or text in (cols.TABLE_COLUMN, ERROR_COLUMN.zh, ERROR_COLUMN.en):
            continue
        key = text.upper()
        if key not in known:
            in_catalog = key in cat
            out.problems.append(
                ImportProblem(
                    name,
                    cols.KEY_ROW,
                    letter(col),
                    text,
                    Text(
                        zh=f"{text} 不是本工作表的字段"
                        + ("" if in_catalog else "（字段目录中没有）"),
                        en=f"{text} is not a field of this sheet"
                        + ("" if in_catalog else " (not in the catalog)"),
                    ),
                )
            )
            continue
        if key in keys.values():
            out.problems.append(
                ImportProblem(
                    name,
                    cols.KEY_ROW,
                    letter(col),
                    key,
                    Text(zh=f"列 {key} 出现了多次", en=f"Column {key} appears more than once"),
                )
            )
            continue
        keys[col] = key
    if not any(k in keys.values() for k in cols.CUSTOMER_KEYS):
        out.problems.append(
            ImportProblem(
                name,
                cols.KEY_ROW,
                "",
                "KNA1-ALTKN",
                Text(
                    zh="第 1 行缺少客户编号（KNA1-KUNNR）和原客户编号（KNA1-ALTKN）列",
                    en="Row 1 lacks the columns KNA1-KUNNR and KNA1-ALTKN",
                ),
            )
        )
    return keys


# -- CSV -----------------------------------------------------------------------------------------


def _csv_lines(path: Path, data: bytes) -> list[list[str]]:
    text = decode_utf8(data, path)
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise UnreadableFile.of(
            path, f"CSV 格式错误：{exc}", f"Not a readable CSV file: {exc}"
        ) from None


def _read_csv(path: Path, data: bytes, out: ReadFile) -> None:
    lines = _csv_lines(path, data)
    if not lines:
        return
    header = [h.strip() for h in lines[0]]
    if len(header) > 1 and header[1] == cols.TABLE_COLUMN:
        # The wide form: a TABLE column says which sheet each row belongs to.
        for part in cols.sheets():
            mine = {i for i, r in enumerate(lines) if i and len(r) > 1 and r[1] == part.table}
            if not mine:
                continue
            # Keep the file's line numbers: the lines of other sheets become empty rows;
            # the header keeps this sheet's columns only.
            keys = {c.key for c in part.columns}
            grid: list[list[Any]] = [lines[i] if i in mine else [] for i in range(len(lines))]
            grid[0] = [h if j == 0 or h in keys else "" for j, h in enumerate(header)]
            read_sheet(part, path.name, grid, set(), (), out)
        return
    sheet = cols.sheet_named(path.stem)
    if sheet is None:
        out.problems.append(
            ImportProblem(
                path.name,
                None,
                "",
                "",
                Text(
                    zh="CSV 文件名必须是表名（KNA1.csv、KNBK.csv、KNB1.csv、KNVV.csv、KNVI.csv、"
                    "KNVP.csv），或者文件的第二列是 TABLE 列",
                    en="A CSV file must be named by its table (KNA1.csv, KNBK.csv, ...) or have "
                    "a TABLE column second",
                ),
            )
        )
        return
    read_sheet(sheet, path.name, [list(r) for r in lines], set(), (), out)


def _read_csv_folder(folder: Path) -> ReadFile:
    out = ReadFile()
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise UnreadableFile.of(folder, "文件夹中没有 CSV 文件", "The folder holds no CSV files")
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableFile.of(path, f"无法读取文件：{exc.strerror}", str(exc)) from None
        _read_csv(path, data, out)
    return out


def data_rows(read: ReadFile, sheet_id: str) -> Iterator[FileRow]:
    return (r for r in read.rows if r.sheet.id == sheet_id)
