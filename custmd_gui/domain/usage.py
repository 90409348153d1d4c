"""The usage register's rules: org unit kinds, register entries, extract columns and cell checks.

The app cannot see the ERP's documents; an extract from the ERP tells it, per customer and
company code or sales area, how many documents there are and the date of the last one. A
customer with business somewhere must not be deleted physically. Pure Python: reading the
file and asking the database happen in custmd_gui.services.usage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain import field_types
from custmd_gui.domain.errors import Severity
from custmd_gui.domain.transfer.cells import excel_date, letter

# The database column is a 32-bit INTEGER on both backends.
MAX_COUNT = 2**31 - 1
NUMBER_LENGTH = 10


class OrgKind(StrEnum):
    """What kind of org unit a register entry is about; the value is stored as is."""

    COMPANY_CODE = "BUKRS"
    SALES_AREA = "VKORG/VTWEG/SPART"

    @property
    def label(self) -> Text:
        if self is OrgKind.COMPANY_CODE:
            return Text(zh="公司代码", en="company code")
        return Text(zh="销售范围", en="sales area")


@dataclass(frozen=True, slots=True)
class UsageEntry:
    """One line of the register: a customer's business in one org unit."""

    number: str
    org_kind: OrgKind
    org_unit: str  # F011, or F011/10/01 for a sales area
    doc_count: int
    last_doc_date: date | None
    imported_at: datetime | None = None
    source: str = ""

    @property
    def has_business(self) -> bool:
        # A last date without documents (archived or reversed ones) still says the customer
        # was used there; for the deletion check, doubt counts as business.
        return self.doc_count > 0 or self.last_doc_date is not None

    def describe(self) -> Text:
        """公司代码 F011：12 张凭证，最后凭证日期 2024-05-01"""
        last = self.last_doc_date.isoformat() if self.last_doc_date else ""
        zh = f"{self.org_kind.label.zh} {self.org_unit}：{self.doc_count} 张凭证"
        en = f"{self.org_kind.label.en} {self.org_unit}: {self.doc_count} documents"
        if last:
            zh += f"，最后凭证日期 {last}"
            en += f", last document {last}"
        return Text(zh=zh, en=en)


# --- the extract's columns ------------------------------------------------------------------


class Column(StrEnum):
    """The extract's columns by their SAP names."""

    KUNNR = "KUNNR"
    BUKRS = "BUKRS"
    VKORG = "VKORG"
    VTWEG = "VTWEG"
    SPART = "SPART"
    DOC_COUNT = "DOC_COUNT"
    LAST_DOC_DATE = "LAST_DOC_DATE"


# The columns that are catalog fields take the catalog's column heading.
_CATALOG_COLUMNS = {
    Column.KUNNR: "KNA1-KUNNR",
    Column.BUKRS: "KNB1-BUKRS",
    Column.VKORG: "KNVV-VKORG",
    Column.VTWEG: "KNVV-VTWEG",
    Column.SPART: "KNVV-SPART",
}
CHINESE_HEADERS: dict[Column, str] = {
    **{c: catalog().field(key).column_heading.zh for c, key in _CATALOG_COLUMNS.items()},
    Column.DOC_COUNT: "凭证数",
    Column.LAST_DOC_DATE: "最后凭证日期",
}
AREA_COLUMNS = (Column.VKORG, Column.VTWEG, Column.SPART)
ALWAYS_REQUIRED = (Column.KUNNR, Column.DOC_COUNT, Column.LAST_DOC_DATE)

_HEADERS: dict[str, Column] = {c.value: c for c in Column} | {
    zh: c for c, zh in CHINESE_HEADERS.items()
}


def column_of(header: str) -> Column | None:
    """The column a header names: the SAP name in any case, or the Chinese name; spaces and
    a leading byte-order mark (Excel writes one) do not count."""
    key = header.replace("\ufeff", "").strip()
    return _HEADERS.get(key.upper()) or _HEADERS.get(key)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    return letter(index + 1)


