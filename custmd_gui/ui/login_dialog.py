"""The login dialog (登录): shown once the database is open, unless it is a local database
without users (single-user mode, services.auth).

User name, password (never shown), 记住密码 and 登录 / 取消. The password is checked by
services.auth.login; a refusal shows the service's message (用户名或密码错误, 已锁定 …,
已停用) under the fields, keeps the user name and empties the password. With 记住密码 the user
name and the password are kept in the OS keyring only (custmd_gui.settings.store_login), never
in a file; without it a remembered login is forgotten. Cancel closes the app (the main
window decides).
"""

from __future__ import annotations

import logging
import socket
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from custmd_gui import settings
from custmd_gui.ui import i18n
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP
from custmd_gui.ui.length_guard import guard_length
from custmd_gui.ui.styles import ERROR_STYLE

if TYPE_CHECKING:
    from custmd_gui.services.context import Actor
    from custmd_gui.services.ports import UowFactory


log = logging.getLogger(__name__)


TEXTS: dict[str, str] = {
    "title": QT_TRANSLATE_NOOP("LoginDialog", "Log in - custmd"),
    "intro": QT_TRANSLATE_NOOP("LoginDialog", "Log in to the database {db}"),
    "username": QT_TRANSLATE_NOOP("LoginDialog", "&User name"),
    "password": QT_TRANSLATE_NOOP("LoginDialog", "&Password"),
    "remember": QT_TRANSLATE_NOOP("LoginDialog", "&Remember the password"),
    "remember_tip": QT_TRANSLATE_NOOP(
        "LoginDialog", "Kept in the operating system's keyring only, never in a file"
    ),
    "no_keyring": QT_TRANSLATE_NOOP(
        "LoginDialog", "There is no keyring on this computer: the password cannot be remembered"
    ),
    "login": QT_TRANSLATE_NOOP("LoginDialog", "&Log in"),
    "cancel": QT_TRANSLATE_NOOP("LoginDialog", "Cancel"),
    "need_user": QT_TRANSLATE_NOOP("LoginDialog", "User name: enter your user name"),
    "need_password": QT_TRANSLATE_NOOP("LoginDialog", "Password: enter your password"),
}


def tr_(key: str) -> str:
    return QCoreApplication.translate("LoginDialog", TEXTS[key])


def this_host() -> str:
    try:
        return socket.gethostname() or "localhost"
    except OSError:
        return "localhost"


class LoginDialog(QDialog):
    """Asks for a user name and password until the login succeeds or the user cancels;
    `actor` is the logged-in Actor after `accept`."""

    def __init__(
        self,
        uow_factory: UowFactory,
        database: str,
        parent: QWidget | None = None,
        *,
        host: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("login_dialog")
        self.factory = uow_factory
        self.database = database  # the URL without a password: the keyring entry's key
        self.host = host or this_host()
        self.actor: Actor | None = None
        self.setModal(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(10)
        self.intro = QLabel(self)
        self.intro.setObjectName("login_intro")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.username = QLineEdit(self)
        self.username.setObjectName("login_username")
        guard_length(self.username, 64)
        self.password = QLineEdit(self)
        self.password.setObjectName("login_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.username_label = QLabel(self)
        self.username_label.setBuddy(self.username)
        self.password_label = QLabel(self)
        self.password_label.setBuddy(self.password)
        form.addRow(self.username_label, self.username)
        form.addRow(self.password_label, self.password)
        layout.addLayout(form)

        self.remember = QCheckBox(self)
        self.remember.setObjectName("login_remember")
        layout.addWidget(self.remember)

        self.error = QLabel(self)
        self.error.setObjectName("login_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(self)
        self.login_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.login_button.setObjectName("login_button")
        self.login_button.setDefault(True)
        self.cancel_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setObjectName("login_cancel")
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        QWidget.setTabOrder(self.username, self.password)
        QWidget.setTabOrder(self.password, self.remember)
        QWidget.setTabOrder(self.remember, self.login_button)
        QWidget.setTabOrder(self.login_button, self.cancel_button)

        self.keyring_ok = True
        self.retranslate()
        self._fill_remembered()
        self.setMinimumWidth(380)
        (self.password if self.username.text() else self.username).setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(tr_("title"))
        self.intro.setText(tr_("intro").format(db=self.database))
        self.username_label.setText(tr_("username"))
        self.password_label.setText(tr_("password"))
        self.remember.setText(tr_("remember"))
        self.remember.setToolTip(tr_("remember_tip") if self.keyring_ok else tr_("no_keyring"))
        self.login_button.setText(tr_("login"))
        self.cancel_button.setText(tr_("cancel"))

    def _fill_remembered(self) -> None:
        try:
            remembered = settings.load_login(self.database)
        except settings.SecretStoreUnavailable as exc:
            log.info("%s", exc)
            self.keyring_ok = False
            self.remember.setEnabled(False)
            self.remember.setToolTip(tr_("no_keyring"))
            return
        if remembered is not None:
            self.username.setText(remembered[0])
            self.password.setText(remembered[1])
            self.remember.setChecked(True)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    @Slot()
    def try_login(self) -> None:
        """登录: check the password; on success keep the actor and close, else say why."""
        from custmd_gui.domain.errors import DomainError
        from custmd_gui.services.auth import login
        from custmd_gui.services.context import Actor

        username = self.username.text().strip()
        password = self.password.text()
        if not username:
            self.show_error(tr_("need_user"))
            self.username.setFocus()
            return
        if not password:
            self.show_error(tr_("need_password"))
            self.password.setFocus()
            return
        try:
            rights = login(self.factory, username, password, self.host)
        except DomainError as exc:
            self.show_error("\n".join(p.message.get(i18n.language()) for p in exc.problems))
            self.password.clear()
            self.password.setFocus()
            return
        self._remember(rights.user, password)
        self.actor = Actor.logged_in(rights)
        self.accept()

    def _remember(self, username: str, password: str) -> None:
        if not self.keyring_ok:
            return
        try:
            if self.remember.isChecked():
                settings.store_login(self.database, username, password)
            else:
                settings.forget_login(self.database)
        except settings.SecretStoreUnavailable as exc:
            log.warning("%s", exc)
