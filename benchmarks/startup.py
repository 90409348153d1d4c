"""Start-up benchmark: how long until the custmd window, and the first page of its customer list,
are shown, against a bare PySide6 window in the same run.

    python benchmarks/startup.py [--runs 10] [--db FILE]... [--json PATH]

    python benchmarks/seed.py --db /tmp/big.sqlite --customers 1000000   # once (long)
    python benchmarks/startup.py --db /tmp/big.sqlite

Runs, in turn and `--runs` times each (after one warm-up run each, not counted), all offscreen
(QT_QPA_PLATFORM=offscreen):

* a bare PySide6 QMainWindow that prints a line on its first paint;
* `python -m custmd_gui --demo --exit-after-show`: the demo database (a per-user file, here in
  a temporary data folder; the warm-up run creates it, so no run measures its migration);
* `python -m custmd_gui --exit-after-show --db FILE` for every `--db` (e.g. the 1,000,000
  customers of benchmarks/seed.py).

Wall time is taken from just before the subprocess starts until a line appears on its stdout
(read line by line):

* window:      custmd prints "heavy modules imported when the window was shown: ..." right
               after its first paint (CUSTMD_REPORT_IMPORTS=1); the bare window "window shown".
* first page:  custmd's "window shown after N ms; N customers listed" line, printed once the
               first page of the list is painted in the window (ui.main._report_first_page).
               The target is on this: custmd first page / bare window <= 2.5 on every database.

The process goes on until the database is fully open (the exit status says whether it was);
that part is not timed. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_RATIO = 2.5

BARE_WINDOW = """\
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])


class Window(QMainWindow):
    painted = False

    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            QTimer.singleShot(0, self.shown)

    def shown(self):
        print("window shown", flush=True)
        app.quit()


window = Window()
window.setWindowTitle("bare")
window.resize(1280, 720)
window.show()
sys.exit(app.exec())
"""

WINDOW_LINE = "heavy modules imported when the window was shown: "
LIST_LINE = "window shown after "


@dataclass
class Run:
    window_s: float
    list_s: float | None = None
    app_ms: float | None = None
    imports: str | None = None
    customers: int | None = None


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    def values(self, name: str) -> list[float]:
        return [v for r in self.runs if (v := getattr(r, name)) is not None]


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile (with 10 runs: the slowest one)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed(cmd: list[str], env: dict[str, str], *, custmd: bool, timeout: float) -> Run:
    """Start `cmd`, read its stdout line by line, and time the interesting lines."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=REPO,
    )
    run: Run | None = None
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            now = time.perf_counter() - start
            line = line.rstrip("\n")
            if not custmd and line == "window shown":
                run = Run(window_s=now)
            elif custmd and line.startswith(WINDOW_LINE):
                run = Run(window_s=now, imports=line[len(WINDOW_LINE) :])
            elif custmd and line.startswith(LIST_LINE) and run is not None:
                run.list_s = now
                # "window shown after 235 ms; 250 customers listed"
                words = line.split()
                run.app_ms = float(words[3])
                run.customers = int(words[5])
        proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0 or run is None or (custmd and run.list_s is None):
        raise SystemExit(f"{' '.join(cmd)} failed (exit {proc.returncode}):\n{stderr}")
    return run


def describe(label: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"{label:<34} median {statistics.median(ms):7.0f} ms   p95 {p95(ms):7.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time-to-first-page of custmd vs a bare window")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--db",
        action="append",
        default=[],
        type=Path,
        help="a SQLite file to open besides the demo database (repeatable), e.g. seeded by "
        "benchmarks/seed.py",
    )
    parser.add_argument(
        "--data-home",
        type=Path,
        help="the per-user data folder of the runs (XDG_DATA_HOME: the demo database, the "
        "day's automatic backups); default a temporary one. Give the same folder again to "
        "skip the automatic backup a big file gets at its first opening of the day (minutes "
        "for a million customers, in the warm-up run)",
    )
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    for db in args.db:
        if not db.is_file():
            parser.error(f"{db} does not exist (benchmarks/seed.py makes one)")

    with tempfile.TemporaryDirectory(prefix="custmd-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "CUSTMD_REPORT_IMPORTS": "1",
            "CUSTMD_LANG": "zh",
            # The demo database, settings and logs of the benchmark's user stay untouched.
            "XDG_STATE_HOME": str(tmp / "state"),
            "XDG_DATA_HOME": str(args.data_home or tmp / "data"),
            "XDG_CONFIG_HOME": str(tmp / "config"),
        }
        env.pop("CUSTMD_DB", None)
        # As on a clerk's machine, the modules' bytecode is cached (the warm-up run writes it);
        # without it every run would compile custmd's sources and the bare window's none.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        bare_script = tmp / "bare_window.py"
        bare_script.write_text(BARE_WINDOW, encoding="utf-8")
        bare_cmd = [args.python, str(bare_script)]
        custmd = [args.python, "-m", "custmd_gui", "--exit-after-show"]
        commands = {"demo database": [*custmd, "--demo"]}
        for db in args.db:
            commands[f"{db.name}"] = [*custmd, "--db", f"sqlite:///{db.resolve()}"]

        # Warm-up (file cache, .pyc; the demo database is created), not counted.
        print("warming up (the first run creates the demo database) ...", flush=True)
        timed(bare_cmd, env, custmd=False, timeout=args.timeout)
        for cmd in commands.values():
            timed(cmd, env, custmd=True, timeout=args.timeout)
        bare = Series()
        series = {name: Series() for name in commands}
        for i in range(args.runs):
            bare.runs.append(timed(bare_cmd, env, custmd=False, timeout=args.timeout))
            parts = [f"bare {bare.runs[-1].window_s * 1000:5.0f} ms"]
            for name, cmd in commands.items():
                run = timed(cmd, env, custmd=True, timeout=args.timeout)
                series[name].runs.append(run)
                parts.append(
                    f"{name}: window {run.window_s * 1000:5.0f}, "
                    f"first page {(run.list_s or 0) * 1000:5.0f} ms"
                )
            print(f"run {i + 1:>2}: " + " | ".join(parts), flush=True)

    bare_w = bare.values("window_s")
    print()
    print(f"runs: {args.runs} each, QT_QPA_PLATFORM=offscreen, python {sys.version.split()[0]}")
    print(describe("bare QMainWindow shown", bare_w))
    met = True
    figures: dict[str, object] = {"bare_window_s": bare_w}
    for name, s in series.items():
        window, first = s.values("window_s"), s.values("list_s")
        ratio_window = statistics.median(window) / statistics.median(bare_w)
        ratio_page = statistics.median(first) / statistics.median(bare_w)
        customers = sorted({r.customers for r in s.runs if r.customers is not None})
        imports = sorted({r.imports or "?" for r in s.runs})
        print(f"{name}:")
        print(describe("  custmd window shown", window))
        print(describe("  custmd first page shown", first))
        print(f"  customers on the first page: {', '.join(map(str, customers))}")
        print(f"  heavy modules imported when the window was shown: {' | '.join(imports)}")
        print(f"  ratio custmd/bare, window shown:     {ratio_window:.2f}")
        ok = ratio_page <= TARGET_RATIO
        met = met and ok
        print(
            f"  ratio custmd/bare, first page shown: {ratio_page:.2f}  "
            f"(target <= {TARGET_RATIO}: {'met' if ok else 'NOT met'})"
        )
        figures[name] = {
            "window_s": window,
            "first_page_s": first,
            "app_ms": s.values("app_ms"),
            "imports": imports,
            "customers": customers,
        }
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
