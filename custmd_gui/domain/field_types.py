"""The field types the catalog names per field (`value_type`): each owns what its field takes
as input (normalize), what is wrong with a value (check) and how a value reads (display).

Every channel that builds a customer (the screens, the CLI's JSON, an import, a later sync)
goes through the same type: the model normalises with it, the validator checks with it. What
is not about one field's value (field status, partners, repeated rows, the number range)
stays in custmd_gui.domain.validation.

Normalisation, by type:

- codes, numbers, postal codes, telephone numbers: Unicode NFKC folds full-width characters to
  ASCII (``２０００００`` is ``200000``), as a Chinese input method types them.
- the unified social credit code (`uscc`): NFKC, upper case, spaces and hyphens removed, so
  that what is checked, stored and indexed is one and the same text.
- `text` (names, street, city): kept exactly as typed. NFKC would turn the full-width brackets
  of 东宁广告（上海）有限公司 into ASCII ones and ㈱ into (株).

Every type refuses the characters nobody can see (domain/hygiene.py), naming them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import ClassVar

from custmd_gui.catalog import VALUE_TYPES, FieldDef, Text, catalog
from custmd_gui.domain import hygiene, uscc
from custmd_gui.domain.customizing import AccountGroup, Customizing
from custmd_gui.domain.errors import Problem

YES = Text(zh="是", en="Yes")
NO = Text(zh="否", en="No")
# How flags are stored: SAP's "X" or blank; documents from elsewhere may say true/false.
_TRUE = frozenset({"X", "TRUE", "1", "Y", "YES"})
_FALSE = frozenset({"", "FALSE", "0", "N", "NO"})

_PHONE_CHARS = re.compile(r"^\+?[0-9(][0-9 ()\-]*$")
_PHONE_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x)\s*([0-9]{1,6})$", re.IGNORECASE)
_CN_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


@dataclass(frozen=True, slots=True)
class Context:
    """What a check may look at beyond the value itself."""

    customizing: Customizing
    # The customer's country (its general data): postal code, telephone and credit code rules.
    country: str = ""
    # The value of the field's value_help_parent in the same row (the country of a region).
    parent: str = ""


def fold_code(value: str) -> str:
    """NFKC: full-width letters and digits as ASCII."""
    if value.isascii():  # ASCII is NFKC already: the common case stays cheap
        return value
    return unicodedata.normalize("NFKC", value)


class FieldType:
    """A field type: the base is a code without a code list (NFKC, length only)."""

    name: ClassVar[str] = "identifier"
    # A checkbox always holds a value: required says nothing about it.
    checkbox: ClassVar[bool] = False
    # The customer's own number: its account group's number range judges it, at the save.
    numbered: ClassVar[bool] = False
    # Empty means the customer itself (a partner function pointing at the customer): never
    # missing, the save fills it in.
    empty_is_self: ClassVar[bool] = False

    def normalize(self, value: str) -> str:
        """The value as stored."""
        return fold_code(value)

    def refusal(self, fd: FieldDef, value: str, segment: str = "") -> Problem | None:
        """The characters no one may type (hygiene.field_problem), in every type."""
        return hygiene.field_problem(fd.key, fd.label, value, segment)

    def deactivated(self, fd: FieldDef, value: str, ctx: Context) -> bool:
        """The value is a code the customizing has deactivated (only codes can be)."""
        return False

    def check(self, fd: FieldDef, value: str, ctx: Context, segment: str = "") -> Problem | None:
        """What is wrong with a filled, normalised value: its length, then the type's rule."""
        if len(value) > fd.length:
            rest = catalog().field(fd.overflow).label if fd.overflow else None
            return Problem(
                fd.key,
                segment,
                Text(
                    zh=f"{fd.label.zh}最多 {fd.length} 个字符，输入了 {len(value)} 个"
                    + (f"；超出的部分请填入{rest.zh}" if rest else ""),
                    en=f"{fd.label.en} takes at most {fd.length} characters, not {len(value)}"
                    + (f"; put the rest into {rest.en}" if rest else ""),
                ),
            )
        wrong = self.problem(fd, value, ctx)
        return None if wrong is None else Problem(fd.key, segment, wrong)

    def problem(self, fd: FieldDef, value: str, ctx: Context) -> Text | None:
        """The type's own rule for a filled value that fits the length."""
        return None

    def empty_problem(self, fd: FieldDef, ctx: Context) -> Text | None:
        """What is wrong with leaving the field empty beyond the field status (a country that
        requires a postal code)."""
        return None

    def proposal(self, group: AccountGroup | None) -> str:
        """The value a new customer gets without anyone typing it."""
        return ""

    def value_text(self, fd: FieldDef, value: str, ctx: Context | None = None) -> Text | None:
        """The text a stored value reads with (a code's text from the customizing, a flag's
        Yes or No); None: the value reads alone."""
        return None

    def display(self, fd: FieldDef, value: str, ctx: Context | None = None) -> Text:
        """How a stored value reads, in both languages: `0001 立即支付`, `是`, `东宁广告`."""
        text = self.value_text(fd, value, ctx) if value or self.checkbox else None
        if text is None:
            return Text(zh=value, en=value)
        if self.checkbox:
            return text
        return Text(zh=f"{value} {text.zh}", en=f"{value} {text.en}")