def column_title(column: Column) -> str:
    return f"{column.value}（{CHINESE_HEADERS[column]}）"


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell of the extract where a spreadsheet user finds it: header as written, letter."""

    header: str
    letter: str
    value: object  # str from a CSV; str, int, float, datetime or None from an XLSX


@dataclass(frozen=True, slots=True)
class ExtractProblem:
    """One thing wrong in an extract, where a spreadsheet user finds it (the header is line 1)."""

    line: int | None  # None: the file as a whole
    column: str  # the header as the file writes it; "" when unreadable or for a whole row
    letter: str  # the column's letter, "C"; "" for a whole row or file
    value: str
    message: Text
    severity: Severity = Severity.ERROR

    def text(self, lang: str = "zh") -> str:
        """第 3 行，C 列（DOC_COUNT）：凭证数不能为负数：-5"""
        if lang.startswith("en"):
            where = "file" if self.line is None else f"line {self.line}"
            if self.letter:
                where += f", column {self.letter}" + (f" ({self.column})" if self.column else "")
            warning, colon = "warning: ", ": "
        else:
            # Full-width punctuation, as Chinese text writes it.
            where = "文件" if self.line is None else f"第 {self.line} 行"
            if self.letter:
                where += f"，{self.letter} 列" + (f"（{self.column}）" if self.column else "")
            warning, colon = "警告：", "："
        message = self.message.get(lang)
        if self.severity is Severity.WARNING:
            message = warning + message
        value = colon + self.value if self.value else ""
        return f"{where}{colon}{message}{value}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def cell_problem(
    line: int, cell: Cell, zh: str, en: str, severity: Severity = Severity.ERROR
) -> ExtractProblem:
    return ExtractProblem(
        line, cell.header, cell.letter, cell_text(cell.value), Text(zh=zh, en=en), severity
    )


# --- cells ----------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A cell as text: what the user typed (full-width digits folded to ASCII: every column
    is a code, a number or a date), or Excel's number without a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return field_types.CODE.normalize(str(value)).strip()


class BadCell(ValueError):
    """A cell's value cannot be taken; the text says why in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.text = Text(zh=zh, en=en)


def parse_number(value: object) -> str:
    text = cell_text(value).upper()
    if not text:
        raise BadCell("客户编号必须填写", "The customer number is required")
    if text.isascii() and text.isdigit() and len(text) < NUMBER_LENGTH:
        # SAP's ALPHA conversion: an ERP list shows 12345 for 0000012345, and Excel drops
        # leading zeros of a number cell.
        text = text.zfill(NUMBER_LENGTH)
    if len(text) > NUMBER_LENGTH:
        raise BadCell("客户编号最多 10 位", "The customer number has at most 10 characters")
    return text


def parse_code(value: object, width: int = 0) -> str:
    """An org code; channel and division are two digits that Excel turns into 1 for 01."""
    text = cell_text(value).upper()
    if width and text.isascii() and text.isdigit() and len(text) < width:
        text = text.zfill(width)
    return text


_INTEGER = re.compile(r"[+-]?[0-9]+")


def parse_count(value: object) -> int:
    if isinstance(value, bool):
        raise BadCell("凭证数必须是整数", "The document count must be a whole number")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        count = value
    else:
        text = cell_text(value)
        if not text:
            raise BadCell("凭证数必须填写", "The document count is required")
        if not _INTEGER.fullmatch(text):
            raise BadCell("凭证数必须是整数", "The document count must be a whole number")
        count = int(text)
    if count < 0:
        raise BadCell("凭证数不能为负数", "The document count must not be negative")
    if count > MAX_COUNT:
        raise BadCell("凭证数太大", "The document count is too large")
    return count


_DATE_FORMATS = (
    # re.ASCII: \d takes 0-9 only, not the digits of every script.
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})", re.ASCII),  # ISO, what the ERP writes
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})", re.ASCII),  # SAP's internal DATS
    # What Excel in a Chinese locale writes when it saves a sheet as CSV (2024/5/1).
    re.compile(r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})", re.ASCII),
)


def parse_date(value: object, today: date) -> date | None:
    """A last document date; None for an empty cell or SAP's initial date 00000000."""
    if isinstance(value, datetime):  # an Excel date cell (openpyxl gives a datetime)
        found = value.date()
    elif isinstance(value, date):
        found = value
    elif (serial := excel_date(value)) is not None:  # a number cell not formatted as a date
        found = serial
    else:
        text = cell_text(value)
        if text in ("", "00000000", "0000-00-00"):
            return None
        found = _date_of_text(text)
    if found > today:
        raise BadCell("日期在未来", "The date is in the future")
    return found


def _date_of_text(text: str) -> date:
    for pattern in _DATE_FORMATS:
        if m := pattern.fullmatch(text):
            try:
                return date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                raise BadCell("日期不存在", "No such date") from None
    raise BadCell(
        "日期格式不对，应为 YYYY-MM-DD 或 YYYYMMDD",
        "Bad date; expected YYYY-MM-DD or YYYYMMDD",
    )


# --- one row --------------------------------------------------------------------------------


