"""The first XD01 screen of a process: how long from choosing XD01 in the main window to the
create wizard's initial screen, shown and ready for typing, in fresh processes.

    python benchmarks/xd01_first_screen.py [--processes 12] [--db FILE] [--settle 0.5]
        [--json PATH] [--profile DIR]

Each sample is a process of its own that runs the app as `custmd --demo` (or `custmd --db
FILE`) does (custmd_gui.cli.main, offscreen, language zh, a temporary settings, data and log
folder; the demo database is created by a warm-up process that is not counted). Inside it, once
the database is open, the list shows its first page and no operation is running any more (the
XD01 modules the window imports in the background are imported: ui.startup), and after
`--settle` seconds more (the clerk reaching for Ctrl+N), the main window's XD01 action is
triggered. Timed with time.perf_counter() in that process, from the trigger until the
initial screen's account-group field has the keyboard focus and has been painted (events
processed meanwhile). This is the first wizard of the process: its forms, widgets, style
sheet, fonts at the wizard's sizes, value helps and proposals are all first uses.

Printed: the figure of every process, the median and the maximum, and how many processes took
longer than the target (150 ms; it must hold for every process). A CPU reference (a fixed
pure-Python workload) is printed before and after: on a shared machine a run that is slower
throughout tells a loaded machine apart. Exit status 1 when a process missed the target.

--profile DIR writes cProfile statistics of each process's XD01 action to DIR/xd01-N.prof
(python -m pstats DIR/xd01-1.prof); the figures of such a run include the profiler's cost.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_MS = 150.0
LINE = "XD01 first screen ready after "
WAIT_S = 60.0


def cpu_reference_ms() -> float:
    """A fixed pure-Python workload, median of five (as benchmarks/xd01.py)."""
    times: list[float] = []
    for _ in range(5):
        start = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


# -- one process: the app, then XD01 ----------------------------------------------------------


def child(app_args: list[str], settle_s: float, profile: Path | None) -> int:
    """Run the app; once it is idle, trigger XD01 and print the time to its first screen."""
    import cProfile

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

    app = QApplication(sys.argv[:1])

    class Watch(QObject):
        """Notes the paint of the create wizard's account-group field. Armed by bring_up,
        which XD01 calls with the wizard it made (an application-wide filter instead would
        make PySide wrap every object an event goes to, which costs a first use of its own)."""

        def __init__(self) -> None:
            super().__init__()
            self.edit: QLineEdit | None = None
            self.painted = False

        def arm(self, window: QWidget) -> None:
            self.edit = window.findChild(QLineEdit, "KNA1_KTOKD")
            if self.edit is not None:
                self.edit.installEventFilter(self)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if watched is self.edit and event.type() == QEvent.Type.Paint:
                self.painted = True
            return False

    def main_window() -> object | None:
        from custmd_gui.ui.main import MainWindow

        return next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow)), None)

    def wait(ready: object, what: str) -> None:
        deadline = time.perf_counter() + WAIT_S
        while not ready():  # type: ignore[operator]
            app.processEvents()
            if time.perf_counter() > deadline:
                print(f"timed out waiting for {what}", file=sys.stderr, flush=True)
                app.exit(2)
                raise SystemExit(2)
            time.sleep(0.001)

    def drive() -> None:
        from custmd_gui.ui import main_transactions, operations
        from custmd_gui.ui.main import MainWindow
        from custmd_gui.ui.startup import XD01_MODULES

        wait(lambda: main_window() is not None, "the main window")
        window = main_window()
        assert isinstance(window, MainWindow)
        wait(
            lambda: (
                window.database_state == "ready"
                and window.model.pages_fetched >= 1
                and all(name in sys.modules for name in XD01_MODULES)
                and operations.idle()
            ),
            "the database, the list and the background imports",
        )
        settle_until = time.perf_counter() + settle_s
        wait(lambda: time.perf_counter() >= settle_until, "the settle time")
        if not operations.idle():
            wait(operations.idle, "the operations")

        watch = Watch()
        original = main_transactions.bring_up

        def bring_up(wizard: QWidget) -> None:
            watch.arm(wizard)
            original(wizard)

        main_transactions.bring_up = bring_up
        # Made while the clerk was not waiting (MainWindow.prepare_create_wizard)?
        ahead = getattr(window, "prepared", None) is not None
        profiler = cProfile.Profile() if profile else None
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        window.create_action.trigger()
        wait(
            lambda: watch.painted and QApplication.focusWidget() is watch.edit,
            "the XD01 initial screen",
        )
        elapsed = (time.perf_counter() - start) * 1000
        if profiler:
            profiler.disable()
            assert profile is not None
            profiler.dump_stats(profile)
        main_transactions.bring_up = original
        made = "made ahead" if ahead else "made on XD01"
        print(f"{LINE}{elapsed:.1f} ms ({made})", flush=True)
        wizard = window.wizards.get("create")
        if wizard is not None:
            wizard.keys = None  # nothing typed: no question
            wizard.close()
        window.close()
        app.exit(0)

    QTimer.singleShot(0, drive)
    from custmd_gui.cli.main import main

    return main(app_args)


# -- the runs ---------------------------------------------------------------------------------


def run_process(cmd: list[str], env: dict[str, str], timeout: float) -> tuple[float, str]:
    """The figure of one process and how its wizard was made."""
    proc = subprocess.run(
        cmd, capture_output=True, text=True, encoding="utf-8", env=env, cwd=REPO, timeout=timeout
    )
    for line in proc.stdout.splitlines():
        if line.startswith(LINE):
            if proc.returncode != 0:
                break
            figure, _ms, made = line[len(LINE) :].split(" ", 2)
            return float(figure), made.strip("()")
    raise SystemExit(
        f"{' '.join(cmd)} failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time the first XD01 screen of fresh processes")
    parser.add_argument("--processes", type=int, default=12)
    parser.add_argument("--db", type=Path, help="a SQLite file instead of the demo database")
    parser.add_argument("--settle", type=float, default=0.5, help="seconds from idle to XD01")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--profile", type=Path, help="cProfile statistics per process here")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        profile = Path(os.environ["XD01_PROFILE"]) if os.environ.get("XD01_PROFILE") else None
        return child(args.child, args.settle, profile)
    if args.db is not None and not args.db.is_file():
        parser.error(f"{args.db} does not exist (benchmarks/seed.py makes one)")

    app_args = ["--db", f"sqlite:///{args.db.resolve()}"] if args.db else ["--demo"]
    with tempfile.TemporaryDirectory(prefix="custmd-xd01-first-") as tmp_dir:
        tmp = Path(tmp_dir)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "CUSTMD_LANG": "zh",
            "XDG_STATE_HOME": str(tmp / "state"),
            "XDG_DATA_HOME": str(tmp / "data"),
            "XDG_CONFIG_HOME": str(tmp / "config"),
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p
            ),
        }
        for name in ("CUSTMD_DB", "CUSTMD_CONFIG_DIR", "PYTHONDONTWRITEBYTECODE"):
            env.pop(name, None)
        cmd = [
            args.python,
            str(Path(__file__).resolve()),
            "--settle",
            str(args.settle),
            "--child",
            *app_args,
        ]
        print("warming up (creates the demo database and the bytecode) ...", flush=True)
        run_process(cmd, env, args.timeout)
        if args.profile:
            args.profile.mkdir(parents=True, exist_ok=True)
        reference_start = cpu_reference_ms()
        figures: list[float] = []
        for i in range(args.processes):
            if args.profile:
                env["XD01_PROFILE"] = str(args.profile.resolve() / f"xd01-{i + 1}.prof")
            figure, made = run_process(cmd, env, args.timeout)
            figures.append(figure)
            over = "  > target" if figure > TARGET_MS else ""
            print(f"process {i + 1:>2}: {figure:6.1f} ms  (window {made}){over}", flush=True)
        reference_end = cpu_reference_ms()

    over = [f for f in figures if f > TARGET_MS]
    print()
    print(f"database:  {args.db or 'demo database'}; settle {args.settle} s; offscreen, zh")
    print(
        f"CPU check: {reference_start:.0f} ms before, {reference_end:.0f} ms after "
        "(sum of squares below 10**6; higher means a slower machine at that time)"
    )
    print(
        f"XD01 -> first screen ready, first of a process: {len(figures)} processes, "
        f"median {statistics.median(figures):.1f} ms, max {max(figures):.1f} ms, "
        f"over {TARGET_MS:.0f} ms: {len(over)}"
    )
    print("target met" if not over else f"target NOT met: {len(over)} over {TARGET_MS:.0f} ms")
    if args.json:
        args.json.write_text(json.dumps({"first_screen_ms": figures}, indent=2), encoding="utf-8")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
