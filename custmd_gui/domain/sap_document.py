"""The SAP-shaped JSON document of a customer: table names and SAP field names as keys."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from custmd_gui.catalog import Text
from custmd_gui.domain.errors import DomainError, Problem
from custmd_gui.domain.model import Customer

_CHILD_TABLES = {"KNBK", "KNB1", "KNVV", "KNVI", "KNVP"}


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


def from_document(document: Any) -> Customer:
    """Read a SAP-shaped document; structural errors come back as problems naming the field."""
    if not isinstance(document, dict):
        raise DomainError.single(
            "KNA1", "文件内容必须是一个 JSON 对象", "The document must be a JSON object"
        )
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
