"""The validator: every problem of a customer at once, driven by the catalog and customizing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from custmd_gui.catalog import Catalog, FieldDef, Text, catalog
from custmd_gui.domain import field_types
from custmd_gui.domain.customizing import AccountGroup, Customizing
from custmd_gui.domain.errors import Problem
from custmd_gui.domain.field_status import Activity, FieldStatus
from custmd_gui.domain.field_types import Context
from custmd_gui.domain.model import (
    BankDetail,
    CompanyCodeData,
    Customer,
    GeneralData,
    PartnerFunction,
    SalesAreaData,
    TaxClassification,
)
from custmd_gui.domain.number_range import number_problems
from custmd_gui.domain.rules import consistency_problems

# Field groups whose status the account group does not set: segment keys are always required,
# blocks and deletion flags belong to the finance dialogs.
_UNCONTROLLED_GROUPS = frozenset({"key", "blocks"})
# Field checks kept by a validator (see Validator.__init__) before it forgets them all: some
# 300 bytes each, and those worth keeping (the repeated values) are back after a customer or
# two, while the unique ones (names, streets) only take memory.
_KNOWN_LIMIT = 50_000


@dataclass(frozen=True, slots=True)
class Row:
    """One segment row of the customer as the validator walks it."""

    table: str
    segment: str  # what a clerk reads: "", "F011", "F011/10/01"
    model: BaseModel


def rows(customer: Customer) -> Iterator[Row]:
    yield Row(GeneralData.SAP_TABLE, "", customer.general)
    for bank in customer.bank_details:
        yield Row(BankDetail.SAP_TABLE, "", bank)
    for cc in customer.company_codes:
        yield Row(CompanyCodeData.SAP_TABLE, cc.company_code, cc)
    for sa in customer.sales_areas:
        yield Row(SalesAreaData.SAP_TABLE, sa.segment_key, sa)
        for tax in sa.tax_classifications:
            yield Row(TaxClassification.SAP_TABLE, sa.segment_key, tax)
        for partner in sa.partners:
            yield Row(PartnerFunction.SAP_TABLE, sa.segment_key, partner)


@dataclass(frozen=True, slots=True)
class RowList:
    """The rows of one table under one parent (the customer, a sales area), empty or not."""

    table: str
    parent_segment: str  # "" under the customer
    keys: Sequence[str]  # the rows' segment keys


def row_lists(customer: Customer) -> Iterator[RowList]:
    yield RowList(BankDetail.SAP_TABLE, "", [b.segment_key for b in customer.bank_details])
    yield RowList(CompanyCodeData.SAP_TABLE, "", [c.segment_key for c in customer.company_codes])
    yield RowList(SalesAreaData.SAP_TABLE, "", [s.segment_key for s in customer.sales_areas])
    for sa in customer.sales_areas:
        seg = sa.segment_key
        yield RowList(
            TaxClassification.SAP_TABLE, seg, [t.segment_key for t in sa.tax_classifications]
        )
        yield RowList(PartnerFunction.SAP_TABLE, seg, [p.segment_key for p in sa.partners])


def input_problems(customer: Customer, cat: Catalog | None = None) -> list[Problem]:
    """The characters no one may type (hygiene.field_problem) in every field of every row.
    Needs neither customizing nor a database: a value holding NUL must be refused before any
    query takes it (PostgreSQL cannot), so channels that look a customer up before the
    validator runs call this first; the validator reports the same problems."""
    cat = cat or catalog()
    problems: list[Problem] = []
    for row in rows(customer):
        fields = cat.table(row.table)
        texts = [v for fd in fields if isinstance(v := getattr(row.model, fd.name), str)]
        if "".join(texts).isprintable():  # every refused character is unprintable
            continue
        for fd in fields:
            value = getattr(row.model, fd.name)
            if isinstance(value, str):
                found = field_types.of(fd).refusal(fd, value, row.segment)
                if found is not None:
                    problems.append(found)
    return problems


def effective_status(fd: FieldDef, group: AccountGroup | None, activity: Activity) -> FieldStatus:
    if fd.field_group == "key":
        return FieldStatus.REQUIRED if activity is Activity.CREATE else FieldStatus.DISPLAY
    if fd.field_group in _UNCONTROLLED_GROUPS or group is None:
        return FieldStatus.DISPLAY if activity is Activity.DISPLAY else FieldStatus.OPTIONAL
    return group.field_status(fd.field_group, activity)


class Validator:
    def __init__(
        self,
        customizing: Customizing,
        cat: Catalog | None = None,
        *,
        remember: bool = False,
        keep_numbers: bool = False,
    ) -> None:
        self.customizing = customizing
        self.catalog = cat or catalog()
        # Per table, the field a problem of a whole row is reported on, and the field whose
        # status says whether the table needs a row (the catalog marks them).
        self._row_field = {fd.table: fd for fd in self.catalog if fd.stands_for_row}
        self._status_field = {fd.table: fd for fd in self.catalog if fd.row_status}
        # `remember`: a new row's field check reads nothing but the value, its segment, the
        # account group, the activity, the country and the value of the field's
        # value_help_parent (the customizing is this validator's, and must not change while
        # it checks): its problems are kept by those, as an import's customers repeat most
        # values. Rows of a change compare with the stored row and are not kept.
        self._remember = remember
        # An import of migrated customers: their numbers kept in internal ranges too.
        self._keep_numbers = keep_numbers
        self._parents = {
            fd.key: self.catalog.field(fd.value_help_parent).name
            for fd in self.catalog
            if fd.value_help_parent
        }
        self._known: dict[tuple[object, ...], list[Problem]] = {}
        self._fields: dict[str, tuple[tuple[FieldDef, str, str, str | None], ...]] = {}

    def _fields_of(self, table: str) -> tuple[tuple[FieldDef, str, str, str | None], ...]:
        """(field, its key, its name, its value_help_parent's name) of the table's fields,
        in the catalog's order, worked out once (the remembered checks ask per row)."""
        found = self._fields.get(table)
        if found is None:
            found = self._fields[table] = tuple(
                (fd, fd.key, fd.name, self._parents.get(fd.key)) for fd in self.catalog.table(table)
            )
        return found

    def validate(
        self,
        customer: Customer,
        activity: Activity = Activity.CREATE,
        before: Customer | None = None,
        *,
        check_number: bool = True,
    ) -> list[Problem]:
        problems: list[Problem] = []
        general = customer.general
        group = self.customizing.account_group(general.account_group)
        if general.account_group and group is None:
            fd = self.catalog.by_name(GeneralData.SAP_TABLE, "account_group")
            problems.append(
                self._p(
                    fd.key,
                    "",
                    f"科目组 {general.account_group} 不存在",
                    f"Account group {general.account_group} does not exist",
                )
            )
        before_rows = {(r.table, self._row_key(r)): r for r in rows(before)} if before else {}
        known = self._known
        if len(known) > _KNOWN_LIMIT:
            known.clear()  # names and streets never repeat: the memory stays bounded
        country = general.country
        for row in rows(customer):
            old = before_rows.get((row.table, self._row_key(row)))
            if old is not None or not self._remember:
                for fd in self.catalog.table(row.table):
                    problems.extend(self._check_field(fd, row, group, activity, old, customer))
                continue
            model = row.model
            for fd, field_key, name, parent in self._fields_of(row.table):
                key = (
                    field_key,
                    getattr(model, name),
                    row.segment,
                    general.account_group,
                    activity,
                    country,
                    getattr(model, parent) if parent else None,
                )
                found = known.get(key)
                if found is None:
                    found = known[key] = self._check_field(fd, row, group, activity, None, customer)
                problems.extend(found)
        problems.extend(self._check_segments(customer, group, activity))
        problems.extend(consistency_problems(customer, self.customizing))
        if check_number and activity is Activity.CREATE and group is not None:
            problems.extend(
                number_problems(customer, self.customizing, keep_internal=self._keep_numbers)
            )
        return problems

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _p(key: str, segment: str, zh: str, en: str) -> Problem:
        return Problem(key, segment, Text(zh=zh, en=en))

    @staticmethod
    def _row_key(row: Row) -> str:
        key = getattr(row.model, "segment_key", "")
        return f"{row.segment}|{key}"

    def _context(self, fd: FieldDef, row: Row, customer: Customer) -> Context:
        parent = ""
        if fd.value_help_parent:
            parent_fd = self.catalog.field(fd.value_help_parent)
            parent = str(getattr(row.model, parent_fd.name, "") or "")
        return Context(self.customizing, customer.general.country, parent)

    def _check_field(
        self,
        fd: FieldDef,
        row: Row,
        group: AccountGroup | None,
        activity: Activity,
        old: Row | None,
        customer: Customer,
    ) -> list[Problem]:
        ftype = field_types.of(fd)
        value = getattr(row.model, fd.name)
        label = fd.label
        status = effective_status(fd, group, activity)
        seg = row.segment
        filled = bool(value)
        if isinstance(value, str) and (unseen := ftype.refusal(fd, value, seg)):
            return [unseen]  # first: the other checks would only puzzle over what no one sees
        if ftype.numbered:
            return []  # judged by the number-range rules
        if ftype.empty_is_self and not filled:
            return []  # the customer itself, numbered at the save
        if status is FieldStatus.SUPPRESSED and filled:
            return [
                self._p(
                    fd.key,
                    seg,
                    f"{label.zh}在科目组 {group.code if group else ''} 中被隐藏，不能输入",
                    f"{label.en} is suppressed for account group "
                    f"{group.code if group else ''}; leave it empty",
                )
            ]
        if (
            status is FieldStatus.DISPLAY
            and old is not None
            and value != getattr(old.model, fd.name)
        ):
            return [
                self._p(
                    fd.key,
                    seg,
                    f"{label.zh}只能显示，不能更改",
                    f"{label.en} is display-only and cannot be changed",
                )
            ]
        if (
            status is FieldStatus.DISPLAY
            and old is None
            and filled
            and value != ftype.proposal(group)
        ):
            # Display-only at creation: the account group decides the value, no one types it.
            return [
                self._p(
                    fd.key,
                    seg,
                    f"{label.zh}只能显示，由科目组 {group.code if group else ''} 决定",
                    f"{label.en} is display-only; account group "
                    f"{group.code if group else ''} decides it",
                )
            ]
        if status is FieldStatus.REQUIRED and not filled and not ftype.checkbox:
            return [
                self._p(fd.key, seg, f"请输入{label.zh}（必输字段）", f"{label.en} is required")
            ]
        if not filled:
            wrong = ftype.empty_problem(fd, self._context(fd, row, customer))
            return [] if wrong is None else [Problem(fd.key, seg, wrong)]
        if not isinstance(value, str):
            return []  # a checkbox's True
        context = self._context(fd, row, customer)
        # A deactivated code is refused where it is typed, not where a customer keeps it.
        if (old is None or value != getattr(old.model, fd.name)) and ftype.deactivated(
            fd, value, context
        ):
            return [
                self._p(
                    fd.key,
                    seg,
                    f"{label.zh} {value} 已停用，请按 F4 选择",
                    f"{label.en} {value} is deactivated; press F4 to choose",
                )
            ]
        found = ftype.check(fd, value, context, seg)
        return [] if found is None else [found]

    def _check_segments(
        self, customer: Customer, group: AccountGroup | None, activity: Activity
    ) -> list[Problem]:
        out: list[Problem] = []
        lists = list(row_lists(customer))
        # Tables of which the account group requires at least one row.
        for rl in lists:
            fd = self._status_field.get(rl.table)
            if (
                fd is not None
                and not rl.keys
                and effective_status(fd, group, activity) is FieldStatus.REQUIRED
            ):
                out.append(
                    self._p(
                        fd.key,
                        rl.parent_segment,
                        f"请输入{fd.label.zh}（必输）",
                        f"{fd.label.en} is required",
                    )
                )
        for rl in lists:
            fd = self._row_field[rl.table]
            for key, n in Counter(rl.keys).items():
                if n > 1:
                    # Under the customer the repeated row is the segment; in a sales area the
                    # sales area is.
                    seg = rl.parent_segment or key
                    out.append(
                        self._p(fd.key, seg, f"{key} 重复输入了 {n} 次", f"{key} appears {n} times")
                    )
        area_field = self._row_field[SalesAreaData.SAP_TABLE]
        for sa in customer.sales_areas:
            seg = sa.segment_key
            if (
                sa.sales_org
                and sa.distribution_channel
                and sa.division
                and not self.customizing.has("sales_areas", seg)
            ):
                out.append(
                    self._p(
                        area_field.key,
                        seg,
                        f"销售范围 {seg} 未定义",
                        f"Sales area {seg} is not defined",
                    )
                )
        return out
