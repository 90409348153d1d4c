"""The keys of the XD01/XD02/XD03 window as one table: the window makes its shortcuts from the
rows that name a slot, and 帮助 → 快捷键 lists every row (ui.shortcuts_dialog), so the list
cannot drift from what the keys do.

Rows without a slot are keys handled where they arise (Enter and Esc in the window's
keyPressEvent, a table's Enter in ui.grid_enter, Ctrl+M in ui.message_panel, undo and redo in
ui.edit_history); they are listed all the same. Light at import: no Qt widgets, no domain.
"""

from __future__ import annotations

from dataclasses import dataclass

from custmd_gui.ui.i18n import QT_TRANSLATE_NOOP, translate

CONTEXT = "WizardKeys"  # written out in each marker: lupdate reads literals only

# Into the message panel from anywhere in the window (ui.message_panel).
MESSAGES_KEY = "Ctrl+M"


@dataclass(frozen=True)
class WizardKey:
    """One key of the wizard window."""

    key: str  # QKeySequence text ("Ctrl+PgDown"), or a description such as "Enter"
    text: str  # English source text, translated in context CONTEXT
    # The CustomerWizard method the key's window shortcut calls; "" when handled elsewhere.
    slot: str = ""

    def description(self) -> str:
        return translate(CONTEXT, self.text)


KEYS: tuple[WizardKey, ...] = (
    WizardKey(
        "Enter",
        QT_TRANSLATE_NOOP("WizardKeys", "Check the current screen; without errors, the next one"),
    ),
    WizardKey(
        "Ctrl+S",
        QT_TRANSLATE_NOOP("WizardKeys", "Check every screen, look for similar customers and save"),
        "start_save",
    ),
    WizardKey("F4", QT_TRANSLATE_NOOP("WizardKeys", "Value help for the field"), "value_help"),
    WizardKey("F1", QT_TRANSLATE_NOOP("WizardKeys", "Help for the field"), "field_help"),
    WizardKey(
        "F3",
        QT_TRANSLATE_NOOP("WizardKeys", "Back to the initial screen, keeping what was typed"),
        "back",
    ),
    WizardKey(
        "Esc",
        QT_TRANSLATE_NOOP(
            "WizardKeys", "Back to the initial screen; there: close the window (asking first)"
        ),
    ),
    WizardKey(
        "Ctrl+PgDown",
        QT_TRANSLATE_NOOP("WizardKeys", "Next screen without checking"),
        "next_screen_unchecked",
    ),
    WizardKey("Ctrl+PgUp", QT_TRANSLATE_NOOP("WizardKeys", "Previous screen"), "previous_screen"),
    WizardKey(
        MESSAGES_KEY,
        QT_TRANSLATE_NOOP(
            "WizardKeys", "Into the message list (Up/Down move, Enter goes to the field, Esc back)"
        ),
    ),
    WizardKey(
        "Enter",
        QT_TRANSLATE_NOOP(
            "WizardKeys", "In a table cell being typed: take the value, go to the next cell"
        ),
    ),
    WizardKey(
        "Ctrl+H",
        QT_TRANSLATE_NOOP("WizardKeys", "XD04: change documents of the customer on the screens"),
        "change_documents",
    ),
    WizardKey(
        "Ctrl+Z / Ctrl+Y",
        QT_TRANSLATE_NOOP("WizardKeys", "Undo / redo typing, field by field"),
    ),
)


def window_shortcuts() -> list[WizardKey]:
    """The rows the wizard window turns into QShortcuts."""
    return [entry for entry in KEYS if entry.slot]
