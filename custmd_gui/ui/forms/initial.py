"""forms/initial.ui as compiled by uic, imported by name so the type checker sees its class."""

from custmd_gui.ui.generated.ui_initial import Ui_InitialScreen

__all__ = ["Ui_InitialScreen"]
