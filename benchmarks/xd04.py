"""XD04 benchmark: the change-documents window for a customer with 3,000 change documents.

    QT_QPA_PLATFORM=offscreen python benchmarks/xd04.py [--documents 3000] [--runs 10]
        [--db PATH | --url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
        [--keep] [--json PATH]

SQLite by default (a new file in the temp folder). --url names a PostgreSQL server; its
database is only used to create and drop the benchmark's own, custmd_xd04_<documents>. The
database this run creates is deleted (SQLite) or dropped (PostgreSQL) at the end unless --keep
is given; an existing one is refused.

The customer is the demo customer (resources/demo/dongning.json) created through the create
service (its XD01 document, some sixty items), followed by `--documents` - 1 more written
through the change-document repository as XD02, XD05, XD06 and an XD01 extension write them:
one to five fields per document (addresses move with city, postal code and region together,
telephone, payment terms of the company code and sales area, shipping conditions, incoterms,
customer group, bank holder; blocks with a reason and the posting block, the deletion flag
set and removed, with a comment), old values as the previous documents left them, times
spread over the years before today. Drawn from a random generator with a fixed seed.

Figures, timed with time.perf_counter() in this process (offscreen Qt, language zh):

1. Open: open_change_documents(None, factory, number) -> the window shown with its table's
   first page painted (events processed until the table's viewport has a paint event with
   rows in the model). `--runs` windows, each closed and deleted after; the first of the
   process (cold) apart. Target on the p95. Also the CPU time this process spent on it
   (time.process_time()): on a machine others load, the wall time grows, that hardly.
2. Service: what the window reads from the database when it opens, without Qt: now
   customer_history (one read of the documents, with the customizing for their texts;
   rows are made as lines are shown); and, in the same run,
   the reads it made before (customer_name, changed_fields, change_documents: the field
   filter's choices and the list, each reading all documents), which the CLI and other
   callers still use; their ratio.
3. Filter: the activity filter set to 更改 and back to 全部 (each until painted), and the
   field filter set to 名称 (KNA1-NAME1): information.
4. SQL statements the window runs while it opens, counted by an engine event listener, and
   how many of them read change documents (cdhdr).

Percentiles are nearest-rank (p95 of 10 values is the slowest). Exit status 1 when the target
is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (  # noqa: E402
    QEvent,
    QMessageLogContext,
    QObject,
    QtMsgType,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtGui import QFont, QFontDatabase  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from seed import postgres_database, sqlite_database  # noqa: E402
from sqlalchemy import Engine, event, update  # noqa: E402
from xd01 import Figure  # noqa: E402

from custmd_gui.domain.sap_document import from_document  # noqa: E402
from custmd_gui.persistence import tables  # noqa: E402
from custmd_gui.persistence.engine import make_engine  # noqa: E402
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory  # noqa: E402
from custmd_gui.services import change_documents as service  # noqa: E402
from custmd_gui.services.context import Actor  # noqa: E402
from custmd_gui.services.create import create_customer  # noqa: E402
from custmd_gui.services.customizing import upgrade_database  # noqa: E402
from custmd_gui.ui import i18n  # noqa: E402
from custmd_gui.ui.change_documents_dialog import (  # noqa: E402
    ChangeDocumentsDialog,
    open_change_documents,
)

DEMO = REPO / "resources" / "demo" / "dongning.json"
TARGET_OPEN_MS = 200.0
WAIT_S = 30.0  # a window whose first page is not painted by then is an error, not a figure
CJK_FONT = "WenQuanYi Micro Hei"


# -- figures ----------------------------------------------------------------------------------


def timed_ms(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


# -- database ---------------------------------------------------------------------------------


# -- the history ------------------------------------------------------------------------------

# (table, key suffix after the customer number, field) -> value: the customer as the
# documents so far have left it, so that every old value is the previous new one.
State = dict[tuple[str, str, str], str]
Item = tuple[str, str, str, str, str | None, str | None]

USERS = ("lisi", "wangwu", "zhaoliu", "sunqi", "zhouba", "wujiu")
CITIES = (  # city, postal code, region (customizing `regions` of CN)
    ("上海", "200000", "020"),
    ("北京", "100000", "010"),
    ("天津", "300000", "030"),
    ("重庆", "400000", "320"),
    ("苏州", "215000", "100"),
    ("杭州", "310000", "130"),
)
ROADS = ("长宁路", "延安西路", "南京东路", "人民路", "解放路", "建设大道", "中山北路", "滨江大道")
PAYMENT_TERMS = ("0001", "Z030", "Z060", "Z090", "ZM30")
SHIPPING = ("11", "12", "20", "23")
INCOTERMS = (("EXW", "工厂"), ("FCA", "上海港"), ("CIF", "Shanghai"), ("FOB", "Ningbo"))
BLOCK_REASONS = ("01", "02", "03", "04", "05")
COMMENTS = ("客户逾期未付款", "已收回欠款，解除冻结", "信用额度复核中", "客户要求暂停发货")
BANK_HOLDERS = ("工商银行", "建设银行", "中国银行", "农业银行", "招商银行")


class History:
    """Change documents as the app's transactions write them, one after the other."""

    def __init__(self, number: str, state: State, seed: int) -> None:
        self.number = number
        self.state = state
        self.rng = random.Random(seed)
        self.extended = False

    def _key(self, suffix: str) -> str:
        return f"{self.number}/{suffix}" if suffix else self.number

    def _set(self, items: list[Item], table: str, suffix: str, fld: str, new: str) -> None:
        old = self.state.get((table, suffix, fld), "")
        if old == new:
            return
        items.append((table, self._key(suffix), fld, "U", old, new))
        self.state[(table, suffix, fld)] = new

    def xd02(self) -> list[Item]:
        rng, items = self.rng, list[Item]()
        areas = ["F011/10/01", *(["F001/10/01"] if self.extended else [])]
        codes = ["F011", *(["F001"] if self.extended else [])]
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            what = rng.randrange(9)
            if what == 0:  # the address moves: street, city, postal code and region together
                city, postal, region = rng.choice(CITIES)
                street = f"{city}市{rng.choice(ROADS)}{rng.randrange(1, 999)}号"
                self._set(items, "KNA1", "", "STRAS", street)
                self._set(items, "KNA1", "", "ORT01", city)
                self._set(items, "KNA1", "", "PSTLZ", postal)
                self._set(items, "KNA1", "", "REGIO", region)
            elif what == 1:
                phone = f"021-6{rng.randrange(10**6, 10**7)}"
                self._set(items, "KNA1", "", "TELF1", phone)
            elif what == 2:
                self._set(items, "KNB1", rng.choice(codes), "ZTERM", rng.choice(PAYMENT_TERMS))
            elif what == 3:
                self._set(items, "KNVV", rng.choice(areas), "ZTERM", rng.choice(PAYMENT_TERMS))
            elif what == 4:
                self._set(items, "KNVV", rng.choice(areas), "VSBED", rng.choice(SHIPPING))
            elif what == 5:
                area = rng.choice(areas)
                inco1, inco2 = rng.choice(INCOTERMS)
                self._set(items, "KNVV", area, "INCO1", inco1)
                self._set(items, "KNVV", area, "INCO2", inco2)
            elif what == 6:
                self._set(items, "KNVV", rng.choice(areas), "KDGRP", f"0{rng.randrange(1, 6)}")
            elif what == 7:
                self._set(items, "KNBK", "CN/F011/1234567", "KOINH", rng.choice(BANK_HOLDERS))
            else:
                self._set(
                    items, "KNA1", "", "NAME2", f"Dong ning Advertise co. {rng.randrange(99)}"
                )
        return items

    def xd05(self) -> list[Item]:
        """Blocks set or removed centrally: order, delivery, billing (a reason) and posting."""
        rng, items = self.rng, list[Item]()
        unblock = self.state.get(("KNA1", "", "AUFSD"), "") != "" and rng.random() < 0.7
        for fld in ("AUFSD", "LIFSD", "FAKSD"):
            if unblock:
                self._set(items, "KNA1", "", fld, "")
            elif rng.random() < 0.6:
                self._set(items, "KNA1", "", fld, rng.choice(BLOCK_REASONS))
        self._set(items, "KNA1", "", "SPERR", "" if unblock else rng.choice(("", "X")))
        return items

    def xd06(self) -> list[Item]:
        items: list[Item] = []
        flagged = self.state.get(("KNA1", "", "LOEVM"), "")
        self._set(items, "KNA1", "", "LOEVM", "" if flagged else "X")
        return items

    def extend(self) -> list[Item]:
        """Company code F001 and sales area F001/10/01 added (XD01, activity extend)."""
        self.extended = True
        values = {
            ("KNB1", "F001"): {"BUKRS": "F001", "AKONT": "00", "ZTERM": "Z030", "ZUAWA": "003"},
            ("KNVV", "F001/10/01"): {
                "VKORG": "F001",
                "VTWEG": "10",
                "SPART": "01",
                "BZIRK": "01",
                "KDGRP": "01",
                "WAERS": "CNY",
                "KALKS": "1",
                "VERSG": "1",
                "VSBED": "11",
                "ZTERM": "Z030",
                "INCO1": "CIF",
                "INCO2": "Shanghai",
                "KTGRD": "01",
            },
        }
        items: list[Item] = []
        for (table, suffix), fields in values.items():
            for fld, value in sorted(fields.items()):
                items.append((table, self._key(suffix), fld, "I", None, value))
                self.state[(table, suffix, fld)] = value
        return items

    def documents(
        self, count: int, end: datetime
    ) -> Iterator[tuple[datetime, str, str, str, str, list[Item]]]:
        """(when, user, tcode, activity, comment, items) for `count` documents up to `end`,
        some fourteen hours apart on average: years of history."""
        rng = self.rng
        span = 14 * 3600 * count
        times = sorted(end - timedelta(seconds=rng.uniform(0, span)) for _ in range(count))
        for i, when in enumerate(times):
            user = rng.choice(USERS)
            if i == 5:
                yield when, user, "XD01", "extend", "", self.extend()
                continue
            kind = rng.random()
            if kind < 0.72:
                items, tcode, comment = self.xd02(), "XD02", ""
            elif kind < 0.97:
                items, tcode, comment = self.xd05(), "XD05", rng.choice(COMMENTS)
            else:
                items, tcode, comment = self.xd06(), "XD06", "客户已停业，待清理"
            if not items:  # the draw changed nothing: a telephone number always changes
                items = []
                phone = f"021-5{rng.randrange(10**6, 10**7)}"
                self._set(items, "KNA1", "", "TELF1", phone)
                tcode, comment = "XD02", ""
            yield when, user, tcode, "change", comment, items


