"""forms/cc_payment.ui as compiled by uic, imported by name so the type checker sees its class."""

from custmd_gui.ui.generated.ui_cc_payment import Ui_CompanyPaymentScreen

__all__ = ["Ui_CompanyPaymentScreen"]
