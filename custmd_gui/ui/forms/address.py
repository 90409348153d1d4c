"""forms/address.ui as compiled by uic, imported by name so the type checker sees its class."""

from custmd_gui.ui.generated.ui_address import Ui_AddressScreen

__all__ = ["Ui_AddressScreen"]
