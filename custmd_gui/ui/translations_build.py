"""Keeps the translations current: lupdate collects the English source strings of the code and
the forms into resources/i18n/custmd_zh_CN.ts (everything) and custmd_en.ts (only the plural
forms of "%n" strings); lrelease compiles them to the .qm files the app loads. Translators edit
the .ts files (Qt Linguist, or any editor).

    python -m custmd_gui.ui.translations_build update    # after changing visible strings
    python -m custmd_gui.ui.translations_build release   # after translating
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "resources" / "i18n"
TS = I18N / "custmd_zh_CN.ts"
TS_EN = I18N / "custmd_en.ts"
QM = TS.with_suffix(".qm")


def _tool(name: str) -> list[str]:
    code = (
        f"import sys; from PySide6.scripts.pyside_tool import {name}; "
        f"sys.argv[0] = 'pyside6-{name}'; sys.exit({name}())"
    )
    return [sys.executable, "-c", code]


def sources() -> list[Path]:
    code = [
        p for p in sorted((ROOT / "custmd_gui" / "ui").rglob("*.py")) if "generated" not in p.parts
    ]
    return code + sorted((ROOT / "forms").glob("*.ui"))


def update(ts: Path = TS, *, plurals_only: bool = False, language: str = "zh_CN") -> None:
    ts.parent.mkdir(parents=True, exist_ok=True)
    files = [str(p.relative_to(ROOT)) for p in sources()]
    options = ["-pluralonly"] if plurals_only else []
    subprocess.run(
        [
            *_tool("lupdate"),
            "-no-obsolete",
            "-locations",
            "none",
            "-target-language",
            language,
            *options,
            *files,
            "-ts",
            str(ts.resolve()),
        ],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def update_all() -> None:
    update(TS)
    update(TS_EN, plurals_only=True, language="en")


def release(ts: Path = TS, qm: Path | None = None) -> None:
    target = qm or ts.with_suffix(".qm")
    subprocess.run(
        [*_tool("lrelease"), "-silent", "-nounfinished", str(ts), "-qm", str(target)], check=True
    )


def release_all() -> None:
    for ts in (TS, TS_EN):
        release(ts)


if __name__ == "__main__":
    what = sys.argv[1:] or ["update", "release"]
    if "update" in what:
        update_all()
    if "release" in what:
        release_all()
