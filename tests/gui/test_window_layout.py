"""The main window opens where and as large as it was closed, with the list's column widths
(ui.window_layout), kept in the settings folder of the test (CUSTMD_CONFIG_DIR); so do the
wizard's windows (each transaction its own), XD04 and the request work list, whose columns keep
the widths the clerk dragged while the others go on fitting what they list (both databases)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QRect, QSettings
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from custmd_gui.domain.field_status import Activity
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence.engine import make_engine
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer
from custmd_gui.services.customizing import upgrade_database
from custmd_gui.ui.change_documents_dialog import COLUMN_KEYS, open_change_documents
from custmd_gui.ui.customer_list_model import COLUMNS
from custmd_gui.ui.main import MainWindow
from custmd_gui.ui.requests.work_list import COLUMNS as WORK_COLUMNS
from custmd_gui.ui.requests.work_list import open_work_list
from custmd_gui.ui.window_layout import FILE_NAME
from custmd_gui.ui.wizard import CustomerWizard
from tests.conftest import example_document

CITY = COLUMNS.index("city")
TESTER = Actor("tester")


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


# -- the other windows: XD01/XD02/XD03, XD04, the request work list -------------------------


def _wizard(uow_factory: UnitOfWorkFactory, activity: Activity) -> CustomerWizard:
    with uow_factory() as uow:
        customizing = uow.customizing.load()
    return CustomerWizard(uow_factory, customizing, TESTER, activity=activity)


def _close(window: QWidget) -> None:
    if isinstance(window, CustomerWizard):
        window.keys = None  # nothing to ask
    assert window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_each_wizard_window_opens_where_and_as_large_as_it_was_closed(
    qtbot: QtBot, uow_factory: UnitOfWorkFactory
) -> None:
    first = _wizard(uow_factory, Activity.CREATE)
    first.show()
    qtbot.waitExposed(first)
    made = first.size()
    # Smaller than made, somewhere else (the offscreen screen is 800 x 800).
    first.setGeometry(QRect(37, 41, 720, 530))
    qtbot.waitUntil(lambda: first.geometry() == QRect(37, 41, 720, 530))
    _close(first)
    second = _wizard(uow_factory, Activity.CREATE)
    assert second.geometry() == QRect(37, 41, 720, 530)  # before it is shown
    second.show()
    qtbot.waitExposed(second)
    assert second.geometry() == QRect(37, 41, 720, 530)
    # XD03's window keeps its own: it was never closed, so it is as made.
    viewer = _wizard(uow_factory, Activity.DISPLAY)
    assert viewer.size() == made
    for window in (second, viewer):
        _close(window)


def test_xd04_keeps_its_place_and_the_widths_dragged_the_others_fit(
    qtbot: QtBot, uow_factory: UnitOfWorkFactory
) -> None:
    number = create_customer(uow_factory, from_document(example_document()), TESTER).number
    user, when = COLUMN_KEYS.index("user"), COLUMN_KEYS.index("when")
    first = open_change_documents(None, uow_factory, number)
    qtbot.waitExposed(first)
    header = first.table.horizontalHeader()
    fitted_when = header.sectionSize(when)
    dragged = header.sectionSize(user) + 77
    header.resizeSection(user, dragged)  # as the clerk's mouse does
    made = first.geometry()
    first.setGeometry(QRect(25, 33, 700, 480))  # as wide as its filters let it be
    qtbot.waitUntil(lambda: first.geometry().topLeft() == QPoint(25, 33))
    moved = first.geometry()
    assert moved.size() != made.size()
    _close(first)
    second = open_change_documents(None, uow_factory, number)
    qtbot.waitExposed(second)
    header = second.table.horizontalHeader()
    # Its filters make it wider than the offscreen screen (800): Qt moves a restored window
    # back onto the screen as far as it can, so only its size is as it was.
    assert second.size() == moved.size()
    assert header.sectionSize(user) == dragged  # listing the customer did not refit it
    assert header.sectionSize(when) == fitted_when
    _close(second)


def test_the_work_list_keeps_its_place_and_a_dragged_width(
    qtbot: QtBot, uow_factory: UnitOfWorkFactory
) -> None:
    customer = WORK_COLUMNS.index("customer")
    first = open_work_list(None, uow_factory, TESTER)
    qtbot.waitExposed(first)
    qtbot.waitUntil(lambda: first.operation is not None and not first.operation.running)
    fitted = first.table.horizontalHeader().sectionSize(customer)
    first.table.horizontalHeader().resizeSection(customer, fitted + 111)
    first.setGeometry(QRect(50, 60, 700, 400))
    qtbot.waitUntil(lambda: first.geometry() == QRect(50, 60, 700, 400))
    _close(first)
    second = open_work_list(None, uow_factory, TESTER)
    qtbot.waitExposed(second)
    qtbot.waitUntil(lambda: second.operation is not None and not second.operation.running)
    assert second.geometry() == QRect(50, 60, 700, 400)
    # The list was filled again, its columns fitted: not the one dragged.
    assert second.table.horizontalHeader().sectionSize(customer) == fitted + 111
    _close(second)
