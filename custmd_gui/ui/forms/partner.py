"""forms/partner.ui as compiled by uic, imported by name so the type checker sees its class."""

from custmd_gui.ui.generated.ui_partner import Ui_PartnerScreen

__all__ = ["Ui_PartnerScreen"]
