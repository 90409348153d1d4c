"""What the customer list finds a customer by: the tokens stored per customer, and how one
search text is read (see custmd_gui.services.search for the rules as a clerk sees them).

Every lookup the list makes is an exact token, so that the database answers it from one
ordered index range (kind, token, kunnr): the first page of the customers holding a token, in
number order, costs the same whether ten or a million customers hold it. Substrings of names
are therefore stored as their characters and character pairs; longer substrings are found
through their rarest pair and checked against the stored normalized text. Changing how tokens
are made means re-indexing every customer (a migration).
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from custmd_gui.catalog import catalog
from custmd_gui.domain import names
from custmd_gui.domain.list_row import is_blocked as is_blocked  # the list's "blocked"
from custmd_gui.domain.model import CompanyCodeData, Customer, SalesAreaData

# Kinds of tokens (kna1_find.kind). The tax numbers are those of the duplicate check
# (kna1_search, names.TAX_NUMBER), read from there.
CHAR = "1"  # one character of a name or the search term
PAIR = "2"  # two adjacent characters of a name or the search term
TEXT = "N"  # a whole name or search term, normalized: checks longer substrings
INITIALS = "j"  # a prefix (2..INITIALS_PREFIX letters) of the pinyin initials of a name
INITIALS_TEXT = "J"  # whole initials longer than INITIALS_PREFIX: checks longer prefixes
CITY = "o"
POSTAL_CODE = "z"
PHONE = "p"  # the full number, the local number (last 7 and 8 digits), the last 4 digits
ACCOUNT_GROUP = "g"
COMPANY_CODE = "c"
SALES_AREA = "a"
FLAG = "x"
TAX_NUMBER = names.TAX_NUMBER

BLOCKED = "B"  # FLAG token: a central posting, order, delivery or billing block
DELETION = "D"  # FLAG token: flagged for deletion (KNA1-LOEVM)

TOKEN_LENGTH = 64  # kna1_find.token
INITIALS_PREFIX = 8
# Readings combined per name at most (the phrase reading first, see initials_variants).
MAX_INITIALS_VARIANTS = 4
PHONE_SUFFIXES = (4, 7, 8)
MIN_PHONE_QUERY = 4
MIN_TAX_QUERY = 8
MAX_NUMBER_LENGTH = 10

# Common characters with more than one reading in company and place names, and the readings'
# initials a clerk may type (重庆 is chongqing, a clerk may type zq). pypinyin knows every
# reading a character ever had (有 also reads wei, 司 also ci), so combining them all would
# index dozens of spellings nobody types; these are the ones people do mix up.
COMMON_HETERONYMS: dict[str, str] = {
    "重": "cz",
    "长": "cz",
    "行": "xh",
    "厦": "xs",
    "朝": "cz",
    "单": "ds",
    "乐": "ly",
    "曾": "zc",
    "解": "jx",
    "区": "qo",
    "查": "cz",
    "传": "cz",
    "藏": "cz",
    "会": "hk",
    "调": "td",
    "省": "sx",
    "盛": "sc",
    "六": "l",
    "番": "fp",
    "莘": "sx",
    "秘": "mb",
    "铅": "qy",
    "宿": "sx",
    "系": "xj",
    "校": "xj",
    "参": "cs",
    "降": "jx",
    "种": "zc",
    "率": "sl",
    "仇": "cq",
    "翟": "zd",
    "尉": "wy",
    "便": "bp",
    "强": "qj",
    "角": "jj",
    "弹": "td",
    "提": "td",
    "都": "dd",
    "露": "l",
    "伯": "bb",
    "给": "gj",
    "奇": "qj",
    "折": "zs",
    "着": "zz",
    "还": "hh",
    "和": "hh",
    "蚌": "bb",
    "枞": "cz",
    "柏": "bb",
    "华": "h",
    "石": "sd",
    "沈": "s",
    "圳": "z",
}

# Characters and pairs of the legal forms: nearly every Chinese name holds them, so of two
# tokens too common to count, one of these finds the fewer customers last.
COMMON_TOKENS = frozenset(
    token
    for form in names.CN_LEGAL_FORMS
    for token in (*form, *(form[i : i + 2] for i in range(len(form) - 1)))
)

_CITY_SUFFIX = "市"
_WORD = re.compile(r"\w")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_RUN = re.compile(r"[0-9a-z]+")
_PHONE_LIKE = re.compile(r"^[\d\s+\-()（）]+$")


def fold(text: str) -> str:
    """The form texts are compared in: full-width as half-width, case folded, spaces single."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.split())


