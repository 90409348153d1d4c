"""Small Qt helpers shared by the windows; light enough for the start-up path (PySide6 only)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QWidget,
)

from custmd_gui.resources import resource_dir
from custmd_gui.ui.styles import ERROR_STYLE

_W = TypeVar("_W", bound=QWidget)

# Families with Chinese glyphs, best first; the first one installed is used.
CJK_FONTS = (
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "Microsoft YaHei UI",
    "PingFang SC",
    "Hiragino Sans GB",
    "SimHei",
)


# Font files of the packaged app (packaging/README.md): registered only where the system has
# no Chinese font, such as a bare Linux installation.
FONT_SUFFIXES = (".ttf", ".ttc", ".otf")
_bundled_families: list[str] = []


def bundled_fonts_dir() -> Path:
    return resource_dir() / "fonts"


def register_bundled_fonts(folder: Path | None = None) -> list[str]:
    """Register the font files of `folder` (default: the bundled fonts) with Qt; the families
    they hold. Nothing is installed on the system: the fonts live as long as the process."""
    folder = folder or bundled_fonts_dir()
    if not folder.is_dir():
        return []
    families: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in FONT_SUFFIXES:
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    _bundled_families.extend(f for f in families if f not in _bundled_families)
    return families


def bundled_font_families() -> list[str]:
    """The families registered from bundled font files so far."""
    return list(_bundled_families)


def _first_cjk(families: list[str]) -> str | None:
    present = set(families)
    return next((family for family in CJK_FONTS if family in present), None)


def use_cjk_font(app: QApplication, bundled: Path | None = None) -> str | None:
    """Prefer an installed font that has Chinese glyphs; where there is none, the bundled one
    (`bundled`: its folder); keep Qt's default when there is neither."""
    family = _first_cjk(QFontDatabase.families())
    if family is None:
        registered = register_bundled_fonts(bundled)
        family = _first_cjk(registered) or next(iter(registered), None)
    if family is None:
        return None
    font = app.font()
    font.setFamilies([family, *font.families()])
    app.setFont(font)
    return family


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property (error, required) changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def set_flag(widget: QWidget, name: str, on: bool) -> None:
    """Set a boolean dynamic property the style sheets select on (repolished only when it
    changes: a repolish costs a style pass)."""
    if bool(widget.property(name)) != on:
        widget.setProperty(name, on)
        repolish(widget)


def bring_up(window: QWidget) -> None:
    """Show a window that may be hidden or behind another one, and give it the keyboard."""
    window.show()
    window.raise_()
    window.activateWindow()


def named(widget: _W, name: str) -> _W:
    """`widget` with its object name (tests and style sheets find it by that name)."""
    widget.setObjectName(name)
    return widget


def file_row(
    parent: QWidget, name: str, browse: Callable[[], object]
) -> tuple[QLabel, QLineEdit, QPushButton]:
    """A file field as the dialogs have it: its label (the field's buddy), the line edit called
    `name` with a clear button, and the browse button, never the default (Enter stays the
    dialog's); the caller lays them out and gives them their texts."""
    label, edit, button = QLabel(parent), QLineEdit(parent), QPushButton(parent)
    edit.setObjectName(name)
    edit.setClearButtonEnabled(True)
    label.setBuddy(edit)
    button.setObjectName("browse_button")
    button.setAutoDefault(False)
    button.clicked.connect(browse)
    return label, edit, button


def push_button(
    parent: QWidget, name: str, clicked: Callable[[], object], *, default: bool = False
) -> QPushButton:
    """A dialog's button called `name`: Enter presses it only when it is the `default` one
    (a focused other button does not take Enter over); the caller gives it its text."""
    button = QPushButton(parent)
    button.setObjectName(name)
    if default:
        button.setDefault(True)
    else:
        button.setAutoDefault(False)
    button.clicked.connect(clicked)
    return button


def button_row(*buttons: QWidget) -> QHBoxLayout:
    """The buttons at the bottom right of a dialog, in this order."""
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


def error_label(parent: QWidget, name: str) -> QLabel:
    """A hidden label for a refusal's lines under a form: red, wrapped, selectable to copy."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


@contextlib.contextmanager
def signals_blocked(obj: QObject) -> Iterator[None]:
    """Refill a widget without each step counting as the user's doing; restores the
    blocking state it found (so that nesting works)."""
    blocked = obj.blockSignals(True)
    try:
        yield
    finally:
        obj.blockSignals(blocked)


def in_cell_editor(widget: QWidget | None) -> bool:
    """True for the editor a grid opens in a cell (not for the grid itself)."""
    if widget is None or isinstance(widget, QTableWidget):
        return False
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QTableWidget):
            return True
        parent = parent.parentWidget()
    return False
