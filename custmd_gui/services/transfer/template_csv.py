"""The template as CSV: UTF-8 with a byte-order mark (so that Excel reads it as UTF-8), in the
same layout as the workbook's sheets (domain.transfer.columns): column A is the meta column,
line 1 the field keys, line 2 the labels, line 3 the required marks, then the sample rows
(column A "示例"/"Sample"); data rows leave column A empty.

Two forms: one file per sheet, named by its table (KNA1.csv, KNBK.csv, ...), or one wide file
with all sheets' columns side by side and a column TABLE naming the sheet each row belongs to
(a row fills the customer keys and its own table's columns)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from custmd_gui.domain.transfer import columns as cols
from custmd_gui.services.transfer.atomic import replacing
from custmd_gui.services.transfer.template_content import Template

ENCODING = "utf-8-sig"


def _write(path: Path, rows: Sequence[Sequence[str]]) -> None:
    """Whole or not at all: a temporary file beside `path`, renamed."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    with replacing(path) as tmp:
        tmp.write_text(buffer.getvalue(), encoding=ENCODING, newline="")


def header_rows(template: Template, columns: Sequence[cols.Column]) -> list[list[str]]:
    lang = template.lang
    return [
        [cols.META_FIELD.get(lang), *(c.key for c in columns)],
        [cols.META_LABEL.get(lang), *(c.heading(lang) for c in columns)],
        [cols.META_STATUS.get(lang), *(template.marks[c.key].status_text(lang) for c in columns)],
    ]


def sheet_rows(template: Template, sheet: cols.Sheet) -> list[list[str]]:
    mark = cols.SAMPLE_MARK.get(template.lang)
    rows = header_rows(template, sheet.columns)
    for values in template.samples.get(sheet.id, []):
        rows.append([mark, *(values.get(c.key, "") for c in sheet.columns)])
    return rows


def write_csv_files(template: Template, folder: Path) -> list[Path]:
    """One file per sheet in `folder` (made if missing, its parent must exist)."""
    folder = Path(folder)
    folder.mkdir(exist_ok=True)
    written = []
    for sheet in template.sheets:
        path = folder / f"{sheet.table}.csv"
        _write(path, sheet_rows(template, sheet))
        written.append(path)
    return written


def wide_columns(template: Template) -> list[cols.Column]:
    """Every sheet's columns once, in sheet order (the shared keys at their first place)."""
    seen: dict[str, cols.Column] = {}
    for sheet in template.sheets:
        for column in sheet.columns:
            seen.setdefault(column.key, column)
    return list(seen.values())


def wide_header_rows(template: Template, columns: Sequence[cols.Column]) -> list[list[str]]:
    """The wide file's header: column A, the TABLE column, then `columns`."""
    lang = template.lang
    rows = header_rows(template, columns)
    rows[0].insert(1, cols.TABLE_COLUMN)
    rows[1].insert(1, cols.TABLE_LABEL.get(lang))
    rows[2].insert(1, cols.ColumnMark(cols.Mark.REQUIRED, (), ()).status_text(lang))
    return rows


def write_csv_wide(template: Template, path: Path) -> None:
    lang = template.lang
    columns = wide_columns(template)
    rows = wide_header_rows(template, columns)
    mark = cols.SAMPLE_MARK.get(lang)
    for sheet in template.sheets:
        mine = {c.key for c in sheet.columns}
        for values in template.samples.get(sheet.id, []):
            rows.append(
                [
                    mark,
                    sheet.table,
                    *(values.get(c.key, "") if c.key in mine else "" for c in columns),
                ]
            )
    _write(Path(path), rows)
