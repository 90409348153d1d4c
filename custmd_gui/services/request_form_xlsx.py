"""The Excel request form (客户主数据维护申请表) a branch without access to the system fills and
mails in: one customer per sheet, generated from the field catalog and the customizing (the
template's columns, required marks and code lists: services.transfer.template_content).

A sheet reads top to bottom as the paper form does: the request (type, reason, org unit), then
each table of the customer as a block of rows, one row per field: column A the field's key
(what the reader goes by), B its label coloured by its required mark, C the value. A table that
may have several rows (bank details, company codes, sales areas, tax classifications,
partners) has several value columns C, D, E, F: one record each, and more may follow to the
right. Tax classifications and partners name their sales area (F011/10/01) in their first row,
or leave it empty when the customer has one sales area.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from custmd_gui.catalog import Text
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.requests import TYPE_TEXTS, RequestType
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.services.request_form import TITLE
from custmd_gui.services.transfer.atomic import replacing
from custmd_gui.services.transfer.template_content import Template, build_template, display_width
from custmd_gui.services.transfer.template_texts import code_sheet_name
from custmd_gui.services.transfer.template_xlsx import (
    _WHITE_TEXT,
    FILLS,
    TEXT_FORMAT,
    _code_sheet,
)

# Column A1 of every customer sheet: how the reader knows a form sheet.
FORM_MARK = "CUSTMD-REQUEST-FORM"
KEY_COLUMN, LABEL_COLUMN, FIRST_VALUE = 1, 2, 3
RECORDS = 4  # value columns of a table with several rows
# The request's own rows (not customer fields).
TYPE_KEY, REASON_KEY, ORG_UNIT_KEY = "REQUEST-TYPE", "REQUEST-REASON", "REQUEST-ORG_UNIT"
REQUEST_ROWS: tuple[tuple[str, Text], ...] = (
    (TYPE_KEY, Text(zh="申请类型", en="Request type")),
    (REASON_KEY, Text(zh="申请原因（必填）", en="Reason (required)")),
    (ORG_UNIT_KEY, Text(zh="申请单位（组织单位）", en="Requesting org unit")),
)
# A child row of a sales area names it in this row of its block (KNVI-SALES_AREA).
SALES_AREA_ROW = "SALES_AREA"
SALES_AREA_LABEL = Text(
    zh="销售范围（如 F011/10/01；只有一个销售范围时留空）",
    en="Sales area (e.g. F011/10/01; empty when there is one)",
)
SHEET_NAME = Text(zh="客户{n}", en="Customer {n}")
_ONE_RECORD = frozenset({"KNA1"})
_SECTION_FILL = "D9E1F2"
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _fill(rgb: str) -> PatternFill:
    return PatternFill("solid", start_color=rgb, end_color=rgb)


def records(table: str) -> int:
    """The value columns a table's block offers (the reader takes more)."""
    return 1 if table in _ONE_RECORD else RECORDS


def type_text(request_type: RequestType, lang: str) -> str:
    return TYPE_TEXTS[request_type].get(lang)


def block_keys(sheet: cols.Sheet) -> list[tuple[str, cols.Column | None]]:
    """The rows of a table's block: (key in column A, its catalog column or None for the
    sales-area row of a child table). The customer's keys are the general data's only."""
    out: list[tuple[str, cols.Column | None]] = []
    if sheet.table in ("KNVI", "KNVP"):
        out.append((f"{sheet.table}-{SALES_AREA_ROW}", None))
    for column in sheet.columns:
        if column.field.table != sheet.table:
            continue  # the customer's and the sales area's keys borrowed by the template
        if sheet.table != "KNA1" and column.key in cols.CUSTOMER_KEYS:
            continue
        out.append((column.key, column))
    return out


def write_request_form(
    cust: Customizing, target: Path, *, lang: str = "zh", sheets: int = 1
) -> Path:
    """Write the blank form with `sheets` customer sheets, whole or not at all."""
    template = build_template(cust, lang=lang)
    wb = Workbook()
    first = wb.active
    code_ws = wb.create_sheet(code_sheet_name(lang))
    ranges = _code_sheet(code_ws, template)
    for n in range(1, sheets + 1):
        ws = first if n == 1 else wb.create_sheet(SHEET_NAME.get(lang).format(n=n))
        ws.title = SHEET_NAME.get(lang).format(n=n)
        _customer_sheet(ws, template, ranges)
    wb.move_sheet(code_ws, offset=len(wb.sheetnames))
    code_ws.sheet_state = "hidden"
    wb.active = 0
    with replacing(Path(target)) as tmp:
        wb.save(tmp)
    return Path(target)


