"""Input hygiene at the domain boundary: the characters no field takes, and reading files in
UTF-8 only. How each field's input is normalised (full-width codes folded to ASCII, the credit
code compacted, text kept as typed) is its type's (custmd_gui.domain.field_types); every type
refuses what this module finds.

Characters nobody can see are refused (never dropped silently): control characters (NUL, BEL,
TAB, line breaks, any Cc), bidirectional controls, zero-width characters and lone surrogates.
They make two equal-looking names differ, break the search and the duplicate check, and
PostgreSQL refuses NUL outright.

Kept on purpose: emoji and characters beyond the Basic Multilingual Plane such as 𠀋 (CJK
Extension B), which are legitimate in Chinese names and addresses (rare given names, place
names). Python counts them as one character each, as the length check and the catalog's
lengths do, and PostgreSQL (UTF-8) and SQLite store them unchanged; refusing them would refuse
real people and companies. Variation selectors and private-use characters stay too: they are
visible parts of a glyph. Only the joiner U+200D is refused although emoji sequences use it:
in master data an invisible joiner is far more often pasted noise than a family emoji.
"""

from __future__ import annotations

import codecs
import unicodedata
from enum import Enum
from pathlib import Path

from custmd_gui.catalog import Text
from custmd_gui.domain.errors import DomainError, Problem

# -- characters refused ------------------------------------------------------------------------


class Invisible(Enum):
    """Kinds of refused characters, with what a clerk is told about them."""

    CONTROL = Text(zh="不可见的控制字符", en="invisible control characters")
    BIDI = Text(zh="文字方向控制字符", en="text direction controls")
    ZERO_WIDTH = Text(zh="零宽字符", en="zero-width characters")
    SURROGATE = Text(zh="无效的 Unicode 字符", en="invalid Unicode characters")


BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
ZERO_WIDTH = frozenset(
    "\u200b\u200c\u200d\u2060\ufeff"
    # Invisible as well: soft hyphen, Mongolian vowel separator, invisible operators,
    # interlinear annotation marks.
    "\u00ad\u180e\u2061\u2062\u2063\u2064\ufff9\ufffa\ufffb"
)


def _kind_of(ch: str) -> Invisible | None:
    if ch.isprintable() and ch not in BIDI_CONTROLS and ch not in ZERO_WIDTH:
        return None  # printable: letters, digits, CJK, emoji, the space
    if ch in BIDI_CONTROLS:
        return Invisible.BIDI
    if ch in ZERO_WIDTH:
        return Invisible.ZERO_WIDTH
    category = unicodedata.category(ch)
    if category in ("Cc", "Zl", "Zp"):  # NUL, BEL, TAB, newline, DEL, C1; line separators
        return Invisible.CONTROL
    if category == "Cs":  # a lone surrogate ("\ud800" in JSON) is no character at all
        return Invisible.SURROGATE
    return None  # other non-printables (format characters of scripts, unassigned) stay


def invisible_characters(value: str) -> dict[Invisible, list[str]]:
    """The refused characters in `value` by kind, each once, as U+XXXX, in order of first
    appearance."""
    found: dict[Invisible, list[str]] = {}
    if value.isprintable():  # every refused character is unprintable (Cc, Cf, Cs, Zl, Zp)
        return found
    for ch in value:
        kind = _kind_of(ch)
        if kind is not None:
            code = f"U+{ord(ch):04X}"
            seen = found.setdefault(kind, [])
            if code not in seen:
                seen.append(code)
    return found


def field_problem(field_key: str, label: Text, value: str, segment: str = "") -> Problem | None:
    """The problem of a typed value holding refused characters, naming every one of them:
    `名称含有不可见的控制字符（U+0007），请删除后重新输入`."""
    found = invisible_characters(value)
    if not found:
        return None
    zh = "、".join(f"{kind.value.zh}（{'、'.join(codes)}）" for kind, codes in found.items())
    en = " and ".join(f"{kind.value.en} ({', '.join(codes)})" for kind, codes in found.items())
    return Problem(
        field_key,
        segment,
        Text(
            zh=f"{label.zh}含有{zh}，请删除后重新输入",
            en=f"{label.en} contains {en}; delete them and enter it again",
        ),
    )


# -- files ---------------------------------------------------------------------------------------


class UnreadableFile(DomainError):
    """A file that is not what it must be (not UTF-8, not JSON, ...); the problem names it."""

    @classmethod
    def of(cls, path: Path | str, zh: str, en: str) -> UnreadableFile:
        return cls([Problem(str(path), "", Text(zh=zh, en=en))])


SAVE_AS_UTF8 = Text(zh="请将文件另存为 UTF-8 编码", en="save the file as UTF-8")

_BOMS = (
    # Longest first: the UTF-32 little-endian mark begins with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 by the byte-order mark, or UTF-16 without one by the zero bytes its
    ASCII characters have (such bytes are valid UTF-8, but no text file has that many NULs)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    sample = data[:4096]
    if len(sample) >= 4 and max(sample[0::2].count(0), sample[1::2].count(0)) > len(sample) // 4:
        return "UTF-16"
    return None


def detect_encoding(data: bytes) -> str | None:
    """The encoding a file that is not UTF-8 seems to be in: UTF-16 or UTF-32, or GBK when the
    bytes read as GB 18030; None when there is no telling."""
    wide = wide_encoding(data)
    if wide is not None:
        return wide
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return "GBK"


def decode_utf8(data: bytes, source: Path | str, hint: Text = SAVE_AS_UTF8) -> str:
    """The text of a file's bytes: UTF-8, with or without the byte-order mark Windows tools
    write. Any other encoding raises UnreadableFile naming the file, the encoding it seems to
    be in and `hint`."""
    if wide_encoding(data) is None:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    guess = detect_encoding(data)
    seems = Text(zh=f"（看起来是 {guess} 编码）", en=f" (it looks like {guess})")
    if guess is None:
        seems = Text(zh="", en="")
    raise UnreadableFile.of(
        source,
        f"不是 UTF-8 编码{seems.zh}；{hint.zh}",
        f"Not UTF-8{seems.en}; {hint.en}",
    )


def read_bytes(path: Path) -> bytes:
    """The file's bytes; UnreadableFile naming the reason when it cannot be read at all."""
    try:
        return path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UnreadableFile.of(
            path, f"无法读取文件：{reason}", f"Cannot read the file: {reason}"
        ) from None


def read_text_utf8(path: Path, hint: Text = SAVE_AS_UTF8) -> str:
    """`decode_utf8` of a file; one that cannot be read at all raises UnreadableFile too."""
    return decode_utf8(read_bytes(path), path, hint)
