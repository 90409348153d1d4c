"""The XD01/XD02/XD03 wizard moved to custmd_gui.ui.wizard (window) and custmd_gui.wizard
(its state and rules); this name stays for the callers that import it from here."""

from custmd_gui.ui.wizard import CustomerWizard
from custmd_gui.wizard import Keys

__all__ = ["CustomerWizard", "Keys"]
