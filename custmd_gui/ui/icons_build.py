"""Writes the icons of ui.icons.ICONS as SVG files (resources/icons/<name>.svg) from the glyph
outlines of qtawesome's icon fonts, so that the app needs neither qtawesome nor its fonts at
run time (why: ui.icons). Run after changing the table; the files are committed.

    python -m custmd_gui.ui.icons_build

qtawesome is a development dependency (pyproject's dev extra): only this module imports it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontMetricsF, QGuiApplication, QPainterPath

from custmd_gui.ui.icons import ICONS, Glyph

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "resources" / "icons"
SIZE = 24  # the Material Design grid: glyphs are drawn on 24 x 24


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def glyph_path(glyph: Glyph) -> str:
    """The glyph's outline as SVG path data on the 24 x 24 grid."""
    import qtawesome  # untyped: pyproject.toml tells mypy so

    prefix = glyph.spec.split(".", 1)[0]
    font = QFont(qtawesome.font(prefix, SIZE))
    font.setPixelSize(SIZE)
    # Hinting would snap the outline to a 24-pixel screen; the file must scale to any size.
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    path = QPainterPath()
    # The baseline at the font's ascent puts the glyph's em square on the grid.
    path.addText(0, QFontMetricsF(font).ascent(), font, qtawesome.charmap(glyph.spec))
    kinds = QPainterPath.ElementType
    parts: list[str] = []
    i = 0
    while i < path.elementCount():
        element = path.elementAt(i)
        point = f"{_number(element.x)} {_number(element.y)}"
        if element.type == kinds.MoveToElement:
            parts.append("M" + point)
            i += 1
        elif element.type == kinds.LineToElement:
            parts.append("L" + point)
            i += 1
        else:  # a cubic curve: its first control point, then two data elements
            rest = [path.elementAt(i + 1), path.elementAt(i + 2)]
            parts.append("C" + " ".join([point, *(f"{_number(e.x)} {_number(e.y)}" for e in rest)]))
            i += 3
    return "".join(parts)


def svg(glyph: Glyph) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}"'
        f' viewBox="0 0 {SIZE} {SIZE}"><path fill="{glyph.color}" d="{glyph_path(glyph)}"/>'
        "</svg>\n"
    )


def rendered() -> dict[str, str]:
    """The SVG text of every icon by file name (the tests compare it with the files); needs a
    QGuiApplication, which loads the fonts."""
    return {f"{name}.svg": svg(glyph) for name, glyph in ICONS.items()}


def build(target: Path = TARGET) -> list[Path]:
    """Write every icon's file to `target`."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in rendered().items():
        (target / name).write_text(text, encoding="utf-8")
        written.append(target / name)
    return written


if __name__ == "__main__":
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for path in build():
        print(path.relative_to(ROOT))
