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
the catalog, grids by table name) and reached through the tab chain, not by position.

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
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QMessageLogContext, Qt, QTimer, QtMsgType, qInstallMessageHandler  # noqa: E402
from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLineEdit,
    QTableWidget,
    QWidget,
)
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
from custmd_gui.ui.operations import idle, process_until  # noqa: E402
from custmd_gui.ui.qtutils import in_cell_editor  # noqa: E402
from custmd_gui.ui.wizard import CustomerWizard  # noqa: E402

DEMO = REPO / "resources" / "demo" / "dongning.json"
PASSWORD = "keystrokes-1038"
CLERK = "clerk1038"
GRIDS = {"KNBK": ("KNBK",), "KNVI": ("KNVV", "KNVI"), "KNVP": ("KNVV", "KNVP")}
TAB_LIMIT = 200  # Tabs on one screen before the clerk gives up: a field is not in the chain
BEFORE_KEYSTROKES: int | None = 197  # before issue 16 (commit 8b6acb2), see the README
TARGET_SHARE = 0.60  # issue 16: at most 60 % of today's keystrokes

NO_MOD = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


class Stuck(Exception):
    """The clerk cannot go on: the benchmark fails rather than count something else."""


# -- counting ---------------------------------------------------------------------------------


@dataclass
class Tally:
    """What one screen cost."""

    screen: str
    keys: int = 0  # every press: characters, Tab, Enter, arrows, chords
    tabs: int = 0
    characters: int = 0  # Latin characters typed (a key each, part of keys)
    chinese: int = 0  # characters committed by the input method (not keys)
    fields_typed: int = 0  # fields and grid cells the clerk typed a value into
    fields_right: int = 0  # ... that already showed the document's value
    fields_cleared: int = 0  # ... that showed a value the document does not have


@dataclass
class Run:
    screens: list[Tally] = field(default_factory=list)

    @property
    def current(self) -> Tally:
        return self.screens[-1]

    def total(self) -> Tally:
        total = Tally("total")
        for t in self.screens:
            for name in ("keys", "tabs", "characters", "chinese"):
                setattr(total, name, getattr(total, name) + getattr(t, name))
            total.fields_typed += t.fields_typed
            total.fields_right += t.fields_right
            total.fields_cleared += t.fields_cleared
        return total


# -- the document -----------------------------------------------------------------------------


