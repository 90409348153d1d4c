"""客户 → 导出列表… (Ctrl+Shift+E): the customer list as it is searched and filtered now, into an
Excel or CSV file (services.transfer.export_list), with the list's columns under the list's
headings in the UI language.

A file chooser (Qt's own dialog, the same on every platform) proposes customers-DATE.xlsx;
the type follows the filter chosen or the name typed. The export runs in a worker thread
(ui.operations): the window keeps painting, the status bar counts the customers written,
then says where the file is; a file that cannot be written is said in the banner, naming it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDir, Qt
from PySide6.QtWidgets import QFileDialog

from custmd_gui.ui import i18n
from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP
from custmd_gui.ui.main_texts import tr_ as list_text
from custmd_gui.ui.operations import Operation
from custmd_gui.ui.qtutils import bring_up

if TYPE_CHECKING:
    from custmd_gui.domain.errors import DomainError
    from custmd_gui.ui.main_list import CustomerListWindow

CONTEXT = "ListExport"
OBJECT_NAME = "list_export_chooser"

TEXTS: dict[str, str] = {
    "title": QT_TRANSLATE_NOOP("ListExport", "Export the customer list"),
    "xlsx": QT_TRANSLATE_NOOP("ListExport", "Excel workbook (*.xlsx)"),
    "csv": QT_TRANSLATE_NOOP("ListExport", "CSV, UTF-8 (*.csv)"),
    "running": QT_TRANSLATE_NOOP("ListExport", "Exporting the customer list… {n} customers"),
    "done": QT_TRANSLATE_NOOP("ListExport", "{n} customers exported to {file}"),
    "failed": QT_TRANSLATE_NOOP("ListExport", "{file}: cannot write: {reason}"),
    "not_ready": QT_TRANSLATE_NOOP("ListExport", "The database is not open yet"),
    # Qt's own Chinese leaves these two of its file dialog in English.
    "look_in": QT_TRANSLATE_NOOP("ListExport", "Look in:"),
    "file_type": QT_TRANSLATE_NOOP("ListExport", "Files of type:"),
}


def tr_(key: str) -> str:
    return QCoreApplication.translate(CONTEXT, TEXTS[key])


def start(window: CustomerListWindow) -> QFileDialog | None:
    """Ask for the file, then export; returns the chooser (open, not modal to the app)."""
    if window.database is None or window.actor is None:
        window.statusBar().showMessage(tr_("not_ready"))
        return None
    name = f"customers-{dt.date.today():%Y%m%d}.xlsx"
    chooser = QFileDialog(window, tr_("title"), str(Path(QDir.homePath()) / name))
    chooser.setObjectName(OBJECT_NAME)
    chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # closed once chosen or cancelled
    chooser.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    chooser.setFileMode(QFileDialog.FileMode.AnyFile)
    chooser.setNameFilters([tr_("xlsx"), tr_("csv")])
    chooser.setDefaultSuffix("xlsx")
    chooser.setLabelText(QFileDialog.DialogLabel.LookIn, tr_("look_in"))
    chooser.setLabelText(QFileDialog.DialogLabel.FileType, tr_("file_type"))
    chooser.filterSelected.connect(
        lambda chosen: chooser.setDefaultSuffix("csv" if chosen == tr_("csv") else "xlsx")
    )

    def chosen(path: str) -> None:
        run(window, Path(path))

    chooser.fileSelected.connect(chosen)
    chooser.open()
    bring_up(chooser)  # the keyboard goes to the file name
    return chooser


def run(window: CustomerListWindow, path: Path) -> Operation[int | OSError]:
    """Export the list's current search and filters to `path` in a worker thread."""
    database, actor = window.database, window.actor
    assert database is not None and actor is not None
    query = window.search_bar.values().query()

    def work() -> int | OSError:
        from custmd_gui.services.transfer.export import export_list

        try:
            return export_list(
                database.factory, actor, path, query=query, tr=list_text, progress=op.progress
            )
        except OSError as exc:  # said in the window (nothing was written), not a crash
            return exc

    def done(result: int | OSError) -> None:
        if isinstance(result, OSError):
            reason = result.strerror or str(result)
            say(tr_("failed").format(file=path, reason=reason))
        else:
            # The name only: a long path would be cut off by the status bar's user and database.
            window.statusBar().showMessage(tr_("done").format(n=result, file=path.name))

    def say(text: str) -> None:
        window.show_banner(text)
        window.statusBar().showMessage(text)

    def failed(error: DomainError) -> None:
        say("; ".join(p.message.get(i18n.language()) for p in error.problems))

    def progressed(value: object) -> None:
        window.statusBar().showMessage(tr_("running").format(n=value))

    op: Operation[int | OSError] = Operation(window, work)
    op.on_success(done).on_failure(failed).on_progress(progressed)
    return op.run()
