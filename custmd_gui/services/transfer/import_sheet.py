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
from collections.abc import ItemsView, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, TypeVar, overload

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain.errors import Severity
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.domain.transfer.cells import column_index, letter

# The error workbook's last column (import_errors); a reader skips it on the way back in.
ERROR_COLUMN = Text(zh="错误", en="Errors")
# The error workbook's list of all problems (import_errors): not data, skipped likewise.
LIST_SHEET = {"zh": "错误清单", "en": "Error list"}

_T = TypeVar("_T")


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


@dataclass(frozen=True, slots=True)
class SheetLayout:
    """What the rows of a sheet share: the sheet, its name in the file, the position of each
    field key in a row's cells and the column letter of each."""

    sheet: cols.Sheet
    name: str
    at: Mapping[str, int]
    letters: Mapping[str, str]


_CELLS = 2  # a FileRow's first cell: after its layout and number


class FileRow(tuple[Any, ...]):
    """One data row: its Excel row number, its values by field key, where each key sits.
    One tuple (layout, number, cells...): a large file has a million rows."""

    __slots__ = ()

    def __new__(cls, layout: SheetLayout, number: int, cells: Iterable[str]) -> FileRow:
        return tuple.__new__(cls, (layout, number, *cells))

    @property
    def layout(self) -> SheetLayout:
        layout: SheetLayout = self[0]
        return layout

    @property
    def sheet(self) -> cols.Sheet:
        return self.layout.sheet

    @property
    def sheet_name(self) -> str:
        return self.layout.name

    @property
    def number(self) -> int:
        number: int = self[1]
        return number

    @property
    def letters(self) -> Mapping[str, str]:
        """Field key -> column letter."""
        return self.layout.letters

    @property
    def values(self) -> RowValues:
        """The filled values by field key."""
        return RowValues(self)


class RowValues(Mapping[str, str]):
    """A row's filled values by field key, as a dict would hold them (empty cells are not
    there), read from the row's cells by the positions its sheet's rows share."""

    __slots__ = ("_at", "_row")

    def __init__(self, row: FileRow) -> None:
        self._row = row
        self._at = row.layout.at

    def __getitem__(self, key: str) -> str:
        value: str = self._row[self._at[key] + _CELLS]
        if not value:
            raise KeyError(key)
        return value

    @overload
    def get(self, key: str, /) -> str | None: ...
    @overload
    def get(self, key: str, default: str, /) -> str: ...
    @overload
    def get(self, key: str, default: _T, /) -> str | _T: ...

    def get(self, key: str, default: object = None, /) -> object:
        i = self._at.get(key)
        if i is None:
            return default
        return self._row[i + _CELLS] or default

    def __iter__(self) -> Iterator[str]:
        row = self._row
        return (key for key, i in self._at.items() if row[i + _CELLS])

    def __len__(self) -> int:
        return sum(1 for value in self._row[_CELLS:] if value)

    def items(self) -> ItemsView[str, str]:
        row = self._row
        return {key: row[i + _CELLS] for key, i in self._at.items() if row[i + _CELLS]}.items()

    def __repr__(self) -> str:
        return repr(dict(self.items()))


@dataclass(slots=True)
class ReadFile:
    rows: list[FileRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    # sheet id -> the header keys in file order (column B on), for the error workbook
    headers: dict[str, list[str]] = field(default_factory=dict)
    # Each text once for the whole file while it is read (the sheets of a customer repeat
    # its keys, its customers most values: account group, company code, currency); dropped
    # when the file is read (done()).
    texts: dict[str, str] = field(default_factory=dict, repr=False)

    def done(self) -> ReadFile:
        self.texts = {}
        return self


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
    values: Iterable[Sequence[Any]],
    uncached: set[tuple[int, int]],
    merged: Iterable[str],
    out: ReadFile,
) -> None:
    """The data rows of the sheet (`values`: its rows from row 1, read once) into `out`."""
    rows = iter(values)
    first = next(rows, None)
    if first is None:
        return
    header = [cell_text(v)[0].strip() for v in first]
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
    layout = SheetLayout(
        sheet,
        name,
        {key: n for n, key in enumerate(keys.values())},
        {key: letter(col) for col, key in keys.items()},
    )
    columns = [(col - 1, key) for col, key in keys.items()]
    texts = out.texts
    for i, cells in enumerate(rows, start=2):
        if not cells:
            continue  # an empty row
        shown = [cell_text(v) for v in cells]
        if all(text.strip() == "" for text, _ in shown):
            continue  # an empty row
        if not cols.is_data_row(cells[0]):
            continue
        cells_of_row: list[str] = []
        for col, key in columns:
            text, problem = shown[col] if col < len(shown) else ("", None)
            if (i, col + 1) in uncached:
                problem = Text(
                    zh="公式没有计算结果（文件未在 Excel 中保存过）：请在 Excel 中打开并保存，"
                    "或把公式替换为数值",
                    en="The formula has no calculated value (the file was never saved by "
                    "Excel): open and save it in Excel, or replace the formula by its value",
                )
            if problem is not None:
                problem = naming(key, problem)
                out.problems.append(ImportProblem(name, i, letter(col + 1), key, problem))
            cells_of_row.append(texts.setdefault(text, text) if text else "")
        out.rows.append(FileRow(layout, i, cells_of_row))


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