def seed_history(url: str, documents: int, seed: int) -> tuple[str, int]:
    """Migrate, create the demo customer and write its further documents; returns the
    customer number and the number of change-document items written."""
    engine = make_engine(url, statement_timeout=None)  # loading, not interactive work
    try:
        upgrade_database(engine)
        factory = UnitOfWorkFactory(engine)
        document = json.loads(DEMO.read_text("utf-8"))
        created = create_customer(factory, from_document(document), Actor("zhangsan"))
        number = created.general.number
        with factory() as uow:
            state: State = {}
            for rec in uow.changes.for_customer(number):
                suffix = rec.key[len(number) + 1 :]
                state[(rec.table, suffix, rec.field)] = rec.new or ""
            items_written = len(state)
        end = datetime.now(UTC) - timedelta(hours=1)
        # The create comes first: dated before the span History spreads the others over.
        with engine.begin() as conn:
            conn.execute(
                update(tables.ChangeHeader)
                .where(tables.ChangeHeader.objectid == number)
                .values(udate=end - timedelta(hours=14 * documents + 24))
            )
        history = History(number, state, seed)
        batch = 500
        made = history.documents(documents - 1, end)
        left = documents - 1
        while left > 0:
            with factory(write=True) as uow:
                for _ in range(min(batch, left)):
                    when, user, tcode, activity, comment, items = next(made)
                    uow.changes.write(
                        number, user, when, tcode, activity, "bench", items, comment=comment
                    )
                    items_written += len(items)
                    left -= 1
                uow.commit()
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                conn.commit()
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "VACUUM ANALYZE cdhdr, cdpos"
                )
            else:
                conn.exec_driver_sql("ANALYZE")
        return number, items_written
    finally:
        engine.dispose()


