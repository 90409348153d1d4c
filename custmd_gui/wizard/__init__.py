"""The XD01/XD02/XD03 wizard's state and rules, apart from any window: never imports Qt."""

from custmd_gui.wizard.document import Document
from custmd_gui.wizard.initial import Keys, Resolution
from custmd_gui.wizard.screens import SCREEN_SEGMENT, SCREENS
from custmd_gui.wizard.session import Event, Outcome, SaveResult, WizardSession

__all__ = [
    "SCREENS",
    "SCREEN_SEGMENT",
    "Document",
    "Event",
    "Keys",
    "Outcome",
    "Resolution",
    "SaveResult",
    "WizardSession",
]