def _customer_sheet(ws: Any, template: Template, ranges: dict[str, str]) -> None:
    lang = template.lang
    ws.cell(1, KEY_COLUMN, FORM_MARK).font = Font(size=8, color="A6A6A6")
    ws.cell(1, LABEL_COLUMN, TITLE.get(lang)).font = Font(bold=True, size=16)
    note = Text(
        zh="每个工作表一个客户（需要更多客户时复制本工作表）。A 列是字段代码，请勿修改；在 C 列"
        "填写数据，可有多行的数据（银行、公司代码、销售范围、税分类、合伙人）依次填在 C、D、E、F"
        "列。红色标签为必输字段。",
        en="One customer per sheet (copy the sheet for more). Column A holds the field keys: "
        "leave it as it is; fill column C, and for data with several rows (banks, company "
        "codes, sales areas, tax, partners) columns C, D, E, F in turn. Red labels are "
        "required.",
    ).get(lang)
    ws.cell(2, LABEL_COLUMN, note).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=2, start_column=LABEL_COLUMN, end_row=2, end_column=FIRST_VALUE + 3)
    ws.row_dimensions[2].height = 48
    row = 4
    types = [type_text(t, lang) for t in RequestType]
    for key, label in REQUEST_ROWS:
        _key_cell(ws, row, key)
        head = ws.cell(row, LABEL_COLUMN, label.get(lang))
        head.font = Font(bold=True)
        head.border = _BOX
        value = ws.cell(
            row, FIRST_VALUE, type_text(RequestType.CREATE, lang) if key == TYPE_KEY else None
        )
        value.border = _BOX
        value.number_format = TEXT_FORMAT
        if key == TYPE_KEY:
            dv = DataValidation(type="list", formula1=f'"{",".join(types)}"', allow_blank=False)
            ws.add_data_validation(dv)
            dv.add(value.coordinate)
        if key == REASON_KEY:
            ws.merge_cells(
                start_row=row, start_column=FIRST_VALUE, end_row=row, end_column=FIRST_VALUE + 3
            )
        row += 1
    for sheet in template.sheets:
        row += 1
        row = _block(ws, row, sheet, template, ranges)
    ws.column_dimensions[get_column_letter(KEY_COLUMN)].width = 14
    widest = max(display_width(c.heading(lang)) for s in template.sheets for c in s.columns)
    ws.column_dimensions[get_column_letter(LABEL_COLUMN)].width = max(24, widest + 2)
    for i in range(RECORDS):
        letter = get_column_letter(FIRST_VALUE + i)
        ws.column_dimensions[letter].width = 26
        ws.column_dimensions[letter].number_format = TEXT_FORMAT
    ws.freeze_panes = "C4"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.print_title_rows = "1:1"


def _key_cell(ws: Any, row: int, key: str) -> None:
    ws.cell(row, KEY_COLUMN, key).font = Font(size=8, color="808080")


def _block(ws: Any, row: int, sheet: cols.Sheet, template: Template, ranges: dict[str, str]) -> int:
    """One table's block from `row`; returns the row after it."""
    lang = template.lang
    count = records(sheet.table)
    _key_cell(ws, row, sheet.table)  # the reader knows a block's heading by it
    title = ws.cell(row, LABEL_COLUMN, sheet.name(lang))
    for col in range(LABEL_COLUMN, FIRST_VALUE + RECORDS):
        ws.cell(row, col).fill = _fill(_SECTION_FILL)
    title.font = Font(bold=True, size=12)
    if count > 1:
        for i in range(count):
            cell = ws.cell(row, FIRST_VALUE + i, f"{i + 1}")
            cell.font = Font(bold=True, color="595959")
            cell.alignment = Alignment(horizontal="center")
    row += 1
    for key, column in block_keys(sheet):
        _key_cell(ws, row, key)
        label = ws.cell(row, LABEL_COLUMN)
        label.border = _BOX
        if column is None:
            label.value = SALES_AREA_LABEL.get(lang)
            label.alignment = Alignment(wrap_text=True)
            ws.row_dimensions[row].height = 30
        else:
            mark = template.marks[column.key]
            label.value = column.heading(lang)
            white = mark.mark in _WHITE_TEXT
            label.fill = _fill(FILLS[mark.mark])
            label.font = Font(bold=True, color="FFFFFF" if white else "000000")
        for i in range(count):
            cell = ws.cell(row, FIRST_VALUE + i)
            cell.border = _BOX
            cell.number_format = TEXT_FORMAT
        if column is not None:
            _dropdown(ws, row, column, template, ranges, count)
        row += 1
    return row


def _dropdown(
    ws: Any,
    row: int,
    column: cols.Column,
    template: Template,
    ranges: dict[str, str],
    count: int,
) -> None:
    list_id = template.value_list(column)
    if list_id is not None:
        formula = f"={ranges[list_id]}"
    elif column.field.type == "FLAG":
        formula = '"X"'
    else:
        return
    dv = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=column.heading(template.lang)[:32],
        error=Text(
            zh=f"{column.key}：请从列表中选择一个代码",
            en=f"{column.key}: choose a code of the list",
        ).get(template.lang),
    )
    ws.add_data_validation(dv)
    # The record columns and the ones a filler may add to the right.
    last = get_column_letter(FIRST_VALUE + (1 if count == 1 else RECORDS + 4) - 1)
    dv.add(f"{get_column_letter(FIRST_VALUE)}{row}:{last}{row}")
