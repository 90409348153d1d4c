"""A filled Excel request form (services.request_form_xlsx) read back into draft requests, one
per customer sheet, through the request services' create_request: the requester is whoever
imports it (the head office, for a branch without access), the org unit the form's.

Every problem of every sheet is reported where Excel shows it (sheet, cell, field, message):
the form's layout (an unknown key in column A, a value beside a field that has one column, a
child row whose sales area is not the customer's), the document's shape (sap_document), the
characters (input_problems) and, for a create, the validator with the customizing as XD01
checks (required fields, codes, lengths). Nothing is filed while any sheet has an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import DomainError, Problem, errors_only
from custmd_gui.domain.field_status import Activity
from custmd_gui.domain.hygiene import UnreadableFile, read_bytes
from custmd_gui.domain.model import Customer
from custmd_gui.domain.requests import TYPE_TEXTS, Request, RequestType
from custmd_gui.domain.sap_document import from_document
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.domain.transfer.cells import letter
from custmd_gui.domain.validation import Validator, input_problems
from custmd_gui.services.context import Actor
from custmd_gui.services.create import with_sap_defaults
from custmd_gui.services.customizing import read_customizing
from custmd_gui.services.ports import UowFactory
from custmd_gui.services.request_form_xlsx import (
    FIRST_VALUE,
    FORM_MARK,
    KEY_COLUMN,
    ORG_UNIT_KEY,
    REASON_KEY,
    REQUEST_ROWS,
    SALES_AREA_ROW,
    TYPE_KEY,
    block_keys,
)
from custmd_gui.services.requests import create_request
from custmd_gui.services.transfer.import_sheet import ImportProblem, cell_text
from custmd_gui.services.transfer.import_xlsx import damaged
from custmd_gui.services.transfer.template_texts import code_sheet_name
from custmd_gui.services.transfer.workbook import NotAWorkbook, SheetGrid, read_sheets

_TABLES = ("KNA1", "KNBK", "KNB1", "KNVV", "KNVI", "KNVP")
_CHILDREN = ("KNVI", "KNVP")


class FormRefused(Exception):
    """The form has problems; nothing was filed."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        self.problems_at = list(problems)
        super().__init__("; ".join(p.line("en") for p in problems))


@dataclass
class _Record:
    column: int  # 1-based
    values: dict[str, str] = field(default_factory=dict)  # field key -> value