def is_word_char(char: str) -> bool:
    return bool(_WORD.match(char))


def text_grams(text: str) -> set[tuple[str, str]]:
    """(CHAR, c) for every letter, digit or ideograph of a folded text and (PAIR, ab) for
    every two adjacent ones; punctuation and spaces separate."""
    out: set[tuple[str, str]] = set()
    previous = ""
    for char in text:
        if not is_word_char(char):
            previous = ""
            continue
        out.add((CHAR, char))
        if previous:
            out.add((PAIR, previous + char))
        previous = char
    return out


# --- pinyin initials (助记码) -------------------------------------------------------------------


@functools.cache
def _char_readings(char: str) -> tuple[str, ...]:
    """Initials a character is read with on its own: its most common reading first."""
    from pypinyin import Style, pinyin

    found = pinyin(char, style=Style.FIRST_LETTER, heteronym=True, errors="ignore")
    first = [r[0] for r in (found[0] if found else []) if r and r[0].isascii() and r[0].isalpha()]
    readings = [*first[:1], *COMMON_HETERONYMS.get(char, "")]
    return tuple(dict.fromkeys(readings))


def _first_letter(syllable: str) -> str:
    """ "chóng" -> "c", "ān" -> "a"; "" when the syllable is no pinyin."""
    letter = unicodedata.normalize("NFD", syllable[:1])[:1].casefold()
    return letter if letter.isascii() and letter.isalpha() else ""


def _phrase_readings(run: str) -> list[str]:
    """Initials of a run of ideographs read as phrases (pypinyin's phrase dictionary: 重庆 is
    chongqing, not zhongqing); a character without a reading gives ""."""
    out: list[str] = []
    for word in _segmenter().seg(run):
        initials = _word_initials(word)
        if len(initials) != len(word):  # a character without a reading: read one by one
            return [next(iter(_char_readings(c)), "") for c in run]
        out += initials
    return out


@functools.cache
def _segmenter() -> Any:
    from pypinyin.core import Pinyin

    return Pinyin()


@functools.lru_cache(maxsize=65_536)
def _word_initials(word: str) -> tuple[str, ...]:
    """Initials of one word of pypinyin's segmentation, as pypinyin reads it within its run
    (the segmentation matches the longest phrase from the left, so a word segments alone as
    it does in its run): names share their words (有限公司, 科技, cities), and an import reads
    tens of thousands of names."""
    from pypinyin import Style, lazy_pinyin

    # Tone marks and taking the first letter here: a third faster than Style.FIRST_LETTER.
    return tuple(_first_letter(r) for r in lazy_pinyin(word, style=Style.TONE, errors="ignore"))


Slot = tuple[str, tuple[str, ...]]  # a character and the initials it may be typed as


def initials_slots(text: str) -> list[Slot]:
    """The characters of a folded text that have initials, with them: letters and digits as
    themselves, ideographs as read in their phrase first, then as read alone (see
    COMMON_HETERONYMS); other characters drop."""
    slots: list[Slot] = []
    pos = 0
    for match in re.finditer(f"{_HAN.pattern}+", text):
        slots.extend((c, (c,)) for c in "".join(_LATIN_RUN.findall(text[pos : match.start()])))
        run = match.group()
        for char, phrase in zip(run, _phrase_readings(run), strict=True):
            readings = tuple(dict.fromkeys(r for r in (phrase, *_char_readings(char)) if r))
            if readings:
                slots.append((char, readings))
        pos = match.end()
    slots.extend((c, (c,)) for c in "".join(_LATIN_RUN.findall(text[pos:])))
    return slots


