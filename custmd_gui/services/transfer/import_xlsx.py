"""Reading the workbook of a filled template (import_reader does the rest): its sheets as
services.transfer.workbook reads them, checked by import_sheet."""

from __future__ import annotations

from pathlib import Path

from custmd_gui.catalog import Text
from custmd_gui.domain.hygiene import UnreadableFile
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.services.transfer.import_sheet import (
    LIST_SHEET,
    ImportProblem,
    ReadFile,
    read_sheet,
)
from custmd_gui.services.transfer.template_texts import code_sheet_name
from custmd_gui.services.transfer.template_xlsx import instructions_title
from custmd_gui.services.transfer.workbook import NotAWorkbook, stream_sheets


def read_xlsx(path: Path, data: bytes) -> ReadFile:
    """The template's sheets of the workbook (services.transfer.workbook reads them, a row at a
    time). The largest sheet is read first, each into its own part, put together in the
    workbook's order: the reader holds a sheet's cells while its rows are made, and the
    largest (the partner functions: several rows a customer) then meets the fewest rows read
    before it."""
    out = ReadFile()
    parts: dict[str, ReadFile] = {}  # sheet name -> what it holds, in the workbook's order

    def template_sheet(name: str) -> bool:
        part = parts[name] = ReadFile(texts=out.texts)
        if cols.sheet_named(name) is None:
            _other_sheet(name, part)
            return False
        return True

    found = False
    try:
        for grid in stream_sheets(data, template_sheet, largest_first=True):
            sheet = cols.sheet_named(grid.name)
            assert sheet is not None
            found = True
            read_sheet(sheet, grid.name, grid.rows, grid.uncached, grid.merged, parts[grid.name])
            del grid  # the sheet's cells, before the next one is read
    except NotAWorkbook:
        raise damaged(path) from None
    for part in parts.values():
        out.rows += part.rows
        out.problems += part.problems
        out.headers.update(part.headers)
    if not found:
        out.problems.append(no_sheets(path))
    return out


def damaged(path: Path) -> UnreadableFile:
    return UnreadableFile.of(
        path,
        "不是有效的 Excel 工作簿（.xlsx），文件可能已损坏",
        "Not a valid Excel workbook (.xlsx); the file may be damaged",
    )


def no_sheets(path: Path) -> ImportProblem:
    names = "、".join(s.name("zh") for s in cols.sheets())
    return ImportProblem(
        path.name,
        None,
        "",
        "",
        Text(
            zh=f"工作簿中没有客户模板的工作表（{names}）；请使用 custmd template 生成的模板",
            en="The workbook has none of the template's sheets; use a template written by "
            "custmd template",
        ),
    )


def _other_sheet(name: str, out: ReadFile) -> None:
    """A sheet that is not one of the template's data sheets: the template's instructions and
    code sheet and the error file's list are skipped; any other (a renamed or mistyped data
    sheet, a sheet of one's own) is an error, since its rows would be lost without a word."""
    skipped = {f(lang) for f in (code_sheet_name, instructions_title) for lang in ("zh", "en")}
    if name in skipped or name in LIST_SHEET.values():
        return
    names = "、".join(s.name("zh") for s in cols.sheets())
    out.problems.append(
        ImportProblem(
            name,
            None,
            "",
            "",
            Text(
                zh=f"工作表“{name}”不是客户模板的工作表，其中的行不会被导入：请改回模板中的名称"
                f"（{names}），或删除该工作表",
                en=f"Sheet '{name}' is not one of the template's sheets and its rows would not "
                "be imported: give it back the template's name, or delete it",
            ),
        )
    )
