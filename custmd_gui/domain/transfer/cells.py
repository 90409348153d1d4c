"""What spreadsheet cells mean, shared by the readers of files (the customer import, the usage
register's extracts)."""

from __future__ import annotations

from datetime import date, timedelta

# Excel's 1900 date system counts days from 1899-12-30 (its day 60, 1900-02-29, never was);
# its last date, 9999-12-31, is day 2958465.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_LAST = 2958465


def excel_date(value: object) -> date | None:
    """The date an Excel serial number stands for (45413 -> 2024-05-01), the time of day of a
    fraction dropped; None for what is no serial: not a number, a flag, or out of Excel's
    range (an 8-digit 20240501 is SAP's DATS, not a serial)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not 1 <= value <= _EXCEL_LAST:
        return None
    return _EXCEL_EPOCH + timedelta(days=int(value))


def letter(col: int) -> str:
    """The column letters of a 1-based column index (1 -> A, 27 -> AA)."""
    out = ""
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


def column_index(letters: str) -> int:
    """The 1-based index of column letters (A -> 1, AA -> 27)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n
