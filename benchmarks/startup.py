"""Start-up benchmark: how long until the custmd window is shown, against a bare PySide6 window.

    python benchmarks/startup.py [--runs 10] [--customers 250]

Runs, alternately and `--runs` times each (after one warm-up run each, not counted):

* a bare PySide6 QMainWindow that prints a line on its first paint, and
* `python -m custmd_gui --exit-after-show --db sqlite:///<tmp file>`,

both offscreen (QT_QPA_PLATFORM=offscreen). The database is created and migrated once before
timing (`custmd db upgrade --db`), so no run measures a migration, and holds the demo customer
plus `--customers` made-up ones (so that the first page of 200 is full).

Wall time is taken from just before the subprocess starts until a line appears on its stdout
(read line by line):

* window:  custmd prints "heavy modules imported when the window was shown: ..." right after
           its first paint (CUSTMD_REPORT_IMPORTS=1); the bare window prints "window shown".
           This is the time-to-window the target is about: custmd/bare <= 2.5.
* list:    custmd's "window shown after N ms; N customers listed" line, printed once the first
           page of the customer list is loaded as well (the database layer is imported after
           the window, in the background).
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


def prepare_database(python: str, url: str, env: dict[str, str], customers: int) -> None:
    """Create and migrate the database with the CLI, then add the demo and made-up customers."""
    for args in (
        ["db", "upgrade", "--db", url],
        ["customer", "create", str(REPO / "resources/demo/dongning.json"), "--db", url],
    ):
        subprocess.run(
            [python, "-m", "custmd_gui", *args], check=True, env=env, cwd=REPO, capture_output=True
        )
    if customers <= 0:
        return
    # The made-up customers go in through the service layer in one process (much faster
    # than one CLI call each).
    code = f"""
import json, sys
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
factory = UnitOfWorkFactory(make_engine({url!r}))
with factory() as uow:
    cust = uow.customizing.load()
for i in range({customers}):
    doc = {{"KNA1": {{"KTOKD": "1310", "NAME1": f"基准测试客户{{i}}有限公司", "SORTL": "BENCH",
           "STRAS": f"人民路{{i}}号", "PSTLZ": "200000", "ORT01": "上海", "LAND1": "CN",
           "SPRAS": "ZH", "TELF1": f"021-6000{{i:04d}}"}}}}
    create_customer(factory, from_document(doc), Actor("bench"), customizing=cust)
"""
    subprocess.run([python, "-c", code], check=True, env=env, cwd=REPO)


def describe(label: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"{label:<28} median {statistics.median(ms):7.0f} ms   p95 {p95(ms):7.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time-to-window of custmd vs a bare window")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--customers",
        type=int,
        default=250,
        help="made-up customers besides the demo one (default 250)",
    )
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="custmd-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "CUSTMD_REPORT_IMPORTS": "1",
            "CUSTMD_LANG": "zh",
            # Keep the log folder of the benchmark's user untouched.
            "XDG_STATE_HOME": str(tmp / "state"),
            "XDG_DATA_HOME": str(tmp / "data"),
        }
        url = f"sqlite:///{tmp / 'bench.sqlite'}"
        print(f"preparing {url} (migrate, demo customer, {args.customers} more) ...", flush=True)
        prepare_database(args.python, url, env, args.customers)
        bare_script = tmp / "bare_window.py"
        bare_script.write_text(BARE_WINDOW, encoding="utf-8")
        bare_cmd = [args.python, str(bare_script)]
        custmd_cmd = [args.python, "-m", "custmd_gui", "--exit-after-show", "--db", url]

        # Warm-up (file cache, .pyc), not counted.
        timed(bare_cmd, env, custmd=False, timeout=args.timeout)
        timed(custmd_cmd, env, custmd=True, timeout=args.timeout)
        bare, custmd = Series(), Series()
        for i in range(args.runs):
            bare.runs.append(timed(bare_cmd, env, custmd=False, timeout=args.timeout))
            custmd.runs.append(timed(custmd_cmd, env, custmd=True, timeout=args.timeout))
            print(
                f"run {i + 1:>2}: bare {bare.runs[-1].window_s * 1000:5.0f} ms | custmd window "
                f"{custmd.runs[-1].window_s * 1000:5.0f} ms, list "
                f"{(custmd.runs[-1].list_s or 0) * 1000:5.0f} ms",
                flush=True,
            )

    bare_w = bare.values("window_s")
    cust_w = custmd.values("window_s")
    cust_l = custmd.values("list_s")
    ratio_window = statistics.median(cust_w) / statistics.median(bare_w)
    ratio_list = statistics.median(cust_l) / statistics.median(bare_w)
    print()
    print(f"runs: {args.runs} each, QT_QPA_PLATFORM=offscreen, python {sys.version.split()[0]}")
    print(describe("bare QMainWindow shown", bare_w))
    print(describe("custmd window shown", cust_w))
    print(describe("custmd first page listed", cust_l))
    app_ms = custmd.values("app_ms")
    print(
        f"{'custmd own figure (N ms)':<28} median {statistics.median(app_ms):7.0f} ms   "
        f"p95 {p95(app_ms):7.0f} ms   (from process start, /proc; 10 ms resolution)"
    )
    customers = {r.customers for r in custmd.runs if r.customers is not None}
    print(f"customers listed on the first page: {', '.join(map(str, sorted(customers)))}")
    print(
        f"ratio custmd/bare, window shown:     {ratio_window:.2f}  "
        f"(target <= {TARGET_RATIO}: {'met' if ratio_window <= TARGET_RATIO else 'NOT met'})"
    )
    print(f"ratio custmd/bare, first page listed: {ratio_list:.2f}  (information only)")
    imports = sorted({r.imports or "?" for r in custmd.runs})
    print(f"heavy modules imported when the window was shown: {' | '.join(imports)}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "bare_window_s": bare_w,
                    "custmd_window_s": cust_w,
                    "custmd_list_s": cust_l,
                    "custmd_app_ms": app_ms,
                    "imports": imports,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0 if ratio_window <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
