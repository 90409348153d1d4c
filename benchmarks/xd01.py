"""XD01 benchmark: the create-customer wizard with a million customers stored.

    QT_QPA_PLATFORM=offscreen python benchmarks/xd01.py [--customers 1000000]
        [--db PATH | --url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
        [--reuse] [--keep] [--runs 10] [--saves 200] [--queries 200] [--warmup 10]
        [--json PATH] [--profile PATH]

SQLite (default file custmd-xd01-<customers>.sqlite in the temp folder):

    QT_QPA_PLATFORM=offscreen python benchmarks/xd01.py
    QT_QPA_PLATFORM=offscreen python benchmarks/xd01.py --reuse --keep   # seed once, reuse

PostgreSQL: --url names the server (its database is only used to create and drop the
benchmark's own database, custmd_xd01_<customers>):

    QT_QPA_PLATFORM=offscreen python benchmarks/xd01.py \\
        --url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

The database is seeded with `--customers` made-up customers (benchmarks/seed.py) unless
--reuse is given and it already holds that many. A database this run created is deleted
(SQLite) or dropped (PostgreSQL) at the end unless --keep is given; a reused one is kept.

Figures, each timed with time.perf_counter() in this process (offscreen Qt, language zh):

1. XD01 chosen -> first screen ready: CustomerWizard(factory, customizing, actor), show() and
   activateWindow(), then events processed until the initial screen's account-group field has
   the keyboard focus and has been painted. `--runs` wizards, a new one each time, closed and
   deleted after; the first one of the process (cold: first use of the forms) is shown apart.
   (In the app the first XD01 window is made ahead once the list is shown; the first XD01
   screen of the app's processes is benchmarks/xd01_first_screen.py's.)
   The modules the main window imports in the background once its list is shown
   (ui.startup.warm_xd01_modules) are imported first, as in the app.
   Enter on the initial screen (1110, F011, F011/10/01 and a free number typed in the line
   edits): wizard.enter_data() until the address screen is painted with the focus in it.
2. Screen switch: wizard.show_screen(name) until the screen is painted, for every data screen;
   first visit (first show of the screen after Enter; Enter itself builds the screens, see
   ScreenStack.apply_statuses) and later visits apart.
3. Save: wizard.save() (Ctrl+S: checks of all screens, duplicate check, create_customer,
   back to the initial screen; the target is on this), its parts (timed by wrapping what it
   calls) and, apart, save plus the events until the initial screen is painted again; for
   `--saves` new customers of group 1110 filled in through the screen bindings (values of
   resources/demo/dongning.json, a random Latin name unlike any seeded or earlier one, a
   random 199 mobile number). Then create_customer alone for as many more. The first
   `--warmup` of each are not counted. A modal dialog (the duplicate dialog) is closed at
   once and stops the benchmark with an error. --profile PATH writes cProfile statistics of
   the saves (python -m pstats PATH).
4. Duplicate check: find_duplicates for the queries of benchmarks/duplicate_check.py (same
   generator and seed, so the figures match that script's).

Percentiles are nearest-rank (p95 of 20 values is the 19th). Exit status 1 when a target is
missed.

PySide6 6.12.0 on Python 3.11 loses a reference to None on every call of a void Qt method, so
a process dies with "Fatal Python error: none_dealloc" after some ten thousand calls; when
that is detected the benchmark adds references to None first and prints a warning.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import json
import os
import platform
import random
import statistics
import string
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import PySide6  # noqa: E402
import sqlalchemy  # noqa: E402
from duplicate_check import make_queries, p95  # noqa: E402
from PySide6.QtCore import (  # noqa: E402
    QEvent,
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget  # noqa: E402
from seed import count_customers, describe_url, prepare_database  # noqa: E402
from sqlalchemy import Engine, select  # noqa: E402

from custmd_gui.catalog import catalog  # noqa: E402
from custmd_gui.domain.customizing import Customizing  # noqa: E402
from custmd_gui.domain.model import Customer  # noqa: E402
from custmd_gui.domain.sap_document import from_document  # noqa: E402
from custmd_gui.persistence.engine import make_engine  # noqa: E402
from custmd_gui.persistence.tables import Kna1  # noqa: E402
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory  # noqa: E402
from custmd_gui.services import create as create_service  # noqa: E402
from custmd_gui.services import duplicates as duplicates_service  # noqa: E402
from custmd_gui.services.context import Actor  # noqa: E402
from custmd_gui.services.create import create_customer  # noqa: E402
from custmd_gui.services.duplicates import find_duplicates  # noqa: E402
from custmd_gui.ui import i18n  # noqa: E402
from custmd_gui.ui.startup import warm_xd01_modules  # noqa: E402
from custmd_gui.ui.wizard import CustomerWizard  # noqa: E402

DEMO = REPO / "resources" / "demo" / "dongning.json"
TARGET_FIRST_SCREEN_MS = 150.0
TARGET_SWITCH_MS = 30.0
TARGET_SAVE_MS = 50.0
TARGET_DUPLICATES_MS = 100.0
WAIT_S = 20.0  # a screen that is not painted by then is an error, not a figure

# The initial screen of the example: account group 1110 numbers externally (document SD02:
# 2 | 11 from F011 | the office's last three digits | serial), so every customer needs a
# number of its own; the offices of sales organization F011 give 3 x 9999 of them.
INITIAL = {
    "KNA1_KTOKD": "1110",
    "KNB1_BUKRS": "F011",
    "KNVV_VKORG": "F011",
    "KNVV_VTWEG": "10",
    "KNVV_SPART": "01",
}
OFFICES = ("1038", "1011", "1012")  # sales offices of F011; sales group = last three digits
# Parts of wizard.save(), timed by wrapping what it calls.
SAVE_PARTS = (
    "checks (session.problems)",
    "credit code + duplicate check",
    "create_customer",
    "back to initial screen",
)


# -- figures ----------------------------------------------------------------------------------


@dataclass
class Figure:
    label: str
    values_ms: list[float] = field(default_factory=list)
    target_ms: float | None = None  # judged on p95

    @property
    def verdict(self) -> str:
        if self.target_ms is None or not self.values_ms:
            return "info"
        return "PASS" if p95(self.values_ms) <= self.target_ms else "MISS"

    def row(self) -> str:
        v = self.values_ms
        target = f"p95 <= {self.target_ms:.0f} ms" if self.target_ms is not None else "-"
        if not v:
            return f"{self.label:<46} {0:>5} {'':>8} {'':>8} {'':>8}   {target:<15} {self.verdict}"
        return (
            f"{self.label:<46} {len(v):>5} {statistics.median(v):>8.1f} {p95(v):>8.1f} "
            f"{max(v):>8.1f}   {target:<15} {self.verdict}"
        )


# -- database ---------------------------------------------------------------------------------


# -- Qt helpers ------------------------------------------------------------------------------


class PaintWatch(QObject):
    """Notes whether a widget has received a paint event since `arm`."""

    def __init__(self) -> None:
        super().__init__()
        self.target: QWidget | None = None
        self.painted = False

    def arm(self, widget: QWidget) -> None:
        if self.target is not None:
            self.target.removeEventFilter(self)
        self.target = widget
        self.painted = False
        widget.installEventFilter(self)

    def disarm(self) -> None:
        if self.target is not None:
            self.target.removeEventFilter(self)
        self.target = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.target and event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def none_references_dropped_per_call() -> float:
    """References to None a void Qt method call loses: 0 as it should be; 1 with PySide6
    6.12.0 on Python 3.11 (its abi3 build treats None as immortal, which it is only from
    Python 3.12 on), so that the process dies with "deallocating None" after a few thousand
    calls (sys.getrefcount(None) is about 5,000 after the imports)."""
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("x")
    return (before - sys.getrefcount(None)) / 1000


def quiet_offscreen_warnings() -> None:
    """The offscreen platform warns on every new window that it cannot propagate size hints;
    everything else still goes to stderr."""

    def handler(_kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if "does not support propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def wait_until(app: QApplication, ready: Callable[[], bool], what: str) -> None:
    deadline = time.perf_counter() + WAIT_S
    while True:
        app.processEvents()
        if ready():
            return
        if time.perf_counter() > deadline:
            raise SystemExit(f"timed out after {WAIT_S:.0f} s waiting for {what}")


def focus_in(widget: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and (focus is widget or widget.isAncestorOf(focus))


def close_wizard(app: QApplication, wizard: CustomerWizard) -> None:
    wizard.keys = None  # no "unsaved data will be lost" question
    wizard.close()
    wizard.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


class ModalGuard(QObject):
    """Closes any modal dialog that opens (the duplicate dialog would wait for a click) and
    remembers it, so that the benchmark fails instead of hanging."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []
        self.timer = QTimer(self)
        self.timer.setInterval(50)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            self.seen.append(dialog.objectName() or type(dialog).__name__)
            dialog.close()


