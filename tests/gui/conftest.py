"""GUI tests run offscreen (no display needed) and start every test in Chinese."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.ui import main
from custmd_gui.ui.main import MainWindow
from custmd_gui.ui.wizard import CustomerWizard
from tests.gui.keyboard import focused


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    main.set_language("zh")
    yield
    main.set_language("zh")


@pytest.fixture
def wizard(qtbot: QtBot, uow_factory: UnitOfWorkFactory) -> Iterator[CustomerWizard]:
    with uow_factory() as uow:
        customizing = uow.customizing.load()
    window = CustomerWizard(uow_factory, customizing, Actor("tester"))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None)
    yield window
    # Not qtbot.addWidget: pytest-qt closes its widgets before fixtures tear down, and a
    # wizard with typed data would then wait for an answer to "unsaved data will be lost".
    window.keys = None
    window.close()
    window.deleteLater()


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[Callable[..., MainWindow]]:
    """Open main windows on a database (as many as a test needs); released at the end, with
    nothing left for their wizards to ask about."""
    windows: list[MainWindow] = []

    def _open(url: str, **kwargs: Any) -> MainWindow:
        window = MainWindow(url, **kwargs)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield _open
    for window in windows:
        for wizard in window.wizards.values():
            wizard.keys = None
        window.dispose()
