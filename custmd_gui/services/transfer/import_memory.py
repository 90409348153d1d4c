"""Giving the memory an import freed back to the system (services.transfer.import_file).

glibc keeps the heap memory freed by the workbook reader (python-calamine's cells) and by the
checks' larger objects for its own reuse, but Python's small objects live in arenas of their
own and never reuse it: a large import's resident memory kept the whole workbook's cells
(20,000 customers: 152 MB after reading, 85 MB once trimmed). malloc_trim returns the free
pages; where the C library has none (Windows, macOS, musl), nothing is done."""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


def give_back() -> None:
    """Return the free heap pages to the system (where glibc can)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
