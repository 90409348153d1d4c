"""The request workflow through its screens on SQLite and PostgreSQL (issue 18): a 1038
assistant's request for the documents' example waits in the head office's 待我处理; the head
office returns it from the review view with a reason (none: said in red, nothing done); the
assistant corrects it and resubmits from his 我的申请; the head office approves and activates
the general data; the F011 company-code maintainer finds the company-code child in his work
list and activates it. Then the customer exists, its change documents name the requests, and
the KPIs of the month match the steps' timestamps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from custmd_gui.domain.authorization import Permission
from custmd_gui.domain.errors import NotFound
from custmd_gui.domain.requests import Action, Request, RequestStatus, RequestType
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import requests as rq
from custmd_gui.services.change_documents import change_documents
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.kpi import CHINA, Dimension, kpis
from custmd_gui.ui.main import MainWindow
from custmd_gui.ui.operations import process_until
from custmd_gui.ui.requests.review import CHANGED, RequestReview
from custmd_gui.ui.requests.work_list import RequestWorkList
from custmd_gui.ui.wizard import CustomerWizard
from tests.gui import keyboard
from tests.gui.wizard_steps import answer_next_dialog, screen, type_example
from tests.integration.test_requests import ASSISTANT, CC_F011, HEAD_OFFICE, NUMBER, example


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Chinese as an input method commits it (QTest.keyClicks cannot type it)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def work_list(qtbot: QtBot, factory: UnitOfWorkFactory, actor: Actor) -> RequestWorkList:
    window = RequestWorkList(factory, actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    settle(window)
    return window


def settle(window: RequestWorkList | RequestReview) -> None:
    assert window.operation is not None
    process_until(lambda: window.operation is not None and not window.operation.running)


def rows(window: RequestWorkList) -> list[list[str]]:
    table = window.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def open_row(qtbot: QtBot, window: RequestWorkList, number: str) -> RequestReview:
    """Select the request's row and press Enter: its review view, read."""
    row = [r[0] for r in rows(window)].index(number)
    window.table.setCurrentCell(row, 0)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    review = window.findChild(RequestReview, f"request_review_{number}")
    assert review is not None
    qtbot.waitExposed(review)
    settle(review)
    return review


def press(qtbot: QtBot, review: RequestReview, action: Action) -> None:
    button = review.buttons[action]
    assert button.isEnabled() and button.isVisible(), action
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(review)  # the step
    settle(review)  # the reading after it


def file_in_xd01(qtbot: QtBot, uow_factory: UnitOfWorkFactory) -> str:
    """The example typed into XD01 by an assistant whose roles lack skip_review: the button
    says 提交申请, Ctrl+S asks the reason and files a submitted create request; no customer."""
    rights = ASSISTANT.rights
    must_ask = Actor.logged_in(
        replace(rights, permissions=rights.permissions - {Permission.SKIP_REVIEW})
    )
    with uow_factory() as uow:
        customizing = uow.customizing.load()
    wizard = CustomerWizard(uow_factory, customizing, must_ask)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(lambda: keyboard.focused() is not None and wizard.isActiveWindow())
    try:
        type_example(wizard)
        assert wizard.save_button.text() == "提交申请 (Ctrl+S)"

        def answer(dialog: QWidget) -> None:
            keyboard.type_text("新客户东宁广告，需开具发票")
            keyboard.key(Qt.Key.Key_Return)

        seen = answer_next_dialog(answer)
        keyboard.key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        process_until(lambda: not wizard._saving)
        assert seen == ["request_reason"], wizard.messages.problems
        assert wizard.statusBar().currentMessage() == "申请 0000000001 已提交"
        assert screen(wizard) == "initial"
    finally:
        wizard.keys = None
        wizard.close()
        wizard.deleteLater()
    with pytest.raises(NotFound):
        read_customer(uow_factory, NUMBER)
    (filed,) = rq.list_requests(uow_factory, ASSISTANT, mine=True)
    assert (filed.type, filed.status, filed.reason) == (
        RequestType.CREATE,
        RequestStatus.SUBMITTED,
        "新客户东宁广告，需开具发票",
    )
    return filed.number


