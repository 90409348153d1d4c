"""forms/control.ui as compiled by uic, imported by name so the type checker sees its class."""

from custmd_gui.ui.generated.ui_control import Ui_ControlScreen

__all__ = ["Ui_ControlScreen"]
