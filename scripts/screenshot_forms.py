"""Writes a PNG of every XD01 screen form in Chinese and English to screenshots/forms/.

Labels come from the field catalog, as the wizard will set them. Needs a CJK font (for
example fonts-wqy-microhei) where it runs, or Chinese renders as boxes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtGui import QFont, QFontDatabase  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget, QWidget  # noqa: E402

from custmd_gui.catalog import catalog  # noqa: E402
from custmd_gui.ui.forms import FORMS as FORM_CLASSES  # noqa: E402
from custmd_gui.ui.forms_build import FORMS  # noqa: E402

OUT = ROOT / "screenshots" / "forms"


def render(screen: str, lang: str) -> Path:
    widget = QWidget()
    FORM_CLASSES[screen]().setupUi(widget)
    cat = catalog()
    for label in widget.findChildren(QLabel):
        key = label.objectName().removeprefix("label_").replace("_", "-", 1)
        if key in cat:
            label.setText(cat.field(key).label.get(lang))
    for table in widget.findChildren(QTableWidget):
        for i, fd in enumerate(cat.table(table.objectName())):
            table.horizontalHeaderItem(i).setText(fd.label.get(lang))
    widget.resize(1100, 560)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{screen}_{lang}.png"
    widget.grab().save(str(path))
    return path


def main() -> None:
    app = QApplication(sys.argv)
    for family in ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei"):
        if family in QFontDatabase.families():
            app.setFont(QFont(family, 10))
            break
    for ui in sorted(FORMS.glob("*.ui")):
        for lang in ("zh", "en"):
            print(render(ui.stem, lang).relative_to(ROOT))


if __name__ == "__main__":
    main()
