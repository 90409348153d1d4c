"""重置密码: a new password typed twice (the users page asks for it)."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from custmd_gui.ui.admin.texts import label_text, tr_
from custmd_gui.ui.qtutils import error_label


class PasswordDialog(QDialog):
    """A new password typed twice (重置密码)."""

    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("password_dialog")
        self.setWindowTitle(tr_("reset_title").format(user=username))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.password = QLineEdit(self)
        self.password.setObjectName("new_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit(self)
        self.password2.setObjectName("new_password2")
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr_("new_password"), self.password)
        form.addRow(tr_("password2"), self.password2)
        layout.addLayout(form)
        self.error = error_label(self, "password_error")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(360)

    @Slot()
    def _check(self) -> None:
        if self.password.text() != self.password2.text():
            self.error.setText(
                tr_("field_message").format(field=label_text("password2"), message=tr_("mismatch"))
            )
            self.error.show()
            self.password2.clear()
            self.password2.setFocus()
            return
        self.accept()
