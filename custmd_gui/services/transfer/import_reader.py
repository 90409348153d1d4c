"""Reading a filled customer template (domain.transfer.columns' layout): an Excel workbook
(import_xlsx), one CSV file (a sheet named by its table, or the wide form with a TABLE column)
or a folder of CSV files. CSV is UTF-8 with or without byte-order mark; another encoding is
refused naming the one it looks like (domain.hygiene.decode_utf8). The rows and cells are
import_sheet's."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from custmd_gui.catalog import Text
from custmd_gui.domain.hygiene import UnreadableFile, decode_utf8, read_bytes
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.services.transfer.import_sheet import (
    ERROR_COLUMN,
    FileRow,
    ImportProblem,
    ReadFile,
    read_sheet,
)
from custmd_gui.services.transfer.import_xlsx import damaged, read_xlsx

__all__ = ["ERROR_COLUMN", "FileRow", "ImportProblem", "ReadFile", "read_file"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls files
_ZIP_MAGIC = b"PK\x03\x04"


def read_file(path: Path) -> ReadFile:
    """Every data row of the file and every problem of its form. UnreadableFile when the file
    cannot be read at all (missing, not XLSX/CSV, encrypted, corrupt, wrong encoding)."""
    return _read(Path(path)).done()


def _read(path: Path) -> ReadFile:
    if path.is_dir():
        return _read_csv_folder(path)
    data = read_bytes(path)
    if data.startswith(_OLE_MAGIC):
        raise UnreadableFile.of(
            path,
            "文件有密码保护（已加密）或是旧的 .xls 格式；请在 Excel 中取消密码并另存为 .xlsx",
            "The file is password-protected (encrypted) or an old .xls file; remove the "
            "password in Excel and save it as .xlsx",
        )
    if data.startswith(_ZIP_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
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
