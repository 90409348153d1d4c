"""`custmd customer export`: every customer the user sees, in the template's format, so that the
file can be imported again (services.transfer.template; layout: domain.transfer.columns).

The same sheets, columns and three header rows as the template; data rows (column A empty)
where the template has its sample. Not in the export: the template's instructions sheet, its
hidden code sheet and dropdowns (the export is data, not a form to fill in).

Streamed: customers are read a page at a time (services.transfer.export_source) and written
as they come, the workbook in openpyxl's write-only mode (rows go to temporary files), the
CSV files line by line; nothing holds all customers. The file appears whole or not at all
(a temporary file renamed, services.transfer.atomic).

Deterministic: the same database gives the same file, apart from what the file formats stamp
with the time of writing: in an XLSX file the creation and modification times of
docProps/core.xml and the ZIP entries' dates; CSV files hold no time at all.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.model import Customer
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.services.transfer.atomic import replacing
from custmd_gui.services.transfer.template import FileForm, build_template
from custmd_gui.services.transfer.template_content import Template
from custmd_gui.services.transfer.template_csv import (
    ENCODING,
    header_rows,
    wide_columns,
    wide_header_rows,
)
from custmd_gui.services.transfer.template_xlsx import (
    finish_sheet,
    set_columns,
    style_header,
)
from custmd_gui.services.transfer.template_xlsx import (
    header_rows as xlsx_header_rows,
)

Progress = Callable[[int], None]


@dataclass(slots=True)
class Written:
    """What an export wrote: its files and how many customers they hold."""

    paths: list[Path] = field(default_factory=list)
    customers: int = 0


def export_template_form(
    customers: Iterable[Customer],
    cust: Customizing,
    target: Path,
    *,
    form: FileForm = FileForm.XLSX,
    lang: str = "zh",
    progress: Progress | None = None,
) -> Written:
    """Write `customers` (an iterator, read once) to `target`: a workbook, a folder of CSV
    files (made if missing) or one wide CSV file. OSError when it cannot be written."""
    template = build_template(cust, lang=lang)
    if form is FileForm.XLSX:
        return _xlsx(customers, template, Path(target), progress)
    if form is FileForm.CSV:
        return _csv_files(customers, template, Path(target), progress)
    return _csv_wide(customers, template, Path(target), progress)


def _counted(
    customers: Iterable[Customer], written: Written, progress: Progress | None
) -> Iterator[dict[str, list[cols.Row]]]:
    for customer in customers:
        yield cols.rows_of(customer)
        written.customers += 1
        if progress is not None:
            progress(written.customers)


def _xlsx(
    customers: Iterable[Customer], template: Template, path: Path, progress: Progress | None
) -> Written:
    with replacing(path) as tmp:
        # Fails at once when the folder cannot take the file, before any row is read.
        tmp.touch()
        wb = Workbook(write_only=True)
        sheets: list[tuple[cols.Sheet, Any]] = []
        for sheet in template.sheets:
            ws = wb.create_sheet(sheet.name(template.lang))
            set_columns(ws, sheet, template.lang)
            finish_sheet(ws, sheet)
            for r, values in enumerate(xlsx_header_rows(sheet, template), start=cols.KEY_ROW):
                cells = []
                for i, value in enumerate(values, start=1):
                    cell = WriteOnlyCell(ws, value)
                    style_header(cell, r, i, sheet, template)
                    cells.append(cell)
                ws.append(cells)
            sheets.append((sheet, ws))
        written = Written([path])
        for rows in _counted(customers, written, progress):
            for sheet, ws in sheets:
                for row in rows[sheet.id]:
                    # Empty cells stay empty (None): a reader takes them as "".
                    ws.append([None, *((row.get(c.key) or None) for c in sheet.columns)])
        wb.save(tmp)
    return written


def _writer(stream: TextIO) -> Any:
    return csv.writer(stream, lineterminator="\r\n")


def _csv_files(
    customers: Iterable[Customer], template: Template, folder: Path, progress: Progress | None
) -> Written:
    folder.mkdir(exist_ok=True)
    written = Written()
    with contextlib.ExitStack() as stack:
        writers = {}
        for sheet in template.sheets:
            path = folder / f"{sheet.table}.csv"
            tmp = stack.enter_context(replacing(path))
            stream = stack.enter_context(tmp.open("w", encoding=ENCODING, newline=""))
            writer = _writer(stream)
            writer.writerows(header_rows(template, sheet.columns))
            writers[sheet.id] = (sheet, writer)
            written.paths.append(path)
        for rows in _counted(customers, written, progress):
            for sheet, writer in writers.values():
                for row in rows[sheet.id]:
                    writer.writerow(["", *(row.get(c.key, "") for c in sheet.columns)])
        # The files are closed (ExitStack: last opened first) before they are renamed.
    return written


def _csv_wide(
    customers: Iterable[Customer], template: Template, path: Path, progress: Progress | None
) -> Written:
    columns = wide_columns(template)
    owned = [(s, {c.key for c in s.columns}) for s in template.sheets]
    written = Written([path])
    with replacing(path) as tmp, tmp.open("w", encoding=ENCODING, newline="") as stream:
        writer = _writer(stream)
        writer.writerows(wide_header_rows(template, columns))
        for rows in _counted(customers, written, progress):
            for sheet, mine in owned:
                for row in rows[sheet.id]:
                    writer.writerow(
                        [
                            "",
                            sheet.table,
                            *(row.get(c.key, "") if c.key in mine else "" for c in columns),
                        ]
                    )
    return written