def variants(slots: Sequence[Slot], limit: int = MAX_INITIALS_VARIANTS) -> list[str]:
    """Initials strings of the slots: every slot's first reading, then with one slot read
    otherwise, then two, ... at most `limit`."""
    if not slots:
        return []
    readings = [r for _, r in slots]
    choices = [i for i, r in enumerate(readings) if len(r) > 1]
    out: list[str] = []
    for deviations in range(len(choices) + 1):
        for where in itertools.combinations(choices, deviations):
            for picks in itertools.product(*(range(1, len(readings[i])) for i in where)):
                chosen = dict(zip(where, picks, strict=True))
                out.append("".join(r[chosen.get(i, 0)] for i, r in enumerate(readings)))
                if len(out) >= limit:
                    return out
    return out


def initials_variants(text: str, limit: int = MAX_INITIALS_VARIANTS) -> list[str]:
    """The pinyin initials of a name, e.g. 东宁广告有限公司 -> dnggyxgs, in the readings a clerk
    may type: the phrase reading first, then with one character read otherwise (重庆 -> cq,
    zq), then two, ... at most `limit`. Letters and digits stay; other characters drop."""
    return variants(initials_slots(fold(text)), limit)


def _part_slots(slots: Sequence[Slot], part: str) -> list[Slot] | None:
    """The slots of `part`, a text made of characters of the slots' text in their order (the
    name key of a name), taken from the slots; None when it is not."""
    wanted = [c for c in part if _HAN.match(c) or _LATIN_RUN.match(c)]
    out: list[Slot] = []
    i = 0
    for char in wanted:
        while i < len(slots) and slots[i][0] != char:
            i += 1
        if i == len(slots):
            return None
        out.append(slots[i])
        i += 1
    return out


def name_initials(name: str) -> list[str]:
    """Initials variants of a name and of its key (names.normalize_name: without a leading
    city and the legal form), the key's read in the name's phrases (one pypinyin call)."""
    slots = initials_slots(fold(name))
    key = names.normalize_name(name)
    key_slots = _part_slots(slots, key)
    if key_slots is None:
        key_slots = initials_slots(key)
    return list(dict.fromkeys([*variants(slots), *variants(key_slots)]))


def initials_tokens(initials: Iterable[str]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for variant in initials:
        variant = variant[:TOKEN_LENGTH]
        for n in range(2, min(len(variant), INITIALS_PREFIX) + 1):
            out.add((INITIALS, variant[:n]))
        if len(variant) > INITIALS_PREFIX:
            out.add((INITIALS_TEXT, variant))
    return out


# --- other fields ----------------------------------------------------------------------------


def city_key(text: str) -> str:
    """上海市, 上海 and ＳＨＡＮＧＨＡＩ compare as 上海 and shanghai."""
    key = fold(text).replace(" ", "")
    if key.endswith(_CITY_SUFFIX) and len(key) > len(_CITY_SUFFIX) + 1:
        key = key[: -len(_CITY_SUFFIX)]
    return key[:TOKEN_LENGTH]


def postal_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "", unicodedata.normalize("NFKC", text)).upper()[:TOKEN_LENGTH]


def phone_tokens(phones: Iterable[str]) -> set[str]:
    """The full number as names.normalize_phone gives it (no country prefix, no trunk 0), its
    last 8 and 7 digits (the local number) and its last 4."""
    out: set[str] = set()
    for raw in phones:
        digits = names.normalize_phone(raw)[:TOKEN_LENGTH]
        if len(digits) < MIN_PHONE_QUERY:
            continue
        out.add(digits)
        out.update(digits[-n:] for n in PHONE_SUFFIXES if n <= len(digits))
    return out


def sales_area_key(sales_org: str, distribution_channel: str, division: str) -> str:
    return f"{sales_org}/{distribution_channel}/{division}".upper()


