"""XD02 in the wizard: the edit lock taken on Enter and freed on leaving, the change saved with
one change document, a lock held elsewhere refused with an offer to display, a lapsed and
taken-over lock refused at the save with the typing kept, undo."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from custmd_gui.domain.field_status import Activity
from custmd_gui.domain.sap_document import from_document
from custmd_gui.persistence import tables
from custmd_gui.persistence.unit_of_work import UnitOfWorkFactory
from custmd_gui.services.change import change_customer, open_for_change
from custmd_gui.services.change_documents import change_documents
from custmd_gui.services.context import Actor
from custmd_gui.services.create import create_customer, read_customer
from custmd_gui.services.locks import acquire_lock, lock_holder, release_lock
from custmd_gui.ui.change_documents_dialog import COLUMN_KEYS, ChangeDocumentsDialog
from custmd_gui.ui.wizard import CustomerWizard
from tests.conftest import example_document
from tests.gui.keyboard import fill, focused, key, replace_text, tab_to
from tests.gui.wizard_steps import answer_next_dialog, enter_initial, screen

NUMBER = "2110380001"
CHANGE_INITIAL = {
    "KNA1_KUNNR": NUMBER,
    "KNB1_BUKRS": "F011",
    "KNVV_VKORG": "F011",
    "KNVV_VTWEG": "10",
    "KNVV_SPART": "01",
}


@pytest.fixture
def stored(uow_factory: UnitOfWorkFactory) -> str:
    create_customer(uow_factory, from_document(example_document()), Actor("setup"))
    return NUMBER


@pytest.fixture
def editor(qtbot: QtBot, uow_factory: UnitOfWorkFactory) -> Iterator[CustomerWizard]:
    with uow_factory() as uow:
        customizing = uow.customizing.load()
    window = CustomerWizard(uow_factory, customizing, Actor("zhangsan"), activity=Activity.CHANGE)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None)
    yield window
    window.keys = None  # nothing to ask at teardown
    window.close()
    window.deleteLater()


def _field(window: CustomerWizard, name: str) -> QLineEdit:
    edit = window.findChild(QLineEdit, name)
    assert edit is not None
    return edit


def test_change_a_field_save_and_the_document_holds_old_and_new(
    editor: CustomerWizard, uow_factory: UnitOfWorkFactory, stored: str
) -> None:
    assert editor.windowTitle() == "更改客户 (XD02)"
    assert not _field(editor, "KNA1_KTOKD").isVisible()  # the group is the customer's own
    enter_initial(editor, CHANGE_INITIAL)
    assert screen(editor) == "address", editor.messages.problems
    holder = lock_holder(uow_factory, stored)
    assert holder is not None and holder.user == "zhangsan"
    old_street = read_customer(uow_factory, stored).general.street
    assert _field(editor, "KNA1_STRAS").text() == old_street
    fill(editor, {"KNA1_STRAS": "长宁路 88 号"})
    assert editor.is_dirty()
    assert editor.save()
    # Saved: back on the initial screen with the number kept, the lock given back.
    assert screen(editor) == "initial"
    assert _field(editor, "KNA1_KUNNR").text() == stored
    assert editor.statusBar().currentMessage() == f"客户 {stored} 的更改已保存"
    assert lock_holder(uow_factory, stored) is None
    customer = read_customer(uow_factory, stored)
    assert customer.general.street == "长宁路 88 号" and customer.version == 2
    items = [r for r in change_documents(uow_factory, stored) if r.activity == "change"]
    assert [(r.field_key, r.old, r.new, r.user) for r in items] == [
        ("KNA1-STRAS", old_street, "长宁路 88 号", "zhangsan")
    ]
    # XD04 from the XD02 window (Ctrl+H) shows the change, newest first.
    key(Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    xd04 = editor.findChild(ChangeDocumentsDialog)
    assert xd04 is not None and xd04.isVisible()
    model = xd04.table.model()
    first = {k: str(model.index(0, c).data()) for c, k in enumerate(COLUMN_KEYS)}
    assert {k: first[k] for k in ("user", "activity", "tcode", "field", "old", "new")} == {
        "user": "zhangsan",
        "activity": "更改",
        "tcode": "XD02",
        "field": "街道/门牌号",
        "old": old_street,
        "new": "长宁路 88 号",
    }
    xd04.close()


def test_key_fields_and_reconciliation_account_are_display_only(
    editor: CustomerWizard, stored: str
) -> None:
    enter_initial(editor, CHANGE_INITIAL)
    editor.show_screen("account")
    akont = _field(editor, "KNB1_AKONT")
    assert akont.isReadOnly() and akont.text()
    # Editable fields of the same screen stay editable.
    assert not _field(editor, "KNB1_ZUAWA").isReadOnly()


def test_a_customer_locked_elsewhere_is_refused_and_offered_for_display(
    editor: CustomerWizard, uow_factory: UnitOfWorkFactory, stored: str, qtbot: QtBot
) -> None:
    other = acquire_lock(uow_factory, stored, Actor("lisi"))
    texts: list[str] = []

    def display_instead(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        texts.append(dialog.text())
        dialog.button(QMessageBox.StandardButton.Yes).click()

    seen = answer_next_dialog(display_instead)
    with qtbot.waitSignal(editor.display_requested) as signal:
        enter_initial(editor, CHANGE_INITIAL)
    assert seen == ["locked_offer_display"]
    assert texts == [f"客户 {stored} 正在被用户 lisi 处理"]
    assert signal.args == [stored, "F011", "F011/10/01"]
    assert screen(editor) == "initial"
    assert [p.message.zh for p in editor.messages.problems] == texts
    holder = lock_holder(uow_factory, stored)
    assert holder is not None and holder.user == "lisi"  # still theirs
    release_lock(uow_factory, other)


def test_leaving_and_closing_free_the_lock(
    editor: CustomerWizard, uow_factory: UnitOfWorkFactory, stored: str
) -> None:
    enter_initial(editor, CHANGE_INITIAL)
    assert lock_holder(uow_factory, stored) is not None
    key(Qt.Key.Key_F3)  # nothing typed: straight back
    assert screen(editor) == "initial"
    assert lock_holder(uow_factory, stored) is None
    key(Qt.Key.Key_Return)
    assert screen(editor) == "address"
    assert lock_holder(uow_factory, stored) is not None
    editor.close()
    assert lock_holder(uow_factory, stored) is None


def test_a_lapsed_lock_taken_over_refuses_the_save_and_keeps_the_typing(
    editor: CustomerWizard, uow_factory: UnitOfWorkFactory, stored: str
) -> None:
    enter_initial(editor, CHANGE_INITIAL)
    tab_to(editor, "KNA1_STRAS")
    replace_text("我的新街道 1 号")
    # This client froze for longer than the lease; another user took the lock and saved.
    with uow_factory(write=True) as uow:
        uow.session.execute(
            update(tables.EditLock)
            .where(tables.EditLock.objectid == stored)
            .values(expires_at=tables.EditLock.acquired_at)
        )
        uow.commit()
    lock, theirs = open_for_change(uow_factory, stored, Actor("lisi"))
    theirs.general.telephone = "021-66667777"
    change_customer(uow_factory, stored, theirs, Actor("lisi"), expected_version=1, lock=lock)
    lost = [f"客户 {stored} 的编辑锁已失效，现在正在被用户 lisi 处理；未保存任何更改"]
    # The next heartbeat tells the clerk at once and stops renewing.
    assert editor.lock_timer.isActive()
    editor.lock_timer.timeout.emit()
    assert [p.message.zh for p in editor.messages.problems] == lost
    assert not editor.lock_timer.isActive()
    assert not editor.save()
    assert [p.message.zh for p in editor.messages.problems] == lost
    assert _field(editor, "KNA1_STRAS").text() == "我的新街道 1 号"  # nothing lost
    customer = read_customer(uow_factory, stored)
    assert customer.general.street != "我的新街道 1 号"
    assert customer.general.telephone == "021-66667777" and customer.version == 2


def test_undo_restores_the_stored_value(editor: CustomerWizard, stored: str) -> None:
    enter_initial(editor, CHANGE_INITIAL)
    street = _field(editor, "KNA1_STRAS")
    before = street.text()
    fill(editor, {"KNA1_STRAS": "改错的街道"})
    assert editor.is_dirty()
    key(Qt.Key.Key_Tab)  # leave the field: the window's history undoes the whole edit
    editor.history.stack.undo()
    assert street.text() == before
    assert not editor.is_dirty()


def test_a_required_reason_is_asked_at_the_save_and_stored(
    qtbot: QtBot, uow_factory: UnitOfWorkFactory, stored: str
) -> None:
    """Customizing change_reason `required`: Ctrl+S asks why; Esc cancels the save with the
    typing kept, Enter with an empty reason does nothing, a reason typed saves with it."""
    import os
    from dataclasses import replace

    from tests.gui.keyboard import type_text

    with uow_factory() as uow:
        customizing = uow.customizing.load()
    reasons = customizing.lists["change_reason"]
    required = {k: replace(v, attrs={"reason": "required"}) for k, v in reasons.values.items()}
    lists = {**customizing.lists, "change_reason": replace(reasons, values=required)}
    window = CustomerWizard(
        uow_factory, replace(customizing, lists=lists), Actor("zhangsan"), activity=Activity.CHANGE
    )
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    try:
        enter_initial(window, CHANGE_INITIAL)
        fill(window, {"KNA1_STRAS": "长宁路 88 号"})
        seen = answer_next_dialog(lambda dialog: key(Qt.Key.Key_Escape))
        assert not window.save()
        assert seen == ["change_reason"]
        assert read_customer(uow_factory, stored).general.street != "长宁路 88 号"
        assert _field(window, "KNA1_STRAS").text() == "长宁路 88 号"

        def answer(dialog: QWidget) -> None:
            assert focused() is dialog.findChild(QLineEdit, "CDHDR_COMMENT")
            key(Qt.Key.Key_Return)  # empty: OK is off, the dialog stays
            assert dialog.isVisible()
            type_text("客户搬迁至新址")
            if shot := os.environ.get("CUSTMD_SHOT"):  # a screenshot to look at
                dialog.grab().save(shot)
            key(Qt.Key.Key_Return)

        seen = answer_next_dialog(answer)
        assert window.save(), window.messages.problems
        assert seen == ["change_reason"]
        last = change_documents(uow_factory, stored)[-1]
        assert (last.field_key, last.comment) == ("KNA1-STRAS", "客户搬迁至新址")
    finally:
        window.keys = None
        window.close()
        window.deleteLater()
