"""The app's icons: one table, name → glyph of an icon font and its colour, and `icon(name)`.

The glyphs are those of qtawesome's Material Design Icons font, but qtawesome is not used at
run time: imported, it takes about half a second (qtpy star-imports QtCore, QtGui and
QtWidgets), its first icon another 0.1-0.2 s and some 40 MB of memory (it loads all twelve of
its fonts at once) — on the GUI thread of a window clerks open many times a day. Instead
`python -m custmd_gui.ui.icons_build` writes each glyph's outline once as a small SVG file to
resources/icons/ (committed, like the compiled translations; tests/gui/test_icons.py checks
they are current), and `icon` reads that file into a QIcon: a few milliseconds for all of them,
scalable for any screen, no font loaded. So the window can set its icons while it is built.

The application's own icon, custmd.svg, is drawn by hand and not generated.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPixmap

from custmd_gui.resources import resource_dir


class Glyph(NamedTuple):
    spec: str  # qtawesome's name: font prefix and glyph ("mdi6.account-plus")
    color: str  # the fill, readable on a light and on a dark background


_BLUE, _GREEN, _RED, _AMBER, _GREY = "#1565c0", "#2e7d32", "#c62828", "#ef8f00", "#546e7a"

# By what the icon stands for; ui.main_actions names them per action.
ICONS: dict[str, Glyph] = {
    "create": Glyph("mdi6.account-plus", _GREEN),
    "display": Glyph("mdi6.account-eye", _BLUE),
    "change": Glyph("mdi6.account-edit", _BLUE),
    "change_documents": Glyph("mdi6.history", _BLUE),
    "block": Glyph("mdi6.lock", _RED),
    "unblock": Glyph("mdi6.lock-open-variant", _GREEN),
    "deletion_flags": Glyph("mdi6.delete-clock", _RED),
    "mass_block": Glyph("mdi6.account-lock", _RED),
    "export_list": Glyph("mdi6.table-arrow-right", _GREEN),
    "find": Glyph("mdi6.magnify", _GREY),
    "command": Glyph("mdi6.console-line", _GREY),
    "settings": Glyph("mdi6.cog", _GREY),
    "exit": Glyph("mdi6.exit-run", _GREY),
    "users": Glyph("mdi6.account-group", _BLUE),
    "archive": Glyph("mdi6.office-building", _BLUE),
    "customizing": Glyph("mdi6.tune-variant", _BLUE),
    "kpi": Glyph("mdi6.chart-bar", _BLUE),
    "requests": Glyph("mdi6.clipboard-check-outline", _BLUE),
    "import": Glyph("mdi6.file-import", _GREEN),
    "usage": Glyph("mdi6.database-import", _BLUE),
    "delete_customers": Glyph("mdi6.delete-forever", _RED),
    "backup": Glyph("mdi6.database-export", _BLUE),
    "restore": Glyph("mdi6.backup-restore", _AMBER),
    "offline": Glyph("mdi6.laptop", _BLUE),
    "sync": Glyph("mdi6.sync", _GREEN),
    "about": Glyph("mdi6.information-outline", _BLUE),
    "save": Glyph("mdi6.content-save", _BLUE),
    "execute": Glyph("mdi6.check-all", _GREEN),
    "cancel": Glyph("mdi6.close", _GREY),
    # Messages: a problem's severity, or what a status window says.
    "error": Glyph("mdi6.alert-circle", _RED),
    "warning": Glyph("mdi6.alert", _AMBER),
    "success": Glyph("mdi6.check-circle", _GREEN),
}

APP_ICON = "custmd"  # resources/icons/custmd.svg, drawn by hand


def icons_dir() -> Path:
    return resource_dir() / "icons"


def icon_path(name: str) -> Path:
    return icons_dir() / f"{name}.svg"


@cache
def icon(name: str) -> QIcon:
    """The icon `name` (a key of ICONS, or APP_ICON); read once, then shared. A missing file
    gives an empty icon (a button without a picture), never an error."""
    if name not in ICONS and name != APP_ICON:
        raise KeyError(name)  # a typing mistake in the code, found by the tests
    return QIcon(str(icon_path(name)))


def app_icon() -> QIcon:
    return icon(APP_ICON)


@cache
def blank() -> QIcon:
    """A transparent icon: keeps the texts of a list aligned where only some rows have one."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    return QIcon(pixmap)
