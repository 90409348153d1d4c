"""Screenshots of the main window on a temporary demo database (offscreen, 1366x768).

    python scripts/screenshot_main.py [--out screenshots]

Writes main_window_zh.png and main_window_en.png. Besides the shipped demo customer, a few
made-up customers of account group 1310 fill the list so that the columns can be judged.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtWidgets import QApplication  # noqa: E402

from custmd_gui.ui import main  # noqa: E402
from custmd_gui.ui.qtutils import use_cjk_font  # noqa: E402

SIZE = (1366, 768)

EXTRA = [
    ("上海浦江电子科技有限公司", "浦江电子", "上海", "021-64381234", {}),
    ("北京华北重型机械制造股份有限公司", "华北重机", "北京", "010-88776655", {}),
    ("广州南方食品贸易有限公司", "南方食品", "广州", "020-83216543", {"SPERR": "X"}),
    ("深圳市鹏城物流有限公司", "鹏城物流", "深圳", "0755-26678899", {}),
    ("乌鲁木齐天山建材有限责任公司", "天山建材", "乌鲁木齐", "0991-4567890", {"LOEVM": "X"}),
    ("杭州西湖丝绸进出口有限公司", "西湖丝绸", "杭州", "0571-87001122", {}),
    ("成都蜀风文化传播有限公司", "蜀风文化", "成都", "028-86543210", {"SPERR": "X", "LOEVM": "X"}),
    ("Shanghai Bund Trading Co., Ltd.", "BUND", "上海", "+86 21 6321 0000", {}),
]


def build_database(path: Path) -> str:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.domain.sap_document import from_document
    from custmd_gui.persistence.engine import make_engine
    from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
    from custmd_gui.services.context import Actor
    from custmd_gui.services.create import create_customer
    from custmd_gui.services.customizing import upgrade_database
    from custmd_gui.services.demo import create_demo_customers

    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade_database(engine)
    factory = UnitOfWorkFactory(engine)
    for failure in create_demo_customers(factory):
        print(f"{failure.file}: {failure.text('zh')}", file=sys.stderr)
    for name, term, city, phone, flags in EXTRA:
        doc = {
            "KNA1": {
                "KTOKD": "1310",
                "NAME1": name,
                "SORTL": term,
                "STRAS": "人民路1号",
                "PSTLZ": "200000",
                "ORT01": city,
                "LAND1": "CN",
                "SPRAS": "ZH",
                "TELF1": phone,
                **flags,
            }
        }
        try:
            create_customer(factory, from_document(doc), Actor.current())
        except DomainError as exc:
            # Flags may not be allowed at creation; then the customer goes in without them.
            if not flags:
                raise
            print(f"{name}: {exc}; created without {sorted(flags)}", file=sys.stderr)
            for key in flags:
                del doc["KNA1"][key]
            create_customer(factory, from_document(doc), Actor.current())
    engine.dispose()
    return url


def shoot(app: QApplication, url: str, lang: str, target: Path) -> None:
    main.set_language(lang)
    window = main.MainWindow(url, demo=True)
    window.resize(*SIZE)
    window.show()
    deadline = time.monotonic() + 60
    while window.model.pages_fetched == 0 and window.database_state in ("closed", "opening"):
        if time.monotonic() > deadline:
            raise SystemExit("the list did not load within 60 s")
        app.processEvents()
        time.sleep(0.01)
    for _ in range(20):  # let the view lay out and paint the rows
        app.processEvents()
        time.sleep(0.01)
    if window.size().width() != SIZE[0] or window.size().height() != SIZE[1]:
        print(f"note: window is {window.size().width()}x{window.size().height()}", file=sys.stderr)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(target)):
        raise SystemExit(f"could not write {target}")
    print(f"{target}: {window.database_state}, {window.model.rowCount()} customers")
    window.dispose()
    window.close()
    window.deleteLater()
    app.processEvents()


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "screenshots")
    args = parser.parse_args(argv)
    app = QApplication(sys.argv[:1])
    font = use_cjk_font(app)
    print(f"font: {font or 'Qt default'}")
    with tempfile.TemporaryDirectory() as tmp:
        url = build_database(Path(tmp) / "demo.sqlite")
        for lang in ("zh", "en"):
            shoot(app, url, lang, args.out / f"main_window_{lang}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main_())
