"""One sheet of a filled customer template as rows: the header's field keys, the data rows
with their Excel row numbers and column letters, and the problems of cells (what import_reader
and import_xlsx share).

What a spreadsheet does besides plain values is handled explicitly, never guessed:

- formula cells: their value as Excel last calculated it; a formula never calculated
  (written by a program, not saved by Excel) is an error naming the cell;
- merged cells: an error naming the range (only the first cell holds the value; the others
  would silently be empty);
- empty rows: skipped; rows with column A filled (header, sample) are not data;
- numbers: whole numbers as digits (13800138000, not 13800138000.0); the catalog has no date
  fields, so a date cell (an Excel date serial shown as a date) is an error asking for text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain.errors import Severity
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.domain.transfer.cells import column_index, letter

# The error workbook's last column (import_errors); a reader skips it on the way back in.
ERROR_COLUMN = Text(zh="错误", en="Errors")
# The error workbook's list of all problems (import_errors): not data, skipped likewise.
LIST_SHEET = {"zh": "错误清单", "en": "Error list"}


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


def naming(key: str, message: Text, value: str = "") -> Text:
    """The message with the field's label in front when it names neither the field nor the
    value: in the wizard it stands beside the field, in an import's list of problems it
    stands alone (校验码错误 → 统一社会信用代码：校验码错误)."""
    cat = catalog()
    if key not in cat:
        return message
    label = cat.field(key).label
    if label.zh in message.zh or (value and value in message.zh):
        return message
    return Text(zh=f"{label.zh}：{message.zh}", en=f"{label.en}: {message.en}")


def _row_word(lang: str) -> str:
    return "row " if lang == "en" else "第"


@dataclass(slots=True)
class FileRow:
    """One data row: its Excel row number, its values by field key, where each key sits."""

    sheet: cols.Sheet
    sheet_name: str
    number: int
    values: dict[str, str]
    letters: dict[str, str]  # field key -> column letter, shared by the rows of a sheet


@dataclass(slots=True)
class ReadFile:
    rows: list[FileRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    # sheet id -> the header keys in file order (column B on), for the error workbook
    headers: dict[str, list[str]] = field(default_factory=dict)


CELL = re.compile(r"([A-Z]+)(\d+)")


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
        merged_text = Text(
            zh=f"合并单元格 {ref}：请取消合并，并在每个单元格中填入各自的值",
            en=f"Merged cells {ref}: unmerge them and fill every cell with its own value",
        )
        out.problems.append(
            ImportProblem(name, int(m1.group(2)), m1.group(1), key, naming(key, merged_text))
        )
    # One map for all rows of the sheet: a copy per row cost more than the row's values.
    letters = {key: letter(col) for col, key in keys.items()}
    # A value once for all rows that hold it (the rows of a template repeat most values:
    # account group, company code, currency): the rows of a large file stay smaller.
    texts: dict[str, str] = {}
    for i, cells in enumerate(values[1:], start=2):
        if not cells or all(cell_text(v)[0].strip() == "" for v in cells):
            continue  # an empty row
        if not cols.is_data_row(cells[0]):
            continue
        row = FileRow(sheet, name, i, {}, letters)
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
            if problem is not None:
                problem = naming(key, problem)
                out.problems.append(ImportProblem(name, i, letter(col), key, problem))
            if text:
                row.values[key] = texts.setdefault(text, text)
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
