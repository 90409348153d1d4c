"""An import's memory (services.transfer.import_file): checked customers packed small while
they wait to be written, and the memory freed given back to the system.

glibc keeps the heap memory freed by the workbook reader (python-calamine's cells) and by the
checks' larger objects for its own reuse, but Python's small objects live in arenas of their
own and never reuse it: a large import's resident memory kept the whole workbook's cells
(20,000 customers: 152 MB after reading, 85 MB once trimmed). malloc_trim returns the free
pages; where the C library has none (Windows, macOS, musl), nothing is done."""

from __future__ import annotations

import ctypes
import ctypes.util
import zlib
from collections.abc import Callable
from functools import cache

from custmd_gui.domain.model import Customer


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


class Packer:
    """Customers as zlib-compressed JSON, with the first customer packed as the preset
    dictionary: a file's customers share most of their document (field names, defaults,
    codes), so that one takes under 200 bytes."""

    __slots__ = ("_zdict",)

    def __init__(self) -> None:
        self._zdict = b""

    def pack(self, customer: Customer) -> bytes:
        data = customer.model_dump_json().encode()
        if not self._zdict:
            self._zdict = data
        squeeze = zlib.compressobj(6, zdict=self._zdict)
        return squeeze.compress(data) + squeeze.flush()

    def unpack(self, packed: bytes) -> Customer:
        expand = zlib.decompressobj(zdict=self._zdict)
        return Customer.model_validate_json(expand.decompress(packed) + expand.flush())
