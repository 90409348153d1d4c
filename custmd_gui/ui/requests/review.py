"""The review view of one maintenance request: its header (type, status, requester, reason),
its data as the request form lists them (services.request_review) — for a change the stored
value beside the requested one, changed fields highlighted —, the duplicate check's result,
the history of steps, a comment, and a button per step the status machine allows the user
(开始审核, 退回, 拒绝, 批准, 激活; the requester's 提交, 重新提交, 撤回), 打印 as PDF.

The buttons follow domain.requests' status machine and who the user is; the services decide
(routing, scope, four eyes) and their refusal is said in red. Return and reject need the
reason in the comment. Every call runs in a worker thread (ui.operations)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.domain.errors import DomainError
from custmd_gui.domain.requests import (
    ACTION_TEXTS,
    FOUR_EYES_ACTIONS,
    REASON_REQUIRED,
    REQUESTER_ACTIONS,
    STATUS_TEXTS,
    TRANSITIONS,
    TYPE_TEXTS,
    Action,
    Request,
    RequestType,
)
from custmd_gui.services import requests as rq
from custmd_gui.services.request_review import ReviewData, review_data
from custmd_gui.ui import i18n
from custmd_gui.ui.operations import Operation
from custmd_gui.ui.qtutils import bring_up, error_label
from custmd_gui.ui.request_events import request_events
from custmd_gui.ui.requests.attachments import AttachmentsPanel
from custmd_gui.ui.requests.texts import t
from custmd_gui.wizard.filing import may_correct

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory

CHANGED = QColor("#fff3b0")
# The buttons, left to right: the reviewer's steps, then the requester's.
BUTTONS = (
    Action.REVIEW,
    Action.RETURN,
    Action.REJECT,
    Action.APPROVE,
    Action.ACTIVATE,
    Action.SUBMIT,
    Action.RESUBMIT,
    Action.WITHDRAW,
)


def may_try(request: Request, user: str, action: Action) -> bool:
    """Whether the button of `action` is enabled: the status allows it and the user is the
    requester (his steps) or someone else (the reviewer's; four eyes). The services decide."""
    if (request.status, action) not in TRANSITIONS:
        return False
    if action in REQUESTER_ACTIONS:
        return user == request.requester
    if action in FOUR_EYES_ACTIONS and user == request.last_editor:
        return False
    return user != request.requester


class RequestReview(QWidget):
    def __init__(
        self, uow_factory: UowFactory, actor: Actor, number: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.factory, self.actor, self.number = uow_factory, actor, number
        self.data: ReviewData | None = None
        self.operation: Operation[Any] | None = None
        self.setObjectName(f"request_review_{number}")
        self.setWindowTitle(t("review.title").format(number=number))
        self.header = QLabel(self)
        self.header.setObjectName("review_header")
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason = QLabel(self)
        self.reason.setObjectName("review_reason")
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields = QTableWidget(0, 4, self)
        self.fields.setObjectName("review_fields")
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields.verticalHeader().hide()
        self.fields.horizontalHeader().setStretchLastSection(True)
        self.duplicates = QLabel(self)
        self.duplicates.setObjectName("review_duplicates")
        self.duplicates.setWordWrap(True)
        self.history = QTableWidget(0, 4, self)
        self.history.setObjectName("review_history")
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setStretchLastSection(True)
        self.attachments = AttachmentsPanel(uow_factory, actor, number, self)
        self.attachments.changed.connect(self._attachments_changed)
        self.attachments.refused.connect(self._refused)
        self.attachments.said.connect(self._said)
        self.comment = QPlainTextEdit(self)
        self.comment.setObjectName("review_comment")
        self.comment.setTabChangesFocus(True)
        self.comment.setMaximumHeight(60)
        comment_label = QLabel(t("review.comment"), self)
        comment_label.setBuddy(self.comment)
        self.error = error_label(self, "review_error")
        self.info = QLabel(self)
        self.info.setObjectName("review_info")
        self.buttons: dict[Action, QPushButton] = {}
        bar = QHBoxLayout()
        for action in BUTTONS:
            button = QPushButton(t(f"btn.{action.value}"), self)
            button.setObjectName(f"review_{action.value}")
            button.clicked.connect(lambda _=False, a=action: self.do(a))
            self.buttons[action] = button
            bar.addWidget(button)
        self.correct_button = QPushButton(t("correct"), self)
        self.correct_button.setObjectName("review_correct")
        self.correct_button.clicked.connect(self.correct)
        bar.addWidget(self.correct_button)
        bar.addStretch(1)
        self.pdf_button = QPushButton(t("review.pdf"), self)
        self.pdf_button.setObjectName("review_pdf")
        self.pdf_button.clicked.connect(self._ask_pdf)
        bar.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.reason)
        layout.addWidget(QLabel(t("review.data"), self))
        layout.addWidget(self.fields, 3)
        layout.addWidget(QLabel(t("review.duplicates"), self))
        layout.addWidget(self.duplicates)
        layout.addWidget(QLabel(t("review.attachments"), self))
        layout.addWidget(self.attachments, 1)
        layout.addWidget(QLabel(t("review.history"), self))
        layout.addWidget(self.history, 1)
        layout.addWidget(comment_label)
        layout.addWidget(self.comment)
        layout.addWidget(self.error)
        layout.addWidget(self.info)
        layout.addLayout(bar)
        self.resize(900, 860)
        self._set_buttons(None)
        self.reload()

    @Slot()
    def reload(self) -> None:
        factory, actor, number, lang = self.factory, self.actor, self.number, i18n.language()
        self.operation = (
            Operation(self, lambda: review_data(factory, actor, number, lang), busy=False)
            .on_success(self._show)
            .on_failure(self._refused)
            .run()
        )

    def _show(self, data: ReviewData) -> None:
        lang = i18n.language()
        self.data = data
        r = data.request
        self.header.setText(
            t("review.header").format(
                type=TYPE_TEXTS[r.type].get(lang),
                status=STATUS_TEXTS[r.status].get(lang),
                requester=r.requester,
                org_unit=r.org_unit or "–",
                customer=r.customer or "–",
            )
        )
        self.reason.setText(t("review.reason").format(reason=r.reason))
        heads = ["review.section", "review.field", "review.proposed"]
        if data.compared:
            heads.append("review.current")
        self.fields.setColumnCount(len(heads))
        self.fields.setHorizontalHeaderLabels([t(h) for h in heads])
        self.fields.setRowCount(len(data.lines))
        for row, line in enumerate(data.lines):
            cells = [line.section, line.label, line.proposed]
            if data.compared:
                cells.append(line.current or "")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if line.changed:
                    item.setBackground(QBrush(CHANGED))
                self.fields.setItem(row, col, item)
        self.fields.resizeColumnsToContents()
        # possible duplicates in red: the reviewer must look at them before approving
        self.duplicates.setStyleSheet("color: #b00000;" if data.duplicates else "")
        if data.duplicates:
            self.duplicates.setText(
                "\n".join(
                    f"{h.number} {h.name} {h.city}：{h.reason_text(lang)}" for h in data.duplicates
                )
            )
        else:
            self.duplicates.setText(
                t("review.no_duplicates") if r.type is RequestType.CREATE else "–"
            )
        self.history.setRowCount(len(r.steps))
        self.history.setHorizontalHeaderLabels(
            [t(f"hist.{c}") for c in ("at", "user", "action", "comment")]
        )
        for row, step in enumerate(r.steps):
            for col, text in enumerate(
                (
                    f"{step.at.astimezone():%Y-%m-%d %H:%M}",
                    step.actor,
                    ACTION_TEXTS[step.action].get(lang),
                    step.comment,
                )
            ):
                self.history.setItem(row, col, QTableWidgetItem(text))
        self.history.resizeColumnsToContents()
        self.attachments.show_request(r)
        self._set_buttons(r)

    def _set_buttons(self, request: Request | None) -> None:
        for action, button in self.buttons.items():
            allowed = request is not None and may_try(request, self.actor.user, action)
            button.setEnabled(allowed)
            # only the steps possible now are shown: a requester sees no reviewer's buttons
            button.setVisible(allowed or request is None)
        self.pdf_button.setEnabled(request is not None)
        correctable = request is not None and may_correct(request, self.actor.user)
        self.correct_button.setVisible(correctable)

    @Slot()
    def correct(self) -> None:
        """The request on XD01's screens, to correct and submit it again."""
        from custmd_gui.ui.requests.correction import open_correction

        open_correction(self, self.factory, self.actor, self.number, self._refused)

    @Slot()
    def _attachments_changed(self) -> None:
        request_events().requests_changed.emit(self.number)
        self.reload()

    @Slot(str)
    def _said(self, text: str) -> None:
        self.error.hide()
        self.info.setText(text)

    def _refused(self, error: DomainError) -> None:
        self.error.setText("\n".join(p.line(i18n.language()) for p in error.problems))
        self.error.show()

    @Slot()
    def do(self, action: Action) -> None:
        """One step with the comment; return and reject need it as their reason."""
        lang = i18n.language()
        comment = self.comment.toPlainText().strip()
        if action in REASON_REQUIRED and not comment:
            self.error.setText(
                t("review.reason_needed").format(action=ACTION_TEXTS[action].get(lang))
            )
            self.error.show()
            self.comment.setFocus()
            return
        factory, actor, number = self.factory, self.actor, self.number
        changes = None
        if action is Action.ACTIVATE:
            changes = lambda done: [done.customer]  # noqa: E731
        self.operation = (
            Operation(
                self,
                lambda: rq.act(factory, actor, number, action, comment),
                changes=changes,
            )
            .on_success(self._done)
            .on_failure(self._refused)
            .run()
        )

    def _done(self, request: Request) -> None:
        self.error.hide()
        self.comment.clear()
        self.info.setText(
            t("review.done").format(
                number=request.number, status=STATUS_TEXTS[request.status].get(i18n.language())
            )
        )
        request_events().requests_changed.emit(request.number)
        self.reload()

    @Slot()
    def _ask_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, t("review.pdf"), f"{self.number}.pdf", "PDF (*.pdf)"
        )
        if path:
            self.print_pdf(Path(path))

    def print_pdf(self, target: Path) -> None:
        """The request form as PDF (ui.request_pdf), read in a worker thread."""
        from custmd_gui.services.request_form import RequestForm, request_form
        from custmd_gui.ui.request_pdf import write_pdf

        factory, actor, number, lang = self.factory, self.actor, self.number, i18n.language()

        def write(form: RequestForm) -> None:
            try:
                write_pdf(form, target)
            except OSError as error:
                self.error.setText(
                    t("review.pdf_failed").format(path=target, error=error.strerror or error)
                )
                self.error.show()
                return
            self.info.setText(t("review.pdf_saved").format(path=target))

        self.operation = (
            Operation(self, lambda: request_form(factory, actor, number, lang=lang))
            .on_success(write)
            .on_failure(self._refused)
            .run()
        )


def open_review(
    parent: QWidget | None, uow_factory: UowFactory, actor: Actor, number: str
) -> RequestReview:
    """The review view of request `number` (one per request and parent window)."""
    name = f"request_review_{number}"
    found = parent.findChild(RequestReview, name) if parent is not None else None
    if found is None or found.factory is not uow_factory or found.actor != actor:
        found = RequestReview(uow_factory, actor, number, parent)
        found.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    else:
        found.reload()
    bring_up(found)
    return found
