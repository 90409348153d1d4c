"""Keystroke benchmark: the documents' example customer typed into XD01 by keyboard, counted.

    QT_QPA_PLATFORM=offscreen python benchmarks/keystrokes.py [--db PATH | --db postgresql://...]
        [--keep] [--json]

A clerk with SAP muscle memory creates 东宁广告有限公司 (resources/demo/dongning.json: account
group 1110, external number 2110380001, company code F011, sales area F011/10/01 and all its
general, company-code, sales-area, bank, tax and partner data) in the real wizard
(custmd_gui.ui.wizard, offscreen Qt, language zh), logged in as an assistant of
responsibility center 1038. The script prints, per screen and in total, the keys pressed
(every press once: a character, Tab, Enter, an arrow, F2, Delete, Ctrl+A, Ctrl+S), the
Chinese characters committed by the input method (counted apart, not as keys), the fields
typed and the fields that already showed the right value (proposed or derived), and at the
end whether the customer read back through the services equals the example field by field.

The clerk, the same before and after proposals, texts beside codes and partner defaults:
- walks the screens in the wizard's order, from where the wizard puts the cursor, with Tab
  in the screen's tab order (each Tab counted), only as far as some field still shows a
  value other than the document's;
- at a field that shows the document's value: leaves it; otherwise selects all (Ctrl+A,
  unless the field already shows all of its text selected, as Tab leaves it) and types the
  value: Latin characters one key each, Chinese as input-method commits; a field the
  document leaves empty that shows something is cleared (Ctrl+A, Delete);
- in a grid (bank details, taxes, partners), reached by Tab: rows that show a row of the
  document are left; the others are edited cell by cell, moving with the arrow keys, or with
  Tab from an open cell editor, whichever takes fewer keys; typing into a cell opens its
  editor (the input method's composition does too);
- presses Enter to check and go to the next screen, again while only a cell was committed
  or warnings were shown; on the last screen Ctrl+S saves (an open cell editor is committed
  with Enter first); a duplicate question is answered with the Continue button's Alt key.
The clerk looks only at what the widgets show (text, selection, check mark, grid cells under
their column titles, the message panel); widgets are found by objectName (TABLE_FIELD from
the catalog, grids by table name) and reached through the tab chain, not by position. The
clerk's hands live in benchmarks/keyboard_clerk.py.

The database is fresh: a new SQLite file in a temporary folder (or --db PATH, which must not
exist), or with --db postgresql://user@host/db a database custmd_keystrokes_0 created on that
server (its database is only used to create and drop it). Setup through the services the
admin UI uses: an administrator, department 1038, and the user clerk1038 with role assistant,
department 1038, authorization groups 1038 and 4002 (the example's general data carry 4002,
its company code and sales area 1038: with 1038 alone the user could not create it),
company code F011 and sales area F011/10/01; the wizard runs with that user's logged-in rights.
The database is removed at the end unless --keep. Exit status 1 when the saved customer is
not the example, or the clerk could not get through.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from keyboard_clerk import Clerk, FieldTarget, Run, Stuck, Tally, focused  # noqa: E402
from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from seed import Database, describe_url, postgres_database  # noqa: E402

from custmd_gui.catalog import Catalog, catalog  # noqa: E402
from custmd_gui.domain.sap_document import from_document, to_document  # noqa: E402
from custmd_gui.persistence.engine import make_engine  # noqa: E402
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory  # noqa: E402
from custmd_gui.services import users  # noqa: E402
from custmd_gui.services.auth import login  # noqa: E402
from custmd_gui.services.context import Actor  # noqa: E402
from custmd_gui.services.create import read_customer  # noqa: E402
from custmd_gui.services.customizing import upgrade_database  # noqa: E402
from custmd_gui.ui import i18n  # noqa: E402
from custmd_gui.ui.wizard import CustomerWizard  # noqa: E402

DEMO = REPO / "resources" / "demo" / "dongning.json"
PASSWORD = "keystrokes-1038"
CLERK = "clerk1038"
GRIDS = {"KNBK": ("KNBK",), "KNVI": ("KNVV", "KNVI"), "KNVP": ("KNVV", "KNVP")}
BEFORE_KEYSTROKES: int | None = 197  # before issue 16 (commit 8b6acb2), see the README
TARGET_SHARE = 0.60  # issue 16: at most 60 % of today's keystrokes


# -- the document -----------------------------------------------------------------------------


def normalized(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the model reads and writes it (every field, defaults filled in)."""
    return to_document(from_document(document))