@dataclass
class FormSheet:
    """One customer sheet as read: the request's values, each table's records, where each
    key's row is."""

    name: str
    request: dict[str, str] = field(default_factory=dict)
    records: dict[str, list[_Record]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # key -> row number
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def blank(self) -> bool:
        """Nothing typed but the prefilled request type: a spare sheet, skipped."""
        return not self.records and not self.problems and set(self.request) <= {TYPE_KEY}

    def problem(self, row: int | None, column: int | None, key: str, zh: str, en: str) -> None:
        self.problems.append(
            ImportProblem(self.name, row, letter(column) if column else "", key, Text(zh=zh, en=en))
        )


def _known_keys() -> dict[str, str]:
    """Key in column A -> its table (or REQUEST)."""
    out = {key: "REQUEST" for key, _ in REQUEST_ROWS}
    for sheet in cols.sheets():
        if sheet.table in _TABLES:
            out.update({key: sheet.table for key, _ in block_keys(sheet)})
    return out


def _grids(path: Path, data: bytes) -> list[SheetGrid]:
    """Every sheet of the workbook, read as the customer import reads its workbooks."""
    try:
        return list(read_sheets(data))
    except NotAWorkbook:
        raise damaged(path) from None


def read_form(path: Path) -> tuple[list[FormSheet], list[ImportProblem]]:
    """The customer sheets of a filled form, and the problems of the workbook itself.
    UnreadableFile when it is no workbook."""
    path = Path(path)
    data = read_bytes(path)
    if not data.startswith(b"PK\x03\x04"):
        raise UnreadableFile.of(
            path,
            "不是 Excel 工作簿（.xlsx）：请在 Excel 中另存为 .xlsx",
            "Not an Excel workbook (.xlsx): save it as .xlsx in Excel",
        )
    known = _known_keys()
    sheets: list[FormSheet] = []
    loose: list[ImportProblem] = []
    codes = {code_sheet_name("zh"), code_sheet_name("en")}
    for name, grid in ((g.name, g.values) for g in _grids(path, data)):
        first = str(grid[0][0]).strip() if grid and grid[0] else ""
        if first != FORM_MARK:
            if name not in codes and any(any(c not in (None, "") for c in r) for r in grid):
                loose.append(
                    ImportProblem(
                        name,
                        None,
                        "",
                        "",
                        Text(
                            zh=f"工作表“{name}”不是申请表（A1 不是 {FORM_MARK}），未读取",
                            en=f"Sheet '{name}' is no request form (A1 is not {FORM_MARK})",
                        ),
                    )
                )
            continue
        sheets.append(_read_sheet(name, grid, known))
    if not sheets and not loose:
        loose.append(
            ImportProblem(
                path.name,
                None,
                "",
                "",
                Text(zh="工作簿中没有申请表工作表", en="The workbook holds no request form sheet"),
            )
        )
    return sheets, loose


def _read_sheet(name: str, grid: list[list[Any]], known: Mapping[str, str]) -> FormSheet:
    out = FormSheet(name)
    for r, cells in enumerate(grid[1:], start=2):
        key = str(cells[KEY_COLUMN - 1]).strip() if cells and cells[0] is not None else ""
        values: list[tuple[int, str]] = []
        for c in range(FIRST_VALUE, len(cells) + 1):
            text, bad = cell_text(cells[c - 1])
            if bad is not None:
                out.problem(r, c, key, bad.zh, bad.en)
            elif text.strip():
                values.append((c, text.strip()))
        if not key:
            if values and r > 3:  # rows 2-3: the title's note
                c = values[0][0]
                out.problem(
                    r, c, "", "A 列没有字段代码，本行的值无法读取", "No field key in column A"
                )
            continue
        if key in _TABLES:
            continue  # a block's heading row: its record numbers are no values
        table = known.get(key)
        if table is None:
            if key.startswith(("KNA1-", "KNBK-", "KNB1-", "KNVV-", "KNVI-", "KNVP-", "REQUEST")):
                out.problem(
                    r,
                    KEY_COLUMN,
                    key,
                    f"{key} 不是申请表的字段（A 列的字段代码不能修改）",
                    f"{key} is not a field of the form (column A must stay as it is)",
                )
            continue
        out.rows[key] = r
        single = table in ("REQUEST", "KNA1")
        for c, value in values:
            if single and c != FIRST_VALUE:
                out.problem(
                    r, c, key, "此字段只有一个值，请填在 C 列", "This field has one value: column C"
                )
                continue
            if table == "REQUEST":
                out.request[key] = value
                continue
            found = out.records.setdefault(table, [])
            record = next((x for x in found if x.column == c), None)
            if record is None:
                record = _Record(c)
                found.append(record)
            record.values[key] = value
    for found in out.records.values():
        found.sort(key=lambda x: x.column)
    return out


def _request_type(sheet: FormSheet) -> RequestType | None:
    given = sheet.request.get(TYPE_KEY, "")
    if not given:
        return RequestType.CREATE
    for t in RequestType:
        if given in (t.value, TYPE_TEXTS[t].zh, TYPE_TEXTS[t].en):
            return t
    choices = "、".join(TYPE_TEXTS[t].zh for t in RequestType)
    sheet.problem(
        sheet.rows.get(TYPE_KEY),
        FIRST_VALUE,
        TYPE_KEY,
        f"未知的申请类型“{given}”（可用：{choices}）",
        f"Unknown request type '{given}'",
    )
    return None


def _area_of(record: Mapping[str, str]) -> str:
    return "/".join(record.get(k, "") for k in cols.SALES_AREA_KEYS)


def document(sheet: FormSheet) -> dict[str, Any]:
    """The SAP-shaped document of a sheet (sap_document's JSON shape); a child row whose
    sales area is not one of the sheet's is reported on the sheet."""

    def own(record: _Record, table: str) -> dict[str, str]:
        prefix = f"{table}-"
        return {
            k[len(prefix) :]: v
            for k, v in record.values.items()
            if k.startswith(prefix) and not k.endswith(f"-{SALES_AREA_ROW}")
        }

    recs = sheet.records
    general = recs.get("KNA1", [_Record(FIRST_VALUE)])[0]
    doc: dict[str, Any] = {"KNA1": own(general, "KNA1")}
    for table in ("KNBK", "KNB1"):
        if recs.get(table):
            doc[table] = [own(r, table) for r in recs[table]]
    areas = recs.get("KNVV", [])
    by_area: dict[str, dict[str, Any]] = {}
    for r in areas:
        by_area.setdefault(_area_of(r.values), own(r, "KNVV"))
    for table in _CHILDREN:
        for r in recs.get(table, []):
            named = r.values.get(f"{table}-{SALES_AREA_ROW}", "")
            row = sheet.rows.get(f"{table}-{SALES_AREA_ROW}")
            if not named and len(by_area) == 1:
                named = next(iter(by_area))
            if named not in by_area:
                known = "、".join(by_area) or "—"
                sheet.problem(
                    row,
                    r.column,
                    f"{table}-{SALES_AREA_ROW}",
                    f"销售范围“{named}”不是本客户的销售范围（{known}）"
                    if named
                    else f"请填写销售范围（本客户有：{known}）",
                    f"Sales area '{named}' is not one of the customer's ({known})"
                    if named
                    else f"Name the sales area (the customer has: {known})",
                )
                continue
            by_area[named].setdefault(table, []).append(own(r, table))
    if areas:
        doc["KNVV"] = list(by_area.values())
    return doc


def _locate(sheet: FormSheet, problem: Problem) -> ImportProblem:
    """The cell of a problem: the row of its field, the column of its record (the one of its
    segment; of several, the one whose value the message quotes)."""
    key = problem.field_key
    table = key.split("-", 1)[0]
    row = sheet.rows.get(key)
    candidates = sheet.records.get(table, [])
    # A record's segment is its key (a company code, a sales area), empty when not filled.
    if table == "KNB1":
        mine = [r for r in candidates if r.values.get("KNB1-BUKRS", "") == problem.segment]
        candidates = mine or candidates
    elif table == "KNVV":
        mine = [r for r in candidates if _area_of(r.values).strip("/") == problem.segment]
        candidates = mine or candidates
    quoted = [r for r in candidates if r.values.get(key) and r.values[key] in problem.message.zh]
    chosen = (quoted or candidates or [_Record(FIRST_VALUE)])[0]
    where = f"[{problem.segment}] " if problem.segment and row is None else ""
    label = catalog().field(key).label if key in catalog() else None
    message = problem.message
    if label is not None and label.zh not in message.zh:
        message = Text(zh=f"{label.zh}：{message.zh}", en=f"{label.en}: {message.en}")
    if where:
        message = Text(zh=where + message.zh, en=where + message.en)
    column = letter(chosen.column) if row is not None else ""
    return ImportProblem(sheet.name, row, column, key, message, problem.severity)


@dataclass(frozen=True, slots=True)
class _Checked:
    sheet: FormSheet
    type: RequestType
    customer: Customer


def check_sheet(
    sheet: FormSheet, cust: Customizing, validator: Validator
) -> tuple[_Checked | None, list[ImportProblem]]:
    """A sheet's request, or every problem it has."""
    request_type = _request_type(sheet)
    if not sheet.request.get(REASON_KEY, "").strip():
        sheet.problem(
            sheet.rows.get(REASON_KEY),
            FIRST_VALUE,
            REASON_KEY,
            "请填写申请原因",
            "Enter the reason",
        )
    doc = document(sheet)
    problems = list(sheet.problems)
    try:
        customer = from_document(doc)
    except DomainError as exc:
        return None, problems + [_locate(sheet, p) for p in exc.problems]
    found = input_problems(customer)
    if not found and request_type is RequestType.CREATE:
        found = errors_only(validator.validate(with_sap_defaults(customer, cust), Activity.CREATE))
    problems += [_locate(sheet, p) for p in found]
    if problems or request_type is None:
        return None, problems
    return _Checked(sheet, request_type, customer), []


def import_request_form(uow_factory: UowFactory, actor: Actor, path: Path) -> list[Request]:
    """Draft requests of the form's customer sheets, in the workbook's order. FormRefused
    with every problem (nothing filed), UnreadableFile when it is no workbook."""
    sheets, problems = read_form(path)
    cust = read_customizing(uow_factory)
    validator = Validator(cust)
    checked: list[_Checked] = []
    filled = [s for s in sheets if not s.blank]
    if sheets and not filled:
        problems.append(
            ImportProblem(
                sheets[0].name,
                None,
                "",
                "",
                Text(zh="申请表中没有填写任何客户", en="The form holds no customer"),
            )
        )
    for sheet in filled:
        ok, found = check_sheet(sheet, cust, validator)
        problems += found
        if ok is not None:
            checked.append(ok)
    if problems:
        raise FormRefused(problems)
    filed: list[Request] = []
    for one in checked:
        try:
            filed.append(
                create_request(
                    uow_factory,
                    actor,
                    one.type,
                    one.customer,
                    reason=one.sheet.request.get(REASON_KEY, ""),
                    org_unit=one.sheet.request.get(ORG_UNIT_KEY) or None,
                )
            )
        except DomainError as exc:
            # Refused at filing (rights, a customer that does not exist): what was filed
            # before stays filed, and says so.
            done = ", ".join(r.number for r in filed)
            refused = [_locate(one.sheet, p) for p in exc.problems]
            if done:
                refused.append(
                    ImportProblem(
                        one.sheet.name,
                        None,
                        "",
                        "",
                        Text(
                            zh=f"此前的工作表已生成申请 {done}",
                            en=f"The sheets before were filed as {done}",
                        ),
                    )
                )
            raise FormRefused(refused) from None
    return filed
