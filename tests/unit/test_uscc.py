"""Unified Social Credit Code (GB 32100-2015) check character."""

from __future__ import annotations

import pytest

from custmd_gui.domain import uscc

# Published codes of real organisations (listed in python-stdnum issue #207 and public
# registers), including codes with letters inside the organisation code.
VALID = [
    "91110000600037341L",
    "91420684MA4927PJ7B",
    "91620105794891756D",
    "121200004013590816",
    "9144030071526726XG",
    "91110000710926094P",
    "91310000631696382C",
    "91310115MA1K3BTP2B",
    "9131012056010553X5",
]

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _independent_check(first17: str) -> str:
    """The standard's formula written differently: weights 3^(i-1) mod 31 (ISO 7064 MOD 31-3)."""
    total = sum(_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return _ALPHABET[(31 - total % 31) % 31]


# Letter-first codes: registration authorities A (military), N (agriculture: rural
# collectives and co-operatives) and Y (other). Check characters from the formula above.
LETTER_FIRST_BODIES = [
    "N2110105MF0123456",
    "Y1440300MJ0000001",
    "A1100000MB1234567",
    "N3320506MA1X2Y3Q4",
]


@pytest.mark.parametrize("code", VALID)
def test_real_codes_are_valid(code: str) -> None:
    assert uscc.problem(code) is None


@pytest.mark.parametrize("body", LETTER_FIRST_BODIES)
def test_letter_first_codes_are_valid(body: str) -> None:
    code = body + _independent_check(body)
    assert uscc.check_character(body) == code[-1]
    assert uscc.problem(code) is None


@pytest.mark.parametrize("code", VALID)
def test_any_other_check_character_is_refused(code: str) -> None:
    for wrong in _ALPHABET:
        if wrong != code[-1]:
            found = uscc.problem(code[:-1] + wrong)
            assert found is not None and code[-1] in found[0]


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91110000600037341", "18 位"),
        ("91110000600037341LX", "18 位"),
        ("9111000060003734IL", "不允许的字符"),
        ("9111000060003734OL", "不允许的字符"),
        ("Z1110000600037341L", "不允许的字符"),
        ("H1110000600037341L", "登记管理部门"),
        ("911100A0600037341L", "行政区划"),
    ],
)
def test_malformed_codes_say_what_is_wrong(code: str, fragment: str) -> None:
    found = uscc.problem(code)
    assert found is not None
    assert fragment in found[0]


def test_lower_case_and_spaces_are_normalized() -> None:
    assert uscc.is_valid(" 91110000600037341l ")


def test_single_character_typos_are_caught() -> None:
    code = VALID[0]
    for i in range(17):
        for c in _ALPHABET:
            if c != code[i]:
                typo = code[:i] + c + code[i + 1 :]
                if typo[2:8].isdigit() and typo[0] in "123456789ABCDEFGNY":
                    assert not uscc.is_valid(typo), typo
