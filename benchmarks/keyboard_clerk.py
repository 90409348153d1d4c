"""The clerk of benchmarks/keystrokes.py: drives a wizard window by keyboard only and counts
every key (see that script for the model). Widgets are found by objectName and reached by the
tab chain; what is compared is what they show."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLineEdit,
    QTableWidget,
    QWidget,
)

from custmd_gui.catalog import Catalog
from custmd_gui.domain.errors import Severity
from custmd_gui.ui.operations import idle, process_until
from custmd_gui.ui.qtutils import in_cell_editor
from custmd_gui.ui.wizard import CustomerWizard

TAB_LIMIT = 200  # Tabs on one screen before the clerk gives up: a field is not in the chain

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


@dataclass
class FieldTarget:
    key: str  # KNA1-NAME1
    value: str  # as the document has it ("X"/"" for a flag)
    done: bool = False

    @property
    def object_name(self) -> str:
        return self.key.replace("-", "_")


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
    """Fills `fields` (by objectName) and the grids' rows ({table: [{SAP field: value}]})
    screen by screen; `run` holds what each screen cost."""

    def __init__(
        self,
        wizard: CustomerWizard,
        cat: Catalog,
        fields: list[FieldTarget],
        grids: dict[str, list[dict[str, str]]],
    ) -> None:
        self.wizard = wizard
        self.cat = cat
        self.fields = fields
        self.grids = grids
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
