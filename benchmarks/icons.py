"""Icons benchmark: what qtawesome would cost at run time against the SVG files the app reads.

    python benchmarks/icons.py [--runs 5]

Each measurement runs in a fresh process with a QApplication already made (offscreen), as the
app's would be: qtawesome's import and its first icon (it loads all its fonts then), and the
app's way (ui.icons): every icon of the table read from resources/icons/ and the toolbar's
icons drawn once. Prints the median CPU and wall-clock milliseconds and the growth of the
process's peak memory. This is why ui.icons does not use qtawesome at run time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_PROLOGUE = """
import json, resource, time
from PySide6.QtWidgets import QApplication
app = QApplication([])
# What the app has imported before its window builds the icons (the window uses Qt's
# namespace and QIcon anyway: their first use in PySide6 is not the icons' cost).
import custmd_gui.resources
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPixmap
def now():
    return time.process_time(), time.perf_counter()
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

CASES = {
    "qtawesome import": """
rss = peak(); c0, w0 = now()
import qtawesome
c1, w1 = now()
print(json.dumps({"cpu": 1000 * (c1 - c0), "wall": 1000 * (w1 - w0), "mb": peak() - rss}))
""",
    "qtawesome import + first icon": """
rss = peak(); c0, w0 = now()
import qtawesome
qtawesome.icon("mdi6.account-plus").pixmap(16, 16)
c1, w1 = now()
print(json.dumps({"cpu": 1000 * (c1 - c0), "wall": 1000 * (w1 - w0), "mb": peak() - rss}))
""",
    "ui.icons: every icon + toolbar drawn": """
rss = peak(); c0, w0 = now()
from custmd_gui.ui import icons
made = [icons.icon(name) for name in icons.ICONS] + [icons.app_icon()]
for icon in made[:10]:
    icon.pixmap(16, 16)
c1, w1 = now()
print(json.dumps({"cpu": 1000 * (c1 - c0), "wall": 1000 * (w1 - w0), "mb": peak() - rss}))
""",
}


def measure(code: str) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", _PROLOGUE + code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=REPO,
    )
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"median of {args.runs} fresh processes each")
    for name, code in CASES.items():
        runs = [measure(code) for _ in range(args.runs)]
        cpu = statistics.median(r["cpu"] for r in runs)
        wall = statistics.median(r["wall"] for r in runs)
        mb = statistics.median(r["mb"] for r in runs)
        print(f"{name:40} cpu {cpu:7.1f} ms   wall {wall:7.1f} ms   peak memory +{mb:5.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