def correct_on_screens(qtbot: QtBot, mine: RequestWorkList, number: str) -> Request:
    """The requester selects his returned request, 修改: XD01's screens with the request's
    data; he types the corrections, Enter checks each screen as in XD01, and Ctrl+S
    (重新提交) files the correction and resubmits; the window closes."""
    mine.refresh()
    settle(mine)
    assert rows(mine)[0][2] == "已退回修改"
    mine.table.setCurrentCell(0, 0)
    assert mine.correct_button.isEnabled() and mine.withdraw_button.isEnabled()
    qtbot.mouseClick(mine.correct_button, Qt.MouseButton.LeftButton)
    name = f"request_wizard_{number}"
    qtbot.waitUntil(lambda: mine.findChild(CustomerWizard, name) is not None, timeout=10_000)
    wizard = mine.findChild(CustomerWizard, name)
    assert wizard is not None
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(lambda: keyboard.focused() is not None and wizard.isActiveWindow())
    assert screen(wizard) == "address"
    assert wizard.save_button.text() == "重新提交申请 (Ctrl+S)"
    assert f"申请 {number}" in wizard.windowTitle()
    shown = wizard.binding("address").values()
    assert (shown["KNA1-NAME1"], shown["KNA1-SORTL"]) == ("东宁广告有限公司", "东宁广告")
    assert wizard.binding("account").values()["KNB1-ZUAWA"] == "003"
    assert not wizard.is_dirty()  # the request's data: nothing typed yet
    keyboard.fill(wizard, {"KNA1_SORTL": "东宁", "KNA1_TELF1": "021-62345678"})
    # a check of the screens: an empty name is refused before anything is filed
    keyboard.fill(wizard, {"KNA1_NAME1": ""})
    keyboard.key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    process_until(lambda: not wizard._saving)
    assert wizard.isVisible() and "KNA1-NAME1" in {p.field_key for p in wizard.messages.problems}
    assert rq.read_request(wizard.factory, ASSISTANT, number).status is RequestStatus.RETURNED
    keyboard.fill(wizard, {"KNA1_NAME1": "东宁广告有限公司"})
    keyboard.key(Qt.Key.Key_Return)
    assert screen(wizard) == "control", wizard.messages.problems
    keyboard.key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    process_until(lambda: not wizard._saving)
    qtbot.waitUntil(lambda: mine.findChild(CustomerWizard, name) is None, timeout=10_000)
    return rq.read_request(mine.factory, ASSISTANT, number)


