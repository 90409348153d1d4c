"""The bundled Chinese font: registered only where the system has none."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

_SCRIPT = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from custmd_gui.ui.qtutils import bundled_font_families, use_cjk_font
app = QApplication([])
print(use_cjk_font(app, Path(sys.argv[1])), bundled_font_families(), app.font().families()[0])
"""


def _system_font() -> Path:
    found = (
        shutil.which("fc-match")
        and subprocess.run(
            ["fc-match", "-f", "%{file}", "WenQuanYi Micro Hei"], capture_output=True, text=True
        ).stdout
    )
    if not found or "wqy-microhei" not in found:
        pytest.skip("WenQuanYi Micro Hei is not installed (fonts-wqy-microhei)")
    return Path(found)


def _run(folder: Path, fonts_conf: Path | None) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if fonts_conf is not None:
        env["FONTCONFIG_FILE"] = str(fonts_conf)
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_bundled_font_used_only_without_a_system_one(tmp_path: Path) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(_system_font(), fonts / "wqy-microhei.ttc")
    (fonts / "LICENSE.txt").write_text("not a font", encoding="utf-8")
    no_system_fonts = tmp_path / "fonts.conf"
    no_system_fonts.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{tmp_path / 'empty'}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
        "</fontconfig>",
        encoding="utf-8",
    )
    bare = _run(fonts, no_system_fonts)
    assert bare.startswith("WenQuanYi Micro Hei ['WenQuanYi Micro Hei'"), bare
    assert bare.endswith(" WenQuanYi Micro Hei"), bare
    # With the system's font present nothing is registered from the folder.
    assert _run(fonts, None) == "WenQuanYi Micro Hei [] WenQuanYi Micro Hei"
