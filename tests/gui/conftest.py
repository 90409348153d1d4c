"""GUI tests run offscreen (no display needed) and start every test in Chinese."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest

from custmd_gui.ui import main


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    main.set_language("zh")
    yield
    main.set_language("zh")
