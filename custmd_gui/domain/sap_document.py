"""The SAP-shaped JSON document of a customer: table names and SAP field names as keys.

A document is read strictly, whatever wrote it: tables and fields only by their SAP names,
a field's value a JSON string (a flag "X" or ""), a table an object (KNA1) or a list of
objects; every deviation is a problem naming the field, all of them at once.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from custmd_gui.catalog import Text, catalog
from custmd_gui.domain import hygiene
from custmd_gui.domain.errors import DomainError, Problem
from custmd_gui.domain.model import Customer

_CHILD_TABLES = {"KNBK", "KNB1", "KNVV", "KNVI", "KNVP"}
# The document's tables: KNA1 one object, the others lists of objects; KNVV rows hold theirs.
_TOP_TABLES = ("KNA1", "KNBK", "KNB1", "KNVV")
_ROW_TABLES = {"KNVV": ("KNVI", "KNVP")}
_SHOWN = 20  # characters of a wrong value quoted in a message


class JsonNumber:
    """A number as the JSON text wrote it: kept as text, never converted, so that a
    5000-digit KUNNR is reported as a number where a text belongs, not as Python's limit on
    integer digits."""

    def __init__(self, text: str) -> None:
        self.text = text


class JsonObject(dict[str, Any]):
    """A JSON object that remembers the names it held more than once (JSON keeps the last)."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        counts = Counter(k for k, _ in pairs)
        self.repeated = sorted(k for k, n in counts.items() if n > 1)


def parse_json(text: str, source: Path | str) -> Any:
    """The JSON value of `text`; invalid JSON raises UnreadableFile naming `source` and where."""
    if not text.strip():
        raise hygiene.UnreadableFile.of(source, "文件是空的", "The file is empty")
    try:
        return json.loads(
            text,
            object_pairs_hook=JsonObject,
            parse_int=JsonNumber,
            parse_float=JsonNumber,
            parse_constant=JsonNumber,
        )
    except json.JSONDecodeError as exc:
        raise hygiene.UnreadableFile.of(
            source,
            f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）",
            f"Not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
        ) from None
    except RecursionError:
        raise hygiene.UnreadableFile.of(
            source, "JSON 的嵌套层次太深，不是客户文档", "The JSON is nested too deeply"
        ) from None


def load_document(path: Path) -> Customer:
    """The customer of a SAP-shaped JSON file in UTF-8 (with or without a byte-order mark).
    A file that cannot be read raises hygiene.UnreadableFile, a document that is not a
    customer DomainError with a problem per field."""
    return from_document(parse_json(hygiene.read_text_utf8(path), path))


def _field_key(loc: tuple[int | str, ...]) -> str:
    """('KNVV', 0, 'KNVP', 1, 'KUNN2') -> 'KNVP-KUNN2' (the innermost table and its field)."""
    table, name = "KNA1", ""
    for part in loc:
        if isinstance(part, str):
            if part in _CHILD_TABLES or part == "KNA1":
                table = part
            else:
                name = part
    return f"{table}-{name}" if name else table


def _json_type(value: Any) -> Text:
    if isinstance(value, dict):
        return Text(zh="单个对象", en="an object")
    if isinstance(value, list):
        return Text(zh="数组", en="a list")
    if isinstance(value, bool):
        return Text(zh=f"布尔值 {str(value).lower()}", en=f"JSON {str(value).lower()}")
    if isinstance(value, JsonNumber | int | float):
        return Text(zh="数字", en="a number")
    if value is None:
        return Text(zh="空值 null", en="null")
    return Text(zh="文本", en="text")


def _shown(text: str) -> str:
    """A text from the document as a message may quote it: short, nothing invisible."""
    short = text if len(text) <= _SHOWN else text[:_SHOWN] + "…"
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in short)


