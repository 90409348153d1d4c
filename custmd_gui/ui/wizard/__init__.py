"""The XD01/XD02/XD03 wizard's window (PySide6); its state and rules are custmd_gui.wizard."""

from custmd_gui.ui.wizard.window import CustomerWizard

__all__ = ["CustomerWizard"]
