"""XD02 files a change request where a direct save would be refused (issue 18: "the wizard
fills a request"), on SQLite and PostgreSQL: a 1038 assistant, who may change only sales
data but may request changes of the general data, types a new name into XD02 and Ctrl+S
asks the request's reason and files a submitted change request, the customer untouched and
its edit lock given back; a head-office maintainer whose role may not skip review does the
same for the name (a field group that needs review) but saves a telephone number directly."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from custmd_gui.domain.authorization import Permission
from custmd_gui.domain.field_status import Activity
from custmd_gui.domain.requests import RequestStatus, RequestType
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import requests as rq
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.locks import lock_holder
from custmd_gui.ui.operations import process_until
from custmd_gui.ui.wizard import CustomerWizard
from tests.gui.keyboard import fill, focused, key, type_text
from tests.gui.test_change_customer import CHANGE_INITIAL
from tests.gui.wizard_steps import answer_next_dialog, enter_initial, screen
from tests.integration.test_requests import ASSISTANT, HEAD_OFFICE, NUMBER, example

NEW_NAME = "东宁广告传媒（上海）有限公司"


def without_skip(actor: Actor) -> Actor:
    rights = actor.rights
    return Actor.logged_in(
        replace(rights, permissions=rights.permissions - {Permission.SKIP_REVIEW})
    )


@pytest.fixture
def stored(uow_factory: UnitOfWorkFactory) -> str:
    create_customer(uow_factory, example(), Actor("setup"))
    return NUMBER


def xd02(qtbot: QtBot, uow_factory: UnitOfWorkFactory, actor: Actor) -> CustomerWizard:
    with uow_factory() as uow:
        customizing = uow.customizing.load()
    window = CustomerWizard(uow_factory, customizing, actor, activity=Activity.CHANGE)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None and window.isActiveWindow())
    return window


@pytest.fixture
def windows() -> Iterator[list[CustomerWizard]]:
    made: list[CustomerWizard] = []
    yield made
    for window in made:
        window.keys = None  # nothing to ask at teardown
        window.close()
        window.deleteLater()


def name_field(window: QWidget) -> QLineEdit:
    edit = window.findChild(QLineEdit, "KNA1_NAME1")
    assert edit is not None
    return edit


def file_by_keyboard(window: CustomerWizard, reason: str) -> list[str]:
    """Ctrl+S, the reason typed into the dialog it opens; the dialogs seen."""

    def answer(_dialog: QWidget) -> None:
        type_text(reason)
        key(Qt.Key.Key_Return)

    seen = answer_next_dialog(answer)
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    process_until(lambda: not window._saving)
    return seen


@pytest.mark.parametrize(
    "who",
    [
        pytest.param(ASSISTANT, id="assistant_requests_general_data"),
        pytest.param(without_skip(HEAD_OFFICE), id="maintainer_without_skip_review"),
    ],
)
def test_xd02_files_a_change_request_for_what_it_may_not_save(
    qtbot: QtBot,
    uow_factory: UnitOfWorkFactory,
    stored: str,
    windows: list[CustomerWizard],
    who: Actor,
) -> None:
    old = read_customer(uow_factory, stored)
    window = xd02(qtbot, uow_factory, who)
    windows.append(window)
    enter_initial(window, CHANGE_INITIAL)
    assert screen(window) == "address", window.messages.problems
    assert not name_field(window).isReadOnly()  # requestable: typed like a change
    assert window.save_button.text() == "保存 (Ctrl+S)"
    fill(window, {"KNA1_NAME1": NEW_NAME})
    key(Qt.Key.Key_Return)  # checked, next screen: the button says what Ctrl+S will do
    assert window.save_button.text() == "提交申请 (Ctrl+S)", window.messages.problems

    seen = file_by_keyboard(window, "工商变更，营业执照已更新")
    assert seen == ["request_reason"], window.messages.problems
    (filed,) = rq.list_requests(uow_factory, who, mine=True)
    assert window.statusBar().currentMessage() == f"申请 {filed.number} 已提交"
    assert screen(window) == "initial"
    assert lock_holder(uow_factory, stored) is None
    # The customer as it was; the request holds the whole customer with the new name.
    now = read_customer(uow_factory, stored)
    assert (now.general.name, now.version) == (old.general.name, old.version)
    assert (filed.type, filed.status, filed.customer, filed.reason) == (
        RequestType.CHANGE,
        RequestStatus.SUBMITTED,
        stored,
        "工商变更，营业执照已更新",
    )
    assert filed.document.general.name == NEW_NAME
    assert filed.document.general.telephone == old.general.telephone


def test_xd02_saves_what_needs_no_request(
    qtbot: QtBot, uow_factory: UnitOfWorkFactory, stored: str, windows: list[CustomerWizard]
) -> None:
    """A telephone number needs no review: the maintainer without skip_review saves it."""
    window = xd02(qtbot, uow_factory, without_skip(HEAD_OFFICE))
    windows.append(window)
    enter_initial(window, CHANGE_INITIAL)
    fill(window, {"KNA1_TELF1": "021-62345678"})
    key(Qt.Key.Key_Return)
    assert window.save_button.text() == "保存 (Ctrl+S)", window.messages.problems
    assert window.save()
    assert read_customer(uow_factory, stored).general.telephone == "021-62345678"
    assert rq.list_requests(uow_factory, HEAD_OFFICE, mine=True) == []
