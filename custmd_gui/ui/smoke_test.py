"""`custmd --smoke-test`: does this installation work? Run by CI on the frozen (PyInstaller)
bundle, where a module, a data file, a Qt plug-in or a font left out of the bundle shows only
when the code that needs it runs.

Each step exercises what the bundle must carry: a temporary SQLite database migrated by
Alembic (the migration scripts are read as files), the shipped customizing and the documents'
example customer created through the services (the catalog's YAML, the demo documents, OpenCC
and pypinyin data), the main window shown offscreen with its list, one wizard screen rendered
(the compiled forms, the translations, a Chinese font) and one icon (its SVG file, the SVG
image plug-in).
Prints one line per step and a summary; any failure exits 1 naming the step.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import cast

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QImage, QRawFont
from PySide6.QtWidgets import QApplication

EXIT_OK, EXIT_FAILED = 0, 1
TIMEOUT_S = 120.0
# Any Chinese text of the UI: the font must have its glyphs.
CJK_PROBE = "客户主数据"
ICON = "create"  # a key of ui.icons.ICONS


class SmokeFailure(Exception):
    """A check failed; the message says what was expected."""


class SmokeTest:
    def __init__(self, out_dir: Path, lang: str) -> None:
        self.out_dir = out_dir
        self.lang = lang
        self.step = "start"
        self.facts: list[str] = []
        # Exceptions raised in slots go to sys.excepthook and Qt carries on: caught here.
        self.slot_errors: list[BaseException] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.step = name
        started = time.perf_counter()
        yield
        if self.slot_errors:
            raise self.slot_errors[0]
        print(f"  ok  {name} ({(time.perf_counter() - started) * 1000:.0f} ms)", flush=True)

    def _hook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
        self.slot_errors.append(exc)

    def run(self) -> None:
        from custmd_gui.ui.main_texts import set_language
        from custmd_gui.ui.qtutils import bundled_font_families, use_cjk_font

        previous_hook = sys.excepthook
        sys.excepthook = self._hook
        try:
            with self.stage("Qt application and translations"):
                app = cast(QApplication | None, QApplication.instance()) or QApplication(
                    sys.argv[:1]
                )
                app.setApplicationName("custmd")
                set_language(self.lang)  # FileNotFoundError when a .qm file is missing
                if self.lang == "zh" and QCoreApplication.translate("QPlatformTheme", "Cancel") in (
                    "Cancel",
                    "",
                ):
                    raise SmokeFailure("Qt's own Chinese translation (qtbase_zh_CN.qm) is missing")
            with self.stage("Chinese font"):
                family = use_cjk_font(app)
                if family is None:
                    raise SmokeFailure("no font with Chinese glyphs, installed or bundled")
                raw = QRawFont.fromFont(QFont(family))
                missing = [c for c in CJK_PROBE if not raw.supportsCharacter(c)]
                if missing:
                    raise SmokeFailure(f"font {family} lacks the glyphs {''.join(missing)}")
                source = "bundled" if family in bundled_font_families() else "system"
                self.facts.append(f"font {family} ({source})")
            self._database_and_window(app)
            with self.stage("icon"):
                self._icon()
        finally:
            sys.excepthook = previous_hook

    def _database_and_window(self, app: QApplication) -> None:
        from custmd_gui.services.create import read_customer
        from custmd_gui.services.demo import demo_folder
        from custmd_gui.ui.main import MainWindow
        from custmd_gui.ui.startup import open_database

        url = f"sqlite:///{self.out_dir / 'smoke.sqlite'}"
        with self.stage("database: migrate, customizing, the documents' example"):
            database = open_database(url, demo=True, progress=lambda _key: None)
            try:
                if database.problems:
                    raise SmokeFailure("the example was refused: " + "; ".join(database.problems))
                numbers = [_document_number(path) for path in sorted(demo_folder().glob("*.json"))]
                if not numbers:
                    raise SmokeFailure(f"no example documents in {demo_folder()}")
                customer = read_customer(database.factory, numbers[0])
                self.facts.append(f"example {customer.number} {customer.general.name}")
            finally:
                database.engine.dispose()
        window = MainWindow(url, demo=True)
        try:
            with self.stage("main window"):
                window.show()
                _wait(lambda: window.database_state != "opening" and window.loader is not None)
                _wait(lambda: window.database_state != "ready" or window.model.pages_fetched > 0)
                if window.database_state != "ready":
                    raise SmokeFailure(
                        f"the window's database is {window.database_state}: "
                        + window.statusBar().currentMessage()
                    )
                if window.model.rowCount() < 1:
                    raise SmokeFailure("the list shows no customer")
                self._save("main_window.png", window.grab().toImage())
                self.facts.append(f"list of {window.model.rowCount()} customer(s)")
            with self.stage("wizard screen"):
                window.display_customer(numbers[0])
                wizard = window.wizards.get("display")
                if wizard is None or not wizard.isVisible():
                    raise SmokeFailure("XD03 did not open")
                app.processEvents()
                screen = wizard.current_screen()
                if screen == "initial":
                    raise SmokeFailure("XD03 stayed on its initial screen")
                image = wizard.grab().toImage()
                self._save("wizard.png", image)
                self.facts.append(f"XD03 screen {screen} {image.width()}x{image.height()}")
        finally:
            for wizard in window.wizards.values():
                wizard.keys = None
            window.dispose()
            window.close()
            window.deleteLater()
            app.processEvents()

    def _icon(self) -> None:
        from custmd_gui.ui.icons import icon

        image = icon(ICON).pixmap(64, 64).toImage()
        painted = sum(
            1
            for y in range(image.height())
            for x in range(image.width())
            if image.pixelColor(x, y).alpha() > 0
        )
        if painted < 100:
            raise SmokeFailure(f"the icon {ICON} painted {painted} pixels (its SVG file missing?)")
        self._save("icon.png", image)
        self.facts.append(f"icon {ICON}")

    def _save(self, name: str, image: QImage) -> None:
        """Keep the picture; a blank one (one colour) means nothing was rendered."""
        if image.isNull() or image.width() < 16 or image.height() < 16:
            raise SmokeFailure(f"{name}: nothing rendered")
        small = image.scaled(64, 64)
        colours = {small.pixel(x, y) for y in range(64) for x in range(64)}
        if len(colours) < 3:
            raise SmokeFailure(f"{name}: the picture is blank")
        path = self.out_dir / name
        if not image.save(str(path)):
            raise SmokeFailure(f"{name}: cannot be written to {path}")


def _document_number(path: Path) -> str:
    document = json.loads(path.read_text(encoding="utf-8"))
    return str(document["KNA1"]["KUNNR"])


def _wait(done: Callable[[], bool]) -> None:
    from custmd_gui.ui.operations import process_until

    deadline = time.monotonic() + TIMEOUT_S
    process_until(lambda: done() or time.monotonic() > deadline)
    if not done():
        raise SmokeFailure(f"nothing happened within {TIMEOUT_S:.0f} s")


def run(lang: str = "zh", keep: Path | None = None) -> int:
    """The smoke test in a temporary folder (or `keep`, where the database and the pictures
    stay); exit status 0 when every step passed."""
    # Shown offscreen wherever it runs: a check, not a session (set before the QApplication).
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="custmd-smoke-") as temporary:
        out_dir = keep or Path(temporary)
        out_dir.mkdir(parents=True, exist_ok=True)
        test = SmokeTest(out_dir, lang)
        frozen = " (frozen)" if getattr(sys, "frozen", False) else ""
        print(f"custmd smoke test{frozen}", flush=True)
        try:
            test.run()
        except Exception as exc:
            if not isinstance(exc, SmokeFailure):
                traceback.print_exception(exc, file=sys.stderr)
            what = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            print(f"smoke test FAILED at {test.step}: {what}", file=sys.stderr, flush=True)
            return EXIT_FAILED
    seconds = time.perf_counter() - started
    print(f"smoke test passed in {seconds:.1f} s: " + "; ".join(test.facts), flush=True)
    return EXIT_OK
