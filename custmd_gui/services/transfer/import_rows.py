"""From the rows of a file to customers: which rows belong together, the SAP-shaped document
they make (new customers), the stored customer they overlay (existing ones), and where in the
file a problem of a field of a segment sits.

Rows are tied to their customer by KNA1-ALTKN (the previous account number) when it is given,
else by KNA1-KUNNR (domain.transfer.columns). Pure: no database."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from custmd_gui.catalog import Text
from custmd_gui.domain import names
from custmd_gui.domain.errors import Problem, Severity
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.services.transfer.import_reader import FileRow, ImportProblem, ReadFile
from custmd_gui.services.transfer.import_sheet import naming

_BY_TABLE = {s.table: s for s in cols.sheets()}
_SHEET_ORDER = [s.id for s in cols.sheets()]
_SHEET_INDEX = {sid: i for i, sid in enumerate(_SHEET_ORDER)}


@dataclass(slots=True)
class FileCustomer:
    """The rows of one customer, by sheet id, and what the file says of it."""

    general: FileRow
    # The rows of the other sheets in the sheets' order: one tuple, not a dict of lists (a
    # large file has a hundred thousand customers).
    others: tuple[FileRow, ...] = ()
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def rows(self) -> dict[str, tuple[FileRow, ...]]:
        """The rows by sheet id (the sheets that have some), made when asked."""
        out: dict[str, list[FileRow]] = {"general": [self.general]}
        for row in self.others:
            out.setdefault(row.sheet.id, []).append(row)
        return {sid: tuple(rows) for sid, rows in out.items()}

    @property
    def altkn(self) -> str:
        return self.general.values.get("KNA1-ALTKN", "").strip()

    @property
    def kunnr(self) -> str:
        return self.general.values.get("KNA1-KUNNR", "").strip()

    @property
    def label(self) -> str:
        """How a message names the customer: its previous number, its number or its row."""
        return self.altkn or self.kunnr or f"{self.general.sheet_name}#{self.general.number}"

    def all_rows(self) -> list[FileRow]:
        return [self.general, *self.others]

    @property
    def failed(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)


def _problem(row: FileRow, key: str, zh: str, en: str) -> ImportProblem:
    return ImportProblem(
        row.sheet_name, row.number, row.letters.get(key, ""), key, Text(zh=zh, en=en)
    )


def group_rows(read: ReadFile) -> tuple[list[FileCustomer], list[ImportProblem]]:
    """The customers of the file in the order of their general rows, and the problems of rows
    that belong to none (no keys, an unknown customer) or repeat a customer."""
    customers: list[FileCustomer] = []
    by_altkn: dict[str, FileCustomer] = {}
    by_kunnr: dict[str, FileCustomer] = {}
    by_uscc: dict[str, FileCustomer] = {}
    loose: list[ImportProblem] = []
    others: dict[int, list[FileRow]] = {}  # id of a customer -> its rows of other sheets
    for row in (r for r in read.rows if r.sheet.id == "general"):
        altkn = row.values.get("KNA1-ALTKN", "").strip()
        kunnr = row.values.get("KNA1-KUNNR", "").strip()
        if altkn and altkn in by_altkn:
            first = by_altkn[altkn].general.number
            loose.append(
                _problem(
                    row,
                    "KNA1-ALTKN",
                    f"原客户编号 {altkn} 在文件中重复（第 {first} 行已有）",
                    f"Previous account number {altkn} repeats in the file (row {first})",
                )
            )
            continue
        if kunnr and kunnr in by_kunnr:
            first = by_kunnr[kunnr].general.number
            loose.append(
                _problem(
                    row,
                    "KNA1-KUNNR",
                    f"客户编号 {kunnr} 在文件中重复（第 {first} 行已有）",
                    f"Customer number {kunnr} repeats in the file (row {first})",
                )
            )
            continue
        customer = FileCustomer(row)
        uscc = names.normalize_uscc(row.values.get("KNA1-STCD5", ""))
        if uscc and uscc in by_uscc:
            first = by_uscc[uscc].general.number
            customer.problems.append(
                _problem(
                    row,
                    "KNA1-STCD5",
                    f"统一社会信用代码 {uscc} 在文件中重复（第 {first} 行的客户已使用）",
                    f"Unified social credit code {uscc} repeats in the file (the customer of "
                    f"row {first} has it)",
                )
            )
        elif uscc:
            by_uscc[uscc] = customer
        if not altkn and not kunnr:
            customer.problems.append(
                _problem(
                    row,
                    "KNA1-ALTKN",
                    "请填写原客户编号（KNA1-ALTKN）或客户编号（KNA1-KUNNR）：重复导入时靠它识别客户",
                    "Fill in the previous account number (KNA1-ALTKN) or the customer number "
                    "(KNA1-KUNNR): a second import recognises the customer by it",
                )
            )
        if altkn:
            by_altkn[altkn] = customer
        if kunnr:
            by_kunnr[kunnr] = customer
        customers.append(customer)
    for row in (r for r in read.rows if r.sheet.id != "general"):
        altkn = row.values.get("KNA1-ALTKN", "").strip()
        kunnr = row.values.get("KNA1-KUNNR", "").strip()
        owner = by_altkn.get(altkn) if altkn else by_kunnr.get(kunnr) if kunnr else None
        if owner is None:
            which = f"KNA1-ALTKN {altkn}" if altkn else f"KNA1-KUNNR {kunnr}" if kunnr else ""
            key = "KNA1-ALTKN" if altkn or not kunnr else "KNA1-KUNNR"
            loose.append(
                _problem(
                    row,
                    key,
                    f"一般数据中没有这个客户（{which}）" if which else "请填写原客户编号或客户编号",
                    f"No customer {which} in the general data"
                    if which
                    else "Fill in the previous account number or the customer number",
                )
            )
            continue
        others.setdefault(id(owner), []).append(row)
    for customer in customers:
        mine = others.get(id(customer), [])
        # sorted() keeps the file's order within a sheet
        customer.others = tuple(sorted(mine, key=lambda r: _SHEET_INDEX[r.sheet.id]))
    return customers, loose


def new_document(customer: FileCustomer) -> dict[str, Any]:
    """The SAP-shaped document of a new customer's rows."""
    return cols.document_of({sid: [r.values for r in rows] for sid, rows in customer.rows.items()})


