"""The column model of customer files: one sheet per segment, its columns from the catalog.

Shared by the template, the import and the export, for XLSX and CSV alike. Every sheet has the
same layout (LAYOUT below): a meta column A, then the columns; row 1 holds the field keys
(KNA1-NAME1), which is what a reader maps by; rows whose column A is not empty are headers or
the sample, never data.

How rows find their customer: every sheet starts with the customer keys KNA1-KUNNR (the
customer number) and KNA1-ALTKN (the number in the previous system). A new customer whose
number the system gives (internal numbering) has no KUNNR yet: its rows in all sheets carry
its ALTKN instead, as SAP Migration Cockpit ties rows by a source key. Tax classifications and
partner functions belong to a sales area (the model nests them there), so their sheets also
carry the sales area's keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from custmd_gui.catalog import Catalog, FieldDef, Text, catalog
from custmd_gui.domain.customizing import AccountGroup, Customizing
from custmd_gui.domain.field_status import Activity, FieldStatus
from custmd_gui.domain.model import Customer

# Column A of every sheet: empty on data rows; on the rows above the data it names the row.
META_FIELD = Text(zh="字段", en="Field")
META_LABEL = Text(zh="名称", en="Label")
META_STATUS = Text(zh="必输", en="Required")
# A sample row (the documents' example) says this in column A; readers skip it.
SAMPLE_MARK = Text(zh="示例", en="Sample")
# Rows 1-3 are the header (field keys, labels, required marks); the sample is row 4.
KEY_ROW, LABEL_ROW, STATUS_ROW, SAMPLE_ROW = 1, 2, 3, 4
HEADER_ROWS = 3
# The wide CSV (all sheets in one file): this column says which sheet a row belongs to.
TABLE_COLUMN = "TABLE"
TABLE_LABEL = Text(zh="表", en="Table")


def is_data_row(meta: object) -> bool:
    """Whether a row whose column A holds `meta` is data: only an empty column A is."""
    return meta is None or (isinstance(meta, str) and not meta.strip())


CUSTOMER_KEYS = ("KNA1-KUNNR", "KNA1-ALTKN")
SALES_AREA_KEYS = ("KNVV-VKORG", "KNVV-VTWEG", "KNVV-SPART")
ACCOUNT_GROUP = "KNA1-KTOKD"


class Role(StrEnum):
    """What a column is for in its sheet."""

    CUSTOMER_KEY = "customer_key"  # ties the row to its customer (KUNNR or ALTKN)
    PARENT_KEY = "parent_key"  # ties a tax or partner row to its sales area
    ROW_KEY = "row_key"  # a key field of the sheet's own table (KNB1-BUKRS)
    DATA = "data"


class Mark(StrEnum):
    """How the header marks a column for the account groups in question."""

    KEY = "key"
    REQUIRED = "required"  # in every account group in question
    SOME = "some"  # required in some of them
    OPTIONAL = "optional"


@dataclass(frozen=True, slots=True)
class Column:
    field: FieldDef
    role: Role

    @property
    def key(self) -> str:
        return self.field.key

    def heading(self, lang: str) -> str:
        return self.field.column_heading.get(lang)

    @property
    def always(self) -> bool:
        """Present whatever fields were chosen: the keys."""
        return self.role is not Role.DATA


@dataclass(frozen=True, slots=True)
class Sheet:
    id: str
    table: str
    title: Text
    columns: tuple[Column, ...]

    def name(self, lang: str) -> str:
        """The worksheet's name: title and table (language-free for a reader)."""
        return f"{self.title.get(lang)} {self.table}"

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def own(self) -> tuple[Column, ...]:
        """The columns of the sheet's own table (not the keys borrowed from others)."""
        return tuple(c for c in self.columns if c.field.table == self.table)


# (sheet id, table, title); the order of the workbook.
_SHEETS: tuple[tuple[str, str, Text], ...] = (
    ("general", "KNA1", Text(zh="一般数据", en="General data")),
    ("bank", "KNBK", Text(zh="银行明细", en="Bank details")),
    ("company_code", "KNB1", Text(zh="公司代码数据", en="Company code data")),
    ("sales_area", "KNVV", Text(zh="销售范围数据", en="Sales area data")),
    ("tax", "KNVI", Text(zh="税分类", en="Tax classification")),
    ("partner", "KNVP", Text(zh="合伙人功能", en="Partner functions")),
)
_NESTED_IN_SALES_AREA = frozenset({"KNVI", "KNVP"})


def sheets(cat: Catalog | None = None) -> tuple[Sheet, ...]:
    """Every sheet with every column: the keys first, then the table's fields in catalog order."""
    cat = cat or catalog()
    out: list[Sheet] = []
    for sid, table, title in _SHEETS:
        cols = [Column(cat.field(k), Role.CUSTOMER_KEY) for k in CUSTOMER_KEYS]
        if table in _NESTED_IN_SALES_AREA:
            cols += [Column(cat.field(k), Role.PARENT_KEY) for k in SALES_AREA_KEYS]
        for fd in cat.table(table):
            if fd.key in CUSTOMER_KEYS:
                continue
            row_key = fd.key_field or fd.key == ACCOUNT_GROUP
            cols.append(Column(fd, Role.ROW_KEY if row_key else Role.DATA))
        out.append(Sheet(sid, table, title, tuple(cols)))
    return tuple(out)


