"""帮助 → 关于: the version, the database in use (kind and location, never a password), the Qt,
PySide6 and Python versions, the operating system and the log folder, with a 复制 button that
puts the same text on the clipboard for a mail to support. The crash report (ui.crash) carries
the same lines.
"""

from __future__ import annotations

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from custmd_gui import logs, settings
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP, translate

CONTEXT = "AboutDialog"  # written out in each marker: lupdate reads literals only

TEXTS = {
    "title": QT_TRANSLATE_NOOP("AboutDialog", "About custmd"),
    "heading": QT_TRANSLATE_NOOP("AboutDialog", "custmd — customer master data (SAP XD01 style)"),
    "version": QT_TRANSLATE_NOOP("AboutDialog", "Version"),
    "database": QT_TRANSLATE_NOOP("AboutDialog", "Database"),
    "demo": QT_TRANSLATE_NOOP("AboutDialog", "{kind} (demo)"),
    "file": QT_TRANSLATE_NOOP("AboutDialog", "Database file"),
    "server": QT_TRANSLATE_NOOP("AboutDialog", "Server"),
    "name": QT_TRANSLATE_NOOP("AboutDialog", "Database name"),
    "user": QT_TRANSLATE_NOOP("AboutDialog", "Database user"),
    "none": QT_TRANSLATE_NOOP("AboutDialog", "(none)"),
    "os": QT_TRANSLATE_NOOP("AboutDialog", "Operating system"),
    "logs": QT_TRANSLATE_NOOP("AboutDialog", "Log folder"),
    "copy": QT_TRANSLATE_NOOP("AboutDialog", "&Copy"),
    "copied": QT_TRANSLATE_NOOP("AboutDialog", "Copied to the clipboard"),
}


def tr_(key: str) -> str:
    return translate(CONTEXT, TEXTS[key])


def database_rows(url: str, *, demo: bool = False) -> list[tuple[str, str]]:
    """The database's kind and location as (label, value) rows; no password."""
    info = logs.describe_database(url)
    kind = tr_("demo").format(kind=info.kind) if demo else info.kind
    rows = [(tr_("database"), kind)]
    if info.kind == "SQLite":
        return [*rows, (tr_("file"), info.file)]
    server = f"{info.host}:{info.port}" if info.port else info.host
    return [
        *rows,
        (tr_("server"), server or tr_("none")),
        (tr_("name"), info.name or tr_("none")),
        (tr_("user"), info.user or tr_("none")),
    ]


def environment_rows(url: str | None, *, demo: bool = False) -> list[tuple[str, str]]:
    """Everything 关于 shows, as (label, value) rows."""
    rows = [(tr_("version"), f"custmd {logs.version()}")]
    if url:
        rows += database_rows(url, demo=demo)
    return [
        *rows,
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("Python", logs.python_version()),
        (tr_("os"), logs.os_name()),
        (tr_("logs"), str(settings.log_dir())),
    ]


def as_text(rows: list[tuple[str, str]]) -> str:
    return "\n".join(f"{label}: {value}" for label, value in rows)


class AboutDialog(QDialog):
    """The about box; `text()` is what 复制 copies."""

    def __init__(self, url: str | None, *, demo: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(tr_("title"))
        self.rows = environment_rows(url, demo=demo)
        layout = QVBoxLayout(self)
        heading = QLabel(tr_("heading"), self)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, value in self.rows:
            shown = QLabel(value, self)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            form.addRow(f"{label}:", shown)
        layout.addLayout(form)
        self.status = QLabel("", self)
        self.status.setObjectName("about_status")
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(tr_("copy"), self)
        self.copy_button.setObjectName("about_copy")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def text(self) -> str:
        return as_text(self.rows)

    def copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.text())
        self.status.setText(tr_("copied"))


def open_about(parent: QWidget, url: str, *, demo: bool = False) -> AboutDialog:
    """Show the about box (window-modal, deleted when closed); returns it."""
    dialog = AboutDialog(url, demo=demo, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
