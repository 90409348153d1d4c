"""forms/sales.ui as compiled by uic, imported by name so the type checker sees its class."""

from custmd_gui.ui.generated.ui_sales import Ui_SalesScreen

__all__ = ["Ui_SalesScreen"]
