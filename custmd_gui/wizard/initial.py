"""The initial screen's rules: which customer, which segments, which reference.

`resolve_create` (XD01) and `resolve_stored` (XD02/XD03) turn what was typed into `Keys` or
into every problem at once, each naming the initial-screen field it belongs to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from custmd_gui.catalog import Text
from custmd_gui.domain.customizing import Customizing
from custmd_gui.domain.errors import Problem
from custmd_gui.domain.model import Customer, GeneralData
from custmd_gui.domain.number_range import number_problems
from custmd_gui.wizard.screens import REFERENCE_FIELDS

# Reads a stored customer; None when it does not exist or the actor may not see it.
Reader = Callable[[str], Customer | None]
SalesArea = tuple[str, str, str]


@dataclass(frozen=True)
class Keys:
    """What the initial screen decided."""

    account_group: str
    number: str
    company_code: str
    sales_area: SalesArea | None
    extending: Customer | None  # the stored customer when the number exists

    @property
    def sales_area_key(self) -> str:
        return "/".join(self.sales_area) if self.sales_area else ""


@dataclass(frozen=True)
class Resolution:
    """The initial screen's outcome: keys and the reference customer, or the problems."""

    keys: Keys | None
    reference: Customer | None = None
    problems: tuple[Problem, ...] = ()
    # XD02 refused because someone else holds the edit lock: the keys to display instead.
    locked: Keys | None = None

    @property
    def ok(self) -> bool:
        return self.keys is not None


def _problem(key: str, zh: str, en: str) -> Problem:
    return Problem(key, "", Text(zh=zh, en=en))


def _area_parts(v: Mapping[str, str]) -> SalesArea:
    return (v.get("KNVV-VKORG", ""), v.get("KNVV-VTWEG", ""), v.get("KNVV-SPART", ""))


def resolve_create(v: Mapping[str, str], customizing: Customizing, read: Reader) -> Resolution:
    """XD01: a new customer, or an existing number with a new company code or sales area
    (extension)."""
    problems: list[Problem] = []
    cust = customizing
    group_code = v.get("KNA1-KTOKD", "")
    number = v.get("KNA1-KUNNR", "")
    company_code = v.get("KNB1-BUKRS", "")
    area_parts = _area_parts(v)
    existing = read(number) if number else None
    if existing is not None:
        group_code = group_code or existing.general.account_group
        if group_code != existing.general.account_group:
            problems.append(
                _problem(
                    "KNA1-KTOKD",
                    f"客户 {number} 属于科目组 {existing.general.account_group}",
                    f"Customer {number} belongs to account group {existing.general.account_group}",
                )
            )
    group = cust.account_group(group_code)
    if not group_code:
        problems.append(
            _problem("KNA1-KTOKD", "请输入科目组（必输字段）", "Account group is required")
        )
    elif group is None:
        problems.append(
            _problem(
                "KNA1-KTOKD",
                f"科目组 {group_code} 不存在，请按 F4 选择",
                f"Account group {group_code} does not exist; press F4 to choose",
            )
        )
    if company_code and not cust.has("company_codes", company_code):
        problems.append(
            _problem(
                "KNB1-BUKRS",
                f"公司代码 {company_code} 不存在，请按 F4 选择",
                f"Company code {company_code} does not exist; press F4 to choose",
            )
        )
    area: SalesArea | None = None
    if any(area_parts):
        area_key = "/".join(area_parts)
        if not all(area_parts):
            problems.append(
                _problem(
                    "KNVV-VKORG",
                    "销售范围需要销售组织、分销渠道和产品组三项",
                    "A sales area needs sales organization, distribution channel and division",
                )
            )
        elif not cust.has("sales_areas", area_key):
            problems.append(
                _problem(
                    "KNVV-VKORG",
                    f"销售范围 {area_key} 未定义",
                    f"Sales area {area_key} is not defined",
                )
            )
        else:
            area = area_parts
    if existing is not None:
        problems += _extension_problems(existing, number, company_code, area)
    elif group is not None:
        draft = Customer(general=GeneralData(number=number, account_group=group_code))
        problems += number_problems(draft, cust)
    reference, ref_problems = check_reference(v, read)
    problems += ref_problems
    if problems:
        return Resolution(None, problems=tuple(problems))
    return Resolution(Keys(group_code, number, company_code, area, existing), reference)


