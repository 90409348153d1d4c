"""Screenshots of the texts beside codes: the address, sales and partner screens of XD02 for
the documents' example customer 东宁广告有限公司 (2110380001, F011, F011/10/01), in Chinese,
then in English after switching the language at run time (offscreen, 1366x768).

    python scripts/screenshot_code_texts.py [--out screenshots/code_texts]

Runs on a temporary SQLite database holding the shipped demo customer. Writes
<screen>_<lang>.png. Needs a CJK font (for example fonts-wqy-microhei) where it runs, or
Chinese renders as boxes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtWidgets import QApplication  # noqa: E402

from custmd_gui.domain.field_status import Activity  # noqa: E402
from custmd_gui.services.context import Actor  # noqa: E402
from custmd_gui.ui import i18n  # noqa: E402
from custmd_gui.ui.qtutils import use_cjk_font  # noqa: E402
from custmd_gui.ui.wizard import CustomerWizard  # noqa: E402
from scripts.screenshot_wizard import SIZE, build_database, close, settle  # noqa: E402

NUMBER = "2110380001"  # the demo customer, resources/demo/dongning.json
SCREENS = ("address", "sales", "partner")


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "screenshots" / "code_texts")
    parser.add_argument(
        "--screens", nargs="+", default=list(SCREENS), help="the screens to take (ids)"
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    print(f"font: {use_cjk_font(app) or 'Qt default'}")
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        factory = build_database(Path(tmp) / "code_texts.sqlite")
        with factory() as uow:
            customizing = uow.customizing.load()
        i18n.set_language("zh")
        wizard = CustomerWizard(factory, customizing, Actor("demo"), activity=Activity.CHANGE)
        wizard.resize(*SIZE)
        wizard.show()
        settle(app)
        if not wizard.display(NUMBER, "F011", "F011/10/01"):
            raise SystemExit(f"customer {NUMBER} was not opened: {wizard.messages.problems}")
        for lang in ("zh", "en"):
            i18n.set_language(lang)  # at run time, as the settings dialog does
            wizard.retranslate()
            for screen in args.screens:
                wizard.show_screen(screen)
                settle(app, 20)
                target = out / f"{screen}_{lang}.png"
                if not wizard.grab().save(str(target)):
                    raise SystemExit(f"could not write {target}")
                print(f"{target} ({wizard.width()}x{wizard.height()})")
                written.append(target)
        close(app, wizard)
        factory.engine.dispose()
    i18n.set_language("zh")
    print(f"{len(written)} screenshots in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main_())