def sheet_named(name: str, cat: Catalog | None = None) -> Sheet | None:
    """The sheet a worksheet's name stands for, in either language or by its table alone."""
    wanted = name.strip()
    for sheet in sheets(cat):
        if wanted in (sheet.name("zh"), sheet.name("en"), sheet.table):
            return sheet
    return None


# ---------------------------------------------------------------------------------------------
# Required marks: what the account groups' field status says for a column on creation.


def status_in(column: Column, group: AccountGroup, cust: Customizing) -> FieldStatus:
    """The field's status when a customer of `group` is created from a file."""
    fd = column.field
    if fd.key == "KNA1-KUNNR":
        numbers = cust.number_ranges.get(group.number_range)
        external = numbers is not None and not numbers.internal
        return FieldStatus.REQUIRED if external else FieldStatus.OPTIONAL
    if column.role is Role.CUSTOMER_KEY or fd.key == ACCOUNT_GROUP:
        # The previous number is optional; the account group decides everything else.
        return FieldStatus.REQUIRED if fd.key == ACCOUNT_GROUP else FieldStatus.OPTIONAL
    # A child table's key is needed in each of its rows; its status (of the field carrying
    # row_status) says whether the customer needs a row at all, or may have none.
    return group.field_status(fd.field_group, Activity.CREATE)


@dataclass(frozen=True, slots=True)
class ColumnMark:
    mark: Mark
    required_in: tuple[str, ...]  # account groups that require the field
    suppressed_in: tuple[str, ...]  # account groups that do not allow it
    optional_in: tuple[str, ...] = ()  # the other account groups in question

    def status_text(self, lang: str) -> str:
        """The header's third row: short, also readable in a CSV file."""
        en = lang.startswith("en")
        if self.mark is Mark.KEY:
            return "key" if en else "关键字段"
        if self.mark is Mark.REQUIRED:
            return "required" if en else "必输"
        if self.mark is Mark.SOME:
            # The shorter of the two: the groups that require it, or those that do not.
            if len(self.optional_in) < len(self.required_in):
                others = " ".join(self.optional_in)
                return f"required except {others}" if en else f"必输（{others} 除外）"
            groups = " ".join(self.required_in)
            return f"required in {groups}" if en else f"必输：{groups}"
        return "optional" if en else "可选"

    def note(self, column: Column, lang: str) -> str:
        """The longer explanation of a header cell's comment."""
        en = lang.startswith("en")
        parts = [self.status_text(lang), _ROLE_NOTES[column.role].get(lang)]
        if column.key == "KNA1-KUNNR":
            parts.append(_NUMBER_NOTE.get(lang))
        if self.required_in and self.mark is not Mark.SOME:
            groups = ", ".join(self.required_in)
            parts.append(f"required in account groups {groups}" if en else f"科目组 {groups} 必输")
        if self.suppressed_in:
            groups = ", ".join(self.suppressed_in)
            parts.append(
                f"not allowed in account groups {groups} (leave empty)"
                if en
                else f"科目组 {groups} 不允许填写（留空）"
            )
        return "; ".join(p for p in parts if p) if en else "；".join(p for p in parts if p)


_ROLE_NOTES = {
    Role.CUSTOMER_KEY: Text(
        zh="客户编号或原客户编号：把本行与一般数据中的客户关联（填其中一个即可）",
        en="Customer number or previous account number: ties the row to its customer in the "
        "general data (one of them is enough)",
    ),
    Role.PARENT_KEY: Text(zh="本行所属的销售范围", en="The sales area the row belongs to"),
    Role.ROW_KEY: Text(zh="本表一行的关键字段，每行都填", en="Key of a row of this table"),
    Role.DATA: Text(zh="", en=""),
}
_NUMBER_NOTE = Text(
    zh="外部给号的科目组必输；内部给号的新客户留空，由系统给号，其各行用原客户编号关联",
    en="Required for account groups with external numbering; leave it empty for a new "
    "customer numbered internally, whose rows are tied by the previous account number",
)


def mark(column: Column, groups: Sequence[AccountGroup], cust: Customizing) -> ColumnMark:
    """How the header marks `column` for a file of customers of `groups`."""
    statuses = {g.code: status_in(column, g, cust) for g in groups}
    required = tuple(c for c, s in statuses.items() if s is FieldStatus.REQUIRED)
    suppressed = tuple(c for c, s in statuses.items() if s is FieldStatus.SUPPRESSED)
    every = bool(groups) and len(required) == len(groups)
    if column.key == "KNA1-KUNNR":
        kind = Mark.REQUIRED if every else Mark.KEY
    elif column.role is not Role.DATA and column.key != ACCOUNT_GROUP:
        kind = Mark.KEY
    elif every:
        kind = Mark.REQUIRED
    elif required:
        kind = Mark.SOME
    else:
        kind = Mark.OPTIONAL
    others = tuple(c for c in statuses if c not in required)
    return ColumnMark(kind, required, suppressed, others)