class _Checker:
    """Walks a document in the shape the catalog gives it and collects every deviation."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, key: str, where: str, zh: str, en: str) -> None:
        self.problems.append(Problem(key, where, Text(zh=zh, en=en)))

    def repeated(self, obj: Any, table: str, where: str) -> None:
        for name in map(_shown, getattr(obj, "repeated", ())):
            key = f"{table}-{name}" if table else name
            self.add(key, where, f"{name} 出现了多次", f"{name} appears more than once")

    def document(self, document: Any) -> None:
        if not isinstance(document, dict):
            kind = _json_type(document)
            self.add(
                "KNA1",
                "",
                f"文件内容必须是一个 JSON 对象（KNA1、KNBK、KNB1、KNVV），不能是{kind.zh}",
                f"The document must be a JSON object (KNA1, KNBK, KNB1, KNVV), not {kind.en}",
            )
            return
        self.repeated(document, "", "")
        for name, value in document.items():
            if name == "KNA1":
                self.row("KNA1", value, "")
            elif name in _TOP_TABLES:
                self.rows(name, value, "")
            else:
                name = _shown(name)
                self.add(
                    name,
                    "",
                    f"未知的表 {name}（只能是 KNA1、KNBK、KNB1、KNVV）",
                    f"Unknown table {name} (only KNA1, KNBK, KNB1, KNVV)",
                )

    def rows(self, table: str, value: Any, where: str) -> None:
        if not isinstance(value, list):
            kind = _json_type(value)
            self.add(
                table,
                where,
                f"{table} 必须是 JSON 对象的数组，不能是{kind.zh}",
                f"{table} must be a list of objects, not {kind.en}",
            )
            return
        for i, row in enumerate(value, 1):
            self.row(table, row, f"{where} {table} #{i}".strip())

    def row(self, table: str, row: Any, where: str) -> None:
        if not isinstance(row, dict):
            kind = _json_type(row)
            what = Text(zh=f"{table} 的每一行", en=f"Each row of {table}")
            if not where:  # KNA1: one object
                what = Text(zh=f"{table} ", en=table)
            self.add(
                table,
                where,
                f"{what.zh}必须是 JSON 对象，不能是{kind.zh}",
                f"{what.en} must be an object, not {kind.en}",
            )
            return
        self.repeated(row, table, where)
        fields = {fd.sap_name: fd for fd in catalog().table(table)}
        for name, value in row.items():
            fd = fields.get(name)
            if name in _ROW_TABLES.get(table, ()):
                self.rows(name, value, where)
            elif fd is None:
                key = f"{table}-{_shown(name)}"
                self.add(key, where, f"未知字段 {key}", f"Unknown field {key}")
            elif fd.type == "FLAG":
                if not (isinstance(value, str) and value.strip().upper() in ("X", "")):
                    shown = _shown(value) if isinstance(value, str) else _json_type(value).zh
                    shown_en = _shown(value) if isinstance(value, str) else _json_type(value).en
                    self.add(
                        fd.key,
                        where,
                        f'{fd.label.zh}是复选标记，只能是 "X" 或 ""，不能是 {shown}',
                        f'{fd.label.en} is a flag: "X" or "", not {shown_en}',
                    )
            elif not isinstance(value, str):
                kind = _json_type(value)
                self.add(
                    fd.key,
                    where,
                    f"{fd.label.zh}必须是文本（JSON 字符串），不能是{kind.zh}",
                    f"{fd.label.en} must be a JSON string, not {kind.en}",
                )


def from_document(document: Any) -> Customer:
    """Read a SAP-shaped document; structural errors come back as problems naming the field."""
    checker = _Checker()
    checker.document(document)
    if checker.problems:
        raise DomainError(checker.problems)
    try:
        return Customer.model_validate(document, by_alias=True)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            key = _field_key(loc)
            if err["type"] == "extra_forbidden":
                zh, en = f"未知字段 {key}", f"Unknown field {key}"
            else:
                zh, en = f"{key} 的值无效：{err['msg']}", f"Invalid value for {key}: {err['msg']}"
            problems.append(Problem(key, "", Text(zh=zh, en=en)))
        raise DomainError(problems) from None


def to_document(customer: Customer) -> dict[str, Any]:
    """The customer as a SAP-shaped document (flags as "X"/"", no internal version)."""
    doc: dict[str, Any] = customer.model_dump(mode="json", by_alias=True, exclude={"version"})
    return doc
