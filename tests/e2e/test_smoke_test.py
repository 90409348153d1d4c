"""`custmd --smoke-test`: the installation check CI also runs on the frozen bundle."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "custmd_gui", "--smoke-test", *args],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=REPO,
        env={
            **os.environ,
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_STATE_HOME": str(tmp_path / "state"),
            **env,
        },
    )


def test_smoke_test_passes_and_keeps_its_pictures(tmp_path: Path) -> None:
    out = tmp_path / "smoke"
    result = _run(str(out), tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.splitlines()[-1]
    assert summary.startswith("smoke test passed in "), result.stdout
    assert "example 2110380001 东宁广告有限公司" in summary
    assert "list of 1 customer(s)" in summary
    assert "XD03 screen address" in summary
    for name in ("main_window.png", "wizard.png", "icon.png"):
        image = QImage(str(out / name))
        assert not image.isNull() and image.width() >= 64, name
    # The example went into the smoke test's own database, not the user's.
    assert (out / "smoke.sqlite").is_file()
    assert not (tmp_path / "data").exists()


def test_smoke_test_fails_naming_the_step(tmp_path: Path) -> None:
    """A broken installation (here: no Chinese font at all, and none bundled) exits 1 and says
    which step failed, without a traceback for a check that failed as such."""
    fonts_conf = tmp_path / "fonts.conf"
    fonts_conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{tmp_path / 'no-fonts'}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
        "</fontconfig>",
        encoding="utf-8",
    )
    result = _run(tmp_path=tmp_path, FONTCONFIG_FILE=str(fonts_conf))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "smoke test FAILED at Chinese font: " in result.stderr
    assert "Traceback" not in result.stderr
