"""The main window opens where and as large as it was closed, with the list's column widths
(ui.window_layout), kept in the settings folder of the test (CUSTMD_CONFIG_DIR)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from custmd_gui.persistence.engine import make_engine
from custmd_gui.services.customizing import upgrade_database
from custmd_gui.ui.customer_list_model import COLUMNS
from custmd_gui.ui.main import MainWindow
from custmd_gui.ui.window_layout import FILE_NAME

CITY = COLUMNS.index("city")


def _url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'layout.sqlite'}"
    upgrade_database(make_engine(url))
    return url


def test_size_and_column_widths_come_back(
    qtbot: QtBot, tmp_path: Path, own_folders: Path, open_window: Callable[..., MainWindow]
) -> None:
    url = _url(tmp_path)
    first = open_window(url)
    fitted = first.table.horizontalHeader().sectionSize(CITY)
    # The offscreen screen is 800 x 800 and the window at least 800 wide: opened 720 high.
    assert first.height() == 720
    first.resize(800, 640)
    first.table.horizontalHeader().resizeSection(CITY, fitted + 90)
    assert first.close()
    assert (own_folders / FILE_NAME).is_file()
    second = open_window(url)
    assert second.height() == 640
    assert second.table.horizontalHeader().sectionSize(CITY) == fitted + 90


def test_widths_saved_for_other_columns_are_not_used(
    qtbot: QtBot, tmp_path: Path, own_folders: Path, open_window: Callable[..., MainWindow]
) -> None:
    url = _url(tmp_path)
    first = open_window(url)
    fitted = first.table.horizontalHeader().sectionSize(CITY)
    first.table.horizontalHeader().resizeSection(CITY, fitted + 90)
    assert first.close()
    store = QSettings(str(own_folders / FILE_NAME), QSettings.Format.IniFormat)
    store.setValue("list/columns", "number,name")  # an older version's list
    store.sync()
    second = open_window(url)
    assert second.table.horizontalHeader().sectionSize(CITY) == fitted
