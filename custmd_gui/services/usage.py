"""Usage register use cases: read an ERP extract (CSV or XLSX), check it, import it, and tell
which business a customer has (what a physical deletion must ask first).

An import writes nothing while any row is bad, unless the caller accepts the good rows only;
then those are written in one transaction. Every problem of every row is reported, with the
line and column a spreadsheet user finds it at (the header is line 1).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from custmd_gui.catalog import Text
from custmd_gui.domain import hygiene
from custmd_gui.domain.authorization import Permission
from custmd_gui.domain.errors import NotFound, Severity
from custmd_gui.domain.usage import (
    ALWAYS_REQUIRED,
    AREA_COLUMNS,
    Cell,
    Column,
    ExtractProblem,
    ExtractRow,
    OrgKind,
    UsageEntry,
    cell_problem,
    cell_text,
    check_row,
    column_letter,
    column_of,
    column_title,
    duplicate_problems,
)
from custmd_gui.persistence.unit_of_work import UnitOfWork
from custmd_gui.services.authorization import authorize, check_visible
from custmd_gui.services.context import Actor
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.transfer.workbook import NotAWorkbook, read_sheets

_BOM = b"\xef\xbb\xbf"
_ZIP = b"PK\x03\x04"  # an XLSX is a zip archive
_OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls
# Lines with undecodable bytes listed one by one at most; the rest are counted.
MAX_ENCODING_LINES = 20
SAVE_AS_UTF8 = Text(
    zh="请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
    en='save it from Excel as "CSV UTF-8 (Comma delimited)"',
)

Record = tuple[int, list[object]]  # (line as a spreadsheet shows it, cell values)


@dataclass
class ParsedExtract:
    """An extract as far as it could be read. With file problems (encoding, a missing column,
    not a spreadsheet at all) no row can be trusted and none is imported."""

    source: str  # the file name without its folder
    rows: list[ExtractRow] = field(default_factory=list)
    file_problems: list[ExtractProblem] = field(default_factory=list)
    data_lines: int = 0  # non-blank lines after the header, when the rows could not be read

    @property
    def rows_read(self) -> int:
        return len(self.rows) or self.data_lines

    @property
    def problems(self) -> list[ExtractProblem]:
        rows = [p for r in self.rows for p in r.problems]
        return self.file_problems + sorted(rows, key=_problem_order)


def _problem_order(p: ExtractProblem) -> tuple[int, int, str]:
    return (p.line or 0, len(p.letter), p.letter)


@dataclass(frozen=True, slots=True)
class ImportReport:
    source: str
    rows_read: int
    imported: int
    rejected: int  # rows with errors; the good rows of a refused extract are neither
    problems: tuple[ExtractProblem, ...]

    @property
    def errors(self) -> list[ExtractProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def refused(self) -> bool:
        """Nothing was imported because of errors."""
        return self.imported == 0 and bool(self.errors)

    def summary(self, lang: str = "zh") -> str:
        if lang.startswith("en"):
            text = (
                f"{self.source}: {self.rows_read} rows read, {self.imported} imported, "
                f"{self.rejected} rejected"
            )
            return text + ("; nothing was imported" if self.refused else "")
        text = (
            f"{self.source}：读取 {self.rows_read} 行，"
            f"导入 {self.imported} 行，拒绝 {self.rejected} 行"
        )
        return text + ("；没有导入任何数据" if self.refused else "")


# --- reading the file -----------------------------------------------------------------------


def read_extract(path: Path, *, today: date | None = None) -> ParsedExtract:
    """Read and check an extract without the database: columns, counts, dates, duplicates.

    CSV must be UTF-8 (a byte-order mark is fine); XLSX is read from its first sheet. The
    header is the first non-blank line; columns are found by header, in any order, and
    columns the register does not know (a name, say) are ignored. Raises OSError when the
    file cannot be read at all."""
    data = path.read_bytes()
    extract = ParsedExtract(source=path.name)
    if data.startswith(_OLE) or path.suffix.lower() == ".xls":
        extract.file_problems.append(
            _file_problem(
                "不支持旧的 .xls 格式，请另存为 .xlsx 或“CSV UTF-8（逗号分隔）”",
                'The old .xls format is not supported; save it as .xlsx or "CSV UTF-8"',
            )
        )
        return extract
    reader = _xlsx_records if data.startswith(_ZIP) else _csv_records
    records = reader(data, extract)
    if records is None:
        return extract
    _read_rows(records, extract, today or date.today())
    return extract


def _file_problem(zh: str, en: str, line: int | None = None) -> ExtractProblem:
    return ExtractProblem(line, "", "", "", Text(zh=zh, en=en))


def _csv_records(data: bytes, extract: ParsedExtract) -> list[Record] | None:
    wide = hygiene.wide_encoding(data)
    if wide is not None:  # no line of it reads as UTF-8: the file as a whole is named
        extract.file_problems.append(
            _file_problem(
                f"不是 UTF-8 编码（看起来是 {wide} 编码）；{SAVE_AS_UTF8.zh}",
                f"Not UTF-8 (it looks like {wide}); {SAVE_AS_UTF8.en}",
            )
        )
        return None
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    # surrogateescape keeps undecodable bytes as lone surrogates, so the CSV is still split
    # into lines and cells and each bad byte can be reported where it is.
    text = data.decode("utf-8", "surrogateescape")
    first = text.split("\n", 1)[0]
    # An SAP list download is tab-separated, a European Excel writes semicolons.
    delimiter = next((d for d in (",", "\t", ";") if d in first), ",")
    try:
        records: list[Record] = [
            (i, list(cells))
            for i, cells in enumerate(
                csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1
            )
        ]
    except csv.Error as exc:
        extract.file_problems.append(
            _file_problem(f"无法读取 CSV 文件：{exc}", f"Cannot read the CSV file: {exc}")
        )
        return None
    if _encoding_problems(data, records, extract):
        extract.data_lines = max(0, sum(1 for _, cells in records if _filled(cells)) - 1)
        return None
    return records


def _has_bad_bytes(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def _encoding_problems(data: bytes, records: list[Record], extract: ParsedExtract) -> bool:
    """Report the lines that are not UTF-8. The whole file is refused then: a file in another
    encoding is the wrong file, and its rows without Chinese are no more right than the rest."""
    bad = [
        (line, index, value)
        for line, cells in records
        for index, value in enumerate(cells)
        if isinstance(value, str) and _has_bad_bytes(value)
    ]
    if not bad:
        return False
    name = hygiene.detect_encoding(data)
    guess = Text(zh=f"（看起来是 {name} 编码）", en=f" (it looks like {name})")
    if name is None:
        guess = Text(zh="", en="")
    header = {
        i: str(v) for i, v in enumerate(records[0][1]) if isinstance(v, str) and v.isprintable()
    }
    seen: set[int] = set()
    for line, index, value in bad:
        if line in seen:
            continue  # one problem per line: the first bad cell shows where it starts
        seen.add(line)
        if len(seen) > MAX_ENCODING_LINES:
            break
        raw = value.encode("utf-8", "surrogateescape")
        extract.file_problems.append(
            ExtractProblem(
                line,
                "" if line == 1 else header.get(index, ""),
                column_letter(index),
                # What the bytes probably said, so that the user recognises the cell.
                raw.decode("gb18030", "replace"),
                Text(
                    zh=f"不是 UTF-8 编码{guess.zh}；{SAVE_AS_UTF8.zh}",
                    en=f"Not UTF-8{guess.en}; {SAVE_AS_UTF8.en}",
                ),
            )
        )
    lines = len({line for line, _, _ in bad})
    if lines > MAX_ENCODING_LINES:
        extract.file_problems.append(
            _file_problem(f"共有 {lines} 行不是 UTF-8 编码", f"{lines} lines in all are not UTF-8")
        )
    return True


def _xlsx_records(data: bytes, extract: ParsedExtract) -> list[Record] | None:
    """The first sheet, read as the customer import reads its workbooks."""
    try:
        first = next(read_sheets(data), None)
    except NotAWorkbook as exc:
        extract.file_problems.append(
            _file_problem(f"无法读取 XLSX 文件：{exc}", f"Cannot read the XLSX file: {exc}")
        )
        return None
    if first is None:
        return []
    # Rows start at row 1 and column A, blank ones included, so the enumeration is the
    # spreadsheet's own numbering.
    return [(i, list(values)) for i, values in enumerate(first.values, 1)]


def _filled(cells: Sequence[object]) -> bool:
    return any(cell_text(c) for c in cells)


def _read_rows(records: list[Record], extract: ParsedExtract, today: date) -> None:
    filled = [(line, cells) for line, cells in records if _filled(cells)]
    if not filled:
        extract.file_problems.append(_file_problem("文件是空的", "The file is empty"))
        return
    (header_line, header), data = filled[0], filled[1:]
    columns = _columns(header_line, header, extract)
    if columns is None:
        extract.data_lines = len(data)
        return
    for line, values in data:
        cells = {
            column: Cell(
                cell_text(header[i]),
                column_letter(i),
                values[i] if i < len(values) else None,
            )
            for column, i in columns.items()
        }
        extract.rows.append(check_row(line, cells, today))
    duplicate_problems(extract.rows)


def _columns(line: int, header: list[object], extract: ParsedExtract) -> dict[Column, int] | None:
    """Where each known column is; None after reporting a missing or doubled one."""
    columns: dict[Column, int] = {}
    problems: list[ExtractProblem] = []
    for index, value in enumerate(header):
        column = column_of(cell_text(value))
        if column is None:
            continue
        if column in columns:
            first = column_letter(columns[column])
            problems.append(
                ExtractProblem(
                    line,
                    cell_text(value),
                    column_letter(index),
                    "",
                    Text(
                        zh=f"列 {column_title(column)}出现了两次（还有 {first} 列）",
                        en=f"Column {column.value} appears twice (also column {first})",
                    ),
                )
            )
        else:
            columns[column] = index
    missing = [c for c in ALWAYS_REQUIRED if c not in columns]
    areas = [c for c in AREA_COLUMNS if c in columns]
    if areas:
        # Part of a sales area is a mistake even beside a company code column.
        missing += [c for c in AREA_COLUMNS if c not in columns]
    for column in missing:
        problems.append(
            _file_problem(
                f"缺少必需的列 {column_title(column)}",
                f"The required column {column.value} is missing",
                line,
            )
        )
    if Column.BUKRS not in columns and not areas:
        problems.append(
            _file_problem(
                "缺少公司代码列 BUKRS（公司代码），或销售范围的三列 VKORG（销售组织）、"
                "VTWEG（分销渠道）、SPART（产品组）",
                "Missing the company code column BUKRS, or the three sales area columns "
                "VKORG, VTWEG, SPART",
                line,
            )
        )
    extract.file_problems.extend(problems)
    return None if problems else columns


# --- checking against the database and importing -------------------------------------------


def check_against_database(uow: UnitOfWork, rows: Sequence[ExtractRow]) -> None:
    """Add the problems only the database can tell: unknown customers and org units (errors),
    a customer not created in the org unit (a warning). One query per batch of customers."""
    customizing = uow.customizing.load()
    existing = uow.usage.existing_customers([r.number for r in rows if r.number])
    known = sorted(existing)
    codes = uow.usage.company_codes_of(known)
    areas = uow.usage.sales_areas_of(known)
    for row in rows:
        if row.number is not None and row.number not in existing:
            row.problems.append(
                cell_problem(
                    row.line,
                    row.cells[Column.KUNNR],
                    f"客户 {row.number} 不存在",
                    f"Customer {row.number} does not exist",
                )
            )
        if row.org_kind is None or row.org_unit is None:
            continue
        unit, cell = row.org_unit, row.org_cell
        if row.org_kind is OrgKind.COMPANY_CODE:
            known_unit = customizing.has("company_codes", unit)
            created = (row.number, unit) in codes
        else:
            known_unit = customizing.has("sales_areas", unit)
            created = (row.number, unit) in areas
        label = row.org_kind.label
        if not known_unit:
            row.problems.append(
                ExtractProblem(
                    row.line,
                    cell.header,
                    cell.letter,
                    unit,
                    Text(zh=f"{label.zh}不存在", en=f"No such {label.en}"),
                )
            )
        elif row.number in existing and not created:
            # A warning, not an error: the documents exist in the ERP whatever this app's
            # master data says, and the register must not lose them; refusing the row would
            # let a customer with business there look deletable.
            row.problems.append(
                ExtractProblem(
                    row.line,
                    cell.header,
                    cell.letter,
                    unit,
                    Text(
                        zh=f"客户 {row.number} 未在此{label.zh}中创建；业务仍会登记",
                        en=f"Customer {row.number} is not created in this {label.en}; "
                        "its business is registered all the same",
                    ),
                    Severity.WARNING,
                )
            )


def import_usage(
    uow_factory: UowFactory,
    path: Path,
    actor: Actor,
    *,
    accept_good_rows: bool = False,
    today: date | None = None,
) -> ImportReport:
    """Import an extract: nothing while any row has an error, unless accept_good_rows; then
    the good rows in one transaction, replacing the register's entries of the same keys.
    Needs the permission import_usage."""
    authorize(actor, Permission.IMPORT_USAGE)
    extract = read_extract(path, today=today)
    if extract.file_problems:
        return ImportReport(
            extract.source, extract.rows_read, 0, extract.rows_read, tuple(extract.problems)
        )
    with uow_factory(write=True) as uow:
        # Checked in the writing transaction: what was checked is what gets written.
        check_against_database(uow, extract.rows)
        good = [r for r in extract.rows if not any(p.is_error for p in r.problems)]
        rejected = len(extract.rows) - len(good)
        imported = 0
        if good and (accept_good_rows or not rejected):
            imported = uow.usage.upsert(
                [r.entry() for r in good], now=uow.now(), user=actor.user, source=extract.source
            )
            uow.commit()
    return ImportReport(
        extract.source, len(extract.rows), imported, rejected, tuple(extract.problems)
    )


# --- asking the register --------------------------------------------------------------------


def usage_of(uow: UnitOfWork, number: str) -> list[UsageEntry]:
    """A customer's register entries (company codes first, then sales areas, by org unit)."""
    return uow.usage.of_customers([number])


def usage_of_customers(uow: UnitOfWork, numbers: Sequence[str]) -> dict[str, list[UsageEntry]]:
    """The entries of each of these customers, one query per batch; [] for one without."""
    out: dict[str, list[UsageEntry]] = {n: [] for n in numbers}
    for entry in uow.usage.of_customers(numbers):
        out[entry.number].append(entry)
    return out


def read_usage(
    uow_factory: UowFactory, number: str, actor: Actor | None = None
) -> list[UsageEntry]:
    """A customer's entries for display; NotFound when there is no such customer (or, with
    an actor, one the actor may not see)."""
    with uow_factory() as uow:
        if actor is not None:
            check_visible(uow, actor, number)
        if not uow.usage.existing_customers([number]):
            raise NotFound.single(
                "KNA1-KUNNR", f"客户 {number} 不存在", f"Customer {number} does not exist"
            )
        return usage_of(uow, number)
