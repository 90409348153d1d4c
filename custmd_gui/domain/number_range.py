"""Customer number rules: internal intervals and the external 10-digit rule of document SD02."""

from __future__ import annotations

from custmd_gui.catalog import Text
from custmd_gui.domain.customizing import Customizing, NumberRange
from custmd_gui.domain.errors import Problem
from custmd_gui.domain.model import Customer

NUMBER_KEY = "KNA1-KUNNR"


def _problem(zh: str, en: str) -> Problem:
    return Problem(NUMBER_KEY, "", Text(zh=zh, en=en))


def sd02_problems(number: str, customer: Customer) -> list[Problem]:
    """Document SD02: 2 | last two digits of the branch company code | liaison office or last
    three digits of the responsibility center | 4-digit serial."""
    if len(number) != 10 or not (number.isascii() and number.isdigit()):
        return [_problem("客户编号必须是 10 位数字", "The customer number must have 10 digits")]
    problems: list[Problem] = []
    if number[0] != "2":
        problems.append(_problem("客户编号第 1 位必须是 2", "Digit 1 of the number must be 2"))
    orgs = {c.company_code for c in customer.company_codes}
    orgs |= {s.sales_org for s in customer.sales_areas}
    branch_digits = {o[-2:] for o in orgs if len(o) >= 2}
    if branch_digits and number[1:3] not in branch_digits:
        shown = "、".join(sorted(orgs))
        problems.append(
            _problem(
                f"客户编号第 2-3 位 {number[1:3]} 必须是分公司代码（{shown}）的后两位",
                f"Digits 2-3 ({number[1:3]}) must be the last two digits of the branch company "
                f"code ({', '.join(sorted(orgs))})",
            )
        )
    offices = {s.sales_group for s in customer.sales_areas if s.sales_group}
    offices |= {s.sales_office[-3:] for s in customer.sales_areas if len(s.sales_office) >= 3}
    if offices and number[3:6] not in offices:
        shown = "、".join(sorted(offices))
        problems.append(
            _problem(
                f"客户编号第 4-6 位 {number[3:6]} 必须是联络处代码或责任中心代码后三位（{shown}）",
                f"Digits 4-6 ({number[3:6]}) must be the liaison office or the last three digits "
                f"of the responsibility center ({', '.join(sorted(offices))})",
            )
        )
    if number[6:] == "0000":
        problems.append(
            _problem(
                "客户编号第 7-10 位流水号不能是 0000", "The serial (digits 7-10) cannot be 0000"
            )
        )
    return problems


def number_problems(
    customer: Customer, customizing: Customizing, *, keep_internal: bool = False
) -> list[Problem]:
    """Problems with the number typed at creation, judged by the account group's range.
    `keep_internal` (an import of migrated customers): a number inside an internal range is
    kept rather than refused (services.create.numbered_many raises the range to it)."""
    group = customizing.account_group(customer.general.account_group)
    rng = customizing.number_range_of(customer.general.account_group)
    if group is None or rng is None:
        return []  # the account group itself is reported elsewhere
    number = customer.general.number
    if rng.internal:
        if number and keep_internal:
            return [] if rng.contains(number) else [_outside(number, rng)]
        if number:
            return [
                _problem(
                    f"科目组 {group.code} 使用内部给号，客户编号必须留空（系统自动给号）",
                    f"Account group {group.code} numbers internally; leave the number empty",
                )
            ]
        return []
    if not number:
        return [
            _problem(
                f"科目组 {group.code} 使用外部给号，请输入客户编号",
                f"Account group {group.code} numbers externally; enter the customer number",
            )
        ]
    if not rng.contains(number):
        return [_outside(number, rng)]
    if rng.rule == "sd02":
        return sd02_problems(number, customer)
    return []


def _outside(number: str, rng: NumberRange) -> Problem:
    return _problem(
        f"客户编号 {number} 不在编号范围 {rng.from_number}-{rng.to_number} 内",
        f"Number {number} is outside the range {rng.from_number}-{rng.to_number}",
    )


def format_internal(rng: NumberRange, value: int) -> str:
    return str(value).zfill(len(rng.from_number))
