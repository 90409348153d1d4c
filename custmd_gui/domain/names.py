"""Search keys for the duplicate check: normalized names, telephone and tax numbers.

Two customers are "the same company" to a clerk when their names differ only in the width of
the characters, traditional or simplified characters, brackets, a legal-form suffix (有限公司,
股份有限公司, Co., Ltd.), a bracketed qualifier such as （总部） or （有限合伙）
(domain.name_folding) or a leading city (上海东宁广告有限公司 and 东宁广告(上海)有限公司 are
东宁广告). The keys here are what the search index stores; changing how they are made means
re-indexing every customer (a migration: 0015 rewrites the keys that changed).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from custmd_gui.domain import uscc
from custmd_gui.domain.cities import read_cities
from custmd_gui.domain.name_folding import is_qualifier, to_simplified
from custmd_gui.resources import customizing_dir

# Kinds of search tokens (the kna1_search.kind column).
NAME_BIGRAM = "n"
NAME_KEY = "k"
TAX_NUMBER = "t"
PHONE = "p"
USCC = "u"

TOKEN_LENGTH = 64  # kna1_search.token
MIN_REMAINDER = 2  # a place is only stripped when this much of the name is left
MIN_PHONE_DIGITS = 5  # shorter numbers are typos or extensions, too common to compare

# Longest first where one ends another (分公司 before 公司), so that the longest form is stripped.
CN_LEGAL_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限合伙企业",
    "有限公司",
    "合伙企业",
    "有限合伙",
    "分公司",
    "总公司",
    "集团",
    "公司",
    "股份",
    "有限",
)
LATIN_LEGAL_FORMS = frozenset(
    {
        "co",
        "company",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "plc",
        "gmbh",
        "group",
    }
)
# Full forms of provincial-level names that do not end in 省/市 (regions.yaml has the short ones).
_REGION_FULL_FORMS = {
    "内蒙古": ("内蒙古自治区",),
    "广西": ("广西壮族自治区",),
    "西藏": ("西藏自治区",),
    "宁夏": ("宁夏回族自治区",),
    "新疆": ("新疆维吾尔自治区",),
    "香港": ("香港特别行政区",),
    "澳门": ("澳门特别行政区",),
}
# Only inside brackets: 东宁广告(中国)有限公司 is 东宁广告; a leading 中国 is part of the name.
_BRACKET_ONLY_PLACES = ("中国", "china", "prc")

_OPEN = "([【〔〈《「『"
_CLOSE = ")]】〕〉》」』"
_BRACKETED = re.compile(
    f"[{re.escape(_OPEN)}]([^{re.escape(_OPEN + _CLOSE)}]*)[{re.escape(_CLOSE)}]"
)
_NOT_WORD = re.compile(r"[\W_]+")
_PHONE_EXTENSION = re.compile(r"(?:转|分机|ext|#|x).*$", re.IGNORECASE)


@functools.cache
def _places() -> tuple[frozenset[str], frozenset[str], tuple[int, ...]]:
    """(names stripped at the front, names stripped inside brackets, their lengths)."""
    return _load_places(customizing_dir())


def _load_places(directory: Path) -> tuple[frozenset[str], frozenset[str], tuple[int, ...]]:
    regions: dict[str, Any] = yaml.safe_load(
        (directory / "regions.yaml").read_text(encoding="utf-8")
    )
    names: set[str] = set()
    latin: set[str] = set()
    for value in regions["lists"]["regions"]["values"]:
        if value.get("parent") != "CN":
            continue
        zh = str(value["zh"])
        names.update((zh, zh + "省", zh + "市", *_REGION_FULL_FORMS.get(zh, ())))
        latin.add(_NOT_WORD.sub("", str(value.get("en", "")).casefold()))
    for group in read_cities(directory).values():
        for city in group:
            names.update((str(city), f"{city}市"))
    front = frozenset(names)
    bracket = frozenset(front | latin | set(_BRACKET_ONLY_PLACES)) - {""}
    lengths = tuple(sorted({len(n) for n in front}, reverse=True))
    return front, bracket, lengths


def _drop_bracketed_place(match: re.Match[str]) -> str:
    inner = match.group(1)
    folded, places = _NOT_WORD.sub("", inner), _places()[1]
    if folded in places or is_qualifier(folded, places):
        return " "
    # Other bracketed words stay: 东宁广告(集团)有限公司 is 东宁广告集团有限公司.
    return f" {inner} "


def _strip_legal_forms(key: str) -> str:
    """Drop legal-form suffixes and a city right before them (…有限公司上海分公司)."""
    front, _, lengths = _places()
    changed = True
    while changed:
        changed = False
        for form in CN_LEGAL_FORMS:
            if key.endswith(form) and len(key) - len(form) >= MIN_REMAINDER:
                key = key[: -len(form)]
                changed = True
                for n in lengths:
                    if len(key) - n >= MIN_REMAINDER and key[-n:] in front:
                        key = key[:-n]
                        break
                break
    return key


def _strip_leading_places(key: str) -> str:
    """上海东宁广告 and 广东省深圳市东宁广告 are 东宁广告; 上海 alone stays 上海."""
    front, _, lengths = _places()
    changed = True
    while changed:
        changed = False
        for n in lengths:
            if len(key) - n >= MIN_REMAINDER and key[:n] in front:
                key = key[n:]
                changed = True
                break
    return key


def normalize_name(text: str) -> str:
    """The comparison key of a company name; "" when nothing is left."""
    text = to_simplified(unicodedata.normalize("NFKC", text).casefold())
    text = _BRACKETED.sub(_drop_bracketed_place, text)
    words = [w for w in _NOT_WORD.split(text) if w]
    while len(words) > 1 and words[-1] in LATIN_LEGAL_FORMS:
        words.pop()
    key = _strip_legal_forms("".join(words))
    return _strip_leading_places(key)[:TOKEN_LENGTH]


def name_tokens(key: str) -> set[str]:
    """Character bigrams of a key (a one-character key is its own token)."""
    if len(key) < 2:
        return {key} if key else set()
    return {key[i : i + 2] for i in range(len(key) - 1)}


def similarity(a: set[str], b: set[str]) -> float:
    """Dice coefficient of two token sets."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def normalize_phone(text: str) -> str:
    """Digits of a Chinese telephone number without country prefix and trunk 0:
    "021-5555 1234" and "+86 21 55551234" are both 2155551234."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = _PHONE_EXTENSION.sub("", text)
    international = text.startswith("+")
    digits = "".join(c for c in text if c.isdigit())
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and (international or len(digits) >= 12):
        # Without + or 00 a leading 86 is a prefix only when the rest is a full national number
        # (11 digits with area code, 11 for a mobile); 8-digit local numbers may start with 86.
        digits = digits[2:]
    return digits.lstrip("0")


def normalize_tax_number(text: str) -> str:
    """Tax numbers (STCD1, STCEG) compare without case, spaces and hyphens."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\-]+", "", text).upper()


def normalize_uscc(text: str) -> str:
    return uscc.normalize(unicodedata.normalize("NFKC", text))


def search_tokens(
    name: str,
    *,
    tax_numbers: Iterable[str] = (),
    phones: Iterable[str] = (),
    uscc_code: str = "",
) -> set[tuple[str, str]]:
    """The (kind, token) pairs the search index holds for one customer."""
    out: set[tuple[str, str]] = set()
    key = normalize_name(name)
    if key:
        out.add((NAME_KEY, key))
        out.update((NAME_BIGRAM, t) for t in name_tokens(key))
    for raw in tax_numbers:
        tax = normalize_tax_number(raw)[:TOKEN_LENGTH]
        if tax:
            out.add((TAX_NUMBER, tax))
    for raw in phones:
        phone = normalize_phone(raw)[:TOKEN_LENGTH]
        if len(phone) >= MIN_PHONE_DIGITS:
            out.add((PHONE, phone))
    code = normalize_uscc(uscc_code)[:TOKEN_LENGTH]
    if code:
        out.add((USCC, code))
    return out
