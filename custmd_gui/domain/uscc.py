"""The Unified Social Credit Code (统一社会信用代码) of GB 32100-2015."""

from __future__ import annotations

# The 31 characters of the code: digits and upper-case letters without I, O, Z, S, V.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# Position 1: the registration authority. 1 机构编制, 5 民政, 9 工商 (市场监管), Y 其他, and the
# letter codes the standard's later assignments use (A-G, N for agriculture and rural bodies).
# Letter-first codes are valid: checkers that demand a digit here reject real organisations.
_AUTHORITIES = frozenset("123456789ABCDEFGNY")


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (GB 32100-2015, section 5)."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalize(code: str) -> str:
    return code.strip().upper().replace(" ", "").replace("-", "")


def problem(code: str) -> tuple[str, str] | None:
    """What is wrong with the code as (zh, en), or None when it is valid."""
    code = normalize(code)
    if len(code) != 18:
        return (
            f"统一社会信用代码必须是 18 位，输入了 {len(code)} 位",
            f"A unified social credit code has 18 characters, not {len(code)}",
        )
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        shown = " ".join(bad)
        return (
            f"统一社会信用代码含有不允许的字符：{shown}（不使用 I、O、Z、S、V）",
            f"The code contains characters that are not allowed: {shown} "
            "(I, O, Z, S, V are unused)",
        )
    if code[0] not in _AUTHORITIES:
        return (
            f"第 1 位登记管理部门代码 {code[0]} 无效",
            f"Position 1 (registration authority) {code[0]} is not valid",
        )
    if not code[2:8].isdigit():
        return (
            "第 3-8 位必须是行政区划代码（6 位数字）",
            "Positions 3-8 must be the 6-digit administrative division code",
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        return (
            f"校验码错误：第 18 位应为 {expected}，输入的是 {code[17]}",
            f"Wrong check character: position 18 should be {expected}, not {code[17]}",
        )
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None
