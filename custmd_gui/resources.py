"""Where the shipped resources (customizing, translations) are: inside the installed wheel,
or in the source tree's resources/ folder for an editable install."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir() -> Path:
    bundled = _PACKAGE / "_resources"
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / "resources"


def customizing_dir() -> Path:
    return resource_dir() / "customizing"
