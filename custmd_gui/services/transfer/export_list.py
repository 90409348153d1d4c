"""The customer list as a file: the rows the list shows for a search and its filters, with the
list's columns (number, name, search term, city, account group, telephone, status) under the
list's headings, as XLSX or CSV (UTF-8 with BOM, for Excel). What the main window's
客户 → 导出列表 (Ctrl+Shift+E) and `custmd customer export --list` write.

The headings and status words come from a translator of the list's text keys ("col.name",
"status.blocked", ...): the window passes its own (Qt's translations, so the file says what
the list says), the command line `texts(lang)`. Streamed a page at a time like the full
export, and written whole or not at all.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from custmd_gui.catalog import Text
from custmd_gui.services.listing import CustomerListRow
from custmd_gui.services.transfer.atomic import replacing
from custmd_gui.services.transfer.template_content import display_width

# The list's columns (ui.customer_list_model.COLUMNS), in its order; the texts are those of
# the main window's translations (context MainWindow), for a command line without Qt.
COLUMNS = ("number", "name", "search_term", "city", "account_group", "telephone", "status")

_TEXTS: dict[str, Text] = {
    "col.number": Text(zh="客户", en="Customer"),
    "col.name": Text(zh="名称", en="Name"),
    "col.search_term": Text(zh="搜索条款", en="Search term"),
    "col.city": Text(zh="城市", en="City"),
    "col.account_group": Text(zh="科目组", en="Account group"),
    "col.telephone": Text(zh="电话", en="Telephone"),
    "col.status": Text(zh="状态", en="Status"),
    "status.blocked": Text(zh="冻结", en="Blocked"),
    "status.deleted": Text(zh="删除标记", en="Marked for deletion"),
    "status.partly_blocked": Text(zh="部分冻结", en="Partly blocked"),
    "status.partly_deleted": Text(zh="部分删除标记", en="Partly marked for deletion"),
    "status.separator": Text(zh="、", en=", "),
}

Translate = Callable[[str], str]


def texts(lang: str) -> Translate:
    """The list's texts in `lang` without Qt (the command line)."""
    return lambda key: _TEXTS[key].get(lang) if key in _TEXTS else key


def cell(row: CustomerListRow, key: str, tr: Translate) -> str:
    """What the list shows in column `key` of `row`."""
    if key != "status":
        value: str = getattr(row, key)
        return value
    parts = []
    if row.blocked:
        parts.append(tr("status.blocked"))
    elif row.partly_blocked:
        parts.append(tr("status.partly_blocked"))
    if row.deletion_flag:
        parts.append(tr("status.deleted"))
    elif row.partly_flagged:
        parts.append(tr("status.partly_deleted"))
    return tr("status.separator").join(parts)


def is_csv(path: Path) -> bool:
    return path.suffix.lower() == ".csv"


def write_list(
    pages: Iterable[Sequence[CustomerListRow]],
    path: Path,
    tr: Translate,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the list rows of `pages` to `path` (CSV for a .csv name, else XLSX); returns
    how many rows. OSError when it cannot be written."""
    path = Path(path)
    headings = [tr(f"col.{key}") for key in COLUMNS]
    count = 0

    def lines() -> Iterable[list[str]]:
        nonlocal count
        for page in pages:
            for row in page:
                yield [cell(row, key, tr) for key in COLUMNS]
                count += 1
            if progress is not None:
                progress(count)

    if is_csv(path):
        with replacing(path) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, lineterminator="\r\n")
            writer.writerow(headings)
            writer.writerows(lines())
        return count
    with replacing(path) as tmp:
        # Fails at once when the folder cannot take the file, before any row is read.
        tmp.touch()
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(tr("col.number"))
        widths = {"number": 12, "name": 40, "search_term": 18, "city": 14, "telephone": 18}
        for i, key in enumerate(COLUMNS):
            letter = get_column_letter(i + 1)
            ws.column_dimensions[letter].width = max(
                widths.get(key, 12), display_width(headings[i]) + 2
            )
        ws.freeze_panes = "A2"
        header = []
        for heading in headings:
            c = WriteOnlyCell(ws, heading)
            c.font = Font(bold=True)
            header.append(c)
        ws.append(header)
        for values in lines():
            ws.append([v or None for v in values])
        wb.save(tmp)
    return count