@dataclass(frozen=True, slots=True)
class Indexed:
    """The values of a customer the list searches, as plain values (the migration and the
    benchmark's generator make them from table rows, the services from a Customer)."""

    names: Sequence[str] = ()  # NAME1..NAME4
    search_term: str = ""
    city: str = ""
    postal_code: str = ""
    phones: Sequence[str] = ()
    account_group: str = ""
    company_codes: Sequence[str] = ()
    sales_areas: Sequence[str] = ()  # "VKORG/VTWEG/SPART"
    blocked: bool = False
    deletion_flag: bool = False


@functools.cache
def _search_fields(table: str, kind: str) -> tuple[str, ...]:
    """The Python names of the fields of `table` the catalog gives search `kind`, in its order."""
    return tuple(fd.name for fd in catalog().table(table) if kind in fd.search)


def _values(model: BaseModel, kind: str) -> list[object]:
    table: str = getattr(model, "SAP_TABLE", "")
    return [getattr(model, name) for name in _search_fields(table, kind)]


def _text(model: BaseModel, kind: str) -> str:
    return "".join(str(v) for v in _values(model, kind))


def _sales_area(area: SalesAreaData) -> str:
    """The key of a sales area: its fields of kind sales_area, VKORG/VTWEG/SPART."""
    return "/".join(str(v) for v in _values(area, "sales_area")).upper()


def indexed(customer: Customer) -> Indexed:
    """The values of a customer the catalog marks as searched (FieldDef.search)."""
    g = customer.general
    return Indexed(
        names=tuple(str(v) for v in _values(g, "name")),
        search_term=_text(g, "search_term"),
        city=_text(g, "city"),
        postal_code=_text(g, "postal_code"),
        phones=tuple(str(v) for v in _values(g, "phone")),
        account_group=_text(g, "account_group"),
        company_codes=tuple(_text(c, "company_code") for c in customer.company_codes),
        sales_areas=tuple(_sales_area(a) for a in customer.sales_areas),
        blocked=any(_values(g, "blocked")),
        deletion_flag=any(_values(g, "deletion_flag")),
    )


def segment_tokens(
    company_codes: Iterable[CompanyCodeData], sales_areas: Iterable[SalesAreaData]
) -> set[tuple[str, str]]:
    """The tokens of company codes and sales areas (those an extension adds)."""
    codes = (_text(c, "company_code") for c in company_codes)
    out = {(COMPANY_CODE, code.upper()) for code in codes if code}
    out.update((SALES_AREA, _sales_area(a)) for a in sales_areas)
    return out


def customer_tokens(values: Indexed) -> set[tuple[str, str]]:
    """The (kind, token) pairs kna1_find holds for one customer."""
    out: set[tuple[str, str]] = set()
    texts = [fold(t) for t in (*values.names, values.search_term)]
    for text in texts:
        if text:
            out.update(text_grams(text))
            out.add((TEXT, text[:TOKEN_LENGTH]))
    name1 = values.names[0] if values.names else ""
    out.update(initials_tokens(name_initials(name1)))
    if city := city_key(values.city):
        out.add((CITY, city))
    if postal := postal_key(values.postal_code):
        out.add((POSTAL_CODE, postal))
    out.update((PHONE, p) for p in phone_tokens(values.phones))
    if values.account_group:
        out.add((ACCOUNT_GROUP, values.account_group.upper()))
    out.update((COMPANY_CODE, c.upper()) for c in values.company_codes if c)
    out.update((SALES_AREA, a.upper()) for a in values.sales_areas if a)
    if values.blocked:
        out.add((FLAG, BLOCKED))
    if values.deletion_flag:
        out.add((FLAG, DELETION))
    return out


# --- reading a search text -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    """The customer holds this token."""

    kind: str
    token: str


@dataclass(frozen=True, slots=True)
class NoToken:
    """The customer does not hold this token (a filter: not blocked)."""

    kind: str
    token: str


@dataclass(frozen=True, slots=True)
class Like:
    """A stored token of this kind matches a LIKE pattern (escape character backslash)."""

    kind: str
    pattern: str


@dataclass(frozen=True, slots=True)
class NumberPrefix:
    """The customer number starts with this."""

    prefix: str


