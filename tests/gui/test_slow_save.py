"""A save over a slow link to the shared server: the window keeps processing events while it
runs (ui.operations), and every customer list refreshes from customers_changed.

The link is slowed for real: a trigger on the server sleeps 1.5 s in every change document
insert, inside the save's transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from custmd_gui.persistence.engine import make_engine
from custmd_gui.ui.main import MainWindow
from custmd_gui.ui.operations import customer_events
from tests.conftest import PostgresServer
from tests.gui.keyboard import focused, key
from tests.gui.wizard_steps import type_example

SLEEP_S = 1.5
WAIT_MS = 30_000


@pytest.fixture
def slow_server(postgres: PostgresServer) -> Iterator[str]:
    name = postgres.create(template=postgres.template)
    engine = make_engine(postgres.url(name))
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE FUNCTION slow_link() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN PERFORM pg_sleep({SLEEP_S}); RETURN NEW; END $$"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER slow_link BEFORE INSERT ON cdhdr "
                "FOR EACH ROW EXECUTE FUNCTION slow_link()"
            )
        )
    engine.dispose()
    try:
        yield postgres.url(name)
    finally:
        postgres.drop(name)


def _listed(window: MainWindow) -> list[str]:
    return [window.model.row(r).number for r in range(window.model.rowCount())]


def test_the_window_paints_while_a_slow_save_runs_and_the_lists_refresh(
    qtbot: QtBot, open_window: Callable[..., MainWindow], slow_server: str
) -> None:
    window = open_window(slow_server)
    other = open_window(slow_server)  # a second list, linked to the wizard by nothing else
    for w in (window, other):
        qtbot.waitUntil(lambda w=w: w.database is not None and not w.searcher.busy, timeout=WAIT_MS)
        assert _listed(w) == []
    window.create_customer()
    wizard = window.wizards["create"]
    qtbot.waitUntil(lambda: focused() is not None and wizard.isActiveWindow(), timeout=WAIT_MS)
    type_example(wizard)

    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    announced: list[tuple[float, list[str]]] = []

    def changed(numbers: list[str]) -> None:
        announced.append((time.monotonic(), numbers))

    customer_events().customers_changed.connect(changed)
    try:
        started = time.monotonic()
        key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # returns once it reported
    finally:
        timer.stop()
        customer_events().customers_changed.disconnect(changed)
    assert wizard.statusBar().currentMessage().startswith("客户 2110380001 已")
    assert [numbers for _, numbers in announced] == [["2110380001"]]
    finished = announced[0][0]
    during = [t for t in ticks if started < t < finished]
    print(f"save took {finished - started:.2f} s; timer fired {len(during)} times meanwhile")
    assert finished - started >= SLEEP_S
    # 20 ms ticks for at least 1.5 s: some 75 if the event loop ran; none if the save had
    # blocked the GUI thread (the ticks would come after it).
    assert len(during) >= 30
    for w in (window, other):
        qtbot.waitUntil(lambda w=w: _listed(w) == ["2110380001"], timeout=WAIT_MS)