class TextType(FieldType):
    """Free text: names, street, city; kept as typed."""

    name = "text"

    def normalize(self, value: str) -> str:
        return value


class NumcType(FieldType):
    """SAP's NUMC: digits only (ASCII: NFKC leaves other scripts' digits as they are)."""

    name = "numc"

    def problem(self, fd: FieldDef, value: str, ctx: Context) -> Text | None:
        if value.isascii() and value.isdigit():
            return None
        return Text(zh=f"{fd.label.zh}只能包含数字", en=f"{fd.label.en} takes digits only")


class CodeType(FieldType):
    """A code of the field's value help (a customizing code list, dependent on the value of
    the value_help_parent where the list is)."""

    name = "code"

    def known(self, fd: FieldDef, value: str, ctx: Context) -> bool:
        lst = ctx.customizing.lists.get(fd.value_help or "")
        return lst is not None and lst.get(value, ctx.parent) is not None

    def deactivated(self, fd: FieldDef, value: str, ctx: Context) -> bool:
        lst = ctx.customizing.lists.get(fd.value_help or "")
        code = lst.get(value, ctx.parent) if lst is not None else None
        return code is not None and not code.active

    def problem(self, fd: FieldDef, value: str, ctx: Context) -> Text | None:
        if self.known(fd, value, ctx):
            return None
        where = f"（国家 {ctx.parent}）" if ctx.parent else ""
        where_en = f" (country {ctx.parent})" if ctx.parent else ""
        return Text(
            zh=f"{fd.label.zh} {value} 不存在{where}，请按 F4 选择",
            en=f"{fd.label.en} {value} does not exist{where_en}; press F4 to choose",
        )

    def value_text(self, fd: FieldDef, value: str, ctx: Context | None = None) -> Text | None:
        if ctx is None:
            return None
        lst = ctx.customizing.lists.get(fd.value_help or "")
        code = lst.get(value, ctx.parent) if lst is not None else None
        return None if code is None else code.text


class AccountGroupType(CodeType):
    """An account group: the customizing's groups, not a code list."""

    name = "account_group"

    def known(self, fd: FieldDef, value: str, ctx: Context) -> bool:
        return ctx.customizing.account_group(value) is not None

    def value_text(self, fd: FieldDef, value: str, ctx: Context | None = None) -> Text | None:
        found = super().value_text(fd, value, ctx)
        if found is None and ctx is not None and (group := ctx.customizing.account_group(value)):
            return group.text
        return found


class ReconciliationAccountType(CodeType):
    """The reconciliation account, which the account group proposes."""

    name = "reconciliation_account"

    def proposal(self, group: AccountGroup | None) -> str:
        return group.reconciliation_account if group is not None else ""


class LanguageType(CodeType):
    """A language key (SAP's LANG) of the value help."""

    name = "language"


class CurrencyType(CodeType):
    """A currency key (SAP's CUKY) of the value help."""

    name = "currency"


class FlagType(FieldType):
    """SAP's checkbox: "X" or blank in documents, True or False in the model."""

    name = "flag"
    checkbox = True

    def problem(self, fd: FieldDef, value: str, ctx: Context) -> Text | None:
        if value.strip().upper() in ("X", ""):
            return None
        return Text(
            zh=f'{fd.label.zh}是复选标记，只能是 "X" 或 ""，不能是 {value}',
            en=f'{fd.label.en} is a flag: "X" or "", not {value}',
        )

    def value_text(self, fd: FieldDef, value: str, ctx: Context | None = None) -> Text | None:
        folded = value.strip().upper()
        if folded in _TRUE:
            return YES
        return NO if folded in _FALSE else None


