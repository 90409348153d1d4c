"""Keeps the Chinese translation current: lupdate collects the English source strings of the
code and the forms into resources/i18n/custmd_zh_CN.ts; lrelease compiles it to the .qm the app
loads. Translators edit the .ts (Qt Linguist, or any editor).

    python -m custmd_gui.ui.translations_build update    # after changing visible strings
    python -m custmd_gui.ui.translations_build release   # after translating
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "custmd_zh_CN.ts"
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


def update(ts: Path = TS) -> None:
    ts.parent.mkdir(parents=True, exist_ok=True)
    files = [str(p.relative_to(ROOT)) for p in sources()]
    subprocess.run(
        [
            *_tool("lupdate"),
            "-no-obsolete",
            "-locations",
            "none",
            "-target-language",
            "zh_CN",
            *files,
            "-ts",
            str(ts.relative_to(ROOT)),
        ],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def release(ts: Path = TS, qm: Path = QM) -> None:
    subprocess.run(
        [*_tool("lrelease"), "-silent", "-nounfinished", str(ts), "-qm", str(qm)], check=True
    )


if __name__ == "__main__":
    what = sys.argv[1:] or ["update", "release"]
    if "update" in what:
        update()
    if "release" in what:
        release()