def _extension_problems(
    existing: Customer, number: str, company_code: str, area: SalesArea | None
) -> list[Problem]:
    problems: list[Problem] = []
    if company_code and existing.company_code(company_code):
        problems.append(
            _problem(
                "KNB1-BUKRS",
                f"客户 {number} 已在公司代码 {company_code} 中创建",
                f"Customer {number} already exists in company code {company_code}",
            )
        )
    if area and existing.sales_area("/".join(area)):
        problems.append(
            _problem(
                "KNVV-VKORG",
                f"客户 {number} 已在销售范围 {'/'.join(area)} 中创建",
                f"Customer {number} already exists in sales area {'/'.join(area)}",
            )
        )
    if not company_code and not area:
        problems.append(
            _problem(
                "KNB1-BUKRS",
                f"客户 {number} 已存在；请输入要扩展的公司代码或销售范围",
                f"Customer {number} exists; enter the company code or sales area to extend to",
            )
        )
    return problems


def resolve_stored(v: Mapping[str, str], read: Reader) -> Resolution:
    """XD02/XD03: a stored customer and, if given, a company code and a sales area of it."""
    number = v.get("KNA1-KUNNR", "")
    company_code = v.get("KNB1-BUKRS", "")
    parts = _area_parts(v)
    if not number:
        return Resolution(
            None, problems=(_problem("KNA1-KUNNR", "请输入客户", "Enter the customer"),)
        )
    customer = read(number)
    if customer is None:
        return Resolution(
            None,
            problems=(
                _problem(
                    "KNA1-KUNNR", f"客户 {number} 不存在", f"Customer {number} does not exist"
                ),
            ),
        )
    problems: list[Problem] = []
    if company_code and customer.company_code(company_code) is None:
        problems.append(
            _problem(
                "KNB1-BUKRS",
                f"客户 {number} 未在公司代码 {company_code} 中创建",
                f"Customer {number} does not exist in company code {company_code}",
            )
        )
    area = "/".join(parts)
    if any(parts) and customer.sales_area(area) is None:
        problems.append(
            _problem(
                "KNVV-VKORG",
                f"客户 {number} 未在销售范围 {area} 中创建",
                f"Customer {number} does not exist in sales area {area}",
            )
        )
    if problems:
        return Resolution(None, problems=tuple(problems))
    keys = Keys(
        customer.general.account_group,
        number,
        company_code,
        parts if any(parts) else None,
        customer,
    )
    return Resolution(keys)


def check_reference(v: Mapping[str, str], read: Reader) -> tuple[Customer | None, list[Problem]]:
    """The reference customer (and its company code and sales area) whose data are copied."""
    number = v.get("REF_KUNNR", "")
    problems: list[Problem] = []
    if not number:
        if any(v.get(f) for f in REFERENCE_FIELDS[1:]):
            problems.append(
                _problem("KNA1-KUNNR", "请输入参考客户", "Enter the reference customer")
            )
        return None, problems
    reference = read(number)
    if reference is None:
        problems.append(
            _problem(
                "KNA1-KUNNR",
                f"参考客户 {number} 不存在",
                f"Reference customer {number} does not exist",
            )
        )
        return None, problems
    ref_code = v.get("REF_BUKRS", "")
    if ref_code and reference.company_code(ref_code) is None:
        problems.append(
            _problem(
                "KNB1-BUKRS",
                f"参考客户 {number} 未在公司代码 {ref_code} 中创建",
                f"Reference customer {number} does not exist in company code {ref_code}",
            )
        )
    ref_area = reference_area(v)
    if ref_area and reference.sales_area(ref_area) is None:
        problems.append(
            _problem(
                "KNVV-VKORG",
                f"参考客户 {number} 未在销售范围 {ref_area} 中创建",
                f"Reference customer {number} does not exist in sales area {ref_area}",
            )
        )
    return reference, problems


def reference_area(v: Mapping[str, str]) -> str:
    """The reference's sales area "F011/10/01", or "" when none was typed."""
    key = "/".join(v.get(f, "") for f in REFERENCE_FIELDS[2:])
    return "" if key == "//" else key
