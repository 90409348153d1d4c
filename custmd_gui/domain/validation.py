"""The validator: every problem of a customer at once, driven by the catalog and customizing."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from custmd_gui.catalog import Catalog, FieldDef, Text, catalog
from custmd_gui.domain import hygiene, uscc
from custmd_gui.domain.customizing import AccountGroup, Customizing
from custmd_gui.domain.errors import Problem
from custmd_gui.domain.field_status import Activity, FieldStatus
from custmd_gui.domain.model import Customer
from custmd_gui.domain.number_range import number_problems

# Field groups whose status the account group does not set: segment keys are always required,
# blocks and deletion flags belong to the finance dialogs.
_UNCONTROLLED_GROUPS = frozenset({"key", "blocks"})

_PHONE_CHARS = re.compile(r"^\+?[0-9(][0-9 ()\-]*$")
_PHONE_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x)\s*([0-9]{1,6})$", re.IGNORECASE)
_CN_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


@dataclass(frozen=True, slots=True)
class Row:
    """One segment row of the customer as the validator walks it."""

    table: str
    segment: str  # what a clerk reads: "", "F011", "F011/10/01"
    model: BaseModel


def rows(customer: Customer) -> Iterator[Row]:
    yield Row("KNA1", "", customer.general)
    for bank in customer.bank_details:
        yield Row("KNBK", "", bank)
    for cc in customer.company_codes:
        yield Row("KNB1", cc.company_code, cc)
    for sa in customer.sales_areas:
        yield Row("KNVV", sa.segment_key, sa)
        for tax in sa.tax_classifications:
            yield Row("KNVI", sa.segment_key, tax)
        for partner in sa.partners:
            yield Row("KNVP", sa.segment_key, partner)


def input_problems(customer: Customer, cat: Catalog | None = None) -> list[Problem]:
    """The characters no one may type (hygiene.field_problem) in every field of every row.
    Needs neither customizing nor a database: a value holding NUL must be refused before any
    query takes it (PostgreSQL cannot), so channels that look a customer up before the
    validator runs call this first; the validator reports the same problems."""
    cat = cat or catalog()
    problems: list[Problem] = []
    for row in rows(customer):
        for fd in cat.table(row.table):
            value = getattr(row.model, fd.name)
            if isinstance(value, str):
                found = hygiene.field_problem(fd.key, fd.label, value, row.segment)
                if found is not None:
                    problems.append(found)
    return problems


def effective_status(fd: FieldDef, group: AccountGroup | None, activity: Activity) -> FieldStatus:
    if fd.field_group == "key":
        return FieldStatus.REQUIRED if activity is Activity.CREATE else FieldStatus.DISPLAY
    if fd.field_group in _UNCONTROLLED_GROUPS or group is None:
        return FieldStatus.DISPLAY if activity is Activity.DISPLAY else FieldStatus.OPTIONAL
    return group.field_status(fd.field_group, activity)


def _proposed(fd: FieldDef, group: AccountGroup | None) -> object:
    """The value a new customer gets for a field without anyone typing it."""
    if fd.key == "KNB1-AKONT" and group is not None:
        return group.reconciliation_account
    return ""


class Validator:
    def __init__(self, customizing: Customizing, cat: Catalog | None = None) -> None:
        self.customizing = customizing
        self.catalog = cat or catalog()

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
            problems.append(
                self._p(
                    "KNA1-KTOKD",
                    "",
                    f"科目组 {general.account_group} 不存在",
                    f"Account group {general.account_group} does not exist",
                )
            )
        before_rows = {(r.table, self._row_key(r)): r for r in rows(before)} if before else {}
        for row in rows(customer):
            old = before_rows.get((row.table, self._row_key(row)))
            for fd in self.catalog.table(row.table):
                problems.extend(self._check_field(fd, row, group, activity, old, customer))
        problems.extend(self._check_segments(customer, group, activity))
        problems.extend(self._check_general(customer))
        if check_number and activity is Activity.CREATE and group is not None:
            problems.extend(number_problems(customer, self.customizing))
        return problems

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _p(key: str, segment: str, zh: str, en: str) -> Problem:
        return Problem(key, segment, Text(zh=zh, en=en))

    @staticmethod
    def _row_key(row: Row) -> str:
        key = getattr(row.model, "segment_key", "")
        return f"{row.segment}|{key}"

    def _check_field(
        self,
        fd: FieldDef,
        row: Row,
        group: AccountGroup | None,
        activity: Activity,
        old: Row | None,
        customer: Customer,
    ) -> list[Problem]:
        value = getattr(row.model, fd.name)
        label = fd.label
        status = effective_status(fd, group, activity)
        seg = row.segment
        filled = bool(value)
        if isinstance(value, str) and (unseen := hygiene.field_problem(fd.key, label, value, seg)):
            return [unseen]  # first: the other checks would only puzzle over what no one sees
        if fd.key == "KNA1-KUNNR":
            return []  # judged by the number-range rules
        if fd.key == "KNVP-KUNN2" and not filled:
            return []  # an empty partner is the customer itself, numbered at the save
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
            and value != _proposed(fd, group)
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
        if status is FieldStatus.REQUIRED and not filled and fd.type != "FLAG":
            return [
                self._p(fd.key, seg, f"请输入{label.zh}（必输字段）", f"{label.en} is required")
            ]
        if not filled or fd.type == "FLAG":
            return []
        text = str(value)
        if len(text) > fd.length:
            return [
                self._p(
                    fd.key,
                    seg,
                    f"{label.zh}最多 {fd.length} 个字符，输入了 {len(text)} 个",
                    f"{label.en} takes at most {fd.length} characters, not {len(text)}",
                )
            ]
        if fd.type == "NUMC" and not (text.isascii() and text.isdigit()):
            return [
                self._p(fd.key, seg, f"{label.zh}只能包含数字", f"{label.en} takes digits only")
            ]
        if fd.value_help:
            parent = ""
            lst = self.customizing.lists.get(fd.value_help)
            if fd.value_help_parent:
                parent_fd = self.catalog.field(fd.value_help_parent)
                parent = str(getattr(row.model, parent_fd.name, "") or "")
            if fd.value_help == "account_groups":
                known = self.customizing.account_group(text) is not None
            else:
                known = lst is not None and lst.get(text, parent) is not None
            if not known:
                where = f"（国家 {parent}）" if parent else ""
                where_en = f" (country {parent})" if parent else ""
                return [
                    self._p(
                        fd.key,
                        seg,
                        f"{label.zh} {text} 不存在{where}，请按 F4 选择",
                        f"{label.en} {text} does not exist{where_en}; press F4 to choose",
                    )
                ]
        return []

    def _check_general(self, customer: Customer) -> list[Problem]:
        g = customer.general
        out: list[Problem] = []
        country = self.customizing.value("countries", g.country) if g.country else None
        if country is not None:
            pattern = country.attrs.get("postal_code")
            # ASCII: \d of the customizing's patterns must not take full-width or other digits.
            if g.postal_code and pattern and not re.fullmatch(pattern, g.postal_code, re.ASCII):
                hint = "6 位数字" if g.country == "CN" else "格式"
                out.append(
                    self._p(
                        "KNA1-PSTLZ",
                        "",
                        f"邮政编码 {g.postal_code} 不符合国家 {g.country} 的规则（{hint}）",
                        f"Postal code {g.postal_code} does not fit the rule of country {g.country}",
                    )
                )
            if not g.postal_code and country.attrs.get("postal_code_required") == "X":
                out.append(
                    self._p(
                        "KNA1-PSTLZ",
                        "",
                        f"国家 {g.country} 必须输入邮政编码",
                        f"Country {g.country} requires a postal code",
                    )
                )
        if g.tax_number_5 and g.country == "CN":
            wrong = uscc.problem(g.tax_number_5)
            if wrong:
                out.append(self._p("KNA1-STCD5", "", wrong[0], wrong[1]))
        for key, value in (("KNA1-TELF1", g.telephone), ("KNA1-TELFX", g.fax)):
            if value:
                wrong = phone_problem(value, g.country)
                if wrong:
                    label = self.catalog.field(key).label
                    out.append(self._p(key, "", f"{label.zh}{wrong[0]}", f"{label.en}: {wrong[1]}"))
        return out

    def _required_table(self, key: str, group: AccountGroup | None, activity: Activity) -> bool:
        fd = self.catalog.field(key)
        return effective_status(fd, group, activity) is FieldStatus.REQUIRED

    def _missing_rows(self, key: str, segment: str) -> Problem:
        label = self.catalog.field(key).label
        return self._p(key, segment, f"请输入{label.zh}（必输）", f"{label.en} is required")

    def _check_segments(
        self, customer: Customer, group: AccountGroup | None, activity: Activity
    ) -> list[Problem]:
        out: list[Problem] = []
        # Tables of which the account group requires at least one row.
        if not customer.bank_details and self._required_table("KNBK-BANKN", group, activity):
            out.append(self._missing_rows("KNBK-BANKN", ""))
        for sa in customer.sales_areas:
            if not sa.tax_classifications and self._required_table("KNVI-TAXKD", group, activity):
                out.append(self._missing_rows("KNVI-TAXKD", sa.segment_key))
            if not sa.partners and self._required_table("KNVP-KUNN2", group, activity):
                out.append(self._missing_rows("KNVP-KUNN2", sa.segment_key))
        for key, segs in (
            ("KNB1-BUKRS", [c.company_code for c in customer.company_codes]),
            ("KNVV-VKORG", [s.segment_key for s in customer.sales_areas]),
            ("KNBK-BANKN", [b.segment_key for b in customer.bank_details]),
        ):
            for seg, n in Counter(segs).items():
                if n > 1:
                    out.append(
                        self._p(key, seg, f"{seg} 重复输入了 {n} 次", f"{seg} appears {n} times")
                    )
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
                        "KNVV-VKORG",
                        seg,
                        f"销售范围 {seg} 未定义",
                        f"Sales area {seg} is not defined",
                    )
                )
            for key, items in (
                ("KNVI-TATYP", [t.segment_key for t in sa.tax_classifications]),
                ("KNVP-PARVW", [p.segment_key for p in sa.partners]),
            ):
                for item, n in Counter(items).items():
                    if n > 1:
                        out.append(
                            self._p(
                                key, seg, f"{item} 重复输入了 {n} 次", f"{item} appears {n} times"
                            )
                        )
        return out


def phone_problem(value: str, country: str) -> tuple[str, str] | None:
    """What is wrong with a telephone or fax number, as (zh, en), or None."""
    number = _PHONE_EXTENSION.sub("", value.strip())
    if not _PHONE_CHARS.match(number):
        return (
            "只能包含数字、空格、括号、连字符和开头的 +（分机可写“转123”）",
            "may hold digits, spaces, brackets, hyphens and a leading + (extension as 'ext 123')",
        )
    digits = re.sub(r"\D", "", number)
    if not 7 <= len(digits) <= 15:
        return (
            f"应有 7-15 位数字，输入了 {len(digits)} 位",
            f"should have 7-15 digits, not {len(digits)}",
        )
    if (
        country == "CN"
        and not number.startswith("+")
        and digits.startswith("1")
        and len(digits) == 11
        and not _CN_MOBILE.match(digits)
    ):
        return ("不是有效的手机号码", "is not a valid mobile number")
    return None
