"""Windows' sizes and places and lists' column widths, kept between sessions: saved when a
window closes, restored when it is made (before it is shown).

An INI file of QSettings in the settings folder (settings.config_dir: CUSTMD_CONFIG_DIR in
tests), apart from settings.json, which holds what the clerk chose in the settings dialog.
Qt keeps a restored window on the screens there are now.

* The main window and the customer list (save_layout, restore_layout): the list's header as
  Qt saves it, restored only for the same columns (a version with other columns starts from
  the fitted widths again).
* Other windows by name (save_geometry, restore_geometry): the wizard's XD01, XD02 and XD03
  windows, XD04, the request work list.
* Lists that fit their columns to what they show (XD04, the work list): only the widths the
  clerk set by dragging are kept, by column key (KeptWidths); the other columns go on fitting.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QByteArray, QObject, QSettings, Slot
from PySide6.QtWidgets import QHeaderView, QMainWindow, QWidget

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


def save_geometry(window: QWidget, name: str) -> None:
    """The size and place of `window`, kept as `name`'s."""
    store = _store()
    store.setValue(f"{name}/geometry", window.saveGeometry())
    store.sync()


def restore_geometry(window: QWidget, name: str) -> bool:
    """`name`'s size and place as last saved; False (the window as made) when none was."""
    geometry = _store().value(f"{name}/geometry")
    return isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)


def saved_widths(name: str) -> dict[str, int]:
    """The column widths kept for `name`'s list: {column key: pixels}."""
    value = _store().value(f"{name}/widths")
    widths: dict[str, int] = {}
    for part in str(value or "").split(","):
        key, _, width = part.partition("=")
        if key and width.isdigit() and int(width) > 0:
            widths[key] = int(width)
    return widths


def save_widths(name: str, widths: Mapping[str, int]) -> None:
    store = _store()
    store.setValue(f"{name}/widths", ",".join(f"{k}={w}" for k, w in sorted(widths.items())))
    store.sync()


class KeptWidths(QObject):
    """The widths of the columns the clerk dragged, in a list that fits its columns itself:
    those stay as dragged (now and in later sessions); the list fits the others only, inside
    `fitting()`. The last column, which stretches, is never kept."""

    def __init__(self, header: QHeaderView, keys: Sequence[str], name: str) -> None:
        super().__init__(header)
        self.header = header
        self.keys = list(keys)
        self.name = name
        self.dragged: set[int] = set()
        self._fitting = False
        header.sectionResized.connect(self._resized)

    @contextmanager
    def fitting(self) -> Iterator[None]:
        """Widths set meanwhile are the list's, not the clerk's."""
        self._fitting, before = True, self._fitting
        try:
            yield
        finally:
            self._fitting = before

    @Slot(int, int, int)
    def _resized(self, column: int, _old: int, new: int) -> None:
        if not self._fitting and new > 0 and column < len(self.keys) - 1:
            self.dragged.add(column)

    def resize(self, column: int, width: int) -> None:
        with self.fitting():
            self.header.resizeSection(column, width)

    def restore(self) -> None:
        """The widths kept from the last session, as if dragged now."""
        for key, width in saved_widths(self.name).items():
            if key in self.keys[:-1]:
                column = self.keys.index(key)
                self.resize(column, width)
                self.dragged.add(column)

    def save(self) -> None:
        """The dragged widths; a hidden column's keeps what was saved for it before."""
        widths = saved_widths(self.name)
        for column in self.dragged:
            if not self.header.isSectionHidden(column):
                widths[self.keys[column]] = self.header.sectionSize(column)
        save_widths(self.name, widths)