def normalized(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the model reads and writes it (every field, defaults filled in)."""
    return to_document(from_document(document))


@dataclass
class FieldTarget:
    key: str  # KNA1-NAME1
    value: str  # as the document has it ("X"/"" for a flag)
    done: bool = False

    @property
    def object_name(self) -> str:
        return self.key.replace("-", "_")


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


# -- the clerk's hands -------------------------------------------------------------------------


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    for _ in range(50):  # right after a dialog the focus comes back a moment later
        if widget is not None:
            return widget
        QTest.qWait(20)
        widget = QApplication.focusWidget()
    raise Stuck("nothing has the keyboard focus")


def settle() -> None:
    """As a clerk waits for the screen: events processed, operations reported."""
    QApplication.processEvents()
    process_until(idle)
    QApplication.processEvents()


def all_selected(edit: QLineEdit) -> bool:
    return edit.hasSelectedText() and edit.selectedText() == edit.text()


def runs(text: str) -> Iterator[tuple[bool, str]]:
    """(Latin?, run) pieces: Latin-1 characters are keys, the rest the input method's."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or (ord(text[i]) < 256) != (ord(text[start]) < 256):
            yield ord(text[start]) < 256, text[start:i]
            start = i


class Clerk:
    def __init__(self, wizard: CustomerWizard, cat: Catalog, doc: dict[str, Any]) -> None:
        self.wizard = wizard
        self.cat = cat
        self.fields = field_targets(doc, cat)
        self.grids = grid_targets(doc)
        self.grids_done: set[str] = set()
        self.run = Run()

    # -- keys -------------------------------------------------------------------------------

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MOD) -> None:
        QTest.keyClick(focused(), key, modifier)
        tally = self.run.current
        tally.keys += 1
        if key == Qt.Key.Key_Tab and modifier == NO_MOD:
            tally.tabs += 1
        settle()

    def type_text(self, text: str) -> None:
        """Into the focused widget, each key to whatever has the focus when it is pressed (the
        first key into a grid cell opens its editor, the next ones go there)."""
        tally = self.run.current
        for latin, piece in runs(text):
            if latin:
                for ch in piece:
                    QTest.keyClicks(focused(), ch)
                    tally.keys += 1
                    tally.characters += 1
                    QApplication.processEvents()
                continue
            widget = focused()
            if not isinstance(widget, QLineEdit):
                # The composition starts the cell editor, as a real input method's does.
                QApplication.sendEvent(widget, QInputMethodEvent(piece, []))
                QApplication.processEvents()
                widget = focused()
                event = QInputMethodEvent("", [])
            else:
                event = QInputMethodEvent("", [])
            event.setCommitString(piece)
            QApplication.sendEvent(widget, event)
            tally.chinese += len(piece)
            QApplication.processEvents()
        settle()

    def replace(self, edit: QLineEdit, value: str) -> None:
        if edit.text() and not all_selected(edit):
            self.press(Qt.Key.Key_A, CTRL)
        if value:
            self.type_text(value)
        else:
            self.press(Qt.Key.Key_Delete)

    # -- screens ----------------------------------------------------------------------------

    def screen(self) -> str:
        return self.wizard.current_screen()

    def work_screen(self) -> None:
        """Tab through the screen, typing what differs, until nothing on it differs."""
        page = self.wizard.pages[self.screen()]
        editors: dict[QLineEdit | QCheckBox, FieldTarget] = {}
        for target in self.fields:
            widget = page.findChild(QWidget, target.object_name)
            if target.done or not isinstance(widget, (QLineEdit, QCheckBox)):
                continue
            if widget.isVisibleTo(page) and _editable(widget):
                editors[widget] = target
        grids: dict[QTableWidget, str] = {}
        for table in self.grids:
            grid = page.findChild(QTableWidget, table)
            if table not in self.grids_done and grid is not None and grid.isVisibleTo(page):
                grids[grid] = table

        def pending() -> list[str]:
            out = [t.key for w, t in editors.items() if not t.done and not _shows(w, t.value)]
            out += [n for g, n in grids.items() if n not in self.grids_done and self._grid_work(g)]
            return out

        tabs = 0
        while pending():
            widget = focused()
            grid = _grid_of(widget)
            editor = next((e for e in editors if e is widget), None)
            if editor is not None and not editors[editor].done:
                self.work_field(editor, editors[editor])
            elif grid is not None and grid in grids and grids[grid] not in self.grids_done:
                self.work_grid(grid, grids[grid])
            elif grid is not None and in_cell_editor(widget):
                self.press(Qt.Key.Key_Down)  # commit the cell; Tab would stay in the grid
            else:
                if tabs >= TAB_LIMIT:
                    raise Stuck(f"{self.screen()}: Tab never reached {', '.join(pending())}")
                self.press(Qt.Key.Key_Tab)
                tabs += 1
        # Fields past the last one typed: right without a key.
        tally = self.run.current
        for widget, target in editors.items():
            if not target.done:
                target.done = True
                if target.value and _shows(widget, target.value):
                    tally.fields_right += 1
        for table in grids.values():
            if table not in self.grids_done:
                self.grids_done.add(table)
                tally.fields_right += sum(1 for r in self.grids[table] for v in r.values() if v)

    def work_field(self, widget: QLineEdit | QCheckBox, target: FieldTarget) -> None:
        tally = self.run.current
        target.done = True
        if _shows(widget, target.value):
            tally.fields_right += 1 if target.value else 0
            return
        if isinstance(widget, QCheckBox):
            self.press(Qt.Key.Key_Space)
        else:
            self.replace(widget, target.value)
        if not _shows(widget, target.value):
            raise Stuck(f"typed {target.value!r} into {target.key}, it shows {_shown(widget)!r}")
        if target.value:
            tally.fields_typed += 1
        else:
            tally.fields_cleared += 1

    # -- grids ------------------------------------------------------------------------------

    def _columns(self, grid: QTableWidget, table: str) -> dict[str, int]:
        """{SAP field name: column} by the column titles the clerk reads."""
        titles: dict[str, int] = {}
        for c in range(grid.columnCount()):
            item = grid.horizontalHeaderItem(c)
            if item is not None and not grid.isColumnHidden(c):
                titles[item.text().replace("*", "").strip()] = c
        out: dict[str, int] = {}
        for fd in self.cat.table(table):
            for lang in ("zh", "en"):
                if fd.label.get(lang) in titles:
                    out[fd.sap_name] = titles[fd.label.get(lang)]
        return out

    def _plan(self, grid: QTableWidget, table: str) -> list[tuple[int, dict[str, str]]]:
        """(grid row, the document's row) for every row that needs typing, in grid order; a
        shown row the document does not have gets an empty row (cleared)."""
        columns = self._columns(grid, table)
        wanted = [{k: v for k, v in row.items() if k in columns} for row in self.grids[table]]
        for row in self.grids[table]:
            missing = [k for k, v in row.items() if v and k not in columns]
            if missing:
                raise Stuck(f"grid {table} shows no column for {', '.join(missing)}")

        def shown(r: int) -> dict[str, str]:
            return {k: _cell(grid, r, c) for k, c in columns.items()}

        rows = [shown(r) for r in range(grid.rowCount())]
        free = [r for r, row in enumerate(rows) if any(row.values())]
        todo: list[dict[str, str]] = []
        for row in wanted:
            exact = next((r for r in free if rows[r] == row), None)
            if exact is None:
                todo.append(row)
            else:
                free.remove(exact)
        plan = []
        for row in todo:  # reuse rows shown with other values before new rows
            if free:
                plan.append((free.pop(0), row))
            else:
                plan.append((-1, row))  # the empty row at the end, once its turn comes
        for r in free:
            plan.append((r, dict.fromkeys(columns, "")))
        return sorted(plan, key=lambda p: (p[0] < 0, p[0]))

    def _grid_work(self, grid: QTableWidget) -> bool:
        return bool(self._plan(grid, grid.objectName()))

    def work_grid(self, grid: QTableWidget, table: str) -> None:
        tally = self.run.current
        self.grids_done.add(table)
        columns = self._columns(grid, table)
        plan = self._plan(grid, table)
        untouched = sum(1 for row in self.grids[table] for v in row.values() if v)
        for r, row in plan:
            if r < 0:
                r = next(
                    (i for i in range(grid.rowCount()) if not any(_cells(grid, i, columns))),
                    grid.rowCount() - 1,
                )
            for name, c in sorted(columns.items(), key=lambda kv: kv[1]):
                value = row.get(name, "")
                if _cell_shows(grid, r, c) == value:
                    continue
                self.goto(grid, r, c)
                self.edit_cell(grid, value)
                if value:
                    tally.fields_typed += 1
                    untouched -= 1
                else:
                    tally.fields_cleared += 1
        tally.fields_right += max(untouched, 0)

    def goto(self, grid: QTableWidget, r: int, c: int) -> None:
        """To cell (r, c): Tab/Shift+Tab from an open editor along the row, or the arrows
        (the first Down commits an open editor), whichever takes fewer keys."""
        visible = [i for i in range(grid.columnCount()) if not grid.isColumnHidden(i)]
        for _ in range(4 * (grid.rowCount() + 1) * (len(visible) + 1)):
            row, col = grid.currentRow(), grid.currentColumn()
            if (row, col) == (r, c):
                return
            editing = in_cell_editor(focused())
            position = {v: i for i, v in enumerate(visible)}
            here = row * len(visible) + position.get(col, 0)
            there = r * len(visible) + position[c]
            arrows = abs(r - row) + abs(position[c] - position.get(col, 0))
            if editing and r == row:
                self.press(Qt.Key.Key_Tab, NO_MOD if there > here else SHIFT)
            elif editing and 0 < there - here < arrows:
                self.press(Qt.Key.Key_Tab)
            elif r != row:
                self.press(Qt.Key.Key_Down if r > row else Qt.Key.Key_Up)
            else:
                self.press(Qt.Key.Key_Right if position[c] > position[col] else Qt.Key.Key_Left)
        raise Stuck(f"grid {grid.objectName()}: could not reach row {r + 1}, column {c + 1}")

    def edit_cell(self, grid: QTableWidget, value: str) -> None:
        editor = focused()
        if in_cell_editor(editor) and isinstance(editor, QLineEdit):
            self.replace(editor, value)
        elif value:
            self.type_text(value)  # the first key (or composition) opens the editor
        else:
            self.press(Qt.Key.Key_F2)
            edit = focused()
            if not isinstance(edit, QLineEdit):
                raise Stuck(f"grid {grid.objectName()}: F2 opened no editor")
            self.replace(edit, "")
        edit = focused()
        shows = edit.text() if isinstance(edit, QLineEdit) and in_cell_editor(edit) else ""
        if shows != value:
            raise Stuck(f"grid {grid.objectName()}: typed {value!r}, the cell shows {shows!r}")

    # -- Enter, Ctrl+S ----------------------------------------------------------------------

    def next_screen(self) -> None:
        """Enter until the next screen shows: again after an Enter that only committed a cell
        or showed warnings; errors stop the benchmark."""
        screen = self.screen()
        for _ in range(4):
            self.press(Qt.Key.Key_Return)
            if self.screen() != screen:
                return
            self._stop_on_errors(f"Enter on {screen}")
        raise Stuck(f"{screen}: Enter does not lead on")

    def _stop_on_errors(self, doing: str) -> None:
        from custmd_gui.domain.errors import Severity

        errors = [p for p in self.wizard.messages.problems if p.severity is Severity.ERROR]
        if errors:
            shown = "; ".join(f"{p.field_key}: {p.message.en}" for p in errors)
            raise Stuck(f"{doing}: the wizard reports {shown}")

    def save(self) -> str:
        """Ctrl+S; a duplicate question answered with Continue. The number saved."""
        saved: list[str] = []
        self.wizard.saved.connect(lambda number, _message: saved.append(number))
        if in_cell_editor(focused()):
            self.press(Qt.Key.Key_Return)  # commit the cell first
        answer = DialogAnswer(self)
        self.press(Qt.Key.Key_S, CTRL)
        for _ in range(3000):
            if saved or answer.failure:
                break
            if self.wizard.messages.problems and idle():
                self._stop_on_errors("Ctrl+S")
            QTest.qWait(10)
            settle()
        answer.stop()
        if answer.failure:
            raise Stuck(answer.failure)
        if not saved:
            raise Stuck("Ctrl+S saved nothing within 30 s")
        return saved[0]


