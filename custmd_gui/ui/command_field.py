"""SAP's command field, in the main window's toolbar: a transaction code and Enter opens it.

`XD02`, `xd02`, `/nXD02` and `/oXD02` all open XD02 (SAP's /n ends the current transaction
and /o opens a new session; here every transaction has its own window anyway). The completer
offers the codes the user may run; the window refreshes it when the rights change. What it
cannot run stays typed, and the status bar says why.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

# SAP's prefixes before a transaction code; both just open it here.
PREFIXES = ("/N", "/O")


def transaction_code(typed: str) -> str:
    """The code of what was typed: upper case, without a /n or /o prefix ("/nxd02" → XD02)."""
    code = typed.strip().upper()
    for prefix in PREFIXES:
        if code.startswith(prefix):
            return code[len(prefix) :].strip()
    return code


class CommandField(QLineEdit):
    """Emits `entered(code)` on Enter with the code typed (not yet checked); the window runs
    it and calls `done()` when it did, which empties the field as SAP does."""

    entered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("command_field")
        self.setMaxLength(20)
        self.setClearButtonEnabled(True)
        self._codes = QStringListModel(self)
        completer = QCompleter(self._codes, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        # Enter on a code of the list reaches the field as returnPressed (with the code in the
        # field) and runs it; only then does the completer put the code into the field again
        # (activated). A click on a code only puts it into the field: Enter runs it.
        self._ran = False  # the field's code ran; nothing typed since
        self.textEdited.connect(self._typed)
        completer.activated.connect(lambda: QTimer.singleShot(0, self, self._after_pick))
        self.returnPressed.connect(self._entered)

    def set_codes(self, codes: Iterable[str]) -> None:
        """The codes the completer offers (those the user may run)."""
        self._codes.setStringList(sorted(codes))

    def codes(self) -> list[str]:
        return self._codes.stringList()

    def done(self) -> None:
        """The transaction ran: the field is empty for the next one."""
        self._ran = True
        self.clear()

    @Slot()
    def _typed(self) -> None:
        self._ran = False

    @Slot()
    def _after_pick(self) -> None:
        if self._ran:
            self.clear()  # the completer's copy of the code that ran

    @Slot()
    def _entered(self) -> None:
        code = transaction_code(self.text())
        if code:
            self.entered.emit(code)