Atom = Token | NoToken | Like | NumberPrefix


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to understand a word: a customer matches when every atom holds. `drivers` are
    tokens implied by the atoms that can drive the lookup (a long substring's pairs)."""

    label: str
    atoms: tuple[Atom, ...]
    drivers: tuple[Token | NumberPrefix, ...] = ()

    def driver_candidates(self) -> tuple[Token | NumberPrefix, ...]:
        own = tuple(a for a in self.atoms if isinstance(a, Token | NumberPrefix))
        return tuple(dict.fromkeys((*own, *self.drivers)))


@dataclass(frozen=True, slots=True)
class Word:
    """A word of the search text; a customer matches it when any reading holds."""

    text: str
    readings: tuple[Reading, ...] = field(default_factory=tuple)


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _name_reading(word: str) -> Reading | None:
    folded = fold(word)
    grams = text_grams(folded)
    chars = sorted(t for k, t in grams if k == CHAR)
    pairs = sorted(t for k, t in grams if k == PAIR)
    if not chars:
        return None
    if len(folded) == 1:
        return Reading("name", (Token(CHAR, folded),))
    if len(folded) == 2 and pairs:
        return Reading("name", (Token(PAIR, folded),))
    drivers = tuple(Token(PAIR, p) for p in pairs) or tuple(Token(CHAR, c) for c in chars)
    return Reading("name", (Like(TEXT, f"%{escape_like(folded)}%"),), drivers)


def _initials_reading(word: str) -> Reading | None:
    letters = fold(word)
    if len(letters) < 2 or not (letters.isascii() and letters.isalpha()):
        return None
    if len(letters) <= INITIALS_PREFIX:
        return Reading("initials", (Token(INITIALS, letters),))
    return Reading(
        "initials",
        (Like(INITIALS_TEXT, f"{escape_like(letters)}%"),),
        (Token(INITIALS, letters[:INITIALS_PREFIX]),),
    )


def read_word(word: str) -> Word:
    """Every reading of one word of the search text (see services.search)."""
    readings: list[Reading] = []
    folded = fold(word)
    compact = re.sub(r"[\s\-]+", "", unicodedata.normalize("NFKC", word))
    alnum = compact.isascii() and compact.isalnum()
    if alnum and len(compact) <= MAX_NUMBER_LENGTH:
        readings.append(Reading("number", (NumberPrefix(compact.upper()),)))
    if name := _name_reading(word):
        readings.append(name)
    if initials := _initials_reading(word):
        readings.append(initials)
    if any(c.isalpha() for c in folded) and (city := city_key(word)):
        readings.append(Reading("city", (Token(CITY, city),)))
    if alnum and 3 <= len(compact) <= MAX_NUMBER_LENGTH:
        readings.append(Reading("postal_code", (Token(POSTAL_CODE, postal_key(compact)),)))
    if _PHONE_LIKE.match(word):
        # The whole number as stored (no +86, no trunk 0), or its last digits as typed
        # (0088: zeros and all).
        typed = "".join(c for c in unicodedata.normalize("NFKC", word) if c.isdigit())
        for digits in dict.fromkeys((names.normalize_phone(word), typed)):
            if len(digits) >= MIN_PHONE_QUERY:
                readings.append(Reading("telephone", (Token(PHONE, digits[:TOKEN_LENGTH]),)))
    tax = names.normalize_tax_number(word)
    if tax.isascii() and tax.isalnum() and len(tax) >= MIN_TAX_QUERY:
        readings.append(Reading("tax_number", (Token(TAX_NUMBER, tax[:TOKEN_LENGTH]),)))
    return Word(word, tuple(readings))


def split_words(text: str) -> list[str]:
    """Words of a search text; a telephone number typed with spaces (+86 21 5555 1234) is one."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return []
    if _PHONE_LIKE.match(text):
        return ["".join(text.split())]
    return list(dict.fromkeys(text.split()))


def read_text(text: str) -> list[Word]:
    return [w for w in (read_word(word) for word in split_words(text)) if w.readings]
