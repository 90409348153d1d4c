"""The import's compact rows (services.transfer.import_sheet.RowValues: a tuple per row, not a
dict) answer as the dict did, and a workbook's rows read one at a time are the grid
read_sheets gives."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from custmd_gui.domain.transfer import columns as cols
from custmd_gui.services.transfer.import_sheet import FileRow, ReadFile, SheetLayout, read_sheet
from custmd_gui.services.transfer.workbook import read_sheets, stream_sheets


def test_row_values_hold_the_filled_cells_only() -> None:
    sheet = next(s for s in cols.sheets() if s.id == "general")
    layout = SheetLayout(sheet, "一般数据", {"KNA1-ALTKN": 0, "KNA1-NAME1": 1, "KNA1-NAME2": 2}, {})
    row = FileRow(layout, 7, ("A-1", "上海东宁广告有限公司", ""))
    assert (row.number, row.sheet_name, row.sheet) == (7, "一般数据", sheet)
    as_dict = {"KNA1-ALTKN": "A-1", "KNA1-NAME1": "上海东宁广告有限公司"}
    values = row.values
    assert dict(values.items()) == as_dict and dict(values) == as_dict and len(values) == 2
    assert values.get("KNA1-NAME2") is None and values.get("KNA1-NAME2", "") == ""
    assert values.get("KNA1-ORT01", "x") == "x" and "KNA1-NAME2" not in values
    assert row.values["KNA1-ALTKN"] == "A-1"


def test_read_sheet_interns_values_across_sheets_and_keeps_row_numbers() -> None:
    general = cols.sheet_named(next(s.name("zh") for s in cols.sheets() if s.id == "general"))
    assert general is not None
    out = ReadFile()
    grid = [
        ["字段", "KNA1-ALTKN", "KNA1-NAME1", "KNA1-ORT01"],
        *([["说明"]] * (cols.HEADER_ROWS - 1)),
        [None, "A-1", "甲公司", "上海"],
        [],
        [None, "A-2", "乙公司", 2025.0],
    ]
    read_sheet(general, "一般数据", iter(grid), set(), (), out)
    first, second = out.rows
    assert (first.number, second.number) == (cols.HEADER_ROWS + 1, cols.HEADER_ROWS + 3)
    assert dict(second.values.items()) == {
        "KNA1-ALTKN": "A-2",
        "KNA1-NAME1": "乙公司",
        "KNA1-ORT01": "2025",
    }
    assert first.layout is second.layout and first.letters["KNA1-ORT01"] == "D"


def test_streamed_rows_are_the_grid_from_a1(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "offset"
    ws["C3"], ws["D5"], ws["E4"] = "x", 12, "长"
    book.create_sheet("empty")
    full = book.create_sheet("full")
    for r in range(1, 30):
        full.append([f"r{r}", r, None, "同"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    grids = {g.name: g for g in read_sheets(data)}
    streamed = {s.name: s for s in stream_sheets(data)}
    assert set(grids) == set(streamed) == {"offset", "empty", "full"}
    for name, grid in grids.items():
        rows = list(streamed[name].rows)
        assert rows == grid.values, name
        assert streamed[name].uncached == grid.uncached


def test_giving_memory_back_is_harmless_and_known_with_glibc() -> None:
    import platform

    from custmd_gui.services.transfer import import_memory

    import_memory.give_back()
    if platform.libc_ver()[0] == "glibc":
        assert import_memory._malloc_trim() is not None
