"""The template as an Excel workbook (openpyxl): an instructions sheet, one sheet per segment in
the layout of domain.transfer.columns, and a hidden code sheet the dropdowns read from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from custmd_gui.catalog import Text
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.services.transfer.atomic import replacing
from custmd_gui.services.transfer.template_content import (
    Template,
    column_width,
    display_width,
)
from custmd_gui.services.transfer.template_texts import code_sheet_name, instructions

TEXT_FORMAT = "@"  # Excel's "text" number format: 0001 stays 0001
LAST_ROW = 1048576
# Header fills per mark (SAP's colours: key fields blue, required red).
FILLS = {
    cols.Mark.KEY: "2F5597",
    cols.Mark.REQUIRED: "C00000",
    cols.Mark.SOME: "F4B084",
    cols.Mark.OPTIONAL: "D9D9D9",
}
_WHITE_TEXT = {cols.Mark.KEY, cols.Mark.REQUIRED}
SAMPLE_FILL = "F2F2F2"
SAMPLE_FONT = "808080"
_PROMPT = 250  # Excel allows 255 characters in a validation's prompt
_INSTRUCTION_WIDTH = 110  # characters of the instructions' text column


def _fill(rgb: str) -> PatternFill:
    return PatternFill("solid", start_color=rgb, end_color=rgb)


def write_xlsx(template: Template, path: Path) -> None:
    """Write the workbook to `path` whole or not at all (a temporary file renamed)."""
    wb = Workbook()
    lang = template.lang
    info = wb.active
    info.title = instructions_title(lang)
    _instructions(info, template)
    code_ws = wb.create_sheet(code_sheet_name(lang))
    ranges = _code_sheet(code_ws, template)
    for sheet in template.sheets:
        _data_sheet(wb.create_sheet(sheet.name(lang)), sheet, template, ranges)
    # Last and hidden: it serves the dropdowns; the instructions say how to show it.
    wb.move_sheet(code_ws, offset=len(wb.sheetnames))
    code_ws.sheet_state = "hidden"
    wb.active = 0
    with replacing(Path(path)) as tmp:
        wb.save(tmp)


def instructions_title(lang: str) -> str:
    return Text(zh="说明", en="Instructions").get(lang)


def _instructions(ws: Any, template: Template) -> None:
    names = [display_width(s.name(template.lang)) for s in template.sheets]
    ws.column_dimensions["A"].width = max(18, *names) + 2
    ws.column_dimensions["B"].width = _INSTRUCTION_WIDTH + 4
    row = 1
    for kind, first, second in instructions(template):
        a, b = ws.cell(row, 1), ws.cell(row, 2)
        if kind == "title":
            a.value = first
            a.font = Font(bold=True, size=14)
        elif kind == "heading":
            row += 1
            a = ws.cell(row, 1, first)
            a.font = Font(bold=True, size=12)
        elif kind.startswith("mark:"):
            mark = cols.Mark(kind.split(":", 1)[1])
            a.value = first
            a.fill = _fill(FILLS[mark])
            a.font = Font(bold=True, color="FFFFFF" if mark in _WHITE_TEXT else "000000")
            b.value = second
        elif kind == "sample":
            a.value = first
            a.fill = _fill(SAMPLE_FILL)
            a.font = Font(italic=True, color=SAMPLE_FONT)
            b.value = second
        else:
            a.value, b.value = first, second
        b.alignment = Alignment(wrap_text=True, vertical="top")
        a.alignment = Alignment(vertical="top")
        # Spreadsheet programs do not grow a row for wrapped text written by a program.
        lines = -(-display_width(str(b.value or "")) // _INSTRUCTION_WIDTH)
        if lines > 1:
            ws.row_dimensions[row].height = 15 * lines + 2
        row += 1


def _code_sheet(ws: Any, template: Template) -> dict[str, str]:
    """Two columns per code list (code, text); returns list id -> the codes' range."""
    lang = template.lang
    ranges: dict[str, str] = {}
    header = Text(zh="代码", en="Code"), Text(zh="说明", en="Text")
    for i, (list_id, (label, entries)) in enumerate(template.codes.items()):
        code_col, text_col = 2 * i + 1, 2 * i + 2
        ws.cell(1, code_col, list_id).font = Font(bold=True)
        ws.cell(1, text_col, label.get(lang)).font = Font(bold=True)
        ws.cell(2, code_col, header[0].get(lang)).font = Font(italic=True)
        ws.cell(2, text_col, header[1].get(lang)).font = Font(italic=True)
        for r, entry in enumerate(entries, start=3):
            cell = ws.cell(r, code_col, entry.code)
            cell.number_format = TEXT_FORMAT
            ws.cell(r, text_col, entry.text)
        letter = get_column_letter(code_col)
        last = max(3, 2 + len(entries))
        ranges[list_id] = f"{quote_sheetname(ws.title)}!${letter}$3:${letter}${last}"
        widest = max((display_width(e.code) for e in entries), default=4)
        ws.column_dimensions[letter].width = max(8, len(list_id) + 2, widest + 2)
        ws.column_dimensions[get_column_letter(text_col)].width = 28
    return ranges