# -- customers --------------------------------------------------------------------------------


def free_numbers(factory: UnitOfWorkFactory, count: int) -> list[str]:
    """`count` numbers of the SD02 rule for F011 that no stored customer has."""
    with factory() as uow:
        used = set(
            uow.session.scalars(
                select(Kna1.kunnr).where(Kna1.kunnr.between("2110000000", "2119999999"))
            )
        )
    out: list[str] = []
    for office in OFFICES:
        for serial in range(1, 10_000):
            number = f"211{office[-3:]}{serial:04d}"
            if number not in used:
                out.append(number)
                if len(out) == count:
                    return out
    raise SystemExit(f"only {len(out)} free numbers of F011 left; use a fresh database")


class Names:
    """Latin names of random letters: unlike the seeded (Chinese) names and unlike each other
    (two of them share one name bigram on average, a similar name needs eight)."""

    def __init__(self) -> None:
        self.rng = random.Random(os.urandom(16))

    def word(self, length: int) -> str:
        return "".join(self.rng.choices(string.ascii_lowercase, k=length)).title()

    def name(self) -> str:
        return f"{self.word(7)} {self.word(7)} Ltd."

    def mobile(self) -> str:
        return f"199{self.rng.randrange(10**8):08d}"  # the seeded ones start 13, 15, 18, 19[^9]


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO.read_text(encoding="utf-8"))
    return data