class CustomerNumberType(FieldType):
    """The customer's own number."""

    name = "customer_number"
    numbered = True


class PartnerType(FieldType):
    """The customer number of a partner; empty is the customer itself."""

    name = "partner"
    empty_is_self = True


class PostalCodeType(FieldType):
    """A postal code by the rule of the customer's country (customizing `countries`)."""

    name = "postal_code"

    def problem(self, fd: FieldDef, value: str, ctx: Context) -> Text | None:
        country = ctx.customizing.value("countries", ctx.country) if ctx.country else None
        pattern = country.attrs.get("postal_code") if country is not None else None
        # ASCII: \d of the customizing's patterns must not take full-width or other digits.
        if not pattern or re.fullmatch(pattern, value, re.ASCII):
            return None
        hint = "6 位数字" if ctx.country == "CN" else "格式"
        return Text(
            zh=f"{fd.label.zh} {value} 不符合国家 {ctx.country} 的规则（{hint}）",
            en=f"{fd.label.en} {value} does not fit the rule of country {ctx.country}",
        )

    def empty_problem(self, fd: FieldDef, ctx: Context) -> Text | None:
        country = ctx.customizing.value("countries", ctx.country) if ctx.country else None
        if country is None or country.attrs.get("postal_code_required") != "X":
            return None
        return Text(
            zh=f"国家 {ctx.country} 必须输入{fd.label.zh}",
            en=f"Country {ctx.country} requires a postal code",
        )


class PhoneType(FieldType):
    """A telephone or fax number, with the mobile-number rule of China."""

    name = "phone"

    def problem(self, fd: FieldDef, value: str, ctx: Context) -> Text | None:
        wrong = phone_problem(value, ctx.country)
        if wrong is None:
            return None
        return Text(zh=f"{fd.label.zh}{wrong[0]}", en=f"{fd.label.en}: {wrong[1]}")


class UsccType(FieldType):
    """The unified social credit code (GB 32100-2015), checked for Chinese customers."""

    name = "uscc"

    def normalize(self, value: str) -> str:
        # Only spaces and hyphens go: a TAB or a zero-width space stays, to be refused.
        return uscc.normalize(fold_code(value))

    def problem(self, fd: FieldDef, value: str, ctx: Context) -> Text | None:
        wrong = uscc.problem(value) if ctx.country == "CN" else None
        return None if wrong is None else Text(zh=wrong[0], en=wrong[1])


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


TYPES: dict[str, FieldType] = {
    t.name: t
    for t in (
        TextType(),
        FieldType(),
        CodeType(),
        AccountGroupType(),
        ReconciliationAccountType(),
        LanguageType(),
        CurrencyType(),
        NumcType(),
        FlagType(),
        CustomerNumberType(),
        PartnerType(),
        PostalCodeType(),
        PhoneType(),
        UsccType(),
    )
}
# The catalog's loader knows the names (it may not import the domain): a type it accepts
# without a class here would fail every field of it at the first check.
if set(TYPES) != set(VALUE_TYPES):
    raise RuntimeError(f"field types differ from the catalog's: {set(TYPES) ^ set(VALUE_TYPES)}")

# NFKC-folded input, what codes, numbers and dates outside the catalog take too (usage cells).
CODE = TYPES["identifier"]


def of(fd: FieldDef) -> FieldType:
    """The type of a catalog field."""
    return TYPES[fd.value_type]


def value_problem(fd: FieldDef, value: str, ctx: Context, segment: str = "") -> Problem | None:
    """Everything wrong with one typed value of a field, as stored: refused characters first
    (the other checks would only puzzle over what no one sees), then the type's check. Empty
    values and field status are the validator's."""
    ftype = of(fd)
    return ftype.refusal(fd, value, segment) or ftype.check(fd, value, ctx, segment)


@functools.cache
def _by_name() -> dict[tuple[str, str], FieldType]:
    return {(fd.table, fd.name): of(fd) for fd in catalog()}


def normalize_field(table: str, name: str, value: str) -> str:
    """The value as stored for the catalog field `name` (Python name) of SAP table `table`;
    a name the catalog does not know is left as it is."""
    ftype = _by_name().get((table, name))
    return value if ftype is None else ftype.normalize(value)