def allowed(column: Column, groups: Sequence[AccountGroup], cust: Customizing) -> bool:
    """False when every account group in question suppresses the field."""
    if column.role is Role.CUSTOMER_KEY or not groups:
        return True
    return any(status_in(column, g, cust) is not FieldStatus.SUPPRESSED for g in groups)


# ---------------------------------------------------------------------------------------------
# Choosing the columns of a file.


class UnknownFields(ValueError):
    """--fields named keys that are not catalog fields; the message names them."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = tuple(keys)
        super().__init__(", ".join(keys))


def choose(
    fields: Iterable[str] | None,
    groups: Sequence[AccountGroup],
    cust: Customizing,
    cat: Catalog | None = None,
) -> tuple[Sheet, ...]:
    """The sheets with the columns a file holds: every column when `fields` is None, else the
    keys, the fields required in any of `groups` and the fields named; without the fields the
    account groups all suppress; a sheet left with nothing of its own table is left out."""
    all_sheets = sheets(cat)
    named: set[str] | None = None
    if fields is not None:
        named = {k.strip().upper() for k in fields if k.strip()}
        known = {c.key for s in all_sheets for c in s.columns}
        unknown = sorted(named - known)
        if unknown:
            raise UnknownFields(unknown)
    out: list[Sheet] = []
    for sheet in all_sheets:
        keep: list[Column] = []
        for col in sheet.columns:
            if not allowed(col, groups, cust):
                continue
            wanted = (
                named is None
                or col.always
                or col.key in named
                or mark(col, groups, cust).required_in
            )
            if wanted:
                keep.append(col)
        if sheet.table == "KNA1" or any(c.field.table == sheet.table for c in keep):
            out.append(Sheet(sheet.id, sheet.table, sheet.title, tuple(keep)))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# A customer as rows, and rows back into a SAP-shaped document (sap_document reads it).

Row = dict[str, str]


def _value(segment: Any, fd: FieldDef) -> str:
    value = getattr(segment, fd.name)
    if isinstance(value, bool):
        return "X" if value else ""
    return str(value)


def rows_of(customer: Customer, cat: Catalog | None = None) -> dict[str, list[Row]]:
    """Sheet id -> the customer's rows, each field key -> value (text, flags "X" or "")."""
    cat = cat or catalog()
    general = customer.general
    keys = {k: _value(general, cat.field(k)) for k in CUSTOMER_KEYS}

    def row(segment: Any, table: str, parent: Row | None = None) -> Row:
        out = dict(keys)
        if parent:
            out.update(parent)
        out.update({fd.key: _value(segment, fd) for fd in cat.table(table)})
        return out

    rows: dict[str, list[Row]] = {s: [] for s, _, _ in _SHEETS}
    rows["general"].append(row(general, "KNA1"))
    rows["bank"] = [row(b, "KNBK") for b in customer.bank_details]
    rows["company_code"] = [row(c, "KNB1") for c in customer.company_codes]
    for area in customer.sales_areas:
        rows["sales_area"].append(row(area, "KNVV"))
        parent = {k: _value(area, cat.field(k)) for k in SALES_AREA_KEYS}
        rows["tax"] += [row(t, "KNVI", parent) for t in area.tax_classifications]
        rows["partner"] += [row(p, "KNVP", parent) for p in area.partners]
    return rows


def document_of(rows: Mapping[str, Sequence[Mapping[str, str]]]) -> dict[str, Any]:
    """The SAP-shaped document (sap_document's JSON shape) of one customer's rows, empty
    values left out; what an import hands to sap_document.from_document for the checks."""

    def own(row: Mapping[str, str], table: str) -> dict[str, str]:
        prefix = f"{table}-"
        return {k[len(prefix) :]: v for k, v in row.items() if k.startswith(prefix) and v}

    general = next(iter(rows.get("general", ())), {})
    doc: dict[str, Any] = {"KNA1": own(general, "KNA1")}
    for sid, table in (("bank", "KNBK"), ("company_code", "KNB1")):
        if rows.get(sid):
            doc[table] = [own(r, table) for r in rows[sid]]
    areas: list[dict[str, Any]] = []
    for r in rows.get("sales_area", ()):
        area: dict[str, Any] = own(r, "KNVV")
        area_key = tuple(r.get(k, "") for k in SALES_AREA_KEYS)
        for sid, table in (("tax", "KNVI"), ("partner", "KNVP")):
            children = [
                own(c, table)
                for c in rows.get(sid, ())
                if tuple(c.get(k, "") for k in SALES_AREA_KEYS) == area_key
            ]
            if children:
                area[table] = children
        areas.append(area)
    if areas:
        doc["KNVV"] = areas
    return doc