def _row_keys(table: str) -> list[str]:
    """The SAP names identifying a row of `table` under its parent."""
    sheet = _BY_TABLE[table]
    return [c.field.sap_name for c in sheet.own if c.role is cols.Role.ROW_KEY]


def _overlay(target: dict[str, Any], row: FileRow, table: str, headers: Sequence[str]) -> None:
    """The file's value of every column the file has (empty ones too): a column the file does
    not have keeps the stored value."""
    prefix = f"{table}-"
    for key in headers:
        if key.startswith(prefix):
            target[key[len(prefix) :]] = row.values.get(key, "")


def merged_document(
    stored: dict[str, Any], customer: FileCustomer, headers: dict[str, list[str]]
) -> dict[str, Any]:
    """The stored customer's document (sap_document.to_document) with the file's rows laid
    over it: rows matched by their keys are updated column by column, rows not stored are
    added; stored rows the file does not have stay (an import never deletes)."""
    doc = copy.deepcopy(stored)
    _overlay(doc["KNA1"], customer.general, "KNA1", headers.get("general", []))

    def merge(rows: list[dict[str, Any]], row: FileRow, table: str) -> dict[str, Any]:
        keys = _row_keys(table)
        wanted = tuple(row.values.get(f"{table}-{k}", "") for k in keys)
        for have in rows:
            if tuple(have.get(k, "") for k in keys) == wanted:
                break
        else:
            have = {}
            rows.append(have)
        _overlay(have, row, table, headers.get(row.sheet.id, []))
        return have

    for sid, table in (("bank", "KNBK"), ("company_code", "KNB1"), ("sales_area", "KNVV")):
        for row in customer.rows.get(sid, []):
            merge(doc.setdefault(table, []), row, table)
    for sid, table in (("tax", "KNVI"), ("partner", "KNVP")):
        for row in customer.rows.get(sid, []):
            area_key = tuple(row.values.get(k, "") for k in cols.SALES_AREA_KEYS)
            area = next(
                (
                    a
                    for a in doc.get("KNVV", [])
                    if (a.get("VKORG", ""), a.get("VTWEG", ""), a.get("SPART", "")) == area_key
                ),
                None,
            )
            if area is None:
                continue  # reported by the validator as a row without its sales area
            merge(area.setdefault(table, []), row, table)
    return doc


# -- where a problem sits ------------------------------------------------------------------------


def _segment_of(row: FileRow, table: str) -> str:
    if table == "KNB1":
        return row.values.get("KNB1-BUKRS", "")
    if table in ("KNVV", "KNVI", "KNVP"):
        return "/".join(row.values.get(k, "") for k in cols.SALES_AREA_KEYS)
    return ""


def locate(problem: Problem, customer: FileCustomer) -> ImportProblem:
    """The problem where the file has it: the row of the field's table and segment (the one
    whose value the message quotes when several fit), the field's column."""
    key = problem.field_key
    table = key.split("-", 1)[0]
    sheet = _BY_TABLE.get(table)
    candidates: list[FileRow] = []
    if sheet is not None:
        candidates = [
            r
            for r in customer.rows.get(sheet.id, [])
            if not problem.segment
            or table in ("KNA1", "KNBK")
            or _segment_of(r, table) == problem.segment
        ]
    row = customer.general
    if candidates:
        quoted = [
            r for r in candidates if r.values.get(key) and r.values[key] in problem.message.zh
        ]
        row = (quoted or candidates)[0]
    segment = f"[{problem.segment}] " if problem.segment and not candidates else ""
    message = naming(key, problem.message, row.values.get(key, ""))
    if segment:
        message = Text(zh=segment + message.zh, en=segment + message.en)
    column = row.letters.get(key, "")
    return ImportProblem(row.sheet_name, row.number, column, key, message, problem.severity)