def document(number: str, name: str, phone: str) -> dict[str, Any]:
    """The example document as another customer of F011 with number `number`."""
    doc = copy.deepcopy(example())
    office = next(o for o in OFFICES if o[-3:] == number[3:6])
    kna1 = doc["KNA1"]
    kna1.update(
        KUNNR=number,
        NAME1=name,
        NAME2=name,
        NAME3=name,
        SORTL=name.split()[0].upper()[:10],
        TELF1=phone,
    )
    knvv = doc["KNVV"][0]
    knvv.update(VKBUR=office, VKGRP=office[-3:])
    for partner in knvv["KNVP"]:
        partner["KUNN2"] = number
    return doc


def screen_values(doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[dict[str, str]]]]:
    """The document as the wizard's bindings take it: {field key: value} for the line edits
    and {table: rows of {field name: value}} for the grids."""
    cat = catalog()
    names = {fd.key: fd.name for fd in cat}

    def rows(table: str, items: list[dict[str, str]]) -> list[dict[str, str]]:
        return [{names[f"{table}-{k}"]: v for k, v in item.items()} for item in items]

    values: dict[str, Any] = {}
    for k, v in doc["KNA1"].items():
        values[f"KNA1-{k}"] = v
    for k, v in doc["KNB1"][0].items():
        values[f"KNB1-{k}"] = v
    knvv = doc["KNVV"][0]
    for k, v in knvv.items():
        if not isinstance(v, list):
            values[f"KNVV-{k}"] = v
    grids = {
        "KNBK": rows("KNBK", doc["KNBK"]),
        "KNVI": rows("KNVI", knvv["KNVI"]),
        "KNVP": rows("KNVP", knvv["KNVP"]),
    }
    # The keys come from the initial screen.
    for key in ("KNA1-KUNNR", "KNA1-KTOKD", "KNB1-BUKRS", "KNVV-VKORG", "KNVV-VTWEG"):
        values.pop(key, None)
    values.pop("KNVV-SPART", None)
    return values, grids


# -- the wizard -------------------------------------------------------------------------------


@dataclass
class WizardFigures:
    cold_open: Figure
    open: Figure
    enter_first: Figure
    enter_next: Figure
    first_visit: Figure
    later_visit: Figure
    save: Figure
    save_parts: dict[str, Figure]
    save_painted: Figure
    service: Figure


