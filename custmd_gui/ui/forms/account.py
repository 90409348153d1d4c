"""forms/account.ui as compiled by uic, imported by name so the type checker sees its class."""

from custmd_gui.ui.generated.ui_account import Ui_AccountScreen

__all__ = ["Ui_AccountScreen"]