def field_targets(doc: dict[str, Any], cat: Catalog) -> list[FieldTarget]:
    """Every catalog field of KNA1 and of the (one) company code and sales area."""
    rows = [("KNA1", doc["KNA1"]), ("KNB1", doc["KNB1"][0]), ("KNVV", doc["KNVV"][0])]
    out = []
    for table, row in rows:
        for name, value in row.items():
            key = f"{table}-{name}"
            if key in cat and not isinstance(value, list):
                out.append(FieldTarget(key, "" if value is None else str(value)))
    return out


def grid_targets(doc: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for table, path in GRIDS.items():
        node: Any = doc
        for step in path:
            node = node[step][0] if step == "KNVV" else node[step]
        out[table] = [{k: "" if v is None else str(v) for k, v in row.items()} for row in node]
    return out


def differences(saved: dict[str, Any], target: dict[str, Any], where: str = "") -> list[str]:
    """Field by field; rows of a table compared as a set (the order they come back in is the
    store's)."""
    out: list[str] = []
    for name in sorted(set(saved) | set(target)):
        a, b = saved.get(name), target.get(name)
        here = f"{where}{name}"
        if isinstance(a, list) or isinstance(b, list):
            a_rows, b_rows = list(a or []), list(b or [])
            if all(isinstance(r, dict) and not _nested(r) for r in a_rows + b_rows):
                a_keys = [json.dumps(r, sort_keys=True, ensure_ascii=False) for r in a_rows]
                b_keys = [json.dumps(r, sort_keys=True, ensure_ascii=False) for r in b_rows]
                for extra in sorted(set(a_keys) - set(b_keys)):
                    out.append(f"{here}: saved a row the example does not have: {extra}")
                for lost in sorted(set(b_keys) - set(a_keys)):
                    out.append(f"{here}: a row of the example was not saved: {lost}")
                if sorted(a_keys) != sorted(b_keys) and set(a_keys) == set(b_keys):
                    out.append(f"{here}: {len(a_rows)} rows saved instead of {len(b_rows)}")
                continue
            if len(a_rows) != len(b_rows):
                out.append(f"{here}: {len(a_rows)} rows saved instead of {len(b_rows)}")
                continue
            for i, (ra, rb) in enumerate(zip(a_rows, b_rows, strict=True)):
                out += differences(ra, rb, f"{here}[{i}]-")
        elif isinstance(a, dict) or isinstance(b, dict):
            out += differences(a or {}, b or {}, f"{here}-")
        elif a != b:
            out.append(f"{here}: saved {a!r} instead of {b!r}")
    return out


def _nested(row: dict[str, Any]) -> bool:
    return any(isinstance(v, (list, dict)) for v in row.values())


# -- setup ------------------------------------------------------------------------------------


def quiet_offscreen_warnings() -> None:
    def handler(_kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if "does not support propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def fresh_database(where: str | None) -> Database:
    """A new SQLite file (in a temporary folder unless `where` names one), or a new database
    on the PostgreSQL server `where`."""
    if where and where.startswith(("postgresql", "postgres:")):
        return postgres_database(where, "keystrokes", 0, reuse=False)
    if where:
        path = Path(where).resolve()
        if path.exists():
            raise SystemExit(f"{path} exists; the benchmark needs a fresh database")

        def drop() -> None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

        return Database(f"sqlite:///{path}", created=True, drop=drop)
    folder = Path(tempfile.mkdtemp(prefix="custmd-keystrokes-"))
    return Database(
        f"sqlite:///{folder / 'custmd.sqlite'}",
        created=True,
        drop=lambda: shutil.rmtree(folder, ignore_errors=True),
    )


def clerk_of_1038(factory: UnitOfWorkFactory) -> Actor:
    """The administrator, department 1038 and its assistant, as the admin UI makes them;
    the assistant logged in."""
    users.bootstrap_admin(factory, "admin", PASSWORD)
    admin = Actor.logged_in(login(factory, "admin", PASSWORD, "benchmark"))
    users.save_department(factory, admin, "1038", "责任中心 1038")
    users.create_user(
        factory,
        admin,
        CLERK,
        password=PASSWORD,
        display_name="责任中心 1038 助理",
        roles=["assistant"],
        auth_groups=["1038", "4002"],
        company_codes=["F011"],
        sales_areas=["F011/10/01"],
        department="1038",
    )
    return Actor.logged_in(login(factory, CLERK, PASSWORD, "benchmark"))


def drive(
    app: QApplication, factory: UnitOfWorkFactory, actor: Actor, doc: dict[str, Any]
) -> tuple[Clerk, str]:
    with factory() as uow:
        customizing = uow.customizing.load()
    wizard = CustomerWizard(factory, customizing, actor)
    wizard.show()
    wizard.activateWindow()
    QTest.qWaitForWindowExposed(wizard)
    focused()
    cat = catalog()
    clerk = Clerk(wizard, cat, field_targets(doc, cat), grid_targets(doc))
    try:
        while True:
            screen = clerk.screen()
            if any(t.screen == screen for t in clerk.run.screens):
                raise Stuck(f"back on screen {screen}")
            clerk.run.screens.append(Tally(screen))
            clerk.work_screen()
            if screen != "initial" and screen == wizard.active[-1]:
                number = clerk.save()
                break
            clerk.next_screen()
        missed = [t.key for t in clerk.fields if t.value and not t.done]
        missed += [g for g in clerk.grids if clerk.grids[g] and g not in clerk.grids_done]
        if missed:
            raise Stuck(f"fields on no screen of the wizard: {', '.join(missed)}")
    finally:
        wizard.keys = None  # no "unsaved data" question
        wizard.close()
        wizard.deleteLater()
        app.processEvents()
    return clerk, number


# -- report -----------------------------------------------------------------------------------

COLUMNS = (
    ("screen", "screen", 12),
    ("keys", "keys", 5),
    ("tabs", "of which Tab", 12),
    ("characters", "Latin chars", 11),
    ("chinese", "Chinese chars", 13),
    ("fields_typed", "fields typed", 12),
    ("fields_right", "already right", 13),
    ("fields_cleared", "cleared", 7),
)


def table(run: Run) -> str:
    def line(t: Tally) -> str:
        values = asdict(t)
        return "  ".join(
            f"{values[k]:<{w}}" if k == "screen" else f"{values[k]:>{w}}" for k, _, w in COLUMNS
        )

    header = "  ".join(
        f"{title:<{w}}" if k == "screen" else f"{title:>{w}}" for k, title, w in COLUMNS
    )
    body = [line(t) for t in run.screens]
    return "\n".join([header, "-" * len(header), *body, "-" * len(header), line(run.total())])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="count the keys XD01 needs for the example")
    parser.add_argument(
        "--db",
        help="a new SQLite file, or a PostgreSQL server URL "
        "(postgresql://user@host/postgres; a database custmd_keystrokes_0 is made there)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    quiet_offscreen_warnings()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    i18n.set_language("zh")
    raw = json.loads(DEMO.read_text(encoding="utf-8"))
    doc = normalized(raw)

    db = fresh_database(args.db)
    engine = make_engine(db.url)
    try:
        upgrade_database(engine)
        factory = UnitOfWorkFactory(engine)
        actor = clerk_of_1038(factory)
        try:
            clerk, number = drive(app, factory, actor, doc)
        except Stuck as exc:
            print(f"FAILED: the clerk got stuck: {exc}", file=sys.stderr)
            return 1
        saved = to_document(read_customer(factory, number, actor))
        diffs = differences(saved, doc)
        backend = engine.dialect.name
    finally:
        engine.dispose()
        if db.created and not args.keep:
            db.drop()
        elif db.created:
            print(f"kept {describe_url(db.url)}", file=sys.stderr)

    run = clerk.run
    total = run.total()
    share = total.keys / BEFORE_KEYSTROKES if BEFORE_KEYSTROKES else None
    if args.json:
        print(
            json.dumps(
                {
                    "backend": backend,
                    "user": CLERK,
                    "customer": number,
                    "keystrokes": total.keys,
                    "chinese_characters": total.chinese,
                    "screens_visited": len(run.screens),
                    "fields_typed": total.fields_typed,
                    "fields_right": total.fields_right,
                    "fields_cleared": total.fields_cleared,
                    "screens": [asdict(t) for t in run.screens],
                    "saved_equals_target": not diffs,
                    "differences": diffs,
                    "before_keystrokes": BEFORE_KEYSTROKES,
                    "share_of_before": share,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(f"XD01 by keyboard: {DEMO.relative_to(REPO)} as user {CLERK} on {backend}")
        print()
        print(table(run))
        print()
        print(f"keystrokes:                 {total.keys} (Tab {total.tabs})")
        print(f"Chinese characters:         {total.chinese} (input-method commits, not keys)")
        print(f"screens visited:            {len(run.screens)}")
        print(f"fields typed / right:       {total.fields_typed} / {total.fields_right}")
        if share is not None:
            verdict = "PASS" if share <= TARGET_SHARE else "MISS"
            print(
                f"against before:             {share:.0%} of {BEFORE_KEYSTROKES} "
                f"(target <= {TARGET_SHARE:.0%}): {verdict}"
            )
        if diffs:
            print(f"saved customer {number}:  DIFFERS from the example:")
            for d in diffs:
                print(f"  {d}")
        else:
            print(f"saved customer {number}:  equals the example field by field")
    if diffs and args.json:
        print(f"FAILED: customer {number} saved differently: {diffs}", file=sys.stderr)
    return 1 if diffs else 0


if __name__ == "__main__":
    raise SystemExit(main())
