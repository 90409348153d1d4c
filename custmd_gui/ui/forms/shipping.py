"""forms/shipping.ui as compiled by uic, imported by name so the type checker sees its class."""

from custmd_gui.ui.generated.ui_shipping import Ui_ShippingScreen

__all__ = ["Ui_ShippingScreen"]
