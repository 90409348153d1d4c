"""What the duplicate check's name key (domain.names) folds beyond width, case and legal forms:
traditional characters as simplified, and bracketed qualifiers that are not part of the name.

Traditional to simplified: 廈門航空 and 厦门航空 are one company, written in Hong Kong or Taiwan
and on the mainland. OpenCC's t2s conversion (phrases first, then characters) does it; both
names compared go through it, so a simplified name it changes (乾 → 干 outside a known phrase)
still meets itself.

Bracketed qualifiers: 上海东宁广告有限公司（总部） is 上海东宁广告有限公司. A bracket holding
only a word from QUALIFIERS, optionally after a place (（上海总部）, （苏州分公司））, says which
office or what form of the same company the name means, not another company:

- head office, the whole group: 总部, 总公司, 总店, 总行, 总厂, 本部, 集团;
- a branch (分公司, 分行, 分店, 办事处): a branch has no legal personality of its own (公司法:
  分公司不具有法人资格), it is the company; the check has always keyed 东宁广告有限公司上海分公司
  as 东宁广告, and the clerk may still create it as a customer of its own (the check asks, it
  does not refuse);
- in formation: 筹, 筹备, 筹建, 筹备组, 筹委会;
- the form of a partnership or enterprise, which the register adds in brackets: 有限合伙,
  普通合伙, 特殊普通合伙, 个人独资, 个体工商户, 非法人, …

Anything else in brackets stays part of the name: （一期） and （二期） are two funds,
（徐汇店） one store of a chain, （原东宁广告） a former name.
"""

from __future__ import annotations

import functools

import opencc

# Compared with the bracket's text folded (NFKC, case folded, without spaces and punctuation).
QUALIFIERS = frozenset(
    {
        # head office, the group
        "总部",
        "总公司",
        "总店",
        "总行",
        "总厂",
        "本部",
        "集团",
        "集团总部",
        "headquarters",
        "hq",
        "headoffice",
        # a branch of the same legal person
        "分公司",
        "分行",
        "分店",
        "办事处",
        "branch",
        # in formation
        "筹",
        "筹备",
        "筹建",
        "筹备组",
        "筹委会",
        # the form of a partnership or enterprise, as the register writes it in brackets
        "有限合伙",
        "普通合伙",
        "特殊普通合伙",
        "有限合伙企业",
        "普通合伙企业",
        "个人独资",
        "个人独资企业",
        "个体工商户",
        "非法人",
        "外商独资",
        "中外合资",
        "中外合作",
        "全民所有制",
        "集体所有制",
    }
)
_LENGTHS = tuple(sorted({len(q) for q in QUALIFIERS}, reverse=True))


@functools.cache
def _converter() -> opencc.OpenCC:
    # Made once: it reads its dictionaries when made.
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """`text` with traditional characters as simplified (OpenCC t2s)."""
    return str(_converter().convert(text)) if text else text


def is_qualifier(inner: str, places: frozenset[str]) -> bool:
    """Whether a bracket's folded text `inner` is a qualifier (QUALIFIERS), alone or after a
    place in `places` (上海总部, 苏州分公司)."""
    if inner in QUALIFIERS:
        return True
    for n in _LENGTHS:
        if len(inner) > n and inner[-n:] in QUALIFIERS and inner[:-n] in places:
            return True
    return False