# -- measuring --------------------------------------------------------------------------------


class FirstPagePainted(QObject):
    """Notes a paint of the documents table's viewport while its model holds rows."""

    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            table = watched.parentWidget()
            if table is not None and table.objectName() == "documents":
                model = getattr(table, "model", lambda: None)()
                if model is not None and model.rowCount() > 0:
                    self.painted = True
        return False


class StatementCounter:
    """SQL statements run on the engine, and those that read change documents."""

    def __init__(self, engine: Engine) -> None:
        self.statements: list[str] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(statement)

    @property
    def document_reads(self) -> int:
        return sum(1 for s in self.statements if "FROM cdhdr" in s)


def quiet_offscreen_warnings() -> None:
    """The offscreen platform warns on every new window that it cannot raise it or propagate
    its size hints; everything else still goes to stderr."""

    def handler(_kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if "This plugin does not support" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def wait_painted(app: QApplication, watch: FirstPagePainted) -> None:
    deadline = time.perf_counter() + WAIT_S
    while not watch.painted:
        if time.perf_counter() > deadline:
            raise SystemExit("the XD04 window's first page was not painted in time")
        app.processEvents()


def close(app: QApplication, dialog: ChangeDocumentsDialog) -> None:
    dialog.close()
    dialog.deleteLater()
    for _ in range(3):
        app.processEvents()


def open_once(
    app: QApplication, factory: UnitOfWorkFactory, number: str
) -> tuple[float, float, ChangeDocumentsDialog]:
    """(wall ms, CPU ms, the window) of opening XD04 until its first page is painted."""
    watch = FirstPagePainted()
    app.installEventFilter(watch)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        dialog = open_change_documents(None, factory, number)
        wait_painted(app, watch)
        elapsed = (time.perf_counter() - start) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
    finally:
        app.removeEventFilter(watch)
    return elapsed, cpu_ms, dialog


def repaint_ms(app: QApplication, change: Callable[[], object]) -> float:
    watch = FirstPagePainted()
    app.installEventFilter(watch)
    try:
        start = time.perf_counter()
        change()
        wait_painted(app, watch)
        return (time.perf_counter() - start) * 1000
    finally:
        app.removeEventFilter(watch)


def old_service_path(factory: UnitOfWorkFactory, number: str) -> None:
    """The reads the window made when it opened before it read once: the name, the field
    filter's choices (all records), then the list (all records again)."""
    service.customer_name(factory, number)
    service.changed_fields(factory, number)
    service.change_documents(factory, number)


def server_version(engine: Engine) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return f"SQLite {conn.exec_driver_sql('select sqlite_version()').scalar()}"
        return f"PostgreSQL {conn.exec_driver_sql('show server_version').scalar()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time opening XD04 on a long history")
    parser.add_argument("--documents", type=int, default=3000)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", type=Path, help="SQLite file (default: in the temp folder)")
    where.add_argument(
        "--url", help="PostgreSQL server, e.g. postgresql+psycopg://postgres@127.0.0.1/postgres"
    )
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database this run made")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)

    quiet_offscreen_warnings()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    load_before = os.getloadavg()[0]
    if CJK_FONT in QFontDatabase.families():
        app.setFont(QFont(CJK_FONT, 10))
    i18n.set_language("zh")

    db = (
        postgres_database(args.url, "xd04", args.documents, reuse=False)
        if args.url
        else sqlite_database(args.db, "xd04", args.documents, reuse=False)
    )
    engine: Engine | None = None
    try:
        print(f"seeding a customer with {args.documents} change documents ...", flush=True)
        start = time.perf_counter()
        number, items = seed_history(db.url, args.documents, args.seed)
        print(f"seeded {items} items in {time.perf_counter() - start:.1f} s", flush=True)
        engine = make_engine(db.url)
        factory = UnitOfWorkFactory(engine)
        version = server_version(engine)

        cold = Figure("XD04 opened, first page painted (cold)")
        opened = Figure("XD04 opened, first page painted", target_ms=TARGET_OPEN_MS)
        opened_cpu = Figure("  the same, CPU time of this process")
        new_read = Figure("service: customer_history (one read)")
        old_reads = Figure("service: name + field list + list (old)")
        activity = Figure("filter: activity change, painted")
        all_again = Figure("filter: activity all again, painted")
        by_field = Figure("filter: field KNA1-NAME1, painted")

        counter = StatementCounter(engine)
        ms, _cpu, dialog = open_once(app, factory, number)
        cold.values_ms.append(ms)
        statements, document_reads = len(counter.statements), counter.document_reads
        event.remove(engine, "before_cursor_execute", counter._seen)
        lines, status = dialog.model.rowCount(), dialog.status.text()
        close(app, dialog)

        for _ in range(args.runs):
            ms, cpu_ms, dialog = open_once(app, factory, number)
            opened.values_ms.append(ms)
            opened_cpu.values_ms.append(cpu_ms)
            combo = dialog.activity_combo
            activity.values_ms.append(
                repaint_ms(app, lambda c=combo: c.setCurrentIndex(c.findData("change")))
            )
            all_again.values_ms.append(repaint_ms(app, lambda c=combo: c.setCurrentIndex(0)))
            fields = dialog.field_combo
            by_field.values_ms.append(
                repaint_ms(app, lambda c=fields: c.setCurrentIndex(c.findData("KNA1-NAME1")))
            )
            close(app, dialog)
        for _ in range(args.runs):  # alternately: both see the same load of the machine
            new_read.values_ms.append(timed_ms(lambda: service.customer_history(factory, number)))
            old_reads.values_ms.append(timed_ms(lambda: old_service_path(factory, number)))
    finally:
        if engine is not None:
            engine.dispose()
        if not args.keep:
            db.drop()

    figures = [cold, opened, opened_cpu, new_read, old_reads, activity, all_again, by_field]
    print()
    print(
        f"XD04 with {args.documents} change documents ({items} items) of customer {number}; "
        f"{version}; Qt {qVersion()}, Python {sys.version.split()[0]}, offscreen, zh"
    )
    print(
        f"load average (1 min) of the machine: {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs"
    )
    print(f"window on opening: {status}; {lines} lines in the model")
    print(
        f"SQL statements while opening: {statements}, of them reading change documents: "
        f"{document_reads}"
    )
    print()
    print(f"{'figure':<46} {'runs':>5} {'median':>8} {'p95':>8} {'max':>8}   {'target':<15}")
    for fig in figures:
        print(fig.row())
    print()
    ratio = statistics.median(old_reads.values_ms) / statistics.median(new_read.values_ms)
    print(f"service, old reads / one read (medians): {ratio:.1f}x")
    verdict = opened.verdict
    print(f"target: XD04 open p95 <= {TARGET_OPEN_MS:.0f} ms: {verdict}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "documents": args.documents,
                    "items": items,
                    "database": version,
                    "statements": statements,
                    "document_reads": document_reads,
                    "figures": {f.label: f.values_ms for f in figures},
                },
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