class DialogAnswer:
    """Answers the duplicate question with Alt+<Continue's key> (counted); any other dialog
    stops the benchmark."""

    def __init__(self, clerk: Clerk) -> None:
        self.clerk = clerk
        self.failure = ""
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        if dialog is None or focus is None or not dialog.isAncestorOf(focus):
            return
        button = dialog.findChild(QAbstractButton, "continue_save")
        mnemonic = _mnemonic(button.text()) if button is not None else ""
        if not mnemonic:
            self.failure = f"a dialog {dialog.objectName() or type(dialog).__name__} opened"
            dialog.close()
            return
        self.timer.stop()
        QTest.keyClick(focus, Qt.Key(ord(mnemonic.upper())), ALT)
        self.clerk.run.current.keys += 1


def _mnemonic(text: str) -> str:
    i = text.replace("&&", "").find("&")
    return text.replace("&&", "")[i + 1] if 0 <= i < len(text.replace("&&", "")) - 1 else ""


def _editable(widget: QLineEdit | QCheckBox) -> bool:
    if isinstance(widget, QLineEdit):
        return widget.isEnabled() and not widget.isReadOnly()
    return widget.isEnabled()


def _shown(widget: QLineEdit | QCheckBox) -> str:
    if isinstance(widget, QCheckBox):
        return "X" if widget.isChecked() else ""
    return widget.text()


def _shows(widget: QLineEdit | QCheckBox, value: str) -> bool:
    return _shown(widget) == value


def _grid_of(widget: QWidget | None) -> QTableWidget | None:
    while widget is not None:
        if isinstance(widget, QTableWidget):
            return widget
        widget = widget.parentWidget()
    return None


def _cell(grid: QTableWidget, r: int, c: int) -> str:
    item = grid.item(r, c)
    return item.text() if item is not None else ""


def _cell_shows(grid: QTableWidget, r: int, c: int) -> str:
    """The cell's text, or its open editor's."""
    editor = QApplication.focusWidget()
    if (
        isinstance(editor, QLineEdit)
        and in_cell_editor(editor)
        and (grid.currentRow(), grid.currentColumn()) == (r, c)
    ):
        return editor.text()
    return _cell(grid, r, c)


def _cells(grid: QTableWidget, r: int, columns: dict[str, int]) -> list[str]:
    return [_cell(grid, r, c) for c in columns.values() if _cell(grid, r, c)]


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
    clerk = Clerk(wizard, catalog(), doc)
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