def test_the_documents_flow_through_the_screens(
    qtbot: QtBot, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    # the assistant of 1038 types the documents' example into XD01: 提交申请, not save
    number = file_in_xd01(qtbot, uow_factory)
    mine = work_list(qtbot, uow_factory, ASSISTANT)
    assert mine.tabs.tabText(0) == "我的申请（1）" and mine.tabs.tabText(1) == "待我处理（0）"
    assert rows(mine) == [[number, "创建客户", "已提交", "", "wang_1038", "", rows(mine)[0][6]]]

    # the head office: in 待我处理, opened with Enter; return needs a reason
    hq = work_list(qtbot, uow_factory, HEAD_OFFICE)
    hq.tabs.setCurrentIndex(1)
    assert [r[0] for r in rows(hq)] == [number]
    review = open_row(qtbot, hq, number)
    data = review.fields
    shown = {data.item(r, 1).text(): data.item(r, 2).text() for r in range(data.rowCount())}
    assert "东宁" in " ".join(shown.values())
    assert data.columnCount() == 3  # a create: nothing stored to compare with
    assert review.duplicates.text() == "未发现可能重复的客户"
    assert review.reason.text() == "申请原因：新客户东宁广告，需开具发票"
    assert not review.buttons[Action.RESUBMIT].isVisible()  # the requester's step
    qtbot.mouseClick(review.buttons[Action.RETURN], Qt.MouseButton.LeftButton)
    assert review.error.isVisible() and "原因" in review.error.text()
    assert rq.read_request(uow_factory, HEAD_OFFICE, number).status is RequestStatus.SUBMITTED
    type_text(qtbot, review.comment, "搜索条款应为简称：东宁广告")
    press(qtbot, review, Action.RETURN)
    assert review.data is not None and review.data.request.status is RequestStatus.RETURNED
    assert "已退回修改" in review.header.text()
    history = review.history
    assert history.item(history.rowCount() - 1, 3).text() == "搜索条款应为简称：东宁广告"
    settle(hq)  # the work list read again when the request changed
    assert rows(hq) == [] and hq.tabs.tabText(1) == "待我处理（0）"

    # the assistant opens it from his work list on XD01's screens, corrects, resubmits
    corrected = correct_on_screens(qtbot, mine, number)
    assert corrected.status is RequestStatus.RESUBMITTED
    assert corrected.document.general.search_term == "东宁"
    assert corrected.document.general.telephone == "021-62345678"
    assert corrected.reason == "新客户东宁广告，需开具发票"  # the screens change only the data
    assert [s.action for s in corrected.steps][-2:] == [Action.EDIT, Action.RESUBMIT]
    settle(mine)
    assert rows(mine)[0][2] == "已重新提交"
    assert not mine.correct_button.isEnabled()  # resubmitted: no longer his to correct
    own = open_row(qtbot, mine, number)
    assert not own.buttons[Action.APPROVE].isVisible()  # four eyes: not for the requester
    assert not own.correct_button.isVisible()

    # the head office approves and activates the general data
    settle(hq)
    assert [r[0] for r in rows(hq)] == [number]
    review.reload()
    settle(review)
    press(qtbot, review, Action.APPROVE)
    press(qtbot, review, Action.ACTIVATE)
    assert review.data is not None and review.data.request.status is RequestStatus.ACTIVATED
    assert review.data.request.customer == NUMBER
    pdf = tmp_path / "request.pdf"
    review.print_pdf(pdf)
    settle(review)
    assert pdf.read_bytes().startswith(b"%PDF")

    # the F011 company-code maintainer completes the company-code child
    cc = work_list(qtbot, uow_factory, CC_F011)
    cc.tabs.setCurrentIndex(1)
    inbox = rows(cc)
    assert [r[1:4] for r in inbox] == [["扩展公司代码", "已提交", NUMBER]]
    child = open_row(qtbot, cc, inbox[0][0])
    press(qtbot, child, Action.APPROVE)
    press(qtbot, child, Action.ACTIVATE)
    assert child.data is not None and child.data.request.status is RequestStatus.ACTIVATED

    # the customer, its change documents naming the requests
    stored = read_customer(uow_factory, NUMBER)
    assert stored.general.telephone == "021-62345678"
    assert [c.company_code for c in stored.company_codes] == ["F011"]
    docs = change_documents(uow_factory, NUMBER)
    assert {(d.activity, d.request) for d in docs} == {
        ("create", number),
        ("extend", inbox[0][0]),
    }

    # the KPIs of the month, from the steps' timestamps
    parent = rq.read_request(uow_factory, HEAD_OFFICE, number)
    done_child = rq.read_request(uow_factory, CC_F011, inbox[0][0])
    submitted = parent.steps[[s.action for s in parent.steps].index(Action.SUBMIT)].at
    activated = parent.last(Action.ACTIVATE)
    assert activated is not None
    month = f"{activated.at.astimezone(UTC) + CHINA:%Y-%m}"
    report = kpis(uow_factory, HEAD_OFFICE, month, month, Dimension.BRANCH)
    (total,) = report.totals
    assert (total.submitted, total.right_first_time) == (1, 0)  # corrected after submission
    assert (total.approved, total.approved_without_return) == (2, 1)  # the child: no return
    assert total.activated == 2 and total.creates_activated == 1
    lead = (activated.at - submitted).total_seconds() / 3600
    assert total.lead_time.count == 1
    assert total.lead_time.median_h == pytest.approx(lead, abs=1e-5)
    child_approved, child_activated = (
        done_child.last(Action.APPROVE),
        done_child.last(Action.ACTIVATE),
    )
    parent_approved = parent.last(Action.APPROVE)
    assert child_approved and child_activated and parent_approved
    waits = sorted(
        [
            (activated.at - parent_approved.at).total_seconds() / 3600,
            (child_activated.at - child_approved.at).total_seconds() / 3600,
        ]
    )
    assert total.activation.count == 2
    assert total.activation.median_h == pytest.approx(sum(waits) / 2, abs=1e-5)


def test_the_main_window_counts_and_opens_the_work_list(
    qtbot: QtBot,
    db_url: str,
    uow_factory: UnitOfWorkFactory,
    open_window: Callable[..., MainWindow],
) -> None:
    number = rq.create_request(
        uow_factory, ASSISTANT, RequestType.CREATE, example(), reason="新客户", submit=True
    ).number
    window = open_window(db_url, actor=HEAD_OFFICE)
    qtbot.waitUntil(lambda: window.database_state == "ready", timeout=30_000)
    count = window.inbox_count
    process_until(lambda: count.isVisible())
    assert count.text() == "待我处理 1"
    window.requests_action.trigger()
    found = window.findChild(RequestWorkList, "request_work_list")
    assert found is not None and found.isVisible()
    settle(found)
    found.tabs.setCurrentIndex(1)
    review = open_row(qtbot, found, number)
    type_text(qtbot, review.comment, "重复客户")
    press(qtbot, review, Action.REJECT)
    assert review.data is not None and review.data.request.status is RequestStatus.REJECTED
    process_until(lambda: count.operation is not None and not count.operation.running)
    assert count.text() == "待我处理 0"


def test_a_change_request_shows_old_and_new(qtbot: QtBot, uow_factory: UnitOfWorkFactory) -> None:
    """The review view of a change request: the stored value beside the requested one, the
    changed rows highlighted; a field the change empties is listed too."""
    create_customer(uow_factory, example(), Actor("tester"))
    wanted = read_customer(uow_factory, NUMBER)
    wanted.general.telephone = "021-99999999"
    wanted.general.name_2 = ""
    old_name2 = read_customer(uow_factory, NUMBER).general.name_2
    assert old_name2
    number = rq.create_request(
        uow_factory, ASSISTANT, RequestType.CHANGE, wanted, reason="电话变更", submit=True
    ).number
    hq = work_list(qtbot, uow_factory, HEAD_OFFICE)
    hq.tabs.setCurrentIndex(1)
    review = open_row(qtbot, hq, number)
    table = review.fields
    assert [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())] == [
        "部分",
        "字段",
        "申请值",
        "当前值",
    ]
    changed = {
        table.item(r, 1).text(): (table.item(r, 2).text(), table.item(r, 3).text())
        for r in range(table.rowCount())
        if table.item(r, 0).background().color() == CHANGED
    }
    assert changed == {
        "电话": ("021-99999999", read_customer(uow_factory, NUMBER).general.telephone),
        "名称2": ("", old_name2),
    }
