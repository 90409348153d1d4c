"""`custmd template`: a customer template from the catalog and the database's customizing, as
an Excel workbook, CSV files per sheet or one wide CSV file."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

from custmd_gui.domain.customizing import Customizing
from custmd_gui.services.transfer.template_content import (
    Template,
    TemplateRefused,
    build_template,
)
from custmd_gui.services.transfer.template_csv import write_csv_files, write_csv_wide
from custmd_gui.services.transfer.template_xlsx import write_xlsx

__all__ = ["FileForm", "Template", "TemplateRefused", "build_template", "write_template"]


class FileForm(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"  # a folder of one file per sheet
    CSV_WIDE = "csv-wide"  # one file


def write_template(
    cust: Customizing,
    target: Path,
    *,
    form: FileForm = FileForm.XLSX,
    lang: str = "zh",
    fields: Iterable[str] | None = None,
    account_group: str | None = None,
) -> list[Path]:
    """Write the template; returns the files written. TemplateRefused for an unknown field or
    account group (nothing written), OSError when the target cannot be written."""
    template = build_template(cust, lang=lang, fields=fields, account_group=account_group)
    if form is FileForm.CSV:
        return write_csv_files(template, target)
    if form is FileForm.CSV_WIDE:
        write_csv_wide(template, target)
    else:
        write_xlsx(template, target)
    return [target]