@dataclass
class ExtractRow:
    """One data row as far as it could be read; None where a cell was bad."""

    line: int
    cells: dict[Column, Cell]
    number: str | None = None
    org_kind: OrgKind | None = None
    org_unit: str | None = None
    doc_count: int | None = None
    last_doc_date: date | None = None
    problems: list[ExtractProblem] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, OrgKind, str] | None:
        if self.number is None or self.org_kind is None or self.org_unit is None:
            return None
        return (self.number, self.org_kind, self.org_unit)

    @property
    def org_cell(self) -> Cell:
        """The cell a problem with the org unit is shown at."""
        column = Column.BUKRS if self.org_kind is OrgKind.COMPANY_CODE else Column.VKORG
        return self.cells.get(column) or next(iter(self.cells.values()))

    def entry(self) -> UsageEntry:
        if self.key is None or self.doc_count is None:
            raise ValueError(f"line {self.line} has errors")
        return UsageEntry(self.key[0], self.key[1], self.key[2], self.doc_count, self.last_doc_date)


def check_row(line: int, cells: dict[Column, Cell], today: date) -> ExtractRow:
    """Read one data row, collecting every problem of its cells (none stops the others)."""
    row = ExtractRow(line, cells)

    def bad(column: Column, exc: BadCell) -> None:
        cell = cells[column]
        row.problems.append(
            ExtractProblem(line, cell.header, cell.letter, cell_text(cell.value), exc.text)
        )

    try:
        row.number = parse_number(cells[Column.KUNNR].value)
    except BadCell as exc:
        bad(Column.KUNNR, exc)
    _check_org_unit(row)
    try:
        row.doc_count = parse_count(cells[Column.DOC_COUNT].value)
    except BadCell as exc:
        bad(Column.DOC_COUNT, exc)
    try:
        row.last_doc_date = parse_date(cells[Column.LAST_DOC_DATE].value, today)
    except BadCell as exc:
        bad(Column.LAST_DOC_DATE, exc)
    else:
        if row.doc_count and row.last_doc_date is None:
            bad(
                Column.LAST_DOC_DATE,
                BadCell(
                    "有凭证时必须填写最后凭证日期",
                    "The last document date is required when there are documents",
                ),
            )
    return row


def _check_org_unit(row: ExtractRow) -> None:
    cells = row.cells
    code = parse_code(cells[Column.BUKRS].value) if Column.BUKRS in cells else ""
    area = [
        parse_code(cells[c].value, 0 if c is Column.VKORG else 2) if c in cells else ""
        for c in AREA_COLUMNS
    ]
    if code and any(area):
        cell = cells[Column.BUKRS]
        row.problems.append(
            cell_problem(
                row.line,
                cell,
                "一行只能填公司代码或销售范围（销售组织、分销渠道、产品组）之一",
                "Fill either the company code or the sales area (sales organization, "
                "distribution channel, division) in a row, not both",
            )
        )
    elif code:
        row.org_kind, row.org_unit = OrgKind.COMPANY_CODE, code
    elif all(area):
        row.org_kind, row.org_unit = OrgKind.SALES_AREA, "/".join(area)
    elif any(area):
        missing = next(c for c, v in zip(AREA_COLUMNS, area, strict=True) if not v)
        row.problems.append(
            cell_problem(
                row.line,
                cells[missing],
                "销售范围需要销售组织、分销渠道和产品组都填写",
                "A sales area needs the sales organization, distribution channel and division",
            )
        )
    else:
        cell = cells.get(Column.BUKRS) or cells[Column.VKORG]
        row.problems.append(
            cell_problem(
                row.line,
                cell,
                "请填写公司代码或销售范围",
                "Fill in the company code or the sales area",
            )
        )


def duplicate_problems(rows: list[ExtractRow]) -> None:
    """Mark every row whose customer and org unit appear in another row too. All of them:
    which of two differing rows is right the file does not say."""
    lines: dict[tuple[str, OrgKind, str], list[ExtractRow]] = {}
    for row in rows:
        if row.key is not None:
            lines.setdefault(row.key, []).append(row)
    for (number, _, unit), same in lines.items():
        if len(same) < 2:
            continue
        shown_zh = "、".join(str(r.line) for r in same)
        shown_en = ", ".join(str(r.line) for r in same)
        for row in same:
            cell = row.cells[Column.KUNNR]
            row.problems.append(
                ExtractProblem(
                    row.line,
                    cell.header,
                    cell.letter,
                    f"{number} {unit}",
                    Text(
                        zh=f"同一客户和组织单位出现在多行（第 {shown_zh} 行）",
                        en=f"The same customer and org unit appear in several lines ({shown_en})",
                    ),
                )
            )
