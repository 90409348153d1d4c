"""What a template holds, whatever the file format: the sheets and columns chosen, their
required marks, the sample rows (the documents' example) and the code lists of coded columns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from custmd_gui.catalog import Text
from custmd_gui.domain.customizing import AccountGroup, Customizing
from custmd_gui.domain.errors import DomainError, Problem
from custmd_gui.domain.sap_document import load_document
from custmd_gui.domain.transfer import columns as cols
from custmd_gui.resources import resource_dir


def sample_document() -> Path:
    """The example of the process documents (东宁广告有限公司), the template's sample."""
    return resource_dir() / "demo" / "dongning.json"


@dataclass(frozen=True, slots=True)
class CodeEntry:
    code: str
    text: str


@dataclass(frozen=True, slots=True)
class Template:
    lang: str
    sheets: tuple[cols.Sheet, ...]
    groups: tuple[AccountGroup, ...]  # the account groups the marks are for
    account_group: AccountGroup | None  # the one asked for, if any
    marks: dict[str, cols.ColumnMark]  # field key -> mark (the same in every sheet)
    samples: dict[str, list[cols.Row]]  # sheet id -> sample rows
    codes: dict[str, tuple[Text, list[CodeEntry]]]  # list id -> label, entries (unique codes)

    def value_list(self, column: cols.Column) -> str | None:
        """The code list a column's dropdown offers (None: free input)."""
        list_id = column.field.value_help
        return list_id if list_id in self.codes else None


class TemplateRefused(DomainError):
    """The template cannot be made as asked (an unknown field or account group)."""


def _codes(
    list_ids: Iterable[str], cust: Customizing, lang: str
) -> dict[str, tuple[Text, list[CodeEntry]]]:
    out: dict[str, tuple[Text, list[CodeEntry]]] = {}
    for list_id in list_ids:
        if list_id in out or list_id not in cust.lists:
            continue
        # A code that several parents share (a region code in two countries) is offered once,
        # its texts joined: a dropdown value is the code alone.
        texts: dict[str, list[str]] = {}
        for v in cust.values(list_id):
            text = v.text.get(lang)
            texts.setdefault(v.code, []).append(f"{v.parent} {text}" if v.parent else text)
        entries = [CodeEntry(code, " / ".join(t)) for code, t in texts.items()]
        out[list_id] = (cust.lists[list_id].label, entries)
    return out


def build_template(
    cust: Customizing,
    *,
    lang: str = "zh",
    fields: Iterable[str] | None = None,
    account_group: str | None = None,
    sample: Path | None = None,
) -> Template:
    """The content of a template; TemplateRefused names an unknown field or account group."""
    group: AccountGroup | None = None
    if account_group:
        group = cust.account_group(account_group.strip())
        if group is None:
            known = ", ".join(sorted(cust.account_groups))
            raise TemplateRefused(
                [
                    Problem(
                        "KNA1-KTOKD",
                        "",
                        Text(
                            zh=f"科目组 {account_group} 不存在（可用：{known}）",
                            en=f"Account group {account_group} does not exist (known: {known})",
                        ),
                    )
                ]
            )
    groups = (group,) if group else tuple(cust.account_groups.values())
    try:
        sheets = cols.choose(fields, groups, cust)
    except cols.UnknownFields as exc:
        raise TemplateRefused(
            [
                Problem(
                    key,
                    "",
                    Text(
                        zh="不是字段目录中的字段（字段写成 KNA1-NAME1 的形式）",
                        en="not a field of the catalog (write fields as KNA1-NAME1)",
                    ),
                )
                for key in exc.keys
            ]
        ) from None
    marks = {c.key: cols.mark(c, groups, cust) for s in sheets for c in s.columns}
    customer = load_document(sample or sample_document())
    rows = cols.rows_of(customer)
    samples = {s.id: rows.get(s.id, []) for s in sheets}
    list_ids = [c.field.value_help for s in sheets for c in s.columns if c.field.value_help]
    return Template(lang, sheets, groups, group, marks, samples, _codes(list_ids, cust, lang))


def column_width(column: cols.Column, lang: str) -> float:
    """A readable width in Excel's character units: the heading, the key or the field length."""
    heading = display_width(column.heading(lang))
    return float(max(heading + 3, len(column.key) + 2, min(column.field.length, 26) + 2))


def display_width(text: str) -> int:
    # CJK characters take two columns in Excel's width unit.
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)
