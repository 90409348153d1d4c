"""The customer list's first page at start-up, read with the standard library's sqlite3 alone.

Importing SQLAlchemy, the search terms and the table definitions takes several times longer
than showing the window (ui.startup); the first page of a local file needs none of them. This
module reads it with the same statements the list runs for an empty search (services.search:
find_index's plain KNA1 branch, rows_of, _segment_marks) and nothing else, and gives up
(returns None, the list then waits for the full opening) unless all of these hold:

* the URL names a local SQLite file that exists (opened read-only: nothing is created);
* its schema is at SCHEMA_HEAD (an older file is migrated by the full opening first);
* it has no users (single-user mode: whoever starts the app sees every customer). A file
  with users asks for a login before the list shows anything, and the login decides which
  authorization groups the list shows; a PostgreSQL server decides by its row security.

tests/gui/test_first_page.py keeps the rows equal to the service's on both kinds of data.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from custmd_gui.domain.list_row import CustomerListRow, is_blocked
from custmd_gui.persistence.schema_version import SCHEMA_HEAD

# The columns of a list row (services.search.rows_of), in the dataclass's order.
_ROWS = """
SELECT kunnr, name1, sortl, ort01, ktokd, telf1, aufsd, lifsd, faksd, sperr, loevm
FROM kna1 ORDER BY kunnr LIMIT ?
"""
# Blocked or flagged in some company codes or sales areas (services.search._segment_marks).
_COMPANY_CODE_MARKS = (
    "SELECT kunnr, sperr, loevm FROM knb1 WHERE kunnr IN ({}) AND (sperr OR loevm)"
)
_SALES_AREA_MARKS = (
    "SELECT kunnr, aufsd, lifsd, faksd, loevm FROM knvv WHERE kunnr IN ({})"
    " AND (aufsd != '' OR lifsd != '' OR faksd != '' OR loevm)"
)


def sqlite_file(url: str) -> Path | None:
    """The file of a plain SQLite URL (or path, as engine.normalize_url reads one); None for
    anything else (a server, memory, query parameters, escapes: left to SQLAlchemy)."""
    if "://" not in url:
        path = url
    elif url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
    else:
        return None
    if not path or path == ":memory:" or "?" in path or "%" in path:
        return None
    return Path(path).expanduser()


def read_first_page(url: str, limit: int) -> tuple[list[CustomerListRow], bool] | None:
    """The first `limit` customers in number order and whether more follow, or None when this
    shortcut does not apply (see the module) or anything goes wrong."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
    except (sqlite3.Error, ValueError):
        return None
    try:
        return _read(connection, limit)
    except sqlite3.Error:
        return None  # locked, damaged, another schema: the full opening says what it is
    finally:
        connection.close()


def _read(connection: sqlite3.Connection, limit: int) -> tuple[list[CustomerListRow], bool] | None:
    versions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    if versions != [(SCHEMA_HEAD,)]:
        return None
    if connection.execute("SELECT EXISTS (SELECT 1 FROM app_user)").fetchone() != (0,):
        return None
    heads = connection.execute(_ROWS, (limit + 1,)).fetchall()
    more = len(heads) > limit
    heads = heads[:limit]
    numbers = [h[0] for h in heads]
    blocked: set[str] = set()
    flagged: set[str] = set()
    if numbers:
        marks = ",".join("?" * len(numbers))
        for number, posting, deletion in connection.execute(
            _COMPANY_CODE_MARKS.format(marks), numbers
        ):
            if posting:
                blocked.add(number)
            if deletion:
                flagged.add(number)
        for number, order, delivery, billing, deletion in connection.execute(
            _SALES_AREA_MARKS.format(marks), numbers
        ):
            if order or delivery or billing:
                blocked.add(number)
            if deletion:
                flagged.add(number)
    rows = [
        CustomerListRow(
            kunnr,
            name1,
            sortl,
            ort01,
            ktokd,
            telf1,
            is_blocked(aufsd, lifsd, faksd, bool(sperr)),
            bool(loevm),
            kunnr in blocked,
            kunnr in flagged,
        )
        for kunnr, name1, sortl, ort01, ktokd, telf1, aufsd, lifsd, faksd, sperr, loevm in heads
    ]
    return rows, more
