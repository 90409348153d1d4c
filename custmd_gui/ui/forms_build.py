"""Compiles the Qt Designer forms (forms/*.ui) into custmd_gui/ui/generated/ with uic.

Run by the build (hatch_build.py) and by developers after editing a form:
    python -m custmd_gui.ui.forms_build
Imports nothing from custmd_gui, so the build hook can load this file on its own.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "forms"
GENERATED = Path(__file__).resolve().parent / "generated"

# pyside6-uic is a thin wrapper around this function; calling it through the interpreter that
# runs us works in a venv, in hatch's isolated build environment and on Windows alike.
_UIC = (
    "import sys; from PySide6.scripts.pyside_tool import uic; "
    "sys.argv[0] = 'pyside6-uic'; sys.exit(uic())"
)


def compile_form(ui: Path, target: Path) -> None:
    subprocess.run(
        [sys.executable, "-c", _UIC, "--from-imports", "-o", str(target), str(ui)],
        check=True,
    )


def compile_all(forms: Path = FORMS, out: Path = GENERATED) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "__init__.py").write_text(
        '"""Generated from forms/*.ui by custmd_gui.ui.forms_build: never edit by hand."""\n',
        encoding="utf-8",
    )
    written = []
    for ui in sorted(forms.glob("*.ui")):
        target = out / f"ui_{ui.stem}.py"
        compile_form(ui, target)
        written.append(target)
    return written


if __name__ == "__main__":
    for path in compile_all():
        print(path.relative_to(ROOT))
