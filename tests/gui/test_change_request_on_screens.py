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

from custmd_gui.domain.authorization import DEFAULT_ROLES, Authorizations, Permission
from custmd_gui.domain.field_status import Activity
from custmd_gui.domain.requests import RequestStatus, RequestType
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import requests as rq
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, extend_customer, read_customer
from custmd_gui.services.locks import lock_holder
from custmd_gui.ui.operations import process_until
from custmd_gui.ui.requests.work_list import RequestWorkList
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


def test_a_returned_change_request_is_corrected_on_xd02(
    qtbot: QtBot, uow_factory: UnitOfWorkFactory, stored: str, windows: list[CustomerWizard]
) -> None:
    """The head office returns the assistant's change request; 修改… in his work list opens
    it on XD02's screens with the requested data (not the stored), under the customer's edit
    lock; he corrects the name and Ctrl+S (重新提交申请) resubmits it, keeping what he did not
    touch of the request, including a sales area the screens did not show."""
    first = read_customer(uow_factory, stored).sales_areas[0]
    second = first.model_copy(
        deep=True, update={"division": "02", "sales_office": "1011", "sales_group": "011"}
    )
    extend_customer(uow_factory, stored, Actor("setup"), sales_areas=[second])
    old = read_customer(uow_factory, stored)
    wanted = old.model_copy(deep=True)
    wanted.general.name = NEW_NAME
    wanted.general.telephone = "021-62345678"
    wanted.sales_areas[1].customer_group = "02"  # F011/10/02: not on the screens
    number = rq.create_request(
        uow_factory, ASSISTANT, RequestType.CHANGE, wanted, reason="工商变更", submit=True
    ).number
    # general and sales data changed: a reviewer of both
    reviewer = Actor.logged_in(
        Authorizations.of_roles(
            "zhou_hq",
            [r for r in DEFAULT_ROLES if r.code in ("general_maintainer", "assistant")],
            company_codes=["*"],
            sales_areas=["*/*/*"],
        )
    )
    rq.start_review(uow_factory, reviewer, number)
    rq.return_request(uow_factory, reviewer, number, "名称须与营业执照一致")

    mine = RequestWorkList(uow_factory, ASSISTANT)
    qtbot.addWidget(mine)
    mine.show()
    qtbot.waitExposed(mine)
    process_until(lambda: mine.operation is not None and not mine.operation.running)
    mine.table.setCurrentCell(0, 0)
    qtbot.mouseClick(mine.correct_button, Qt.MouseButton.LeftButton)
    name = f"request_wizard_{number}"
    qtbot.waitUntil(lambda: mine.findChild(CustomerWizard, name) is not None, timeout=10_000)
    wizard = mine.findChild(CustomerWizard, name)
    assert wizard is not None
    windows.append(wizard)
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None and wizard.isActiveWindow())
    assert wizard.windowTitle().startswith(f"申请 {number}")
    assert screen(wizard) == "address", wizard.messages.problems
    assert wizard.save_button.text() == "重新提交申请 (Ctrl+S)"
    shown = wizard.binding("address").values()
    assert (shown["KNA1-NAME1"], shown["KNA1-TELF1"]) == (NEW_NAME, "021-62345678")
    holder = lock_holder(uow_factory, stored)
    assert holder is not None and holder.user == ASSISTANT.user
    assert not wizard.is_dirty()

    fill(wizard, {"KNA1_NAME1": "东宁广告传媒有限公司"})
    key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    process_until(lambda: not wizard._saving)
    qtbot.waitUntil(lambda: mine.findChild(CustomerWizard, name) is None, timeout=10_000)
    windows.remove(wizard)
    again = rq.read_request(uow_factory, ASSISTANT, number)
    assert again.status is RequestStatus.RESUBMITTED
    assert again.reason == "工商变更"
    assert again.document.general.name == "东宁广告传媒有限公司"
    assert again.document.general.telephone == "021-62345678"  # kept as requested
    assert [(a.segment_key, a.customer_group) for a in again.document.sales_areas] == [
        ("F011/10/01", "01"),
        ("F011/10/02", "02"),
    ]
    assert lock_holder(uow_factory, stored) is None
    assert read_customer(uow_factory, stored).general.name == old.general.name
