"""A request's attachments in its review view, on SQLite and PostgreSQL (issue 18): the
requester attaches a real file (a scan of the business licence), lists it, saves a copy
(the same bytes), removes a second one; a file over the size limit is refused in Chinese
before it is read, nothing added. Once submitted the requester can no longer add or remove;
the reviewer can while he reviews. The requester withdraws another request from his work
list (asked first: No keeps it)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from custmd_gui.domain.requests import MAX_ATTACHMENT_BYTES, Action, RequestStatus, RequestType
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services import requests as rq
from custmd_gui.services.context import Actor
from custmd_gui.ui.requests.review import RequestReview
from custmd_gui.ui.requests.work_list import RequestWorkList
from tests.gui import keyboard
from tests.gui.wizard_steps import answer_next_dialog
from tests.integration.test_requests import ASSISTANT, HEAD_OFFICE, example


def review_of(qtbot: QtBot, factory: UnitOfWorkFactory, actor: Actor, number: str) -> RequestReview:
    review = RequestReview(factory, actor, number)
    qtbot.addWidget(review)
    review.show()
    qtbot.waitExposed(review)
    keyboard.settle()
    return review


def names(review: RequestReview) -> list[str]:
    table = review.attachments.table
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def licence_scan(path: Path) -> Path:
    image = QImage(400, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("#f5e6c8"))
    assert image.save(str(path), "PNG")
    return path


def test_attachments_on_screen(
    qtbot: QtBot, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    number = rq.create_request(
        uow_factory, ASSISTANT, RequestType.CREATE, example(), reason="新客户"
    ).number
    review = review_of(qtbot, uow_factory, ASSISTANT, number)
    panel = review.attachments
    assert panel.buttons["add"].isEnabled() and not panel.buttons["remove"].isEnabled()

    scan = licence_scan(tmp_path / "营业执照.png")
    panel.add_file(scan)
    keyboard.settle()
    assert names(review) == ["营业执照.png"]
    assert review.info.text() == "已添加附件 营业执照.png"
    row = [panel.table.item(0, c).text() for c in range(4)]
    assert row[2] == "wang_1038" and row[1].endswith("KB")

    # over the limit: refused in Chinese, naming the file and the limit; nothing added
    big = tmp_path / "扫描件.pdf"
    with big.open("wb") as f:
        f.truncate(MAX_ATTACHMENT_BYTES + 1)
    panel.add_file(big)
    keyboard.settle()
    assert review.error.isVisible()
    assert "附件 扫描件.pdf 太大" in review.error.text() and "最大 5 MB" in review.error.text()
    assert names(review) == ["营业执照.png"]

    # a copy saved: the same bytes
    copy = tmp_path / "copy.png"
    panel.table.setCurrentCell(0, 0)
    panel.save_copy(copy)
    keyboard.settle()
    assert copy.read_bytes() == scan.read_bytes()
    assert review.info.text() == f"已保存 {copy}"

    # a second file, removed again; the history keeps its name
    note = tmp_path / "说明.txt"
    note.write_text("经营范围见营业执照", encoding="utf-8")
    panel.add_file(note)
    keyboard.settle()
    assert sorted(names(review)) == ["营业执照.png", "说明.txt"]
    panel.table.setCurrentCell(names(review).index("说明.txt"), 0)
    assert panel.buttons["remove"].isEnabled()
    qtbot.mouseClick(panel.buttons["remove"], Qt.MouseButton.LeftButton)
    keyboard.settle()
    assert names(review) == ["营业执照.png"]
    stored = rq.read_request(uow_factory, ASSISTANT, number)
    assert [a.name for a in stored.attachments] == ["营业执照.png"]
    assert (stored.steps[-1].action, stored.steps[-1].comment) == (Action.DETACH, "说明.txt")

    # submitted: the requester reads, no longer adds or removes
    qtbot.mouseClick(review.buttons[Action.SUBMIT], Qt.MouseButton.LeftButton)
    keyboard.settle()
    assert review.data is not None and review.data.request.status is RequestStatus.SUBMITTED
    assert not panel.buttons["add"].isEnabled() and not panel.buttons["remove"].isEnabled()
    assert panel.buttons["save"].isEnabled() and panel.buttons["open"].isEnabled()

    # the reviewer, once he reviews it, may add
    hq = review_of(qtbot, uow_factory, HEAD_OFFICE, number)
    assert names(hq) == ["营业执照.png"] and not hq.attachments.buttons["add"].isEnabled()
    qtbot.mouseClick(hq.buttons[Action.REVIEW], Qt.MouseButton.LeftButton)
    keyboard.settle()
    assert hq.attachments.buttons["add"].isEnabled()
    hq.attachments.add_file(note)
    keyboard.settle()
    assert sorted(names(hq)) == ["营业执照.png", "说明.txt"]


def test_withdraw_from_the_work_list(qtbot: QtBot, uow_factory: UnitOfWorkFactory) -> None:
    number = rq.create_request(
        uow_factory, ASSISTANT, RequestType.CREATE, example(), reason="新客户", submit=True
    ).number
    mine = RequestWorkList(uow_factory, ASSISTANT)
    qtbot.addWidget(mine)
    mine.show()
    qtbot.waitExposed(mine)
    keyboard.settle()
    mine.table.setCurrentCell(0, 0)
    assert mine.withdraw_button.isEnabled() and not mine.correct_button.isEnabled()

    def answer(button: QMessageBox.StandardButton) -> object:
        def press(dialog: QWidget) -> None:
            assert isinstance(dialog, QMessageBox)
            assert number in dialog.text()
            dialog.button(button).click()

        return press

    seen = answer_next_dialog(answer(QMessageBox.StandardButton.No))
    qtbot.mouseClick(mine.withdraw_button, Qt.MouseButton.LeftButton)
    keyboard.settle()
    assert seen == ["request_withdraw_ask"]
    assert rq.read_request(uow_factory, ASSISTANT, number).status is RequestStatus.SUBMITTED

    seen = answer_next_dialog(answer(QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(mine.withdraw_button, Qt.MouseButton.LeftButton)
    keyboard.settle()
    assert seen == ["request_withdraw_ask"]
    assert rq.read_request(uow_factory, ASSISTANT, number).status is RequestStatus.WITHDRAWN
    assert mine.table.item(0, 2).text() == "已撤回"
    assert not mine.withdraw_button.isEnabled()
