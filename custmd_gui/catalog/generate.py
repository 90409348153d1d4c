"""Writes the catalog's fields into the code: the pydantic attributes of the domain model and
the SQLAlchemy columns of the segment tables, between the markers

    # begin: generated from the catalog
    # end: generated from the catalog

in each class. Run after changing a field in catalog/fields/*.yaml:

    python -m custmd_gui.catalog.generate

then write the migration (alembic revision --autogenerate, reviewed). The class a block sits in
says its table: `SAP_TABLE = "KNA1"` in the model, `__tablename__ = "kna1"` in the tables.
Everything outside the markers is written by hand: validators, properties, keys, relations,
constraints. A column declared by hand in the class (a key, a column with its own index) is
left out of the block, so the hand-written declaration wins. Reads and writes text only: the
catalog imports neither the domain nor the database.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from custmd_gui.catalog.loader import Catalog, FieldDef, catalog

BEGIN = "# begin: generated from the catalog"
END = "# end: generated from the catalog"
PACKAGE = Path(__file__).resolve().parents[1]
MODEL = PACKAGE / "domain" / "model.py"
TABLES = PACKAGE / "persistence" / "tables" / "customers.py"

_CLASS = re.compile(r"^class \w+")
_MODEL_TABLE = re.compile(r'^\s+SAP_TABLE\s*=\s*"(\w+)"')
_TABLE_NAME = re.compile(r'^\s+__tablename__\s*=\s*"(\w+)"')
_COLUMN = re.compile(r"^    (\w+): Mapped\[")


class GenerateError(ValueError):
    """The file's markers are misplaced; the message names the line."""


def _model_line(fd: FieldDef) -> str:
    if fd.type == "FLAG":
        return f'    {fd.name}: Flag = Field(False, alias="{fd.sap_name}")'
    # SAP's initial value: blank, for NUMC all zeros (a partner counter is "000").
    default = "0" * fd.length if fd.type == "NUMC" else ""
    return f'    {fd.name}: str = Field("{default}", alias="{fd.sap_name}")'


def _column_line(fd: FieldDef) -> str:
    if fd.type == "FLAG":
        return f"    {fd.column}: Mapped[bool] = flag_column()"
    return f"    {fd.column}: Mapped[str] = char_column({fd.length})"


def _render(
    text: str,
    table_of: re.Pattern[str],
    fields: Callable[[str, set[str]], list[str]],
    where: str,
) -> str:
    """`text` with each block between the markers rewritten from the catalog."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        if line.strip() != BEGIN:
            if line.strip() == END:
                raise GenerateError(f"{where}:{i + 1}: end marker without a begin marker")
            i += 1
            continue
        start = next((j for j in range(i, -1, -1) if _CLASS.match(lines[j])), None)
        stop = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == END), None)
        if start is None or stop is None:
            raise GenerateError(f"{where}:{i + 1}: a begin marker outside a class or unended")
        end_of_class = next(
            (j for j in range(i + 1, len(lines)) if lines[j] and not lines[j][0].isspace()),
            len(lines),
        )
        if stop > end_of_class:
            raise GenerateError(f"{where}:{i + 1}: the end marker is outside the class")
        table = next((m[1] for j in range(start, i) if (m := table_of.match(lines[j]))), None)
        if table is None:
            raise GenerateError(f"{where}:{i + 1}: the class names no table before the marker")
        by_hand = {
            m[1]
            for j in (*range(start, i), *range(stop + 1, end_of_class))
            if (m := _COLUMN.match(lines[j]))
        }
        out.extend(fields(table, by_hand))
        out.append(lines[stop])
        i = stop + 1
    return "\n".join(out)


def render_model(text: str, cat: Catalog | None = None) -> str:
    """domain/model.py with its generated attributes current."""
    cat = cat or catalog()

    def fields(table: str, _by_hand: set[str]) -> list[str]:
        if table not in cat.tables():
            raise GenerateError(f"model: SAP_TABLE {table} is not in the catalog")
        return [_model_line(fd) for fd in cat.table(table)]

    return _render(text, _MODEL_TABLE, fields, MODEL.name)


def render_tables(text: str, cat: Catalog | None = None) -> str:
    """persistence/tables/customers.py with its generated columns current."""
    cat = cat or catalog()

    def fields(table: str, by_hand: set[str]) -> list[str]:
        sap = table.upper()
        if sap not in cat.tables():
            raise GenerateError(f"tables: {table} is not a catalog table")
        return [_column_line(fd) for fd in cat.table(sap) if fd.column not in by_hand]

    return _render(text, _TABLE_NAME, fields, TABLES.name)


# file -> how it is rendered; the staleness test renders each in memory.
TARGETS: dict[Path, Callable[[str], str]] = {MODEL: render_model, TABLES: render_tables}


def main() -> int:
    for path, render in TARGETS.items():
        old = path.read_text(encoding="utf-8")
        new = render(old)
        if new != old:
            path.write_text(new, encoding="utf-8")
            print(f"wrote {path.relative_to(PACKAGE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