class Parts:
    """Milliseconds spent in some functions during one save, by part."""

    def __init__(self) -> None:
        self.current: dict[str, float] = {}

    def wrap(self, part: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent = (time.perf_counter() - start) * 1000
                self.current[part] = self.current.get(part, 0.0) + spent

        return wrapper


@contextmanager
def timed(into: list[float]) -> Iterator[None]:
    start = time.perf_counter()
    yield
    into.append((time.perf_counter() - start) * 1000)


class Bench:
    def __init__(
        self,
        app: QApplication,
        factory: UnitOfWorkFactory,
        customizing: Customizing,
        actor: Actor,
    ) -> None:
        self.app = app
        self.factory = factory
        self.customizing = customizing
        self.actor = actor
        self.watch = PaintWatch()
        self.guard = ModalGuard()
        self.f = WizardFigures(
            cold_open=Figure(
                "XD01 chosen -> first screen ready, 1st (cold)", target_ms=TARGET_FIRST_SCREEN_MS
            ),
            open=Figure("XD01 chosen -> first screen ready", target_ms=TARGET_FIRST_SCREEN_MS),
            enter_first=Figure("Enter on initial screen -> address, new window"),
            enter_next=Figure("Enter on initial screen -> address, next cust."),
            first_visit=Figure("screen switch, first visit", target_ms=TARGET_SWITCH_MS),
            later_visit=Figure("screen switch, later visits", target_ms=TARGET_SWITCH_MS),
            save=Figure("save: wizard.save() (Ctrl+S)", target_ms=TARGET_SAVE_MS),
            save_parts={part: Figure(f"  of which {part}") for part in SAVE_PARTS},
            save_painted=Figure("save + repaint of the initial screen"),
            service=Figure("save: create_customer service alone"),
        )

    def check_modal(self, doing: str) -> None:
        if self.guard.seen:
            raise SystemExit(
                f"a modal dialog opened during {doing}: {', '.join(self.guard.seen)} "
                "(the duplicate dialog? the new names should be unlike every stored one)"
            )

    def open_wizard(self, into: Figure) -> CustomerWizard:
        edit: QLineEdit | None = None
        with timed(into.values_ms):
            wizard = CustomerWizard(self.factory, self.customizing, self.actor)
            edit = wizard.pages["initial"].findChild(QLineEdit, "KNA1_KTOKD")
            assert edit is not None
            self.watch.arm(edit)
            wizard.show()
            wizard.activateWindow()
            wizard_edit = edit
            wait_until(
                self.app,
                lambda: self.watch.painted and QApplication.focusWidget() is wizard_edit,
                "the initial screen",
            )
        self.watch.disarm()
        return wizard

    def fill_initial(self, wizard: CustomerWizard, number: str) -> None:
        page = wizard.pages["initial"]
        for name, value in {**INITIAL, "KNA1_KUNNR": number}.items():
            edit = page.findChild(QLineEdit, name)
            if edit is None:
                raise SystemExit(f"initial screen: no line edit {name}")
            edit.setText(value)

    def show_and_paint(self, wizard: CustomerWizard, screen: str, into: list[float]) -> None:
        with timed(into):
            wizard.show_screen(screen)
            page = wizard.pages[screen]
            self.watch.arm(page)
            wait_until(self.app, lambda: self.watch.painted, f"screen {screen}")
        self.watch.disarm()

    def enter(self, wizard: CustomerWizard, into: Figure) -> None:
        # The address page exists only after Enter: watch the stack, whose page is repainted.
        with timed(into.values_ms):
            ok = wizard.enter_data()
            if ok:
                page = wizard.pages["address"]
                self.watch.arm(page)
                wait_until(
                    self.app,
                    lambda: self.watch.painted and focus_in(page),
                    "the address screen after Enter",
                )
        self.watch.disarm()
        if not ok or wizard.current_screen() != "address":
            problems = [f"{p.field_key}: {p.message.en}" for p in wizard.messages.problems]
            raise SystemExit(f"Enter on the initial screen failed: {problems}")

    def screens(self, runs: int, number: str) -> None:
        """Figures 1 and 2: new wizards, Enter, every screen twice and more."""
        # What the main window imports in the background once its list is shown (ui.startup):
        # the first wizard of a process in the app finds these imported too.
        warm_xd01_modules()
        for run in range(runs + 1):
            wizard = self.open_wizard(self.f.cold_open if run == 0 else self.f.open)
            self.fill_initial(wizard, number)
            self.enter(wizard, self.f.enter_first)
            for screen in wizard.active[1:]:
                self.show_and_paint(wizard, screen, self.f.first_visit.values_ms)
            for _ in range(2):
                for screen in [*wizard.active[1:], wizard.active[0]]:
                    self.show_and_paint(wizard, screen, self.f.later_visit.values_ms)
            self.check_modal("the screen switches")
            close_wizard(self.app, wizard)

    def saves(self, numbers: list[str], warmup: int, names: Names) -> None:
        """Figure 3 through the wizard: one window, customer after customer."""
        wizard = self.open_wizard(Figure("ignored"))
        self.fill_initial(wizard, numbers[0])
        # The wizard imports both services when it saves: wrapped, they tell their share.
        parts = Parts()
        session = wizard.session
        setattr(session, "problems", parts.wrap("checks (session.problems)", session.problems))  # noqa: B010
        setattr(wizard, "_after_save", parts.wrap("back to initial screen", wizard._after_save))  # noqa: B010
        original = (duplicates_service.check_before_save, create_service.create_customer)
        duplicates_service.check_before_save = parts.wrap(
            "credit code + duplicate check", original[0]
        )
        create_service.create_customer = parts.wrap("create_customer", original[1])
        try:
            self._save_all(wizard, numbers, warmup, names, parts)
        finally:
            duplicates_service.check_before_save, create_service.create_customer = original
        close_wizard(self.app, wizard)

    def _save_all(
        self,
        wizard: CustomerWizard,
        numbers: list[str],
        warmup: int,
        names: Names,
        parts: Parts,
    ) -> None:
        for i, number in enumerate(numbers):
            wizard.bindings["initial"].set_values({"KNA1-KUNNR": number})
            self.enter(wizard, self.f.enter_next if i >= warmup else Figure("ignored"))
            values, grids = screen_values(document(number, names.name(), names.mobile()))
            for screen in wizard.active:
                binding = wizard.bindings[screen]
                binding.set_values(values)
                for table, rows in grids.items():
                    if table in binding.grids:
                        binding.grids[table].set_rows(rows)
            wizard.show_screen(wizard.active[-1])  # Ctrl+S on the partner screen
            self.app.processEvents()
            page = wizard.pages["initial"]
            saved: list[float] = []
            painted: list[float] = []
            parts.current = {}
            with timed(painted):
                with timed(saved):
                    ok = wizard.save()
                if ok:
                    self.watch.arm(page)
                    wait_until(self.app, lambda: self.watch.painted, "the screen after saving")
            self.watch.disarm()
            self.check_modal(f"saving customer {number}")
            if not ok:
                problems = [f"{p.field_key}: {p.message.en}" for p in wizard.messages.problems]
                raise SystemExit(f"saving customer {number} failed: {problems}")
            if i >= warmup:
                self.f.save.values_ms.extend(saved)
                self.f.save_painted.values_ms.extend(painted)
                for part, figure in self.f.save_parts.items():
                    figure.values_ms.append(parts.current.get(part, 0.0))

    def service(self, numbers: list[str], warmup: int, names: Names) -> None:
        for i, number in enumerate(numbers):
            customer: Customer = from_document(document(number, names.name(), names.mobile()))
            times: list[float] = []
            with timed(times):
                create_customer(self.factory, customer, self.actor, customizing=self.customizing)
            if i >= warmup:
                self.f.service.values_ms.extend(times)


def duplicate_check(
    factory: UnitOfWorkFactory, queries: int, warmup: int, seed_value: int
) -> Figure:
    """As benchmarks/duplicate_check.py does it."""
    figure = Figure("duplicate check: find_duplicates", target_ms=TARGET_DUPLICATES_MS)
    made = make_queries(factory, queries + warmup, seed_value)
    for q in made[:warmup]:
        find_duplicates(factory, q.customer)
    for q in made[warmup:]:
        with timed(figure.values_ms):
            find_duplicates(factory, q.customer)
    return figure


# -- report ----------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def cpu_reference_ms() -> float:
    """A fixed pure-Python workload (median of five), printed at the start and the end: on a
    shared virtual machine the same code can run 1.5 times slower from one minute to the
    next, and this tells such a run apart."""
    times: list[float] = []
    for _ in range(5):
        start = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def server_version(engine: Engine) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return f"SQLite {conn.exec_driver_sql('select sqlite_version()').scalar()}"
        return f"PostgreSQL {conn.exec_driver_sql('show server_version').scalar()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time the XD01 wizard with many customers")
    parser.add_argument("--customers", type=int, default=1_000_000)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", type=Path, help="SQLite file (default: in the temp folder)")
    where.add_argument(
        "--url", help="PostgreSQL server, e.g. postgresql+psycopg://postgres@127.0.0.1/postgres"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="use a database that already holds the customers"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database this run made")
    parser.add_argument("--runs", type=int, default=10, help="wizards opened (figures 1, 2)")
    parser.add_argument("--saves", type=int, default=200, help="customers saved (figure 3)")
    parser.add_argument("--queries", type=int, default=200, help="duplicate checks (figure 4)")
    parser.add_argument("--warmup", type=int, default=10, help="not counted (figures 3, 4)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument(
        "--profile", type=Path, help="write cProfile statistics of the wizard saves here"
    )
    args = parser.parse_args(argv)

    quiet_offscreen_warnings()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    i18n.set_language("zh")
    lost_per_call = none_references_dropped_per_call()
    if lost_per_call > 0.5 and sys.version_info < (3, 12):
        print(
            f"PySide6 {PySide6.__version__} on Python {platform.python_version()} loses "
            f"{lost_per_call:.0f} reference to None per void Qt call: the app (and this "
            "benchmark) would die with 'deallocating None'. Install the pinned version "
            "(pip install -c constraints.txt -e .).",
            file=sys.stderr,
        )
        return 2

    db = prepare_database(args, "xd01")
    reference_start = cpu_reference_ms()
    engine = make_engine(db.url)
    try:
        factory = UnitOfWorkFactory(engine)
        with factory() as uow:
            customizing = uow.customizing.load()
        customers_before = count_customers(db.url)
        version = server_version(engine)

        print("duplicate check ...", flush=True)
        duplicates = duplicate_check(factory, args.queries, args.warmup, args.seed)

        bench = Bench(app, factory, customizing, Actor("bench"))
        saves = args.warmup + args.saves
        numbers = free_numbers(factory, 2 * saves)
        print("wizard: open, Enter, screen switches ...", flush=True)
        bench.screens(args.runs, numbers[0])
        names = Names()
        print(f"wizard: {saves} saves ...", flush=True)
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        bench.saves(numbers[:saves], args.warmup, names)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        print(f"service: {saves} create_customer calls ...", flush=True)
        bench.service(numbers[saves:], args.warmup, names)
        customers_after = count_customers(db.url)
        reference_end = cpu_reference_ms()
    finally:
        engine.dispose()
        if db.created and not args.keep:
            db.drop()
            print(f"removed {describe_url(db.url)}")

    f = bench.f
    figures = [
        f.cold_open,
        f.open,
        f.enter_first,
        f.enter_next,
        f.first_visit,
        f.later_visit,
        f.save,
        *f.save_parts.values(),
        f.save_painted,
        f.service,
        duplicates,
    ]
    print()
    print(f"machine:   {os.cpu_count()} CPUs ({cpu_model()}), {platform.platform()}")
    print(
        f"software:  Python {platform.python_version()}, PySide6 {PySide6.__version__}, "
        f"Qt {qVersion()}, SQLAlchemy {sqlalchemy.__version__}, "
        f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', '')}"
    )
    print(
        f"CPU check: {reference_start:.0f} ms before the figures, {reference_end:.0f} ms after "
        "(sum of squares below 10**6; higher means a slower machine at that time)"
    )
    print(f"database:  {engine.dialect.name}, {version}, {describe_url(db.url)}")
    print(
        f"customers: {customers_before} at the start, {customers_after} at the end"
        + (f" (seeded in {db.seed_s:.0f} s)" if db.seed_s is not None else "")
    )
    print(
        f"runs:      {args.runs} wizards (+1 cold), {args.saves} saves and service calls, "
        f"{args.queries} duplicate checks; {args.warmup} warm-up calls not counted"
    )
    print()
    header = (
        f"{'figure (ms)':<46} {'n':>5} {'p50':>8} {'p95':>8} {'max':>8}   {'target':<15} result"
    )
    print(header)
    print("-" * len(header))
    for figure in figures:
        print(figure.row())
    missed = [fig.label for fig in figures if fig.verdict == "MISS"]
    print()
    print("all targets met" if not missed else f"targets missed: {'; '.join(missed)}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "backend": engine.dialect.name,
                    "customers": customers_before,
                    "figures": {fig.label: fig.values_ms for fig in figures},
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