def _data_sheet(ws: Any, sheet: cols.Sheet, template: Template, ranges: dict[str, str]) -> None:
    lang = template.lang
    for r, header in enumerate(header_rows(sheet, template), start=cols.KEY_ROW):
        for i, value in enumerate(header, start=1):
            style_header(ws.cell(r, i, value), r, i, sheet, template)
    set_columns(ws, sheet, lang)
    for i, column in enumerate(sheet.columns, start=2):
        _validation(ws, column, get_column_letter(i), template, ranges)
    for r, values in enumerate(template.samples.get(sheet.id, []), start=cols.SAMPLE_ROW):
        marker = ws.cell(r, 1, cols.SAMPLE_MARK.get(lang))
        marker.comment = _comment(
            Text(
                zh="示例行（流程文件中的东宁广告有限公司）：A 列写着“示例”的行不会导入。"
                "请在下面的空行填写数据，A 列留空。",
                en="Sample row (the process documents' example customer): rows with "
                "'Sample' in column A are never imported. Fill your data in the rows "
                "below, column A left empty.",
            ).get(lang)
        )
        for i, column in enumerate(sheet.columns, start=2):
            cell = ws.cell(r, i, values.get(column.key, ""))
            cell.number_format = TEXT_FORMAT
        for i in range(1, len(sheet.columns) + 2):
            cell = ws.cell(r, i)
            cell.fill = _fill(SAMPLE_FILL)
            cell.font = Font(italic=True, color=SAMPLE_FONT)
    finish_sheet(ws, sheet)


# The parts of a data sheet that the export (services.transfer.export_xlsx, openpyxl's
# write-only mode: cells are appended row by row) shares with the template.


def header_rows(sheet: cols.Sheet, template: Template) -> list[list[str]]:
    """Rows 1-3 of a data sheet, column A included: field keys, labels, required marks."""
    lang = template.lang
    return [
        [cols.META_FIELD.get(lang), *(c.key for c in sheet.columns)],
        [cols.META_LABEL.get(lang), *(c.heading(lang) for c in sheet.columns)],
        [
            cols.META_STATUS.get(lang),
            *(template.marks[c.key].status_text(lang) for c in sheet.columns),
        ],
    ]


def style_header(cell: Any, row: int, index: int, sheet: cols.Sheet, template: Template) -> None:
    """The look of header cell (row, index) (index 1: column A): a cell of either mode."""
    if index == 1:
        cell.font = Font(bold=True, color="595959")
        cell.fill = _fill("EDEDED")
        return
    column = sheet.columns[index - 2]
    mark = template.marks[column.key]
    white = mark.mark in _WHITE_TEXT
    if row == cols.KEY_ROW:
        cell.font = Font(size=9, color="595959")
    elif row == cols.LABEL_ROW:
        cell.font = Font(bold=True, color="FFFFFF" if white else "000000")
        cell.fill = _fill(FILLS[mark.mark])
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        note = f"{mark.note(column, template.lang)}\n\n{column.field.help.get(template.lang)}"
        cell.comment = _comment(note)
    else:
        cell.font = Font(size=9, color="FFFFFF" if white else "000000")
        cell.fill = _fill(FILLS[mark.mark])
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def set_columns(ws: Any, sheet: cols.Sheet, lang: str) -> None:
    """Column widths and the text format (before any row, as write-only mode needs)."""
    ws.column_dimensions["A"].width = 9
    for i, column in enumerate(sheet.columns, start=2):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = column_width(column, lang)
        # Every field is text in SAP (CHAR, NUMC): the column's cells typed later stay text.
        dim.number_format = TEXT_FORMAT


def finish_sheet(ws: Any, sheet: cols.Sheet) -> None:
    ws.row_dimensions[cols.LABEL_ROW].height = 30
    ws.row_dimensions[cols.STATUS_ROW].height = 24
    ws.print_title_rows = f"{cols.KEY_ROW}:{cols.STATUS_ROW}"
    ws.print_title_cols = "A:A"
    ws.page_setup.orientation = "landscape"
    # The header and the customer keys stay in view.
    first_free = get_column_letter(2 + len(cols.CUSTOMER_KEYS))
    ws.freeze_panes = f"{first_free}{cols.HEADER_ROWS + 1}"


def _validation(
    ws: Any, column: cols.Column, letter: str, template: Template, ranges: dict[str, str]
) -> None:
    lang = template.lang
    list_id = template.value_list(column)
    if list_id is not None:
        formula = f"={ranges[list_id]}"
        entries = template.codes[list_id][1]
        pairs = "; ".join(f"{e.code} {e.text}" for e in entries)
        where = Text(
            zh=f"完整列表见隐藏的工作表“{code_sheet_name('zh')}”",
            en=f"the full list is on the hidden sheet '{code_sheet_name('en')}'",
        ).get(lang)
        prompt = pairs if len(pairs) <= _PROMPT else f"{pairs[: _PROMPT - len(where) - 3]}… {where}"
    elif column.field.type == "FLAG":
        formula = '"X"'
        prompt = Text(zh="X = 是，空 = 否", en="X = yes, empty = no").get(lang)
    else:
        return
    dv = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle=column.heading(lang)[:32],
        error=Text(
            zh=f"{column.key}：请从列表中选择一个代码",
            en=f"{column.key}: choose a code of the list",
        ).get(lang),
        promptTitle=column.heading(lang)[:32],
        prompt=prompt,
    )
    ws.add_data_validation(dv)
    dv.add(f"{letter}{cols.SAMPLE_ROW}:{letter}{LAST_ROW}")


def _comment(text: str) -> Comment:
    comment = Comment(text, "custmd")
    comment.width, comment.height = 320, 160
    return comment
