"""The main window's size and place and the customer list's column widths, kept between
sessions: saved when the window closes, restored when it opens (before it is shown).

An INI file of QSettings in the settings folder (settings.config_dir: CUSTMD_CONFIG_DIR in
tests), apart from settings.json, which holds what the clerk chose in the settings dialog.
Column widths are restored only for the same columns: a version with other columns starts
from the fitted widths again. Qt keeps a restored window on the screens there are now.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow

from custmd_gui.settings import config_dir

FILE_NAME = "window.ini"


def _store() -> QSettings:
    return QSettings(str(config_dir() / FILE_NAME), QSettings.Format.IniFormat)


def save_layout(window: QMainWindow, header: QHeaderView, columns: Sequence[str]) -> None:
    store = _store()
    store.setValue("main/geometry", window.saveGeometry())
    store.setValue("list/columns", ",".join(columns))
    store.setValue("list/header", header.saveState())
    store.sync()


def restore_layout(window: QMainWindow, header: QHeaderView, columns: Sequence[str]) -> bool:
    """Size, place and column widths as last saved; False when nothing (usable) was saved."""
    store = _store()
    geometry = store.value("main/geometry")
    restored = isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)
    state = store.value("list/header")
    if store.value("list/columns") == ",".join(columns) and isinstance(state, QByteArray):
        restored = header.restoreState(state) and restored
    return restored
